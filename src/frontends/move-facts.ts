/**
 * Facts of one part of a file, moved to other positions and ids: the editor takes the facts of
 * statements an edit did not change over from the file's previous analysis (Python's and
 * TypeScript's statement-reuse.ts), and their positions and numbering differ from that run's.
 */
export interface FactNumbering {
  /** The file of the facts: spans of other files (a helper's `via`) stay as they are. */
  file: string;
  pos(p: number): number;
  fn(id: number): number;
  call(id: number): number;
  loop(id: number): number;
}

/**
 * A copy of `v` (a fact, or anything inside one) with its spans moved and its function, call and
 * loop references renumbered. The fact's own `id` is the caller's to set: the key alone does not
 * say whether it is a call's or a loop's. Lists of names are shared, not copied: facts are not
 * changed after they are made.
 */
export function moveFact<T>(v: T, n: FactNumbering): T {
  return move(v, undefined, n) as T;
}

function move(v: unknown, key: string | undefined, n: FactNumbering): unknown {
  if (Array.isArray(v)) {
    if (key === 'loopIds') return v.map((x: number) => n.loop(x));
    return v.length === 0 || typeof v[0] !== 'object' ? v : v.map((x) => move(x, undefined, n));
  }
  if (v === null || typeof v !== 'object') {
    if (typeof v !== 'number') return v;
    if (key === 'functionId' || key === 'parent') return n.fn(v);
    if (key === 'callId') return n.call(v);
    return v;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.file === 'string' && o.file !== n.file) return o;
  const out: Record<string, unknown> = {};
  const span = typeof o.start === 'number' && typeof o.end === 'number';
  for (const k in o) {
    if (span && (k === 'start' || k === 'end')) out[k] = n.pos(o[k] as number);
    else out[k] = move(o[k], k, n);
  }
  return out;
}

/** Whether every span of this file in `v` (a fact, or a list of them) lies within `start`–`end`. */
export function spansWithin(v: unknown, file: string, start: number, end: number): boolean {
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object' || spansWithin(x, file, start, end));
  if (v === null || typeof v !== 'object') return true;
  const o = v as Record<string, unknown>;
  if (typeof o.file === 'string' && o.file !== file) return true;
  if (typeof o.start === 'number' && typeof o.end === 'number' && (o.start < start || o.end > end)) return false;
  for (const k in o) if (typeof o[k] === 'object' && !spansWithin(o[k], file, start, end)) return false;
  return true;
}
