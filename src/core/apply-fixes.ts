import type { Applicability, Finding, Fix, TextEdit } from './finding';

/** `--fix` re-analyses after applying fixes (one fix can enable another) at most this often. */
export const MAX_FIX_PASSES = 10;

export interface FixPlan {
  /** The new text, or undefined when nothing applied. */
  text?: string;
  applied: number;
}

/**
 * Picks at most one fix per finding (the first whose applicability is allowed) such that no two
 * chosen fixes touch overlapping text, and applies them. A fix that conflicts with one already
 * chosen is left for the next pass, after re-analysis. Identical edits from two fixes (the same
 * import added twice) are applied once. Fixes that only insert a suppression comment are never
 * applied: `--fix` repairs code, it does not silence findings.
 */
export function applyFixes(text: string, findings: readonly Finding[], allowed: readonly Applicability[]): FixPlan {
  const chosen: TextEdit[] = [];
  let applied = 0;
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => allowed.includes(f.applicability) && !isSuppression(f) && f.edits.length > 0);
    if (!fix || !editsValid(fix.edits, text.length)) continue;
    const fresh = fix.edits.filter((e) => !chosen.some((c) => sameEdit(c, e)));
    if (fresh.some((e) => chosen.some((c) => overlaps(c, e))) || selfOverlapping(fresh)) continue;
    chosen.push(...fresh);
    applied++;
  }
  if (applied === 0) return { applied: 0 };
  const out = applyEdits(text, chosen);
  return out === text ? { applied: 0 } : { text: out, applied };
}

/**
 * Applies non-overlapping edits: from the end backwards so that earlier offsets stay valid;
 * insertions at one point keep their order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.span.start - a.e.span.start || b.i - a.i);
  let out = text;
  for (const { e } of ordered) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Counts the findings that have a fix of the given applicability (for the `--fix` message). */
export function countFixable(findings: readonly Finding[], applicability: Applicability): number {
  return findings.filter((f) => f.fixes.some((x) => x.applicability === applicability && !isSuppression(x) && x.edits.length > 0)).length;
}

function isSuppression(fix: Fix): boolean {
  return fix.edits.every((e) => e.newText.includes('perflens-ignore'));
}

function editsValid(edits: readonly TextEdit[], length: number): boolean {
  return edits.every((e) => e.span.start >= 0 && e.span.end >= e.span.start && e.span.end <= length);
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
}

/** Touching ranges do not overlap, except two insertions at one point (their order is unknown). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.span.start === b.span.start && (a.span.start === a.span.end || b.span.start === b.span.end)) return true;
  return a.span.start < b.span.end && b.span.start < a.span.end;
}

function selfOverlapping(edits: readonly TextEdit[]): boolean {
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (overlaps(edits[i], edits[j])) return true;
  return false;
}
