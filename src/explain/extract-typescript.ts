import * as ts from 'typescript';
import { MappedTextBuilder } from './offset-map';
import { decodeJsBody } from './literal-decode';
import { MARKER, type Interpolation } from './placeholders';
import { looksLikeSql, type DecodedLiteral } from './extract-common';

/**
 * The SQL string or template literal under the cursor in TypeScript/JavaScript, read with the
 * TypeScript compiler's parser: string literals, templates (`${expr}` → a parameter), tagged
 * templates such as Prisma's `$queryRaw` and `Prisma.sql` (nested `Prisma.sql`/`Prisma.raw` inlined),
 * and `+` concatenations (non-literal operands → parameters). With the cursor on a call instead of a
 * literal, its first string argument.
 */
export function typescriptLiteralAt(text: string, fileName: string, cursor: number): DecodedLiteral | undefined {
  const kind = /\.(tsx|jsx)$/i.test(fileName) ? ts.ScriptKind.TSX : /\.(js|mjs|cjs)$/i.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const path = nodePathAt(sf, cursor);

  const candidates: ts.Expression[] = [];
  for (const node of path) {
    const lit = stringish(node);
    if (lit && candidates[candidates.length - 1] !== lit) candidates.push(lit);
  }
  let chosen: ts.Expression | undefined;
  for (let i = candidates.length - 1; i >= 0 && !chosen; i--) {
    if (looksLikeSql(decode(sf, [candidates[i]]).text)) chosen = candidates[i];
  }
  chosen ??= candidates[candidates.length - 1];
  if (!chosen) {
    // Not on a literal: on a call (`pool.query(...)`, `text(...)`)? Its first string argument.
    // Or on a non-literal operand of a concatenation: the concatenation.
    const concatenation = [...path].reverse().find((n): n is ts.BinaryExpression => isConcatenation(n) && flattenConcatenation(n).some((p) => stringish(p)));
    if (concatenation) {
      let top: ts.Expression = concatenation;
      while (top.parent && (ts.isParenthesizedExpression(top.parent) || isConcatenation(top.parent))) top = top.parent as ts.Expression;
      return decode(sf, flattenConcatenation(top), top);
    }
    const call = [...path].reverse().find(ts.isCallExpression);
    chosen = call?.arguments.find((a) => stringish(a) !== undefined || isConcatenation(a));
    if (chosen && isConcatenation(chosen)) return decode(sf, flattenConcatenation(chosen), chosen);
    if (chosen) chosen = stringish(chosen);
  }
  if (!chosen) return undefined;

  let top: ts.Expression = chosen;
  while (top.parent && (ts.isParenthesizedExpression(top.parent) || isConcatenation(top.parent))) {
    top = top.parent as ts.Expression;
  }
  const parts = isConcatenation(skipParens(top)) ? flattenConcatenation(skipParens(top)) : [chosen];
  return decode(sf, parts, parts.length > 1 ? top : chosen);
}

/** Nodes from the source file down to the innermost one that contains `offset`. */
function nodePathAt(sf: ts.SourceFile, offset: number): ts.Node[] {
  const path: ts.Node[] = [];
  let node: ts.Node | undefined = sf;
  while (node) {
    path.push(node);
    let next: ts.Node | undefined;
    ts.forEachChild(node, (child) => {
      if (!next && child.getStart(sf) <= offset && offset <= child.end) next = child;
    });
    node = next;
  }
  return path;
}

/** The literal expression a node belongs to, if it is part of a string or template literal. */
function stringish(node: ts.Node): ts.Expression | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return ts.isTaggedTemplateExpression(node.parent) ? node.parent : node;
  }
  if (ts.isTemplateExpression(node)) return ts.isTaggedTemplateExpression(node.parent) ? node.parent : node;
  if (ts.isTaggedTemplateExpression(node)) return node;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) || ts.isTemplateSpan(node)) {
    return stringish(ts.isTemplateSpan(node) ? node.parent : node.parent.parent ?? node.parent);
  }
  return undefined;
}

function isConcatenation(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

function skipParens(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

function flattenConcatenation(node: ts.Expression): ts.Expression[] {
  node = skipParens(node);
  if (isConcatenation(node)) return [...flattenConcatenation(node.left), ...flattenConcatenation(node.right)];
  return [node];
}

function decode(sf: ts.SourceFile, parts: readonly ts.Expression[], whole?: ts.Expression): DecodedLiteral {
  const out = new MappedTextBuilder();
  const interpolations: Interpolation[] = [];
  const tags: string[] = [];
  for (const part of parts) appendExpression(sf, part, out, interpolations, tags, 'operand');
  const span = whole ?? parts[0];
  const built = out.build();
  return {
    text: built.text,
    map: built.map,
    interpolations,
    range: { start: span.getStart(sf), end: span.end },
    tag: tags[0],
  };
}

function appendExpression(
  sf: ts.SourceFile,
  node: ts.Expression,
  out: MappedTextBuilder,
  interpolations: Interpolation[],
  tags: string[],
  role: 'operand' | 'interpolation',
  range?: { from: number; to: number },
): void {
  const text = sf.text;
  node = skipParens(node);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    const start = node.getStart(sf) + 1;
    decodeJsBody(text.slice(start, node.end - 1), start, out);
    return;
  }
  if (ts.isTaggedTemplateExpression(node) && (role === 'operand' || isSqlTag(node.tag))) {
    tags.push(node.tag.getText(sf));
    appendExpression(sf, node.template, out, interpolations, tags, 'operand');
    return;
  }
  if (ts.isTemplateExpression(node)) {
    const head = node.head;
    const headStart = head.getStart(sf) + 1;
    decodeJsBody(text.slice(headStart, head.end - 2), headStart, out);
    for (const span of node.templateSpans) {
      const lit = span.literal;
      // The parameter covers `${ … }`: from the `${` that ends the previous part to the `}` of this one.
      const from = text.lastIndexOf('${', span.expression.getStart(sf));
      appendExpression(sf, span.expression, out, interpolations, tags, 'interpolation', { from, to: lit.getStart(sf) + 1 });
      const litStart = lit.getStart(sf) + 1;
      const litEnd = ts.isTemplateTail(lit) ? lit.end - 1 : lit.end - 2;
      decodeJsBody(text.slice(litStart, litEnd), litStart, out);
    }
    return;
  }
  if (role === 'interpolation') {
    // Prisma's composition helpers: raw SQL and empty fragments are text, not parameters.
    if (ts.isCallExpression(node) && /(^|\.)raw$/.test(node.expression.getText(sf)) && node.arguments.length === 1) {
      const arg = skipParens(node.arguments[0]);
      if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) {
        appendExpression(sf, arg, out, interpolations, tags, 'operand');
        return;
      }
    }
    if (ts.isPropertyAccessExpression(node) && /^(Prisma\.)?empty$/.test(node.getText(sf))) return;
  }
  // Anything else is a value the driver sends as a parameter.
  const from = range?.from ?? node.getStart(sf);
  const to = range?.to ?? node.end;
  interpolations.push({ key: node.getText(sf).replace(/\s+/g, ''), source: text.slice(from, to), start: from, end: to });
  out.substitute(MARKER, from, to);
}

/** Tags whose templates are SQL fragments to inline: `Prisma.sql`, `sql`, `$queryRaw`, `$executeRaw`. */
function isSqlTag(tag: ts.Expression): boolean {
  const name = ts.isPropertyAccessExpression(tag) ? tag.name.text : ts.isIdentifier(tag) ? tag.text : '';
  return /^(sql|\$queryRaw|\$executeRaw|\$queryRawUnsafe)$/i.test(name);
}
