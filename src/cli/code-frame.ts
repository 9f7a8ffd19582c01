import type { Palette } from './color';
import type { Range } from './report';
import type { LineIndex } from '../core/finding';

/** At most this many source lines per frame; longer spans show their head and tail. */
const MAX_FRAME_LINES = 6;
/** Lines longer than this (minified code) are cut to a window around the span. */
const MAX_LINE_WIDTH = 160;

/**
 * The source lines of a range with a caret underline under the reported part, in the style of
 * ESLint's codeframe and Ruff:
 *
 *     3 | export async function h() { return fs.readFileSync('x'); }
 *       |                                    ^^^^^^^^^^^^^^^^^^^^^
 */
export function codeFrame(lines: LineIndex, range: Range, color: Palette, mark: (s: string) => string): string {
  const last = Math.min(range.endLine, lines.lineCount());
  let shown: (number | undefined)[] = [];
  for (let l = range.line; l <= last; l++) shown.push(l);
  if (shown.length > MAX_FRAME_LINES) {
    const head = shown.slice(0, MAX_FRAME_LINES - 2);
    shown = [...head, undefined, ...shown.slice(-1)];
  }
  const width = String(last).length;
  const gutter = (n: string) => color.dim(`${n.padStart(width)} | `);
  const out: string[] = [];
  for (const l of shown) {
    if (l === undefined) {
      out.push(`  ${color.dim(`${'.'.repeat(width)} |`)} …`);
      continue;
    }
    const text = lines.lineText(l);
    // Columns of the underline on this line (1-based, UTF-16, end exclusive).
    const from = l === range.line ? range.column : firstNonSpace(text);
    const to = l === range.endLine ? range.endColumn : text.length + 1;
    const [shownText, offset] = windowed(text, from);
    out.push(`  ${gutter(String(l))}${shownText}`);
    const start = Math.max(0, from - 1 - offset);
    const end = Math.min(shownText.length, Math.max(start + 1, to - 1 - offset));
    if (text.trim() === '' || start >= shownText.length + 1) continue;
    const prefix = Array.from(shownText.slice(0, start), (ch) => (ch === '\t' ? '\t' : ' ')).join('');
    const carets = '^'.repeat(Math.max(1, Array.from(shownText.slice(start, end)).length));
    out.push(`  ${gutter('')}${prefix}${mark(carets)}`);
  }
  return out.join('\n');
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index + 1 : 1;
}

/** Cuts an over-long line to a window that contains `column`; returns the text and its offset. */
function windowed(text: string, column: number): [string, number] {
  if (text.length <= MAX_LINE_WIDTH) return [text, 0];
  const begin = Math.max(0, Math.min(column - 1 - 40, text.length - MAX_LINE_WIDTH));
  const slice = text.slice(begin, begin + MAX_LINE_WIDTH);
  // Ellipses replace one character at each cut end so that offsets stay aligned.
  const head = begin > 0 ? '…' + slice.slice(1) : slice;
  const tail = begin + MAX_LINE_WIDTH < text.length ? head.slice(0, -1) + '…' : head;
  return [tail, begin];
}
