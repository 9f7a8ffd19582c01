import ts from 'typescript';
import { INTERPOLATION } from '../../core/sql-scan';

/**
 * The SQL text of a string or template literal, with a map back to file offsets so an `OFFSET`
 * found in the SQL can be reported where it is written. `${…}` becomes one placeholder character.
 */
export interface SqlLiteral {
  sql: string;
  /** File offset of each SQL character (same length as `sql`). */
  toFile: (sqlOffset: number) => number;
  node: ts.Node;
}

export function sqlFromLiteral(node: ts.Node): SqlLiteral | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    // +1 skips the opening quote; escapes make this approximate but stay inside the literal.
    const start = node.getStart() + 1;
    const end = node.getEnd() - 1;
    const raw = node.getSourceFile().text.slice(start, end);
    return { sql: raw, toFile: (o) => Math.min(start + o, end), node };
  }
  if (ts.isTemplateExpression(node)) {
    const text = node.getSourceFile().text;
    let sql = '';
    const starts: Array<[number, number]> = [];
    const headStart = node.head.getStart() + 1;
    const headEnd = node.head.getEnd() - 2;
    starts.push([0, headStart]);
    sql += text.slice(headStart, headEnd);
    for (const span of node.templateSpans) {
      starts.push([sql.length, span.expression.getStart()]);
      sql += INTERPOLATION;
      const litStart = span.literal.getStart() + 1;
      const litEnd = span.literal.getEnd() - (ts.isTemplateTail(span.literal) ? 1 : 2);
      starts.push([sql.length, litStart]);
      sql += text.slice(litStart, Math.max(litStart, litEnd));
    }
    return {
      sql,
      toFile: (o) => {
        let best = starts[0];
        for (const s of starts) if (s[0] <= o) best = s;
        return best[1] + (o - best[0]);
      },
      node,
    };
  }
  return undefined;
}
