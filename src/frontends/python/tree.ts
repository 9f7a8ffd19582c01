/**
 * A plain-JavaScript copy of the tree-sitter syntax tree. Every property read on a web-tree-sitter
 * node is a call into WebAssembly; the analysis walks the tree many times (scopes, types, facts),
 * so the tree is copied once with a cursor and everything after that is ordinary object access.
 *
 * Offsets are UTF-16 code-unit indices into the JavaScript string: web-tree-sitter parses a JS
 * string as UTF-16, so its indices already are what the fact model wants (tested with non-ASCII
 * identifiers and strings in test/python-frontend.test.ts).
 */
export interface PyNode {
  type: string;
  /** Named node (an `identifier`, a `call`) rather than punctuation or a keyword. */
  named: boolean;
  start: number;
  end: number;
  /** The grammar field this node fills in its parent (`function`, `arguments`, `body`…). */
  field: string | null;
  children: PyNode[];
  parent: PyNode | null;
  /** tree-sitter inserted this node to recover from an error (it has no text). */
  missing: boolean;
}

export function field(node: PyNode, name: string): PyNode | undefined {
  for (let ci = 0, cs = node.children; ci < cs.length; ci++) {
    const c = cs[ci];
    if (c.field === name) return c;
  }
  return undefined;
}

export function fields(node: PyNode, name: string): PyNode[] {
  return node.children.filter((c) => c.field === name);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

export function firstNamed(node: PyNode): PyNode | undefined {
  for (let ci = 0, cs = node.children; ci < cs.length; ci++) {
    const c = cs[ci];
    if (c.named && c.type !== 'comment') return c;
  }
  return undefined;
}

export function hasChild(node: PyNode, type: string): boolean {
  for (let ci = 0, cs = node.children; ci < cs.length; ci++) {
    const c = cs[ci];
    if (c.type === type) return true;
  }
  return false;
}

/** Strips redundant parentheses: `(await x)` → `await x`. */
export function unparen(node: PyNode): PyNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n);
    if (inner.length !== 1) break;
    n = inner[0];
  }
  return n;
}

export function contains(outer: { start: number; end: number }, inner: { start: number; end: number }): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Nodes that open a new function scope. */
export const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);

/** Pre-order walk; `visit` returning false skips the node's children. */
export function walk(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  const stack: PyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** Pre-order walk that does not enter nested functions or lambdas below the start node. */
export function walkSameFunction(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  walk(node, (n) => {
    if (n !== node && FUNCTION_TYPES.has(n.type)) return false;
    return visit(n);
  });
}
