import * as fs from 'fs';
import * as path from 'path';

/**
 * Inline expectations in fixture files, as in Ruff's and ty's fixtures:
 *   `code();  // expect: rule-id`          — a finding of rule-id starts on this line
 *   `// expect: rule-id` alone on a line    — … on the next line that is not an expect comment
 *   `# expect: rule-id` in Python; several ids separated by commas; `rule-id x2` for two findings.
 * Matching is exact both ways: each expectation must be met, each finding must be expected.
 */
export interface Expectation {
  line: number;
  rule: string;
}

const EXPECT = /(?:\/\/|#|\/\*)\s*expect:\s*([a-z0-9, -]+?(?:\s*x\d+)?(?:\s*,\s*[a-z0-9-]+(?:\s*x\d+)?)*)\s*(?:\*\/)?\s*$/;

export function parseExpectations(text: string): Expectation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Expectation[] = [];
  let pending: string[] = [];
  lines.forEach((raw, i) => {
    const m = EXPECT.exec(raw);
    const standalone = m !== null && /^\s*(\/\/|#|\/\*)/.test(raw);
    const ids = m ? expand(m[1]) : [];
    if (standalone) {
      pending.push(...ids);
      return;
    }
    for (const rule of pending) out.push({ line: i + 1, rule });
    pending = [];
    for (const rule of ids) out.push({ line: i + 1, rule });
  });
  return out;
}

function expand(list: string): string[] {
  const ids: string[] = [];
  for (const part of list.split(',')) {
    const m = /^\s*([a-z0-9-]+)(?:\s*x(\d+))?\s*$/.exec(part);
    if (!m) continue;
    for (let n = Number(m[2] ?? 1); n > 0; n--) ids.push(m[1]);
  }
  return ids;
}

/** Multiset difference, reported as readable lines for assertion messages. */
export function compare(file: string, expected: Expectation[], actual: Expectation[]): string[] {
  const key = (e: Expectation) => `${e.line}:${e.rule}`;
  const count = new Map<string, number>();
  for (const e of expected) count.set(key(e), (count.get(key(e)) ?? 0) + 1);
  const problems: string[] = [];
  for (const a of actual) {
    const k = key(a);
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else problems.push(`${file}:${a.line}: unexpected ${a.rule}`);
  }
  for (const [k, n] of count) {
    if (n <= 0) continue;
    const [line, rule] = k.split(':');
    problems.push(`${file}:${line}: missing ${rule}${n > 1 ? ` (x${n})` : ''}`);
  }
  return problems;
}

/** Fixture files under `dir` whose names match `exts`; the expected `.fixed` files too if asked. */
export function listFiles(dir: string, exts: RegExp, withFixed = false): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, exts, withFixed));
    else if (exts.test(entry.name) && (withFixed || !/\.fixed\./.test(entry.name))) out.push(full);
  }
  return out.sort();
}

/** A small deterministic generator, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
