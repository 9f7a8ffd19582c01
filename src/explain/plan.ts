/**
 * PostgreSQL's JSON plan (`EXPLAIN (FORMAT JSON)`) as a typed tree, with what a person needs from it
 * computed per node: exclusive time and its share (ANALYZE), exclusive cost and its share, the
 * misestimate factor (actual vs estimated rows, either way), buffers; and the findings worth a look:
 * the costliest node, sequential scans of many rows, sorts that spill to disk, nested loops that run
 * their inner side many times, row misestimates where they arise.
 */

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  tempRead: number;
  tempWritten: number;
}

export interface ActualStats {
  /** Per loop, as PostgreSQL reports them. */
  startupMs: number;
  totalMs: number;
  rows: number;
  loops: number;
}

export interface Misestimate {
  /** ≥ 1: how many times more (under) or fewer (over) rows came than were estimated. */
  factor: number;
  direction: 'under' | 'over';
  estimatedRows: number;
  actualRows: number;
}

export interface PlanNode {
  /** Pre-order index, 0 = root. */
  id: number;
  /** JSON Pointer to this node inside the plan document PostgreSQL returned, e.g. `/0/Plan/Plans/1`. */
  pointer: string;
  depth: number;
  nodeType: string;
  /** As PostgreSQL's text format names the node: `Index Scan using orders_pkey on orders o`. */
  label: string;
  parentRelationship?: string;
  subplanName?: string;
  relation?: string;
  alias?: string;
  indexName?: string;
  startupCost: number;
  totalCost: number;
  planRows: number;
  planWidth: number;
  /** Total cost minus the children's total cost, never negative. */
  exclusiveCost: number;
  /** exclusiveCost / the root's total cost. */
  costShare: number;
  actual?: ActualStats;
  /** Wall time spent in this node and below, all loops (ANALYZE). */
  inclusiveMs?: number;
  /** inclusiveMs minus the children's, never negative (ANALYZE). */
  exclusiveMs?: number;
  /** exclusiveMs / the whole execution (ANALYZE). */
  timeShare?: number;
  misestimate?: Misestimate;
  /**
   * Whether a node above may stop reading this one early (a Limit, a semi/anti join, a merge join,
   * an EXISTS subplan), which makes fewer actual rows than estimated no misestimate.
   */
  mayStopEarly: boolean;
  buffers?: Buffers;
  /** The node's JSON without `Plans`. */
  raw: Readonly<Record<string, unknown>>;
  children: PlanNode[];
}

export interface PlanModel {
  root: PlanNode;
  /** All nodes, pre-order. */
  nodes: PlanNode[];
  analyzed: boolean;
  planningMs?: number;
  executionMs?: number;
  /** The document's top-level fields other than `Plan` (Triggers, JIT, Settings…). */
  extra: Readonly<Record<string, unknown>>;
}

export interface PlanThresholds {
  /** A sequential scan is flagged when it reads at least this many rows. */
  seqScanRows: number;
  /** A nested loop is flagged when its inner side runs at least this many times. */
  nestedLoopLoops: number;
  /** Actual/estimated rows (either way) at or above this factor is a misestimate… */
  misestimateFactor: number;
  /** …when the larger of the two row counts, over all loops, is at least this. */
  misestimateMinRows: number;
}

export const DEFAULT_THRESHOLDS: PlanThresholds = {
  seqScanRows: 10_000,
  nestedLoopLoops: 1_000,
  misestimateFactor: 10,
  misestimateMinRows: 100,
};

export type PlanFindingKind = 'costliest-node' | 'seq-scan' | 'sort-on-disk' | 'nested-loop' | 'misestimate';

export interface PlanFinding {
  /** JSON Pointer of the node in PostgreSQL's plan document. */
  node: string;
  nodeId: number;
  kind: PlanFindingKind;
  severity: 'info' | 'warning';
  message: string;
}

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Accepts what EXPLAIN (FORMAT JSON) returns: the array, its first element, or the JSON text of either. */
export function parsePlan(input: unknown): PlanModel {
  let doc: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  let pointerBase = '';
  if (Array.isArray(doc)) {
    doc = doc[0];
    pointerBase = '/0';
  }
  if (!doc || typeof doc !== 'object' || !('Plan' in doc) || typeof (doc as Json).Plan !== 'object') {
    throw new Error('Not a PostgreSQL JSON plan: expected `[{ "Plan": … }]`.');
  }
  const top = doc as Json;
  const nodes: PlanNode[] = [];
  const analyzed = num((top.Plan as Json)['Actual Total Time']) !== undefined || num((top.Plan as Json)['Actual Loops']) !== undefined;

  const build = (json: Json, pointer: string, depth: number, parallelDivisor: number, stopsEarly: boolean): PlanNode => {
    const raw: Json = {};
    for (const [k, v] of Object.entries(json)) if (k !== 'Plans') raw[k] = v;
    const loops = num(json['Actual Loops']);
    const actual: ActualStats | undefined =
      loops === undefined
        ? undefined
        : {
            startupMs: num(json['Actual Startup Time']) ?? 0,
            totalMs: num(json['Actual Total Time']) ?? 0,
            rows: num(json['Actual Rows']) ?? 0,
            loops,
          };
    const node: PlanNode = {
      id: nodes.length,
      pointer,
      depth,
      nodeType: str(json['Node Type']) ?? '?',
      label: nodeLabel(json),
      ...(str(json['Parent Relationship']) ? { parentRelationship: str(json['Parent Relationship']) } : {}),
      ...(str(json['Subplan Name']) ? { subplanName: str(json['Subplan Name']) } : {}),
      ...(str(json['Relation Name']) ? { relation: str(json['Relation Name']) } : {}),
      ...(str(json.Alias) ? { alias: str(json.Alias) } : {}),
      ...(str(json['Index Name']) ? { indexName: str(json['Index Name']) } : {}),
      startupCost: num(json['Startup Cost']) ?? 0,
      totalCost: num(json['Total Cost']) ?? 0,
      planRows: num(json['Plan Rows']) ?? 0,
      planWidth: num(json['Plan Width']) ?? 0,
      exclusiveCost: 0,
      costShare: 0,
      ...(actual ? { actual } : {}),
      mayStopEarly: stopsEarly || json['Parent Relationship'] === 'SubPlan' || json['Parent Relationship'] === 'InitPlan',
      raw,
      children: [],
    };
    const buffers = readBuffers(json);
    if (buffers) node.buffers = buffers;
    nodes.push(node);
    // Below a Gather, each process runs the subtree at the same time: per-loop time × loops counts
    // every worker's time, and wall time is that divided by the number of processes.
    let divisor = parallelDivisor;
    if (node.nodeType === 'Gather' || node.nodeType === 'Gather Merge') {
      divisor = (num(json['Workers Launched']) ?? num(json['Workers Planned']) ?? 0) + 1;
    }
    const plans = Array.isArray(json.Plans) ? (json.Plans as Json[]) : [];
    const joinType = str(json['Join Type']) ?? '';
    const cutsShort = node.nodeType === 'Limit' || node.nodeType === 'Merge Join' || /Semi|Anti/.test(joinType);
    // A node that reads all its input before its first row (Sort, Hash, hashed or plain Aggregate)
    // shields its input from an early stop above it.
    const strategy = str(json.Strategy);
    const readsAll = node.nodeType === 'Sort' || node.nodeType === 'Hash' || (node.nodeType === 'Aggregate' && strategy !== 'Sorted') || (node.nodeType === 'SetOp' && strategy === 'Hashed');
    const childrenStopEarly = cutsShort || (node.mayStopEarly && !readsAll);
    node.children = plans.map((child, i) => build(child, `${pointer}/Plans/${i}`, depth + 1, divisor, childrenStopEarly));
    if (actual) node.inclusiveMs = (actual.totalMs * actual.loops) / Math.max(1, Math.min(parallelDivisor, actual.loops || 1));
    return node;
  };

  const root = build(top.Plan as Json, `${pointerBase}/Plan`, 0, 1, false);
  const rootCost = root.totalCost || 1;
  for (const node of nodes) {
    const childCost = node.children.reduce((s, c) => s + c.totalCost, 0);
    node.exclusiveCost = Math.max(0, node.totalCost - childCost);
    node.costShare = node.exclusiveCost / rootCost;
  }
  const executionMs = num(top['Execution Time']);
  if (analyzed) {
    const total = executionMs ?? root.inclusiveMs ?? 0;
    for (const node of nodes) {
      if (node.inclusiveMs === undefined) continue;
      const childMs = node.children.reduce((s, c) => s + (c.inclusiveMs ?? 0), 0);
      node.exclusiveMs = Math.max(0, node.inclusiveMs - childMs);
      node.timeShare = total > 0 ? Math.min(1, node.exclusiveMs / total) : 0;
      const m = misestimateOf(node);
      if (m) node.misestimate = m;
    }
  }
  const extra: Json = {};
  for (const [k, v] of Object.entries(top)) if (k !== 'Plan') extra[k] = v;
  return {
    root,
    nodes,
    analyzed,
    ...(num(top['Planning Time']) !== undefined ? { planningMs: num(top['Planning Time']) } : {}),
    ...(executionMs !== undefined ? { executionMs } : {}),
    extra,
  };
}

function misestimateOf(node: PlanNode): Misestimate | undefined {
  if (!node.actual || node.actual.loops === 0) return undefined;
  const estimated = node.planRows;
  const actual = node.actual.rows;
  const factor = Math.max(estimated, actual) / Math.max(Math.min(estimated, actual), 1);
  return { factor, direction: actual > estimated ? 'under' : 'over', estimatedRows: estimated, actualRows: actual };
}

function readBuffers(json: Json): Buffers | undefined {
  const keys: Array<[keyof Buffers, string]> = [
    ['sharedHit', 'Shared Hit Blocks'],
    ['sharedRead', 'Shared Read Blocks'],
    ['sharedDirtied', 'Shared Dirtied Blocks'],
    ['sharedWritten', 'Shared Written Blocks'],
    ['localHit', 'Local Hit Blocks'],
    ['localRead', 'Local Read Blocks'],
    ['tempRead', 'Temp Read Blocks'],
    ['tempWritten', 'Temp Written Blocks'],
  ];
  if (!keys.some(([, k]) => num(json[k]) !== undefined)) return undefined;
  const b = {} as Buffers;
  for (const [field, key] of keys) b[field] = num(json[key]) ?? 0;
  return b;
}

/** PostgreSQL's text-format name of a node. */
export function nodeLabel(json: Json): string {
  const type = str(json['Node Type']) ?? '?';
  const parallel = json['Parallel Aware'] === true ? 'Parallel ' : '';
  const relation = str(json['Relation Name']);
  const alias = str(json.Alias);
  const target = relation ? `${relation}${alias && alias !== relation ? ` ${alias}` : ''}` : alias;
  const index = str(json['Index Name']);
  const join = str(json['Join Type']);
  switch (type) {
    case 'ModifyTable': {
      const op = str(json.Operation) ?? 'Modify';
      return target ? `${op} on ${target}` : op;
    }
    case 'Aggregate': {
      const strategy = str(json.Strategy);
      const name = strategy === 'Hashed' ? 'HashAggregate' : strategy === 'Sorted' ? 'GroupAggregate' : strategy === 'Mixed' ? 'MixedAggregate' : 'Aggregate';
      return `${str(json['Partial Mode']) && json['Partial Mode'] !== 'Simple' ? `${json['Partial Mode']} ` : ''}${parallel}${name}`;
    }
    case 'SetOp':
      return `${str(json.Strategy) === 'Hashed' ? 'HashSetOp' : 'SetOp'} ${str(json.Command) ?? ''}`.trim();
    case 'Hash Join':
    case 'Merge Join':
    case 'Nested Loop': {
      const joinType = join && join !== 'Inner' ? ` ${join} Join` : '';
      return type === 'Nested Loop' ? `Nested Loop${joinType}` : `${type.replace(' Join', '')}${joinType || ' Join'}`;
    }
  }
  let label = `${parallel}${type}`;
  if (str(json['Scan Direction']) === 'Backward') label += ' Backward';
  if (index && type !== 'Bitmap Index Scan') label += ` using ${index}`;
  if (type === 'Bitmap Index Scan' && index) label += ` on ${index}`;
  else if (target) label += ` on ${target}`;
  else if (str(json['Function Name'])) label += ` on ${json['Function Name']}${alias ? ` ${alias}` : ''}`;
  else if (str(json['CTE Name'])) label += ` on ${json['CTE Name']}${alias && alias !== json['CTE Name'] ? ` ${alias}` : ''}`;
  return label;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (share: number): string => `${Math.round(share * 100)}%`;

export interface FindingOptions {
  thresholds?: Partial<PlanThresholds>;
  /** Rows in each relation (pg_class.reltuples), so a plain EXPLAIN can tell a large table's scan. */
  relationRows?: ReadonlyMap<string, number>;
}

export function planFindings(model: PlanModel, options: FindingOptions = {}): PlanFinding[] {
  const t = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const findings: PlanFinding[] = [];
  const add = (node: PlanNode, kind: PlanFindingKind, severity: PlanFinding['severity'], message: string): void => {
    findings.push({ node: node.pointer, nodeId: node.id, kind, severity, message });
  };

  if (model.nodes.length > 1) {
    const measure = (n: PlanNode): number => (model.analyzed ? n.exclusiveMs ?? 0 : n.exclusiveCost);
    const costliest = model.nodes.reduce((best, n) => (measure(n) > measure(best) ? n : best), model.root);
    if (measure(costliest) > 0) {
      const what = model.analyzed
        ? `${pct(costliest.timeShare ?? 0)} of the execution time (${costliest.exclusiveMs!.toFixed(1)} ms)`
        : `${pct(costliest.costShare)} of the estimated cost`;
      add(costliest, 'costliest-node', 'info', `\`${costliest.label}\` takes ${what}, more than any other node.`);
    }
  }

  for (const node of model.nodes) {
    if (node.nodeType === 'Seq Scan' && node.relation) {
      const removed = num(node.raw['Rows Removed by Filter']) ?? 0;
      const read = node.actual
        ? (node.actual.rows + removed) * node.actual.loops
        : options.relationRows?.get(node.relation) ?? node.planRows;
      if (read >= t.seqScanRows) {
        const filter = str(node.raw.Filter);
        const kept = node.actual ? node.actual.rows * node.actual.loops : node.planRows;
        // With a filter an index may help; without one the query wants every row, which is only news.
        const why = filter ? ` to keep ${node.actual ? '' : '~'}${fmt(kept)} (filter \`${filter}\`); an index matching the filter would avoid reading them all` : '';
        add(node, 'seq-scan', filter ? 'warning' : 'info', `Sequential scan reads ${node.actual ? '' : '~'}${fmt(read)} rows of \`${node.relation}\`${why}.`);
      }
    }

    if (sortsOnDisk(node)) {
      const space = num(node.raw['Sort Space Used']);
      const method = str(node.raw['Sort Method']);
      add(
        node,
        'sort-on-disk',
        'warning',
        `Sort spills to disk${method ? ` (${method}${space !== undefined ? `, ${fmt(space)} kB` : ''})` : ''}: it needs more than \`work_mem\`; sort fewer or narrower rows, or raise \`work_mem\` for this query.`,
      );
    }

    if (node.nodeType === 'Nested Loop' && node.children.length >= 2) {
      const [outer, inner] = node.children;
      const loops = inner.actual ? inner.actual.loops : outer.planRows;
      if (loops >= t.nestedLoopLoops) {
        add(
          node,
          'nested-loop',
          'warning',
          `Nested loop runs \`${inner.label}\` ${inner.actual ? '' : '~'}${fmt(loops)} times, once per row of \`${outer.label}\`; a hash or merge join, or an index for the inner side, may be cheaper.`,
        );
      }
    }

    const m = node.misestimate;
    if (m && node.actual && !(m.direction === 'over' && node.mayStopEarly) && m.factor >= t.misestimateFactor && Math.max(m.estimatedRows, m.actualRows) * node.actual.loops >= t.misestimateMinRows) {
      // Report where a misestimate arises, not every node above it that inherits it.
      const worstChild = Math.max(0, ...node.children.map((c) => (c.misestimate && c.misestimate.direction === m.direction ? c.misestimate.factor : 0)));
      if (m.factor >= 2 * worstChild) {
        add(
          node,
          'misestimate',
          'warning',
          `Row estimate off by ${m.factor >= 100 ? fmt(m.factor) : m.factor.toFixed(1)}×: \`${node.label}\` expected ${fmt(m.estimatedRows)} rows, got ${fmt(m.actualRows)}${node.actual.loops > 1 ? ' per loop' : ''} (${m.direction === 'under' ? 'underestimated' : 'overestimated'}); run ANALYZE on the table or add extended statistics.`,
        );
      }
    }
  }
  const order: PlanFindingKind[] = ['costliest-node', 'seq-scan', 'sort-on-disk', 'nested-loop', 'misestimate'];
  return findings.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.nodeId - b.nodeId);
}

function sortsOnDisk(node: PlanNode): boolean {
  const disk = (j: Json | undefined): boolean => !!j && (j['Sort Space Type'] === 'Disk' || /external/i.test(str(j['Sort Method']) ?? ''));
  if (disk(node.raw as Json)) return true;
  const groups = ['Full-sort Groups', 'Pre-sorted Groups'].map((k) => node.raw[k] as Json | undefined);
  if (groups.some((g) => g && (g['Sort Space Type'] === 'Disk' || (Array.isArray(g['Sort Methods Used']) && (g['Sort Methods Used'] as unknown[]).some((m) => /external/i.test(String(m))))))) return true;
  const workers = Array.isArray(node.raw.Workers) ? (node.raw.Workers as Json[]) : [];
  return workers.some((w) => disk(w));
}
