import ts from 'typescript';
import type { Frontend } from '../index';
import type { Config } from '../../core/config';
import type { FileFacts, Language } from '../../core/model';
import type { FileSummary, ProjectIndex } from '../../core/project';
import { fileSummary, linkFacts } from '../../core/link';
import { Extractor } from './extract';
import { typescriptFixSyntax } from './fix-syntax';
import { parseDiagnostics, parseFile, rememberParse, usesIncrementalParsing } from './parse';
import { extractReusing } from './statement-reuse';

function extractFacts(file: string, text: string, language: Language, config: Config, project?: ProjectIndex): FileFacts {
  const sf = parseFile(file, text);
  // The editor: the file's last facts are taken over where the edit changed nothing.
  if (usesIncrementalParsing()) return withParseNote(extractReusing(sf, file, language, config, project), sf, file);
  return extractFromSourceFile(sf, file, language, config, project);
}

/**
 * Facts of a file that is already parsed: the ESLint plugin hands over the `ts.SourceFile` that
 * `@typescript-eslint/parser` built, so the file is not parsed a second time.
 */
export function extractFromSourceFile(sf: ts.SourceFile, file: string, language: Language, config: Config, project?: ProjectIndex): FileFacts {
  rememberParse(file, sf.text, sf);
  return withParseNote(new Extractor(sf, file, language, config, project).run().facts, sf, file);
}

function withParseNote(facts: FileFacts, sf: ts.SourceFile, file: string): FileFacts {
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
