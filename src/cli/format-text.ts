import type { Palette } from './color';
import { codeFrame } from './code-frame';
import type { Note, Report, ReportedFinding } from './report';
import { Positions } from './report';
import type { Severity } from '../core/finding';

export interface TextOptions {
  color: Palette;
  /** Findings only: no summary line. */
  quiet: boolean;
}

/**
 * Human output: one header line per finding (`path:line:col  severity  message  rule-id`), its
 * code frame, related spans (`↳ line:col message`), then a summary line.
 */
export function formatText(report: Report, opts: TextOptions): string {
  const { color } = opts;
  const positions = new Positions((abs) => report.sources.get(abs));
  const blocks = report.findings.map((f) => formatFinding(f, positions, color));
  const out: string[] = [];
  if (blocks.length) out.push(blocks.join('\n\n'), '');
  if (!opts.quiet) out.push(summaryLine(report, color));
  return out.length ? out.join('\n') + '\n' : '';
}

function formatFinding(f: ReportedFinding, positions: Positions, color: Palette): string {
  const mark = severityColor(f.severity, color);
  const head = [
    `${color.bold(f.file)}${color.dim(`:${f.line}:${f.column}`)}`,
    mark(f.severity),
    f.message,
    color.dim(f.rule),
  ].join('  ');
  const parts = [head];
  const lines = positions.lines(f.absFile);
  if (lines) parts.push(codeFrame(lines, f, color, mark));
  for (const r of f.related) {
    const where = `${r.file ? `${r.file}:` : ''}${r.line}:${r.column}`;
    parts.push(`  ${color.cyan('↳')} ${color.dim(where)} ${r.message}`);
  }
  if (f.fixes.length) {
    const safe = f.fixes.some((x) => x.applicability === 'safe');
    parts.push(`  ${color.green('fix')} ${color.dim(`available${safe ? '' : ' (unsafe)'}: ${f.fixes[0].title}`)}`);
  }
  return parts.join('\n');
}

function summaryLine(report: Report, color: Palette): string {
  const files = plural(report.files, 'file');
  if (report.findings.length === 0) return color.green(`No performance problems found in ${files}.`);
  const counts = (['error', 'warning', 'info'] as Severity[])
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => severityColor(s, color)(plural(n, s === 'info' ? 'info' : s)));
  const detail = counts.length > 1 ? ` (${counts.join(', ')})` : '';
  return `${color.bold(plural(report.findings.length, 'finding'))}${detail} in ${files} ${color.dim(`(${report.durationMs} ms)`)}`;
}

/** One line per note, for stderr: `perflens: <file>:<line>:<col>: `key`: message`. */
export function formatNote(note: Note, color: Palette): string {
  const where = note.file ? `${note.file}${note.line !== undefined ? `:${note.line}:${note.column}` : ''}: ` : '';
  const key = note.key && !note.key.startsWith('(') ? `\`${note.key}\`: ` : '';
  const label = note.kind === 'config' ? color.yellow('config problem') : color.dim('note');
  return `perflens: ${label}: ${where}${key}${note.message}`;
}

function severityColor(s: Severity, color: Palette): (t: string) => string {
  return s === 'error' ? color.red : s === 'warning' ? color.yellow : color.blue;
}

export function plural(n: number, word: string): string {
  if (word === 'info') return `${n} info`;
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
