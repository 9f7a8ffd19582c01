import type { ExplainResult } from '../../explain';
import { forEditor } from './editor-wording';

/**
 * What the plan webview is given: everything it shows, as plain JSON (it runs in a browser frame with
 * no access to the engine). Shared by the extension side, which builds it, and the webview script.
 */
export interface PlanViewData {
  /** "EXPLAIN", "EXPLAIN (generic plan)", "EXPLAIN ANALYZE (rolled back)". */
  heading: string;
  /** Where the plan came from, never with a password: "embedded PostgreSQL 17.5 (PGlite)". */
  database: string;
  /** Where the SQL came from: "orders.ts:12:5". */
  source?: string;
  /** The statement as sent to PostgreSQL; PEV2 shows it in its Query tab. */
  sql: string;
  /** PostgreSQL's JSON plan, as text, unchanged; PEV2 parses it. */
  planJson: string;
  /** Things to know before reading the plan (no data behind it, generic plan, rolled back…). */
  notes: string[];
  /** Whether the first note says the plan has no data behind it (the embedded database). */
  noData: boolean;
  findings: PlanViewFinding[];
}

export interface PlanViewFinding {
  /** PEV2's id of the node: it numbers nodes in pre-order from 1 (our plan model from 0). */
  pevNodeId: number;
  kind: string;
  severity: 'info' | 'warning';
  message: string;
  /** The node as PostgreSQL's text format names it. */
  label: string;
  /** PostgreSQL's `Node Type` (`Seq Scan`). */
  nodeType: string;
}

const HEADINGS: Record<ExplainResult['mode'], string> = {
  explain: 'EXPLAIN',
  generic: 'EXPLAIN (generic plan)',
  analyze: 'EXPLAIN ANALYZE (rolled back)',
};

/** `notes` as the editor words them (default: the engine's, reworded). */
export function planViewData(result: ExplainResult, source?: string, notes = result.notes.map(forEditor)): PlanViewData {
  const db = result.database;
  const version = db.version.split(' ')[0];
  const nodes = new Map(result.model.nodes.map((n) => [n.id, n]));
  return {
    heading: HEADINGS[result.mode],
    database: db.kind === 'embedded' ? `embedded PostgreSQL ${version} (PGlite)` : `PostgreSQL ${version} at ${db.description}`,
    ...(source ? { source } : {}),
    sql: result.sql,
    planJson: JSON.stringify(result.plan, null, 2),
    notes,
    noData: db.kind === 'embedded',
    findings: result.findings.map((f) => ({
      // PEV2 numbers every node of the document in pre-order from 1, CTE subplans included in their
      // place (plan.ts's model numbers the same walk from 0).
      pevNodeId: f.nodeId + 1,
      kind: f.kind,
      severity: f.severity,
      message: f.message,
      label: nodes.get(f.nodeId)?.label ?? '',
      nodeType: nodes.get(f.nodeId)?.nodeType ?? '',
    })),
  };
}
