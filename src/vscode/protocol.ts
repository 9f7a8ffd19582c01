/**
 * Messages between the extension host's main thread (extension.ts) and the engine worker
 * (worker.ts). Everything is plain data; positions are already converted to 0-based line/character
 * ranges by the worker, which has the text, so the main thread only builds `vscode` objects.
 * This file must not import 'vscode': the worker bundle includes it.
 */
import type { Applicability, Config, Severity } from '../core/index';

/** 0-based, end exclusive, like `vscode.Range`. */
export interface WireRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface WireEdit {
  range: WireRange;
  newText: string;
}

export interface WireFix {
  title: string;
  applicability: Applicability;
  edits: WireEdit[];
}

export interface WireRelated {
  /** Absolute path; the finding's own file when absent. */
  file?: string;
  range: WireRange;
  message: string;
}

export interface WireFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: WireRange;
  related: WireRelated[];
  /** UTF-16 offsets of the finding in the analysed text (to ask for its fixes). */
  span: { start: number; end: number };
}

/** What the lightbulb offers for one finding. */
export interface WireFindingFixes {
  /** The engine's fixes, in its order (safe ones are preferred by the editor). */
  fixes: WireFix[];
  /** Ignore on this line / in this file. */
  ignores: WireFix[];
}

export interface WireConfigProblem {
  file: string;
  key: string;
  message: string;
  /** 1-based, when the file itself could not be parsed. */
  line?: number;
  column?: number;
}

export interface FileFindings {
  file: string;
  findings: WireFinding[];
  notes: string[];
}

/** What decides which files a scan or the background index covers. */
export interface FileSelection {
  /** Absolute paths of the workspace folders. */
  folders: string[];
  /** `files.exclude` globs that are switched on, relative to each folder. */
  exclude: string[];
  /** `files.exclude` globs with a `when` sibling condition: `$(basename)` is the file's name without extension. */
  excludeWhen: { glob: string; when: string }[];
  /** Open documents whose editor text differs from the disk: analysed as shown. */
  openTexts: { file: string; text: string }[];
}

/** Settings turned into the config layer that overrides config files (see settings.ts). */
export interface SettingsLayer {
  /** Rule severities and callee lists; `ignore` is kept apart, it is relative to the folders. */
  config: Partial<Config>;
  /** `perflens.ignore` globs, relative to each workspace folder. */
  ignore: string[];
  /** Absolute paths of the workspace folders. */
  folders: string[];
}

export interface RuleInfo {
  id: string;
  summary: string;
}

export type ToEngine =
  | { type: 'settings'; settings: SettingsLayer }
  | { type: 'configFilesChanged' }
  | { type: 'analyze'; id: number; file: string; text: string }
  /** Analyse a file from disk (a scanned file that changed while closed). */
  | { type: 'analyzeFile'; id: number; file: string }
  | { type: 'fixAll'; id: number; file: string; text: string }
  /**
   * The fixes of some findings, asked for when the lightbulb opens: live analysis leaves them out,
   * since they are a quarter of its work on a findings-dense file and are rarely looked at.
   */
  | { type: 'fixes'; id: number; file: string; text: string; findings: { rule: string; span: { start: number; end: number } }[] }
  | { type: 'saved'; file: string; text: string }
  | { type: 'index'; id: number; selection: FileSelection }
  | { type: 'scan'; id: number; selection: FileSelection }
  | { type: 'cancel'; id: number };

export type FromEngine =
  | { type: 'ready'; rules: RuleInfo[] }
  /** `engineMs`: the worker's time for this request, to tell it apart from messaging and queueing. */
  | { type: 'result'; id: number; result: FileFindings; configProblems: WireConfigProblem[]; engineMs: number }
  | { type: 'fixed'; id: number; text?: string; applied: number }
  | { type: 'fixes'; id: number; fixes: WireFindingFixes[] }
  | { type: 'progress'; id: number; phase: 'reading' | 'summarising' | 'checking'; done: number; total: number }
  | { type: 'scanResults'; id: number; results: FileFindings[] }
  | { type: 'finished'; id: number; files: number; cancelled: boolean; configProblems: WireConfigProblem[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'log'; message: string };

/** The first message a pool worker gets (see pool.ts). */
export interface ShareInit {
  role: 'share';
  files: { file: string; config: number; text?: string }[];
  configs: Config[];
  /** This share holds every file of the workspace analysed in import order (Python). */
  wholeProject: boolean;
}

export type ToShare = { type: 'prepare' } | { type: 'relink'; summaries: unknown[] } | { type: 'finish'; summaries: unknown[] };
