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
  const language = await ts.Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new ts.Parser();
  parser.setLanguage(language);
  const named: boolean[] = [];
  const types: string[] = [];
  for (let i = 0; i < language.nodeTypeCount; i++) {
    named.push(language.nodeTypeIsNamed(i));
    types.push(language.nodeTypeForId(i) ?? '');
  }
  loaded = { parser, named, types, fieldNames: language.fields };
}

/** Why Python files cannot be analysed, when the parser failed to load. */
export function parserProblem(): string | undefined {
  if (loaded) return undefined;
  return loadError ?? 'the Python parser is not loaded (call ready() before analysing Python files)';
}

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
  const { parser, named, types, fieldNames } = loaded;
  const tree = parser.parse(text);
  if (!tree) return undefined;
  const cursor = tree.walk();
  try {
    const hasError = tree.rootNode.hasError;
    const errorOffset = hasError ? firstError(tree.rootNode) : undefined;
    const root: PyNode = {
      type: types[cursor.nodeTypeId] ?? 'module',
      named: true,
      start: cursor.startIndex,
      end: cursor.endIndex,
      field: null,
      children: [],
      parent: null,
      missing: false,
    };
    const stack: PyNode[] = [root];
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const typeId = cursor.nodeTypeId;
        const isNamed = named[typeId] ?? true;
        const parent = stack[stack.length - 1];
        const fieldId = cursor.currentFieldId;
        // Punctuation and keywords need their type only; skipping their offsets halves the
        // number of calls into WebAssembly. Their positions are estimated from the parent.
        const node: PyNode = {
          type: types[typeId] ?? '',
          named: isNamed,
          start: isNamed ? cursor.startIndex : -1,
          end: isNamed ? cursor.endIndex : -1,
          field: fieldId ? (fieldNames[fieldId] ?? null) : null,
          children: [],
          parent,
          missing: isNamed ? cursor.nodeIsMissing : false,
        };
        if (!isNamed) {
          node.start = node.end = parent.start;
        }
        parent.children.push(node);
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          continue;
        }
        let done = false;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent() || stack.length <= 1) {
            done = true;
            break;
          }
          stack.pop();
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
