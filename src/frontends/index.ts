import type { Config } from '../core/config';
import type { FileFacts, Language } from '../core/model';
import type { FileSummary, ProjectIndex } from '../core/project';
import { typescriptFrontend } from './typescript';
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
}

const frontends: Frontend[] = [typescriptFrontend, pythonFrontend];

export function frontendFor(language: Language): Frontend | undefined {
  return frontends.find((f) => f.languages.includes(language));
}

/** Loads every front-end (idempotent). Call once before `analyze` for Python support. */
export async function initFrontends(): Promise<void> {
  await Promise.all(frontends.map((f) => f.init?.()));
}
