/**
 * Offsets in a derived text (the SQL sent to PostgreSQL) mapped back to the text it came from (the
 * user's file), so a server error position lands on the character the user wrote. Built while the
 * derived text is assembled: runs copied verbatim map one to one; a decoded escape or a placeholder
 * maps every offset inside it to the start of what it replaced.
 */
export interface OffsetMap {
  /** The source offset of a derived-text offset; offsets past the end map past the last source. */
  toSource(offset: number): number;
}

interface Segment {
  /** Derived-text range. */
  start: number;
  end: number;
  /** Source range. */
  from: number;
  fromEnd: number;
  exact: boolean;
}

class SegmentMap implements OffsetMap {
  constructor(private readonly segments: readonly Segment[], private readonly fallback: number) {}

  toSource(offset: number): number {
    const segs = this.segments;
    if (segs.length === 0) return this.fallback;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo];
    if (offset < seg.start) return seg.from;
    if (offset >= seg.end) return seg.fromEnd + (lo === segs.length - 1 ? offset - seg.end : 0);
    return seg.exact ? seg.from + (offset - seg.start) : seg.from;
  }
}

/** `outer` maps C → B, `inner` maps B → A; the result maps C → A. */
export function composeMaps(outer: OffsetMap, inner: OffsetMap): OffsetMap {
  return { toSource: (offset) => inner.toSource(outer.toSource(offset)) };
}

/** A map that adds a constant: the derived text is a slice of the source starting at `base`. */
export function shiftMap(base: number): OffsetMap {
  return { toSource: (offset) => base + offset };
}

/** Assembles a derived text and its map back to the source. */
export class MappedTextBuilder {
  private text = '';
  private readonly segments: Segment[] = [];

  constructor(private readonly emptyFallback = 0) {}

  get length(): number {
    return this.text.length;
  }

  /** Appends `text`, which is the source's characters starting at `from`, one to one. */
  copy(text: string, from: number): void {
    if (!text) return;
    const last = this.segments[this.segments.length - 1];
    const start = this.text.length;
    if (last && last.exact && last.end === start && last.fromEnd === from) {
      last.end += text.length;
      last.fromEnd += text.length;
    } else {
      this.segments.push({ start, end: start + text.length, from, fromEnd: from + text.length, exact: true });
    }
    this.text += text;
  }

  /** Appends `text` standing for the source range [from, fromEnd) as a whole (an escape, a placeholder). */
  substitute(text: string, from: number, fromEnd: number): void {
    if (!text) return;
    const start = this.text.length;
    this.segments.push({ start, end: start + text.length, from, fromEnd, exact: false });
    this.text += text;
  }

  build(): { text: string; map: OffsetMap } {
    return { text: this.text, map: new SegmentMap([...this.segments], this.emptyFallback) };
  }
}

/** 1-based line and column (UTF-16 code units) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Offset of a 1-based line and column; clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const max = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + Math.max(0, column - 1), max);
}

/**
 * PostgreSQL reports error positions as 1-based character (code point) counts; JavaScript strings
 * index UTF-16 code units. Returns the 0-based UTF-16 offset.
 */
export function codePointPositionToOffset(text: string, position: number): number {
  let offset = 0;
  for (let cp = 1; cp < position && offset < text.length; cp++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}
