import type { Span } from './model';

export type Severity = 'info' | 'warning' | 'error';
export type Applicability = 'safe' | 'unsafe';

/** Replace `span` of the file text with `newText`. */
export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  /** Imperative, says what changes: "Run concurrently with `Promise.all` (first error rejects all)". */
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
  /**
   * The rewrite improves the code but the rule still reports it: `Promise.all(xs.map(…))` over one
   * query per element is still N queries. Tests then check that the finding remains, not that it is gone.
   */
  keepsFinding?: boolean;
}

export interface Related {
  span: Span;
  message: string;
  /** Another file (cross-file helper); same file when absent. */
  file?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  span: Span;
  related: Related[];
  fixes: Fix[];
}

/** 1-based line and column (UTF-16 code units), as in the JSON format. */
export interface Position {
  line: number;
  column: number;
}

/** Converts offsets to 1-based line/column; built once per file, queried by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line/column; clamps to the text. */
  offset(pos: Position): number {
    const line = Math.max(1, Math.min(pos.line, this.starts.length));
    return Math.min(this.text.length, this.starts[line - 1] + pos.column - 1);
  }

  lineCount(): number {
    return this.starts.length;
  }

  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line] ?? this.text.length + 1;
    return this.text.slice(start, next - 1).replace(/\r$/, '');
  }
}
