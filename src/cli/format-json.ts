import type { Note, Report, ReportedFinding } from './report';

/** The `--format json` document, exactly as DESIGN.md describes it, plus `notes`. */
export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  summary: { files: number; findings: number; durationMs: number };
  notes: Note[];
}

export type JsonFinding = Omit<ReportedFinding, 'absFile'>;

export function jsonReport(report: Report): JsonReport {
  return {
    version: 1,
    findings: report.findings.map(
      (f): JsonFinding => ({
        file: f.file,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        related: f.related,
        fixes: f.fixes,
      }),
    ),
    summary: { files: report.files, findings: report.findings.length, durationMs: report.durationMs },
    notes: report.notes,
  };
}

export function formatJson(report: Report): string {
  return JSON.stringify(jsonReport(report), null, 2) + '\n';
}
