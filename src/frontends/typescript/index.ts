import ts from 'typescript';
import type { Frontend } from '../index';
import type { Config } from '../../core/config';
import type { FileFacts, Language } from '../../core/model';
import type { FileSummary, ProjectIndex } from '../../core/project';
import { fileSummary, linkFacts } from '../../core/link';
import { Extractor } from './extract';
import { typescriptFixSyntax } from './fix-syntax';
import { parseDiagnostics, parseFile, rememberParse } from './parse';

function extractFacts(file: string, text: string, language: Language, config: Config, project?: ProjectIndex): FileFacts {
  return extractFromSourceFile(parseFile(file, text), file, language, config, project);
}

/**
 * Facts of a file that is already parsed: the ESLint plugin hands over the `ts.SourceFile` that
 * `@typescript-eslint/parser` built, so the file is not parsed a second time.
 */
export function extractFromSourceFile(sf: ts.SourceFile, file: string, language: Language, config: Config, project?: ProjectIndex): FileFacts {
  rememberParse(file, sf.text, sf);
  const { facts } = new Extractor(sf, file, language, config, project).run();
  const diagnostics = parseDiagnostics(sf);
  if (diagnostics.length) {
    const d = diagnostics[0];
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    facts.notes.push(`${file}:${line + 1}:${character + 1}: syntax error (${ts.flattenDiagnosticMessageText(d.messageText, ' ')}); analysed what could be parsed`);
  }
  return facts;
}

export const typescriptFrontend: Frontend = {
  languages: ['typescript', 'javascript'],
  linksFacts: true,
  extract: extractFacts,
  summarize(file, text, language, config, project): FileSummary {
    const facts = extractFacts(file, text, language, config, project);
    return fileSummary(facts, linkFacts(facts, project));
  },
  fixSyntax: (facts) => typescriptFixSyntax(facts),
};
