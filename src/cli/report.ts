import * as path from 'path';
import type { Applicability, Finding, Severity } from '../core/finding';
import { LineIndex } from '../core/finding';
import type { Span } from '../core/model';

/** A 1-based range, columns in UTF-16 code units (the JSON format's positions). */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportedRelated extends Range {
  message: string;
  /** Display path; only set when the span is in another file than the finding. */
  file?: string;
}

export interface ReportedEdit extends Range {
  newText: string;
}

export interface ReportedFix {
  title: string;
  applicability: Applicability;
  edits: ReportedEdit[];
}

export interface ReportedFinding extends Range {
  /** Display path: relative to the current directory, forward slashes. */
  file: string;
  /** Absolute path, for reading lines (code frames, fingerprints). */
  absFile: string;
  rule: string;
  severity: Severity;
  message: string;
  related: ReportedRelated[];
  fixes: ReportedFix[];
}

export type NoteKind = 'config' | 'skipped' | 'analysis' | 'fix';

/** Something the user should know that is not a finding: a config problem, a skipped file. */
export interface Note {
  kind: NoteKind;
  /** Display path. */
  file?: string;
  /** Config key (`rules.n-plus-one-query`) for config problems. */
  key?: string;
  line?: number;
  column?: number;
  message: string;
}

export interface Report {
  findings: ReportedFinding[];
  notes: Note[];
  /** Number of files analysed. */
  files: number;
  durationMs: number;
  /** Source text of every analysed file (absolute path → text), for code frames. */
  sources: ReadonlyMap<string, string>;
  cwd: string;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

/** Caches a LineIndex per file; related spans may point into files not otherwise loaded. */
export class Positions {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly text: (abs: string) => string | undefined) {}

  lines(abs: string): LineIndex | undefined {
    let idx = this.indexes.get(abs);
    if (!idx) {
      const t = this.text(abs);
      if (t === undefined) return undefined;
      idx = new LineIndex(t);
      this.indexes.set(abs, idx);
    }
    return idx;
  }

  range(abs: string, span: Span): Range {
    const idx = this.lines(abs);
    if (!idx) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const a = idx.position(span.start);
    const b = idx.position(Math.max(span.start, span.end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** Turns engine findings (offsets) into reported findings (display paths, 1-based positions). */
export function reportFinding(f: Finding, absFile: string, cwd: string, positions: Positions): ReportedFinding {
  return {
    file: displayPath(absFile, cwd),
    absFile,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    ...positions.range(absFile, f.span),
    related: f.related.map((r) => {
      const relFile = r.file ? path.resolve(cwd, r.file) : absFile;
      const other = relFile !== absFile;
      return {
        ...(other ? { file: displayPath(relFile, cwd) } : {}),
        ...positions.range(relFile, r.span),
        message: r.message,
      };
    }),
    fixes: f.fixes.map((fix) => ({
      title: fix.title,
      applicability: fix.applicability,
      edits: fix.edits.map((e) => ({ ...positions.range(absFile, e.span), newText: e.newText })),
    })),
  };
}

export function compareFindings(a: ReportedFinding, b: ReportedFinding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.message, b.message)
  );
}

/** Code-unit order, independent of the locale, so output is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
