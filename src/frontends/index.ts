import type { Config } from '../core/config';
import type { FileFacts, Language } from '../core/model';
import type { FileSummary, ProjectIndex } from '../core/project';
import type { FixSyntax } from '../core/fix-syntax';
import { pythonFrontend } from './python';

/** A front-end turns source text into facts. It must never throw on any input. */
export interface Frontend {
  languages: Language[];
  /**
   * Its facts carry call targets, exports and classes, so a project analysis can parse each file once
   * and link the facts (src/core/link.ts); otherwise `summarize` is called per pass.
   */
  linksFacts?: boolean;
  /** Loads what the front-end needs asynchronously (a wasm parser); `extract` may be called after. */
  init?(): Promise<void>;
  summarize(file: string, text: string, language: Language, config: Config, project?: ProjectIndex): FileSummary;
  extract(file: string, text: string, language: Language, config: Config, project?: ProjectIndex): FileFacts;
  /**
   * Source structure for spelling fixes in this language (see core/fix-syntax.ts); called only when
   * a rule asks, after extraction. Without it rules get the text-only `TextSyntax`.
   */
  fixSyntax?(facts: FileFacts): FixSyntax;
  /**
   * For front-ends that are summarised per pass (no `linksFacts`): the modules a file's text imports,
   * as specifiers, so a project analysis can take files after the files they import
   * (core/project-stream.ts). A guess from the text is fine: look-ups are checked afterwards.
   */
  importedModules?(text: string): string[];
  /**
   * Ends the project analysis of a file: drops what was kept for it (its tree) and returns the
   * record of the project look-ups its last analysis made, to check later against the final index.
   */
  release?(file: string): LookupRecord | undefined;
  /**
   * Drops what a file's last analysis derived from the project (keeping its tree): the next request
   * for it brings a project that answers differently, so keeping the analysis till then is waste.
   */
  forgetAnalysis?(file: string): void;
  /**
   * The files a project analysis is about to ask for: parsed ahead (Python, on another thread), in
   * the order given or, with `ordered`, in the order passed later to the function returned.
   */
  prefetch?(files: readonly { file: string; text: string }[], ordered?: boolean): ((indices: readonly number[]) => void) | undefined;
  /**
   * A project analysis of about this many of its files is coming (their texts are still being
   * read): start what takes long to start (Python: the parse-ahead thread) so `prefetch` finds it ready.
   */
  warmUp?(fileCount: number): void;
}

/** The project look-ups an analysis made, with their answers. */
export interface LookupRecord {
  /** The same questions get the same answers from `project`. */
  stillValid(project: ProjectIndex | undefined): boolean;
}

/**
 * The TypeScript front-end is loaded on first use: loading the compiler takes ~0.4 s, which a
 * Python-only run should not pay.
 */
let typescriptLoaded: Frontend | undefined;
function typescript(): Frontend {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  typescriptLoaded ??= (require('./typescript') as typeof import('./typescript')).typescriptFrontend;
  return typescriptLoaded;
}
const lazyTypescript: Frontend = {
  languages: ['typescript', 'javascript'],
  linksFacts: true,
  extract: (...args) => typescript().extract(...args),
  summarize: (...args) => typescript().summarize(...args),
  fixSyntax: (facts) => typescript().fixSyntax!(facts),
};

const frontends: Frontend[] = [lazyTypescript, pythonFrontend];

export function frontendFor(language: Language): Frontend | undefined {
  return frontends.find((f) => f.languages.includes(language));
}

/** Loads every front-end (idempotent). Call once before `analyze` for Python support. */
export async function initFrontends(): Promise<void> {
  await Promise.all(frontends.map((f) => f.init?.()));
}
