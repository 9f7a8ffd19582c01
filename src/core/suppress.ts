import type { Finding } from './finding';
import { LineIndex } from './finding';

/**
 * `perflens-ignore-next-line <rule>[, <rule>…] [-- reason]` silences those rules (all rules when
 * none is named) on the line after the comment; `perflens-ignore-file [<rule>…]` in a comment
 * silences them in the whole file. Works with `//`, `/* *\/` and `#` comments.
 */
export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  lines: Map<number, Set<string> | 'all'>;
}

const DIRECTIVE = /(?:\/\/|\/\*|#)\s*perflens-ignore-(next-line|file)\b([^\n]*)/g;

export function parseSuppressions(text: string, lines: LineIndex): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map() };
  if (!text.includes('perflens-ignore-')) return result;
  for (const m of text.matchAll(DIRECTIVE)) {
    const rules = parseRuleList(m[2]);
    if (m[1] === 'file') {
      result.file = mergeSets(result.file, rules);
    } else {
      const line = lines.position(m.index ?? 0).line + 1;
      result.lines.set(line, mergeSets(result.lines.get(line), rules));
    }
  }
  return result;
}

function parseRuleList(rest: string): Set<string> | 'all' {
  const beforeReason = rest.split('--')[0].replace(/\*\/.*$/, '');
  const ids = beforeReason.split(/[\s,]+/).filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
  return ids.length ? new Set(ids) : 'all';
}

function mergeSets(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

export function isSuppressed(finding: Finding, sup: Suppressions, lines: LineIndex): boolean {
  const hit = (s: Set<string> | 'all' | undefined) => s === 'all' || (s !== undefined && s.has(finding.rule));
  if (hit(sup.file)) return true;
  return hit(sup.lines.get(lines.position(finding.span.start).line));
}
