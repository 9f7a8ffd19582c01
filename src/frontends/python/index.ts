import type { Config } from '../../core/config';
import type { FileFacts, Language } from '../../core/model';
import type { FileSummary, ProjectIndex } from '../../core/project';
import { emptySummary } from '../../core/project';
import type { Frontend } from '../index';
import { analyseFile, forgetAnalysis, lineOf, releaseAnalysis } from './analysis';
import { importedModules } from './imports';
import { initPythonParser, parserProblem, pythonIncrementalParsing } from './parser';
import { forgetStatements, reusingFacts, wholeWalk } from './statement-reuse';
import { buildSummary } from './summary';
import { prefetchTrees, warmUpParseAhead } from './prefetch';
import { isStackOverflow } from '../../core/deep-stack';
import { pythonFixSyntax } from './fix-syntax';
import { textSyntax } from '../../core/fix-syntax';

/**
 * The Python front-end: tree-sitter (web-tree-sitter with the grammar wasm of the
 * `tree-sitter-python` package) → scopes and name resolution → the language-neutral facts.
 * Never throws: a file that cannot be analysed gets a note saying why.
 */
export const pythonFrontend: Frontend = {
  languages: ['python'],
  init: initPythonParser,
  prefetch(files, ordered) {
    return prefetchTrees([...files], ordered);
  },
  warmUp: warmUpParseAhead,
  summarize(file: string, text: string, _language: Language, config: Config, project?: ProjectIndex): FileSummary {
    try {
      const a = analyseFile(file, text, config, project);
      if (!a) return emptySummary(file, 'python');
      a.summary ??= buildSummary(a);
      return a.summary;
    } catch (err) {
      forgetAnalysis(file);
      // Too deep for this stack: the core retries on a thread with a bigger one.
      if (isStackOverflow(err)) throw err;
      return emptySummary(file, 'python');
    }
  },
  extract(file: string, text: string, _language: Language, config: Config, project?: ProjectIndex): FileFacts {
    const empty = (notes: string[]): FileFacts => ({ file, language: 'python', text, functions: [], loops: [], calls: [], blocks: [], offsets: [], notes });
    const problem = parserProblem();
    if (problem) return empty([`${file}: Python analysis is not available (${problem}); skipped`]);
    try {
      // Facts are the last request in a project analysis: a new analysis made for them is not kept.
      const a = analyseFile(file, text, config, project, false);
      if (!a) return empty([`${file}: the Python parser could not read the file; skipped`]);
      const notes: string[] = [];
      if (a.parsed.hasError) {
        const line = a.parsed.errorOffset !== undefined ? lineOf(text, a.parsed.errorOffset) : undefined;
        notes.push(`${file}: syntax error${line ? ` at line ${line}` : ''}; the parts of the file that parse were analysed`);
      }
      // The editor re-analyses a file per keystroke: it walks only what the edit may have changed.
      return pythonIncrementalParsing() ? reusingFacts(a, project, notes) : wholeWalk(a, notes);
    } catch (err) {
      forgetAnalysis(file);
      forgetStatements(file);
      if (isStackOverflow(err)) throw err;
      return empty([`${file}: could not be analysed (${err instanceof Error ? err.message : String(err)}); skipped`]);
    }
  },
  importedModules,
  release: releaseAnalysis,
  forgetAnalysis,
  fixSyntax(facts) {
    try {
      return pythonFixSyntax(facts) ?? textSyntax(facts);
    } catch {
      return textSyntax(facts);
    }
  },
};
