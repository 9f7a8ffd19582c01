import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan, planFindings, type PlanModel } from '../src/explain/plan';
import { renderPlanText } from '../src/explain/render-text';

/**
 * The plan model on JSON plans that PostgreSQL 15 produced (captured from the test server, see
 * test/fixtures-explain/plans): arithmetic and flags. Live plans are checked in explain-runners.
 */

const PLANS = join(__dirname, '..', '..', 'test', 'fixtures-explain', 'plans');
const load = (name: string): unknown => JSON.parse(readFileSync(join(PLANS, name), 'utf8'));

describe('explain: plan model', () => {
  it('computes exclusive times that add up to the execution and shares within 0..1', () => {
    for (const name of ['analyze-sort-disk.json', 'analyze-nested-loop.json', 'analyze-misestimate.json']) {
      const model = parsePlan(load(name));
      assert.equal(model.analyzed, true);
      const sum = model.nodes.reduce((s, n) => s + (n.exclusiveMs ?? 0), 0);
      // Exclusive times partition the root's inclusive time, up to PostgreSQL's per-loop rounding
      // (3 decimals, multiplied by thousands of loops) which the never-negative clamp can only add to.
      const root = model.root.inclusiveMs!;
      assert.ok(sum >= root - 0.01 && sum <= root * 1.05 + 0.01, `${name}: ${sum} vs ${root}`);
      for (const n of model.nodes) {
        assert.ok(n.timeShare! >= 0 && n.timeShare! <= 1, `${name} ${n.label} share ${n.timeShare}`);
        assert.ok(n.exclusiveCost >= 0);
      }
    }
  });

  it('counts a node run in many loops by all its loops', () => {
    const model = parsePlan(load('analyze-nested-loop.json'));
    const loop = model.nodes.find((n) => n.nodeType === 'Nested Loop')!;
    const inner = loop.children[1];
    assert.equal(inner.actual!.loops, 5000);
    assert.equal(inner.inclusiveMs, inner.actual!.totalMs * 5000);
  });

  it('gives JSON pointers that lead back to the node in PostgreSQL\'s document', () => {
    const doc = load('analyze-nested-loop.json');
    const model = parsePlan(doc);
    for (const n of model.nodes) {
      const target = n.pointer
        .split('/')
        .slice(1)
        .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], doc) as Record<string, unknown>;
      assert.equal(target['Node Type'], n.nodeType);
      assert.equal(target['Total Cost'], n.totalCost);
    }
  });

  it('flags a sort that spills to disk, and the costliest node', () => {
    const model = parsePlan(load('analyze-sort-disk.json'));
    const findings = planFindings(model);
    const disk = findings.find((f) => f.kind === 'sort-on-disk');
    assert.ok(disk, JSON.stringify(findings));
    assert.match(disk.message, /external merge/);
    assert.equal(model.nodes[disk.nodeId].nodeType, 'Sort');
    const costliest = findings.filter((f) => f.kind === 'costliest-node');
    assert.equal(costliest.length, 1);
    const top = Math.max(...model.nodes.map((n) => n.exclusiveMs ?? 0));
    assert.equal(model.nodes[costliest[0].nodeId].exclusiveMs, top);
  });

  it('flags a nested loop whose inner side runs many times, by the threshold', () => {
    const model = parsePlan(load('analyze-nested-loop.json'));
    assert.ok(planFindings(model).some((f) => f.kind === 'nested-loop' && /5,000 times/.test(f.message)));
    assert.ok(!planFindings(model, { thresholds: { nestedLoopLoops: 10_000 } }).some((f) => f.kind === 'nested-loop'));
  });

  it('measures misestimates both ways and reports where they arise', () => {
    const model = parsePlan(load('analyze-misestimate.json'));
    const scan = model.nodes.find((n) => n.nodeType === 'Seq Scan')!;
    assert.equal(scan.misestimate!.direction, 'under');
    assert.equal(scan.misestimate!.factor, 50000 / 2);
    const findings = planFindings(model).filter((f) => f.kind === 'misestimate');
    assert.deepEqual(findings.map((f) => f.nodeId), [scan.id]);
    // Over-estimates too: swap the numbers.
    const over = parsePlan({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Plan Rows': 5000, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 1, 'Total Cost': 10 } });
    assert.equal(over.root.misestimate!.direction, 'over');
    assert.equal(over.root.misestimate!.factor, 500);
  });

  it('does not call rows a node was not asked for a misestimate (below a Limit), but does below a Sort that reads all', () => {
    const model = parsePlan(load('analyze-limit.json'));
    const sort = model.nodes.find((n) => n.nodeType === 'Sort')!;
    assert.equal(sort.misestimate!.direction, 'over');
    assert.equal(sort.mayStopEarly, true);
    const agg = model.nodes.find((n) => n.nodeType === 'Aggregate')!;
    assert.equal(agg.mayStopEarly, false);
    const flagged = planFindings(model).filter((f) => f.kind === 'misestimate').map((f) => model.nodes[f.nodeId].nodeType);
    assert.ok(!flagged.includes('Sort') && !flagged.includes('Limit'), flagged.join());
    assert.equal(agg.misestimate!.factor >= 10, flagged.includes('Aggregate'));
  });

  it('flags seq scans by rows read: actual rows plus filtered ones with ANALYZE, table size without', () => {
    const analyzed = parsePlan(load('analyze-misestimate.json'));
    const seq = planFindings(analyzed).find((f) => f.kind === 'seq-scan');
    assert.ok(seq && /reads 100,000 rows of `t`/.test(seq.message), seq?.message);
    const plain: PlanModel = parsePlan(load('plain-join.json'));
    const small = new Map([['t', 500]]);
    assert.ok(!planFindings(plain, { relationRows: small }).some((f) => f.kind === 'seq-scan'));
    const large = new Map([['t', 100_000]]);
    const flagged = planFindings(plain, { relationRows: large }).filter((f) => f.kind === 'seq-scan');
    assert.ok(flagged.length >= 1 && flagged.every((f) => /~100,000 rows/.test(f.message)));
  });

  it('renders the tree in PostgreSQL\'s text layout with the flags under their nodes', () => {
    const model = parsePlan(load('analyze-sort-disk.json'));
    const text = renderPlanText(model, planFindings(model));
    const lines = text.split('\n');
    assert.match(lines[0], /^Sort {2}\(cost=\d+\.\d{2}\.\.\d+\.\d{2} rows=100000 width=13\) \(actual time=[\d.]+\.\.[\d.]+ rows=100000 loops=1\)$/);
    assert.ok(lines.includes('  ! sort-on-disk'), text);
    assert.ok(lines.some((l) => /^ {2}Sort Method: external merge {2}Disk: \d+kB$/.test(l)), text);
    assert.ok(lines.some((l) => /^ {2}->  Seq Scan on t {2}\(cost=/.test(l)), text);
    assert.ok(lines.some((l) => /^Execution Time: [\d.]+ ms$/.test(l)), text);
  });

  it('rejects what is not a JSON plan', () => {
    assert.throws(() => parsePlan({ nope: 1 }), /Not a PostgreSQL JSON plan/);
  });
});
