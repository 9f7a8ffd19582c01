import * as fs from 'fs';
import * as path from 'path';
import type { PyNode } from './tree';
import { changedRange } from '../../core/text-change';
import type { ChangedRange } from '../../core/text-change';

/**
 * Loads web-tree-sitter and the grammar wasm that the `tree-sitter-python` package ships (no native
 * module), once. `parsePython` is synchronous after `initPythonParser()` has resolved.
 */

// web-tree-sitter's types are imported for their shapes only; the module is loaded with require()
// so that the CommonJS build is used from our CommonJS output.
import type * as TreeSitter from 'web-tree-sitter';
import { ANONYMOUS_FLAG, FIELD_MASK, MISSING_FLAG, NodeWriter } from './encoded-tree';
import type { EncodedTree } from './encoded-tree';
import { MemoryTreeReader } from './tree-memory';

interface Loaded {
  parser: TreeSitter.Parser;
  named: boolean[];
  types: string[];
  fieldNames: (string | null)[];
  /** Type ids of nodes whose children may fill a field; undefined: ask for every node. */
  hasFields?: boolean[];
  /** Type ids of nodes whose anonymous child is an operator worth keeping (`/`, `%`, `+`). */
  keepsOperator: boolean[];
  /** Anonymous type ids kept wherever they are (`async`). */
  keepsAnonymous: boolean[];
  /** Type ids of named nodes the analysis never looks at (a string's quotes: 8% of all nodes). */
  skipped: boolean[];
  /** Direct access to the cursor exports, when the module exposes them (see CursorOps). */
  raw?: { module: RawModule; transferBuffer: number; cursor: RawCursor };
  /**
   * Reads trees out of wasm memory for `encodePython`, once it gave the cursor's result on the
   * samples (checked at the first encode: only the parse thread encodes); null: the cursor walks.
   */
  memory?: MemoryTreeReader | null;
  /** The cursor walk's output buffer, reused from one tree to the next. */
  writer: NodeWriter;
}

/** The Emscripten module's exports that the fast copy calls (tree-sitter's lib/tree-sitter.c). */
interface RawModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

const RAW_EXPORTS: (keyof RawModule)[] = [
  '_ts_init',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
];

/**
 * Emscripten turns the options object given to `Parser.init` into the module itself, exports
 * included; another caller may have initialised the module first, and then there is none.
 */
function rawModule(options: Record<string, unknown>): { module: RawModule; transferBuffer: number; cursor: RawCursor } | undefined {
  if (process.env.PERFLENS_TREE_SITTER_RAW === '0') return undefined;
  if (!(options.HEAP32 instanceof Int32Array) || RAW_EXPORTS.some((k) => typeof options[k] !== 'function')) return undefined;
  const module = options as unknown as RawModule;
  // `ts_init` only stores the language versions in the transfer buffer and returns its address.
  return { module, transferBuffer: module._ts_init(), cursor: new RawCursor(module) };
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
  const moduleOptions: Record<string, unknown> = {};
  await ts.Parser.init(moduleOptions);
  const language = await ts.Language.load(grammarWasm());
  const parser = new ts.Parser();
  parser.setLanguage(language);
  const named: boolean[] = [];
  const types: string[] = [];
  for (let i = 0; i < language.nodeTypeCount; i++) {
    named.push(language.nodeTypeIsNamed(i));
    types.push(language.nodeTypeForId(i) ?? '');
  }
  loaded = {
    parser,
    named,
    types,
    fieldNames: language.fields,
    hasFields: fieldParents(types),
    keepsOperator: types.map((t) => OPERATOR_PARENTS.has(t)),
    keepsAnonymous: types.map((t, i) => !named[i] && t === 'async'),
    skipped: types.map((t, i) => named[i] && SKIPPED.has(t)),
    raw: rawModule(moduleOptions),
    writer: new NodeWriter(),
  };
}

/**
 * The memory reader, if it reads the samples (every kind of node, field, alias, error and missing
 * node the grammar makes) exactly as the cursor does; otherwise null, and the cursor walks every
 * tree. Checked once, when first wanted: threads that never encode do not pay for it.
 */
function readerOf(l: Loaded): MemoryTreeReader | null {
  if (l.memory === undefined) l.memory = memoryReader(l) ?? null;
  return l.memory;
}

function memoryReader(l: Loaded): MemoryTreeReader | undefined {
  const raw = l.raw;
  if (!raw) return undefined;
  const reader = new MemoryTreeReader(() => raw.module.HEAP32.buffer as ArrayBuffer, l);
  try {
    for (const sample of LAYOUT_SAMPLES) {
      const same = withCursor(sample, (cursor, hasError, _offset, _edit, treeAddress) => {
        const expected = encodeTree(l, hasError, cursor);
        const got = reader.encode(treeAddress!, hasError);
        return expected.length === got.length && expected.every((v, i) => v === got[i]);
      });
      if (!same) return undefined;
    }
    return reader;
  } catch {
    return undefined;
  }
}

/**
 * The grammar: beside the script in a bundle (the VS Code extension ships it in dist/, without
 * node_modules), else from the tree-sitter-python package.
 */
function grammarWasm(): string {
  const bundled = path.join(__dirname, 'tree-sitter-python.wasm');
  return fs.existsSync(bundled) ? bundled : require.resolve('tree-sitter-python/tree-sitter-python.wasm');
}

/** `string_start` and `string_end` are a string's opening and closing quotes (with any prefix). */
const SKIPPED = new Set(['string_start', 'string_end']);

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

/**
 * Leaves share one empty array (most nodes are leaves); it is replaced before the first push. Made
 * by emptying an array that held an object: an empty literal has another elements kind (and so
 * another map) than the children arrays, and every read of `children` then saw two shapes.
 */
const NO_CHILDREN: PyNode[] = [null as unknown as PyNode];
NO_CHILDREN.length = 0;

/** A childless node. */
function newNode(type: string, named: boolean, start: number, end: number, field: string | null, parent: PyNode | null, missing: boolean): PyNode {
  return { type, named, start, end, field, children: NO_CHILDREN, parent, missing };
}

export interface ParsedPython {
  root: PyNode;
  /** The tree contains ERROR or MISSING nodes: parts of the file could not be parsed. */
  hasError: boolean;
  /** Offset of the first ERROR or MISSING node, when there is one. */
  errorOffset?: number;
}

/**
 * The cursor operations the copy needs. web-tree-sitter's TreeCursor copies the cursor's four words
 * into wasm memory and back around every call (~60% of the copy); the raw exports of the module
 * keep the cursor in wasm's transfer buffer between calls, so the copy calls them directly when
 * the module exposes them (see `rawCursor`), and falls back to the TreeCursor otherwise.
 */
interface CursorOps {
  typeId(): number;
  start(): number;
  end(): number;
  fieldId(): number;
  isMissing(): boolean;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
}

/**
 * The editor re-parses a file on every keystroke: with incremental parsing on, the last tree of
 * each file (a few files at most) is kept in the wasm heap, edited, and handed to the parser, which
 * reuses what the edit did not touch. Off by default: a project analysis parses each text once.
 */
let incremental = false;
const keptTrees = new Map<string, KeptTree>();

interface KeptTree {
  text: string;
  tree: TreeSitter.Tree;
  /** The copy made of `tree` (see copyReusing), when it had no syntax error. */
  copy?: PyNode;
}
const KEPT_TREES = 8;

/** Whether the editor's incremental mode is on (statement-reuse.ts follows it). */
export function pythonIncrementalParsing(): boolean {
  return incremental;
}

export function usePythonIncrementalParsing(on: boolean): void {
  // Kept trees stay (at most KEPT_TREES): each remembers its own text, so it stays a valid base.
  incremental = on;
}

/**
 * Parses and copies the tree into plain objects. Returns undefined when the parser is not loaded.
 * `file` names the document for incremental parsing (see usePythonIncrementalParsing).
 */
export function parsePython(text: string, file?: string): ParsedPython | undefined {
  if (!loaded) return undefined;
  const l = loaded;
  const previous = incremental && file !== undefined ? keptTrees.get(file) : undefined;
  const parsed: ParsedPython | undefined = withCursor(
    text,
    (cursor, hasError, errorOffset, edit) => {
      const reused = previous?.copy && edit && !hasError ? copyReusing(l, cursor, previous.copy, edit) : undefined;
      return { root: reused ?? copyTree(l, hasError, cursor), hasError, errorOffset };
    },
    file,
  );
  if (!parsed) return undefined;
  if (incremental && file !== undefined) {
    const kept = keptTrees.get(file);
    if (kept?.text === text && !parsed.hasError) kept.copy = parsed.root;
  }
  return parsed;
}

/**
 * After an edit, most top-level statements are what they were: the same type over the same text,
 * before the edit or shifted after it. Those nodes are taken over from the previous copy (offsets
 * moved, parent set) instead of copied again through the cursor, a WebAssembly call per node read;
 * only the statements the edit touched are copied from the new tree. A top-level statement starts
 * at column 0, so the same text parses the same. Trees with syntax errors are copied whole (error
 * recovery may reshape what surrounds an error). Undefined when the top level is unusual.
 *
 * The previous copy is given up: it is the file's last tree, which its only holder (the analysis
 * cache, analysis.ts) replaces with this one. Cloning instead cost more than the cursor copy.
 */
function copyReusing(l: Loaded, cursor: CursorOps, previous: PyNode, edit: ChangedRange): PyNode | undefined {
  const delta = edit.newEnd - edit.oldEnd;
  const key = (type: string, start: number, end: number) => `${type}\0${start}\0${end}`;
  // Top-level nodes of the previous copy by where they would be now; `after`: they moved.
  const same = new Map<string, { node: PyNode; after: boolean }>();
  for (const c of previous.children) {
    if (c.end <= edit.start) same.set(key(c.type, c.start, c.end), { node: c, after: false });
    else if (c.start >= edit.oldEnd) same.set(key(c.type, c.start + delta, c.end + delta), { node: c, after: true });
  }
  const rootType = cursor.typeId();
  const root = newNode(l.types[rootType] ?? 'module', true, cursor.start(), cursor.end(), null, null, false);
  if (!cursor.firstChild()) return root;
  // Decided first, moved after: the previous copy stays intact if the top level turns out unusual.
  const plan: ({ node: PyNode; after: boolean } | { copy: PyNode })[] = [];
  let usual = true;
  do {
    const typeId = cursor.typeId();
    if (!(l.named[typeId] ?? true) || l.skipped[typeId]) {
      usual = false;
      break;
    }
    const start = cursor.start();
    const end = cursor.end();
    const old = end <= edit.start || start >= edit.newEnd ? same.get(key(l.types[typeId] ?? '', start, end)) : undefined;
    plan.push(old ?? { copy: copyTree(l, false, cursor, root, rootType) });
  } while (cursor.nextSibling());
  cursor.parent();
  if (!usual) return undefined;
  const children = plan.map((p) => {
    if ('copy' in p) return p.copy;
    if (p.after && delta !== 0) shift(p.node, delta);
    p.node.parent = root;
    return p.node;
  });
  if (children.length) root.children = children;
  return root;
}

function shift(node: PyNode, by: number): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.start += by;
    n.end += by;
    const cs = n.children;
    for (let i = 0; i < cs.length; i++) stack.push(cs[i]);
  }
}

/** The edit that turns `before` into `after`: the changed middle, in UTF-16 code units and points. */
function editBetween(before: string, after: string, { start, oldEnd, newEnd }: ChangedRange): TreeSitter.Edit {
  const point = (text: string, index: number): TreeSitter.Point => {
    let row = 0;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
      row++;
      lineStart = i + 1;
    }
    return { row, column: index - lineStart };
  };
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: point(after, start),
    oldEndPosition: point(before, oldEnd),
    newEndPosition: point(after, newEnd),
  };
}

/** Parses `text` and hands a cursor on the root to `use` (with where the first syntax error is). */
function withCursor<T>(
  text: string,
  use: (cursor: CursorOps, hasError: boolean, errorOffset: number | undefined, edit: ChangedRange | undefined, treeAddress: number | undefined) => T,
  file?: string,
): T | undefined {
  if (!loaded) return undefined;
  const kept = incremental && file !== undefined ? keptTrees.get(file) : undefined;
  // The change from the kept tree's text, found once for the re-parse and the copy that reuses.
  const edit = kept ? changedRange(kept.text, text) : undefined;
  if (kept && edit) kept.tree.edit(editBetween(kept.text, text, edit));
  const tree = loaded.parser.parse(text, kept?.tree);
  if (kept) {
    kept.tree.delete();
    keptTrees.delete(file!);
  }
  if (!tree) return undefined;
  const keep = incremental && file !== undefined;
  const cursor = tree.walk();
  try {
    const hasError = tree.rootNode.hasError;
    const errorOffset = hasError ? firstError(tree.rootNode) : undefined;
    const raw = loaded.raw;
    let result: T;
    if (raw) {
      // The cursor's state moves into the transfer buffer for the copy and back out after it.
      const words = cursor as unknown as Record<0 | 1 | 2 | 3, number>;
      const treeAddress = (tree as unknown as Record<0, number>)[0];
      const at = raw.transferBuffer >> 2;
      for (let k = 0; k < 4; k++) raw.module.HEAP32[at + k] = words[k as 0 | 1 | 2 | 3];
      try {
        raw.cursor.tree = treeAddress;
        result = use(raw.cursor, hasError, errorOffset, edit, treeAddress);
      } finally {
        // Moving the cursor may have grown wasm memory: read the current view.
        for (let k = 0; k < 4; k++) words[k as 0 | 1 | 2 | 3] = raw.module.HEAP32[at + k];
      }
    } else {
      result = use(cursorOps(cursor), hasError, errorOffset, edit, undefined);
    }
    return result;
  } finally {
    cursor.delete();
    if (keep) {
      keptTrees.set(file!, { text, tree });
      if (keptTrees.size > KEPT_TREES) {
        const [oldest, entry] = keptTrees.entries().next().value as [string, { tree: TreeSitter.Tree }];
        entry.tree.delete();
        keptTrees.delete(oldest);
      }
    } else tree.delete();
  }
}

function cursorOps(c: TreeSitter.TreeCursor): CursorOps {
  return {
    typeId: () => c.nodeTypeId,
    start: () => c.startIndex,
    end: () => c.endIndex,
    fieldId: () => c.currentFieldId,
    isMissing: () => c.nodeIsMissing,
    firstChild: () => c.gotoFirstChild(),
    nextSibling: () => c.gotoNextSibling(),
    parent: () => c.gotoParent(),
  };
}

/** The raw cursor: one object for the run, holding the exports it calls; `tree` is set per file. */
class RawCursor implements CursorOps {
  private readonly typeIdFn: (tree: number) => number;
  private readonly startFn: (tree: number) => number;
  private readonly endFn: (tree: number) => number;
  private readonly fieldIdFn: (tree: number) => number;
  private readonly isMissingFn: (tree: number) => number;
  private readonly firstChildFn: (tree: number) => number;
  private readonly nextSiblingFn: (tree: number) => number;
  private readonly parentFn: (tree: number) => number;
  tree = 0;

  constructor(m: RawModule) {
    this.typeIdFn = m._ts_tree_cursor_current_node_type_id_wasm;
    this.startFn = m._ts_tree_cursor_start_index_wasm;
    this.endFn = m._ts_tree_cursor_end_index_wasm;
    this.fieldIdFn = m._ts_tree_cursor_current_field_id_wasm;
    this.isMissingFn = m._ts_tree_cursor_current_node_is_missing_wasm;
    this.firstChildFn = m._ts_tree_cursor_goto_first_child_wasm;
    this.nextSiblingFn = m._ts_tree_cursor_goto_next_sibling_wasm;
    this.parentFn = m._ts_tree_cursor_goto_parent_wasm;
  }

  typeId(): number {
    return this.typeIdFn(this.tree);
  }
  start(): number {
    return this.startFn(this.tree);
  }
  end(): number {
    return this.endFn(this.tree);
  }
  fieldId(): number {
    return this.fieldIdFn(this.tree);
  }
  isMissing(): boolean {
    return this.isMissingFn(this.tree) !== 0;
  }
  firstChild(): boolean {
    return this.firstChildFn(this.tree) !== 0;
  }
  nextSibling(): boolean {
    return this.nextSiblingFn(this.tree) !== 0;
  }
  parent(): boolean {
    return this.parentFn(this.tree) !== 0;
  }
}

/**
 * The open nodes of a tree being built, root first, with the children each has so far: a node gets
 * an exact-size children array when it is closed (an array grown by push reserves 17 slots on the
 * first). Indexed with explicit tops: popping, or setting `length`, made the arrays' backing stores
 * shrink and grow again from node to node.
 */
class OpenNodes {
  private readonly nodes: PyNode[] = [];
  /** Where each open node's children start in `pending`. */
  private readonly firsts: number[] = [];
  private readonly pending: PyNode[] = [];
  private top = 0;
  /** Of the innermost open node; -1 once the root is closed. */
  depth = -1;

  constructor(root: PyNode) {
    this.open(root);
  }

  current(): PyNode {
    return this.nodes[this.depth];
  }

  /** A child of the innermost open node. */
  add(node: PyNode): void {
    this.pending[this.top++] = node;
  }

  /** `node`, added already, gets children next. */
  open(node: PyNode): void {
    this.depth++;
    this.nodes[this.depth] = node;
    this.firsts[this.depth] = this.top;
  }

  close(): void {
    const first = this.firsts[this.depth];
    if (this.top > first) this.nodes[this.depth].children = this.pending.slice(first, this.top);
    this.top = first;
    this.depth--;
  }
}

/**
 * The copy: named nodes, plus `async` and operators, of the node the cursor is on (the root unless
 * `parent` is given: then a named node under it, whose parent's type is `parentTypeId`); the cursor
 * ends where it started.
 */
function copyTree(l: Loaded, hasError: boolean, cursor: CursorOps, parent: PyNode | null = null, parentTypeId = 0): PyNode {
  const { named, types, fieldNames, hasFields, keepsOperator, keepsAnonymous, skipped } = l;
  const rootType = cursor.typeId();
  const rootField = parent && (!hasFields || hasFields[parentTypeId]) ? cursor.fieldId() : 0;
  const root = newNode(
    types[rootType] ?? (parent ? '' : 'module'),
    true,
    cursor.start(),
    cursor.end(),
    rootField ? (fieldNames[rootField] ?? null) : null,
    parent,
    parent && hasError ? cursor.isMissing() : false,
  );
  const tree = new OpenNodes(root);
  const typeIds: number[] = [rootType];
  // Keywords and punctuation are skipped except `async` and operators: the analysis needs
  // nothing else from them, and every property read on the cursor is a call into WebAssembly.
  if (cursor.firstChild()) {
    for (;;) {
      const typeId = cursor.typeId();
      const parent = tree.current();
      if (skipped[typeId]) {
        // Nothing to copy; the cursor steps over it below.
      } else if (named[typeId] ?? true) {
        const parentType = typeIds[tree.depth];
        const fieldId = !hasFields || hasFields[parentType] ? cursor.fieldId() : 0;
        const node = newNode(
          types[typeId] ?? '',
          true,
          cursor.start(),
          cursor.end(),
          fieldId ? (fieldNames[fieldId] ?? null) : null,
          parent,
          hasError ? cursor.isMissing() : false,
        );
        tree.add(node);
        if (cursor.firstChild()) {
          tree.open(node);
          typeIds[tree.depth] = typeId;
          continue;
        }
      } else {
        if (keepsAnonymous[typeId] || keepsOperator[typeIds[tree.depth]]) {
          tree.add(newNode(types[typeId] ?? '', false, parent.start, parent.start, keepsAnonymous[typeId] ? null : 'operator', parent, false));
        }
      }
      let done = false;
      while (!cursor.nextSibling()) {
        if (!cursor.parent() || tree.depth <= 0) {
          done = true;
          break;
        }
        tree.close();
      }
      if (done) break;
    }
  }
  while (tree.depth >= 0) tree.close();
  return root;
}

/**
 * Parses and encodes the tree (what `parsePython` keeps, as numbers). `viaCursor` skips the memory
 * reader (tests compare the two).
 */
export function encodePython(text: string, viaCursor = false): EncodedTree | undefined {
  if (!loaded) return undefined;
  const l = loaded;
  // Checked before this parse: the check parses samples, and the cursor must not move under it.
  const memory = viaCursor ? null : readerOf(l);
  return withCursor(text, (cursor, hasError, errorOffset, _edit, treeAddress) => ({ nodes: encodeFast(l, memory, hasError, cursor, treeAddress), hasError, errorOffset }));
}

function encodeFast(l: Loaded, memory: MemoryTreeReader | null, hasError: boolean, cursor: CursorOps, treeAddress: number | undefined): Int32Array {
  if (memory && treeAddress !== undefined) {
    try {
      return memory.encode(treeAddress, hasError);
    } catch {
      // Nested deeper than the recursive walk goes: the cursor walk is iterative.
    }
  }
  return encodeTree(l, hasError, cursor);
}

/** The tree `parsePython` would have built, from an encoding made by `encodePython`. */
export function decodePython(encoded: EncodedTree): ParsedPython | undefined {
  if (!loaded) return undefined;
  const { types, fieldNames, keepsAnonymous } = loaded;
  const data = encoded.nodes;
  const make = (at: number, parent: PyNode | null): PyNode => {
    const typeId = data[at];
    const flags = data[at + 3];
    if (flags & ANONYMOUS_FLAG) {
      const p = parent!;
      return newNode(types[typeId] ?? '', false, p.start, p.start, keepsAnonymous[typeId] ? null : 'operator', p, false);
    }
    const fieldId = flags & FIELD_MASK;
    return newNode(types[typeId] ?? (parent ? '' : 'module'), true, data[at + 1], data[at + 2], fieldId ? (fieldNames[fieldId] ?? null) : null, parent, (flags & MISSING_FLAG) !== 0);
  };
  const root = make(0, null);
  const tree = new OpenNodes(root);
  // How many children each open node still expects.
  const left: number[] = [data[4]];
  for (let at = 5; at < data.length && (tree.depth > 0 || left[0] > 0); at += 5) {
    const node = make(at, tree.current());
    tree.add(node);
    left[tree.depth]--;
    const count = data[at + 4];
    if (count > 0) {
      tree.open(node);
      left[tree.depth] = count;
      continue;
    }
    while (tree.depth > 0 && left[tree.depth] === 0) tree.close();
  }
  // The root, and any node a truncated encoding left open.
  while (tree.depth >= 0) tree.close();
  return { root, hasError: encoded.hasError, errorOffset: encoded.errorOffset };
}

/** `copyTree`, writing numbers instead of nodes (the same walk and the same choices). */
function encodeTree(l: Loaded, hasError: boolean, cursor: CursorOps): Int32Array {
  const { named, hasFields, keepsOperator, keepsAnonymous, skipped } = l;
  const out = l.writer;
  out.reset();
  const rootType = cursor.typeId();
  const parentTypeIds: number[] = [rootType];
  const open: number[] = [out.emit(rootType, cursor.start(), cursor.end(), 0)];
  if (cursor.firstChild()) {
    for (;;) {
      const typeId = cursor.typeId();
      const parent = open[open.length - 1];
      if (skipped[typeId]) {
        // Nothing to copy; the cursor steps over it below.
      } else if (named[typeId] ?? true) {
        const parentType = parentTypeIds[parentTypeIds.length - 1];
        const fieldId = !hasFields || hasFields[parentType] ? cursor.fieldId() : 0;
        const at = out.emit(typeId, cursor.start(), cursor.end(), fieldId | (hasError && cursor.isMissing() ? MISSING_FLAG : 0));
        out.addChild(parent);
        if (cursor.firstChild()) {
          open.push(at);
          parentTypeIds.push(typeId);
          continue;
        }
      } else {
        if (keepsAnonymous[typeId] || keepsOperator[parentTypeIds[parentTypeIds.length - 1]]) {
          out.emit(typeId, 0, 0, ANONYMOUS_FLAG);
          out.addChild(parent);
        }
      }
      let done = false;
      while (!cursor.nextSibling()) {
        if (!cursor.parent() || open.length <= 1) {
          done = true;
          break;
        }
        open.pop();
        parentTypeIds.pop();
      }
      if (done) break;
    }
  }
  return out.finish();
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

/** Whether trees are copied through the raw cursor exports (for tests; see CursorOps). */
export function usesRawCursor(): boolean {
  return !!loaded?.raw;
}

/** Texts for the memory reader's check: every statement and expression form, aliases, extras, errors. */
const LAYOUT_SAMPLES = [
  [
    '# comment',
    'import os.path as p, sys',
    'from . import (a, b as c)',
    'from ..x.y import *',
    '@decorator(1, k=2)',
    'async def f(x: int = 1, /, *args, y, **kw) -> "T":',
    '    """doc"""',
    '    async with a as b, c:',
    '        await g(x)[0].h',
    '    async for i in range(10):',
    '        yield i',
    '    return [j async for j in k if j] + {1: 2, **d} | {*s} and (t,)',
    'class C(B, metaclass=M):',
    '    x: int = 0',
    '    def m(self): return lambda q, *r: q if r else not q',
    'print(f"{a!r:>{w}} {b}", \'x\' \'y\', b"\\x00", r\'\\d\', -1 ** 2 // 3 % 4 @ m, ~x << 1 >> 2 & 3 ^ 4)',
    'match cmd:',
    '    case [x, *rest] if x > 0: pass',
    '    case {"k": v, **others}: pass',
    '    case Point(x=0) | None: pass',
    'try:',
    '    raise E from e',
    'except* (A, B) as e:',
    '    del x[1:2:3], y',
    'finally:',
    '    global g; nonlocal n',
    'x = yield from z',
    'x += 1; x -= 1; x *= 2; x //= 3',
    'type Alias[T] = list[T]',
    'match = 1; type = 2; print = 3; exec = 4',
    'while (n := n - 1) >= 0 and n is not None or n not in m: continue',
    'assert x, "m"; exec("code")',
    'with open(p) as fh, (yield): pass',
    'for (a, b) in c: break',
    'else: pass',
    'def g[T: int](x: T) -> T: ...',
    '',
  ].join('\n'),
  'def f(:\n  x = (1,\n',
  'if x\n    pass\nprint "hello"\nx = [1, 2\n',
  '',
];

/** Whether `encodePython` reads trees out of wasm memory (the layout check passed; for tests). */
export function usesMemoryReader(): boolean {
  return !!loaded && !!readerOf(loaded);
}
