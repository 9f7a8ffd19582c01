import * as fs from 'fs';
import * as path from 'path';
import type { PyNode } from './tree';

/**
 * Loads web-tree-sitter and the grammar wasm that the `tree-sitter-python` package ships (no native
 * module), once. `parsePython` is synchronous after `initPythonParser()` has resolved.
 */

// web-tree-sitter's types are imported for their shapes only; the module is loaded with require()
// so that the CommonJS build is used from our CommonJS output.
import type * as TreeSitter from 'web-tree-sitter';

interface Loaded {
  parser: TreeSitter.Parser;
  named: boolean[];
  types: string[];
  fieldNames: (string | null)[];
  /** Type ids of nodes whose children may fill a field; undefined: ask for every node. */
  hasFields?: boolean[];
  /** Type ids of nodes whose anonymous child is an operator worth keeping (`/`, `%`, `+`). */
  keepsOperator: boolean[];
}

let loaded: Loaded | undefined;
let loading: Promise<void> | undefined;
let loadError: string | undefined;

export function initPythonParser(): Promise<void> {
  loading ??= load().catch((err: unknown) => {
    loadError = err instanceof Error ? err.message : String(err);
  });
  return loading;
}

async function load(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('web-tree-sitter') as typeof TreeSitter;
  await ts.Parser.init();
  const language = await ts.Language.load(grammarWasm());
  const parser = new ts.Parser();
  parser.setLanguage(language);
  const named: boolean[] = [];
  const types: string[] = [];
  for (let i = 0; i < language.nodeTypeCount; i++) {
    named.push(language.nodeTypeIsNamed(i));
    types.push(language.nodeTypeForId(i) ?? '');
  }
  loaded = { parser, named, types, fieldNames: language.fields, hasFields: fieldParents(types), keepsOperator: types.map((t) => OPERATOR_PARENTS.has(t)) };
}

/**
 * The grammar: beside the script in a bundle (the VS Code extension ships it in dist/, without
 * node_modules), else from the tree-sitter-python package.
 */
function grammarWasm(): string {
  const bundled = path.join(__dirname, 'tree-sitter-python.wasm');
  return fs.existsSync(bundled) ? bundled : require.resolve('tree-sitter-python/tree-sitter-python.wasm');
}

const OPERATOR_PARENTS = new Set(['binary_operator', 'augmented_assignment', 'boolean_operator', 'comparison_operator', 'unary_operator']);

/** From the grammar's node-types.json: which node types have fields at all. */
function fieldParents(types: string[]): boolean[] | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeTypes = require('tree-sitter-python/src/node-types.json') as { type: string; named: boolean; fields?: Record<string, unknown> }[];
    const withFields = new Set(nodeTypes.filter((n) => n.fields && Object.keys(n.fields).length > 0).map((n) => n.type));
    // ERROR nodes may hold anything.
    withFields.add('ERROR');
    return types.map((t) => withFields.has(t));
  } catch {
    return undefined;
  }
}

/** Why Python files cannot be analysed, when the parser failed to load. */
export function parserProblem(): string | undefined {
  if (loaded) return undefined;
  return loadError ?? 'the Python parser is not loaded (call ready() before analysing Python files)';
}

/** Leaves share one empty array (most nodes are leaves); it is replaced before the first push. */
const NO_CHILDREN: PyNode[] = [];

export interface ParsedPython {
  root: PyNode;
  /** The tree contains ERROR or MISSING nodes: parts of the file could not be parsed. */
  hasError: boolean;
  /** Offset of the first ERROR or MISSING node, when there is one. */
  errorOffset?: number;
}

/** Parses and copies the tree into plain objects. Returns undefined when the parser is not loaded. */
export function parsePython(text: string): ParsedPython | undefined {
  if (!loaded) return undefined;
  const { parser, named, types, fieldNames, hasFields, keepsOperator } = loaded;
  const tree = parser.parse(text);
  if (!tree) return undefined;
  const cursor = tree.walk();
  try {
    const hasError = tree.rootNode.hasError;
    const errorOffset = hasError ? firstError(tree.rootNode) : undefined;
    const parentTypeIds: number[] = [cursor.nodeTypeId];
    const root: PyNode = {
      type: types[cursor.nodeTypeId] ?? 'module',
      named: true,
      start: cursor.startIndex,
      end: cursor.endIndex,
      field: null,
      children: NO_CHILDREN,
      parent: null,
      missing: false,
    };
    const stack: PyNode[] = [root];
    // Keywords and punctuation are skipped except `async` and operators: the analysis needs
    // nothing else from them, and every property read on the cursor is a call into WebAssembly.
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const typeId = cursor.nodeTypeId;
        const parent = stack[stack.length - 1];
        let node: PyNode | undefined;
        if (parent.children === NO_CHILDREN) parent.children = [];
        if (named[typeId] ?? true) {
          const parentType = parentTypeIds[parentTypeIds.length - 1];
          const fieldId = !hasFields || hasFields[parentType] ? cursor.currentFieldId : 0;
          node = {
            type: types[typeId] ?? '',
            named: true,
            start: cursor.startIndex,
            end: cursor.endIndex,
            field: fieldId ? (fieldNames[fieldId] ?? null) : null,
            children: NO_CHILDREN,
            parent,
            missing: hasError ? cursor.nodeIsMissing : false,
          };
          parent.children.push(node);
          if (cursor.gotoFirstChild()) {
            stack.push(node);
            parentTypeIds.push(typeId);
            continue;
          }
        } else {
          const type = types[typeId] ?? '';
          if (type === 'async' || keepsOperator[parentTypeIds[parentTypeIds.length - 1]]) {
            parent.children.push({ type, named: false, start: parent.start, end: parent.start, field: type === 'async' ? null : 'operator', children: NO_CHILDREN, parent, missing: false });
          }
        }
        let done = false;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent() || stack.length <= 1) {
            done = true;
            break;
          }
          stack.pop();
          parentTypeIds.pop();
        }
        if (done) break;
      }
    }
    return { root, hasError, errorOffset };
  } finally {
    cursor.delete();
    tree.delete();
  }
}

/** Descends along nodes that contain errors to the first ERROR or MISSING node. */
function firstError(root: TreeSitter.Node): number {
  let n = root;
  for (let guard = 0; guard < 100_000; guard++) {
    if (n.isError || n.isMissing) return n.startIndex;
    const next = n.children.find((c) => c !== null && (c.hasError || c.isError || c.isMissing));
    if (!next) return n.startIndex;
    n = next;
  }
  return n.startIndex;
}
