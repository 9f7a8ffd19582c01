import * as fs from 'fs';
import type { Finding, Fix, Language, Span } from '../core/index';
import { ignoreFixes, languageForFile, LineIndex } from '../core/index';
import type { FileFindings, WireFinding, WireFindingFixes, WireFix, WireRange } from './protocol';

/**
 * Engine findings (offset spans) → wire findings (0-based line/character ranges), done in the
 * worker that has the text, so the extension host's main thread never scans file text.
 */
export function toFileFindings(file: string, text: string, findings: readonly Finding[], notes: string[]): FileFindings {
  const lines = new LineIndex(text);
  const others = new OtherFiles();
  return { file, notes, findings: findings.map((f) => toWireFinding(f, file, lines, others)) };
}

/**
 * The fixes of some findings, found among `analysed` (an analysis of the same text with fixes) by
 * rule and span. Asked for when the lightbulb opens rather than with every analysis: the ignore
 * fixes alone read the whole text for its indentation (0.5 s for 480 findings in 10,000 lines).
 */
export function wireFindingFixes(file: string, text: string, asked: readonly Pick<Finding, 'rule' | 'span'>[], analysed: readonly Finding[]): WireFindingFixes[] {
  const lines = new LineIndex(text);
  const language: Language = languageForFile(file) ?? 'typescript';
  const byKey = new Map(analysed.map((f) => [findingKey(f), f]));
  return asked.map((f) => ({
    fixes: (byKey.get(findingKey(f))?.fixes ?? []).map((fix) => toWireFix(fix, lines)),
    ignores: ignoreFixes(f, text, language).map((fix) => toWireFix(fix, lines)),
  }));
}

function findingKey(f: Pick<Finding, 'rule' | 'span'>): string {
  return `${f.rule}:${f.span.start}:${f.span.end}`;
}

function toWireFinding(f: Finding, file: string, lines: LineIndex, others: OtherFiles): WireFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: toRange(lines, f.span),
    related: f.related.map((r) => {
      const elsewhere = r.file !== undefined && r.file !== file;
      const index = elsewhere ? others.lines(r.file!) : lines;
      return {
        ...(elsewhere ? { file: r.file } : {}),
        range: index ? toRange(index, r.span) : { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 },
        message: r.message,
      };
    }),
    span: { start: f.span.start, end: f.span.end },
  };
}

function toWireFix(fix: Fix, lines: LineIndex): WireFix {
  return { title: fix.title, applicability: fix.applicability, edits: fix.edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText })) };
}

export function toRange(lines: LineIndex, span: Span): WireRange {
  const start = lines.position(span.start);
  const end = lines.position(span.end);
  return { startLine: start.line - 1, startCharacter: start.column - 1, endLine: end.line - 1, endCharacter: end.column - 1 };
}

/** Related spans in other files (a helper's query) need that file's lines; read once per batch. */
class OtherFiles {
  private readonly cache = new Map<string, LineIndex | undefined>();

  lines(file: string): LineIndex | undefined {
    if (!this.cache.has(file)) {
      let index: LineIndex | undefined;
      try {
        index = new LineIndex(fs.readFileSync(file, 'utf8'));
      } catch {
        index = undefined;
      }
      this.cache.set(file, index);
    }
    return this.cache.get(file);
  }
}
