import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan, planFindings } from '../src/explain/plan';
import { renderPlanText } from '../src/explain/render-text';

/**
 * The TextMate grammar for EXPLAIN text: valid JSON, every regex compiles, and — through a small
 * tokenizer that follows TextMate's rules for match/begin/end/captures/include on single lines —
 * PostgreSQL's own psql output and Perflens's rendering get the scopes a theme colours.
 */

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  include?: string;
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
  endCaptures?: Record<string, { name?: string }>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const ROOT = join(__dirname, '..', '..');
const grammarPath = join(ROOT, 'syntaxes', 'perflens-plan.tmLanguage.json');

function loadGrammar(): Grammar {
  return JSON.parse(readFileSync(grammarPath, 'utf8')) as Grammar;
}

function resolve(grammar: Grammar, rules: Rule[]): Rule[] {
  return rules.flatMap((r) => (r.include ? resolve(grammar, r.include.startsWith('#') ? [grammar.repository[r.include.slice(1)]] : []) : r.patterns && !r.match && !r.begin ? resolve(grammar, r.patterns) : [r]));
}

/** Scopes of every character of one line. */
function tokenizeLine(grammar: Grammar, line: string): string[][] {
  const scopes: string[][] = [...line].map(() => []);
  const mark = (start: number, end: number, name?: string): void => {
    if (!name) return;
    for (let i = start; i < end; i++) scopes[i].push(name);
  };
  const applyCaptures = (m: RegExpExecArray, captures?: Rule['captures']): void => {
    for (const [k, c] of Object.entries(captures ?? {})) {
      const span = m.indices?.[Number(k)];
      if (span) mark(span[0], span[1], c.name);
    }
  };
  const scan = (pos: number, rules: Rule[], end?: RegExp): number => {
    while (pos <= line.length) {
      let best: { m: RegExpExecArray; rule?: Rule } | undefined;
      if (end) {
        end.lastIndex = pos;
        const m = end.exec(line);
        if (m) best = { m };
      }
      for (const rule of rules) {
        const re = new RegExp((rule.match ?? rule.begin)!, 'dg');
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) return line.length;
      const { m, rule } = best;
      const after = m.index + m[0].length;
      if (!rule) return after;
      if (rule.match !== undefined) {
        mark(m.index, after, rule.name);
        applyCaptures(m, rule.captures);
        pos = after > pos ? after : pos + 1;
      } else {
        applyCaptures(m, rule.beginCaptures);
        const endRe = new RegExp(rule.end!, 'dg');
        const stop = scan(after, resolve(grammar, rule.patterns ?? []), endRe);
        mark(m.index, stop, rule.name);
        if (stop === pos) return line.length;
        pos = stop;
        if (stop >= line.length) return line.length;
      }
    }
    return pos;
  };
  scan(0, resolve(grammar, grammar.patterns));
  return scopes;
}

function scopesOf(grammar: Grammar, line: string, needle: string, occurrence = 0): string[] {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = line.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in ${line}`);
  return tokenizeLine(grammar, line)[at];
}

const has = (scopes: string[], prefix: string): boolean => scopes.some((s) => s.startsWith(prefix));

describe('explain: TextMate grammar for text plans', () => {
  it('is valid JSON with the scope name, and every regex compiles', () => {
    const grammar = loadGrammar();
    assert.equal(grammar.scopeName, 'source.perflens-plan');
    const regexes: string[] = [];
    const collect = (r: Rule): void => {
      for (const key of ['match', 'begin', 'end'] as const) if (r[key] !== undefined) regexes.push(r[key]!);
      r.patterns?.forEach(collect);
      if (r.include?.startsWith('#')) assert.ok(grammar.repository[r.include.slice(1)], `include ${r.include} has no repository entry`);
    };
    grammar.patterns.forEach(collect);
    Object.values(grammar.repository).forEach(collect);
    assert.ok(regexes.length > 10);
    for (const re of regexes) assert.doesNotThrow(() => new RegExp(re), `regex does not compile: ${re}`);
  });

  it("colours psql's own EXPLAIN output", () => {
    const g = loadGrammar();
    const lines = readFileSync(join(ROOT, 'test', 'fixtures-explain', 'plans', 'psql-text.txt'), 'utf8').split('\n');
    const find = (needle: string): string => lines.find((l) => l.includes(needle))!;
    assert.ok(has(scopesOf(g, find('QUERY PLAN'), 'QUERY'), 'comment.'));
    assert.ok(has(scopesOf(g, find('(14 rows)'), '14'), 'comment.'));
    const scan = find('Seq Scan on t t2');
    assert.ok(has(scopesOf(g, scan, '->'), 'keyword.operator.arrow'));
    assert.ok(has(scopesOf(g, scan, 'Seq Scan'), 'entity.name.function.node-type'));
    assert.ok(has(scopesOf(g, scan, 't2'), 'variable.other.alias'));
    assert.ok(has(scopesOf(g, scan, 'cost'), 'variable.parameter'));
    assert.ok(has(scopesOf(g, scan, '1541.00'), 'constant.numeric'));
    assert.ok(has(scopesOf(g, scan, 'loops'), 'variable.parameter'));
    const index = find('Index Scan using t_pkey');
    assert.ok(has(scopesOf(g, index, 't_pkey'), 'entity.name.type.index'));
    assert.ok(has(scopesOf(g, index, 'on t'), 'keyword.other.on'));
    const filter = find("Filter: (a ~~ '1%'::text)");
    assert.ok(has(scopesOf(g, filter, 'Filter'), 'support.type.property-name'));
    assert.ok(has(scopesOf(g, filter, "'1%'"), 'string.quoted.single'));
    assert.ok(has(scopesOf(g, filter, 'text'), 'storage.type'));
    const buckets = find('Buckets:');
    assert.ok(has(scopesOf(g, buckets, 'Memory Usage'), 'support.type.property-name'));
    assert.ok(has(scopesOf(g, buckets, 'kB'), 'keyword.other.unit'));
    // Costs off: a bare node name is still a node, and a property is not a node.
    assert.ok(has(scopesOf(g, find('HashAggregate'), 'HashAggregate'), 'entity.name.function.node-type'));
    assert.ok(!has(scopesOf(g, find('Group Key'), 'Group'), 'entity.name.function'));
  });

  it("colours Perflens's rendering, findings included", () => {
    const g = loadGrammar();
    const doc = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures-explain', 'plans', 'analyze-sort-disk.json'), 'utf8')) as unknown;
    const model = parsePlan(doc);
    const text = renderPlanText(model, planFindings(model));
    const lines = text.split('\n');
    const flag = lines.find((l) => l.trim().startsWith('! sort-on-disk'));
    assert.ok(flag, text);
    assert.ok(has(scopesOf(g, flag, 'sort-on-disk'), 'keyword.control.flag'));
    assert.ok(has(scopesOf(g, '-- EXPLAIN in a read-only transaction', 'EXPLAIN'), 'comment.line.double-dash'));
    const sortLine = lines.find((l) => /^\s*(->\s+)?Sort\b/.test(l))!;
    assert.ok(has(scopesOf(g, sortLine, 'Sort'), 'entity.name.function.node-type'));
  });
});
