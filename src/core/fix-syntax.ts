import type { FileFacts, Language } from './model';

/**
 * What a rule needs to know about the source to spell a fix, beyond the facts: indentation, line
 * ends, and (added by each front-end) the structure of calls, statements, loops and imports.
 * Rules get it as `ctx.syntax`; it is built on first use, so only files with findings that offer a
 * fix pay for it (a front-end may re-parse the text then).
 *
 * Front-ends extend `TextSyntax` with language-specific members; rule files branch on `language`
 * and keep the spelling of their fixes in the rule file.
 */
export interface FixSyntax {
  readonly language: Language;
  readonly text: string;
  /** The line terminator the file uses (`\n` unless the file uses `\r\n`). */
  readonly eol: string;
  /** One level of indentation as the file writes it (two or four spaces, or a tab). */
  readonly indentUnit: string;
  /** Offset of the first character of the line that contains `offset`. */
  lineStart(offset: number): number;
  /** Leading whitespace of the line that contains `offset`. */
  indentAt(offset: number): string;
}

/** The language-independent part, from the text alone. */
export class TextSyntax implements FixSyntax {
  private eolSeen?: string;
  private unit?: string;

  constructor(
    readonly language: Language,
    readonly text: string,
  ) {}

  // Both are computed on first use: an ignore fix needs the line end but never the indent unit,
  // and guessing the unit reads up to 200,000 characters.
  get eol(): string {
    return (this.eolSeen ??= /\r\n/.test(this.text.slice(0, 10_000)) ? '\r\n' : '\n');
  }

  get indentUnit(): string {
    return (this.unit ??= guessIndentUnit(this.text));
  }

  lineStart(offset: number): number {
    // A backward scan to the previous line end (lastIndexOf('\r') would run to the start of every
    // file that has none).
    let i = Math.max(0, Math.min(offset, this.text.length));
    while (i > 0) {
      const c = this.text.charCodeAt(i - 1);
      if (c === 10 || c === 13) break;
      i--;
    }
    return i;
  }

  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    return /^[ \t]*/.exec(this.text.slice(start, start + 200))![0];
  }
}

export function textSyntax(facts: Pick<FileFacts, 'language' | 'text'>): FixSyntax {
  return new TextSyntax(facts.language, facts.text);
}

/** The smallest indentation step seen in the first few thousand lines; a tab when lines start with tabs. */
function guessIndentUnit(text: string): string {
  let min = Infinity;
  let tabs = 0;
  let spaces = 0;
  const sample = text.slice(0, 200_000);
  for (const m of sample.matchAll(/^([ \t]+)\S/gm)) {
    const ws = m[1];
    if (ws[0] === '\t') tabs++;
    else {
      spaces++;
      if (ws.length < min && ws.length >= 2) min = ws.length;
    }
  }
  if (tabs > spaces) return '\t';
  return ' '.repeat(Number.isFinite(min) && min <= 8 ? min : 4);
}
