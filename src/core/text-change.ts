/**
 * The part of a text that an edit changed: `before.slice(start, oldEnd)` became
 * `after.slice(start, newEnd)`, everything around it is equal. Incremental parsers take this as
 * their change range, and an editor edit made of it keeps the cursor and undo where they were.
 */
export interface ChangedRange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export function changedRange(before: string, after: string): ChangedRange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
