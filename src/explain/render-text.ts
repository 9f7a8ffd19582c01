import type { ExplainResult } from './explain';
import type { PlanFinding, PlanModel, PlanNode } from './plan';

/**
 * The plan as text, in PostgreSQL's own text layout (`->` arrows, six-space levels, `(cost=…)`,
 * `(actual time=…)`, `Key: value` detail lines) so that people read it as they read psql's, and the
 * TextMate grammar in syntaxes/ colours ours and PostgreSQL's alike. Findings add `! kind` lines.
 */

type Json = Record<string, unknown>;

const DETAIL_KEYS = [
  'Hash Cond',
  'Merge Cond',
  'Index Cond',
  'Recheck Cond',
  'Join Filter',
  'Rows Removed by Join Filter',
  'Filter',
  'Rows Removed by Filter',
  'Rows Removed by Index Recheck',
  'One-Time Filter',
  'Sort Key',
  'Presorted Key',
  'Group Key',
  'Cache Key',
  'Heap Fetches',
  'Workers Planned',
  'Workers Launched',
  'Output',
];

const two = (n: number): string => n.toFixed(2);
const three = (n: number): string => n.toFixed(3);
const rows = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export function renderPlanText(model: PlanModel, findings: readonly PlanFinding[] = []): string {
  const lines: string[] = [];
  const byNode = new Map<number, PlanFinding[]>();
  for (const f of findings) byNode.set(f.nodeId, [...(byNode.get(f.nodeId) ?? []), f]);

  const visit = (node: PlanNode): void => {
    const d = node.depth;
    const nodeIndent = d === 0 ? '' : ' '.repeat(6 * (d - 1) + 2);
    const detailIndent = ' '.repeat(6 * d + 2);
    if (node.subplanName) lines.push(`${nodeIndent}${node.subplanName}`);
    lines.push(`${nodeIndent}${d === 0 ? '' : '->  '}${node.label}  ${costs(node)}`);
    for (const f of byNode.get(node.id) ?? []) lines.push(`${detailIndent}! ${f.kind}`);
    for (const detail of details(node)) lines.push(`${detailIndent}${detail}`);
    for (const child of node.children) visit(child);
  };
  visit(model.root);
  if (model.planningMs !== undefined) lines.push(`Planning Time: ${three(model.planningMs)} ms`);
  const triggers = Array.isArray(model.extra.Triggers) ? (model.extra.Triggers as Json[]) : [];
  for (const t of triggers) {
    lines.push(`Trigger ${String(t['Trigger Name'] ?? '?')}${t.Relation ? ` on ${String(t.Relation)}` : ''}: time=${three(Number(t.Time ?? 0))} calls=${String(t.Calls ?? '?')}`);
  }
  if (model.executionMs !== undefined) lines.push(`Execution Time: ${three(model.executionMs)} ms`);
  return lines.join('\n') + '\n';
}

function costs(node: PlanNode): string {
  let s = `(cost=${two(node.startupCost)}..${two(node.totalCost)} rows=${rows(node.planRows)} width=${node.planWidth})`;
  if (node.actual) {
    s += node.actual.loops === 0
      ? ' (never executed)'
      : ` (actual time=${three(node.actual.startupMs)}..${three(node.actual.totalMs)} rows=${rows(node.actual.rows)} loops=${node.actual.loops})`;
  }
  return s;
}

function details(node: PlanNode): string[] {
  const raw = node.raw as Json;
  const out: string[] = [];
  for (const key of DETAIL_KEYS) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (key.startsWith('Rows Removed') && v === 0) continue;
    out.push(`${key}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  if (typeof raw['Sort Method'] === 'string') {
    const space = raw['Sort Space Used'] !== undefined ? `  ${String(raw['Sort Space Type'] ?? 'Memory')}: ${String(raw['Sort Space Used'])}kB` : '';
    out.push(`Sort Method: ${raw['Sort Method'] as string}${space}`);
  }
  if (raw['Hash Buckets'] !== undefined) {
    out.push(`Buckets: ${String(raw['Hash Buckets'])}  Batches: ${String(raw['Hash Batches'] ?? 1)}  Memory Usage: ${String(raw['Peak Memory Usage'] ?? '?')}kB`);
  }
  const b = node.buffers;
  if (b) {
    const part = (label: string, pairs: Array<[string, number]>): string | undefined => {
      const shown = pairs.filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`);
      return shown.length ? `${label} ${shown.join(' ')}` : undefined;
    };
    const parts = [
      part('shared', [['hit', b.sharedHit], ['read', b.sharedRead], ['dirtied', b.sharedDirtied], ['written', b.sharedWritten]]),
      part('local', [['hit', b.localHit], ['read', b.localRead]]),
      part('temp', [['read', b.tempRead], ['written', b.tempWritten]]),
    ].filter(Boolean);
    if (parts.length) out.push(`Buffers: ${parts.join(', ')}`);
  }
  return out;
}

const MODE_TEXT: Record<ExplainResult['mode'], string> = {
  explain: 'EXPLAIN in a read-only transaction, rolled back',
  generic: 'EXPLAIN (GENERIC_PLAN) in a read-only transaction, rolled back',
  analyze: 'EXPLAIN (ANALYZE, BUFFERS): the statement ran in a transaction that was rolled back',
};

/** What the CLI prints: where the plan came from, notes, the findings, then the tree. */
export function renderExplainText(result: ExplainResult, source?: string): string {
  const lines: string[] = [];
  const db = result.database;
  const where = db.kind === 'embedded' ? `embedded PostgreSQL ${db.version.split(' ')[0]} (PGlite)` : `PostgreSQL ${db.version.split(' ')[0]} at ${db.description}`;
  lines.push(`-- ${MODE_TEXT[result.mode]} · ${where}${source ? ` · ${source}` : ''}`);
  for (const note of result.notes) lines.push(`-- ${note}`);
  const label = new Map(result.model.nodes.map((n) => [n.id, n.label]));
  if (result.findings.length) {
    lines.push('');
    for (const f of result.findings) lines.push(`! ${f.kind}: ${f.message}${f.kind === 'costliest-node' ? '' : ` [${label.get(f.nodeId)}]`}`);
  }
  lines.push('');
  return lines.join('\n') + '\n' + renderPlanText(result.model, result.findings);
}
