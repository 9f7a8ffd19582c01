/**
 * Statement reuse's over-approximation of the names a piece of code mentions: every word of its
 * text, strings and comments included (an annotation in a string names a type too).
 */
export function wordsIn(text: string, start: number, end: number, word: RegExp): Set<string> {
  return new Set(text.slice(start, end).match(word) ?? []);
}

export function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}
