/**
 * Reads a parsed tree straight out of tree-sitter's WebAssembly memory: the subtrees, their
 * children arrays and the language's alias and field tables, with typed-array reads instead of a
 * call into WebAssembly per node and property (the cursor copy took half as long again as this, a
 * sixth of a project's parse thread). It walks the tree as tree-sitter's cursor does (lib/tree_cursor.c): hidden nodes are
 * stepped through, aliases make a child visible and give its type, and a node's field is the first
 * match of the field maps from its parent up through the hidden nodes in between.
 *
 * The layout is that of the web-tree-sitter build in package-lock (0.25, wasm32, little-endian).
 * It is not an API, so parser.ts compares this walk with the cursor's on samples that have every
 * feature, once per thread before the first tree it reads: any difference, and the cursor is used.
 */
import { ANONYMOUS_FLAG, MISSING_FLAG, NodeWriter } from './encoded-tree';

/** Offsets in `struct TSLanguage` (tree_sitter/parser.h, ABI 14/15, wasm32). */
const LANGUAGE_FIELD_COUNT = 32;
const LANGUAGE_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANGUAGE_FIELD_MAP_SLICES = 64;
const LANGUAGE_FIELD_MAP_ENTRIES = 68;
const LANGUAGE_PUBLIC_SYMBOL_MAP = 76;
const LANGUAGE_ALIAS_SEQUENCES = 84;
/** Offsets in `SubtreeHeapData` (lib/subtree.h). */
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44;
const HEAP_FLAGS2 = 45;
const HEAP_VISIBLE_CHILD_COUNT = 48;
const HEAP_PRODUCTION_ID = 66;
/** `ts_builtin_sym_error`: public as it is. */
const ERROR_SYMBOL = 0xffff;

/** What the walk decides per node: the tables of parser.ts's `Loaded`, which its cursor walks use too. */
export interface TreeShape {
  named: readonly boolean[];
  hasFields?: readonly boolean[];
  keepsOperator: readonly boolean[];
  keepsAnonymous: readonly boolean[];
  skipped: readonly boolean[];
}

export class MemoryTreeReader {
  private u8!: Uint8Array;
  private u16!: Uint16Array;
  private u32!: Uint32Array;
  private fieldCount = 0;
  private maxAlias = 0;
  private fieldSlices = 0;
  private fieldEntries = 0;
  private publicMap = 0;
  private aliasSequences = 0;
  private readonly out = new NodeWriter();
  /**
   * The hidden nodes walked through, three numbers each: the production of their parent, their
   * structural index in it, whether they are extra. A visible node's own start from `chainBase`.
   */
  private readonly chain: number[] = [];
  /** The end of `chain` (kept apart: setting an array's length shrinks its store, node by node). */
  private chainTop = 0;

  constructor(
    private readonly memory: () => ArrayBuffer,
    private readonly shape: TreeShape,
  ) {}

  /** The nodes of the tree at `treeAddress` (a `TSTree *`), five numbers each as `encodeTree` writes them. */
  encode(treeAddress: number, hasError: boolean): Int32Array {
    const buffer = this.memory();
    if (!this.u8 || this.u8.buffer !== buffer) {
      this.u8 = new Uint8Array(buffer);
      this.u16 = new Uint16Array(buffer);
      this.u32 = new Uint32Array(buffer);
    }
    const { u8, u16, u32 } = this;
    const language = u32[(treeAddress + 8) >> 2];
    this.fieldCount = u32[(language + LANGUAGE_FIELD_COUNT) >> 2];
    this.maxAlias = u16[(language + LANGUAGE_MAX_ALIAS_SEQUENCE_LENGTH) >> 1];
    this.fieldSlices = u32[(language + LANGUAGE_FIELD_MAP_SLICES) >> 2];
    this.fieldEntries = u32[(language + LANGUAGE_FIELD_MAP_ENTRIES) >> 2];
    this.publicMap = u32[(language + LANGUAGE_PUBLIC_SYMBOL_MAP) >> 2];
    this.aliasSequences = u32[(language + LANGUAGE_ALIAS_SEQUENCES) >> 2];
    this.out.reset();
    this.chainTop = 0;
    // The root subtree is the first member of `TSTree`; the root node starts after its padding.
    const root = treeAddress;
    const inline = (u8[root] & 1) !== 0;
    const padding = inline ? u8[root + 6] : u32[(u32[root >> 2] + HEAP_PADDING_BYTES) >> 2];
    const size = inline ? u8[root + 7] : u32[(u32[root >> 2] + HEAP_SIZE_BYTES) >> 2];
    const rootType = this.publicSymbol(inline ? u8[root + 1] : u16[(u32[root >> 2] + HEAP_SYMBOL) >> 1]);
    const at = this.out.emit(rootType, padding >> 1, (padding + size) >> 1, 0);
    if (!inline) this.children(u32[root >> 2], padding, at, rootType, hasError, 0);
    return this.out.finish();
  }

  private publicSymbol(symbol: number): number {
    return symbol === ERROR_SYMBOL ? symbol : this.u16[(this.publicMap >> 1) + symbol];
  }

  /**
   * The children of the heap subtree `parent` that starts at byte `position`, as children of the
   * emitted node at `into` (of type `intoType`): visible ones are emitted, hidden ones with visible
   * children are walked through in place.
   */
  private children(parent: number, position: number, into: number, intoType: number, hasError: boolean, chainBase: number): void {
    const { u8, u16, u32, shape, out } = this;
    const count = u32[(parent + HEAP_CHILD_COUNT) >> 2];
    const production = u16[(parent + HEAP_PRODUCTION_ID) >> 1];
    const aliases = production ? (this.aliasSequences >> 1) + production * this.maxAlias : 0;
    const first = parent - 8 * count;
    let structural = 0;
    for (let ci = 0; ci < count; ci++) {
      const child = first + 8 * ci;
      const inline = (u8[child] & 1) !== 0;
      const heap = inline ? 0 : u32[child >> 2];
      const flags = inline ? u8[child] >> 1 : u8[heap + HEAP_FLAGS];
      if (ci > 0) position += inline ? u8[child + 6] : u32[(heap + HEAP_PADDING_BYTES) >> 2];
      const size = inline ? u8[child + 7] : u32[(heap + HEAP_SIZE_BYTES) >> 2];
      const extra = (flags & 4) !== 0;
      let visible = (flags & 1) !== 0;
      let alias = 0;
      const mine = structural;
      if (!extra) {
        if (aliases) {
          alias = u16[aliases + structural];
          if (alias) visible = true;
        }
        structural++;
      }
      if (visible) {
        const typeId = this.publicSymbol(alias || (inline ? u8[child + 1] : u16[(heap + HEAP_SYMBOL) >> 1]));
        if (shape.skipped[typeId]) {
          // Nothing to copy.
        } else if (shape.named[typeId] ?? true) {
          const field = !shape.hasFields || shape.hasFields[intoType] ? this.fieldOf(production, mine, extra, chainBase) : 0;
          const missing = hasError && (inline ? (u8[child] & 32) !== 0 : (u8[heap + HEAP_FLAGS2] & 2) !== 0);
          const at = out.emit(typeId, position >> 1, (position + size) >> 1, field | (missing ? MISSING_FLAG : 0));
          out.addChild(into);
          if (!inline && u32[(heap + HEAP_CHILD_COUNT) >> 2] > 0) this.children(heap, position, at, typeId, hasError, this.chainTop);
        } else if (shape.keepsAnonymous[typeId] || shape.keepsOperator[intoType]) {
          out.emit(typeId, 0, 0, ANONYMOUS_FLAG);
          out.addChild(into);
        }
      } else if (!inline && u32[(heap + HEAP_CHILD_COUNT) >> 2] > 0 && u32[(heap + HEAP_VISIBLE_CHILD_COUNT) >> 2] > 0) {
        const chain = this.chain;
        chain[this.chainTop] = production;
        chain[this.chainTop + 1] = mine;
        chain[this.chainTop + 2] = extra ? 1 : 0;
        this.chainTop += 3;
        this.children(heap, position, into, intoType, hasError, chainBase);
        this.chainTop -= 3;
      }
      position += size;
    }
  }

  /** `ts_tree_cursor_current_field_id`: the child's own entry, then its hidden ancestors' up to the visible parent. */
  private fieldOf(production: number, structural: number, extra: boolean, chainBase: number): number {
    if (extra || this.fieldCount === 0) return 0;
    const found = this.fieldAt(production, structural);
    if (found) return found;
    const chain = this.chain;
    for (let k = this.chainTop - 3; k >= chainBase; k -= 3) {
      if (chain[k + 2]) return 0;
      const up = this.fieldAt(chain[k], chain[k + 1]);
      if (up) return up;
    }
    return 0;
  }

  private fieldAt(production: number, structural: number): number {
    const { u8, u16 } = this;
    const slice = this.fieldSlices + 4 * production;
    const index = u16[slice >> 1];
    const length = u16[(slice + 2) >> 1];
    for (let j = 0; j < length; j++) {
      const entry = this.fieldEntries + 4 * (index + j);
      if (u8[entry + 3] === 0 && u8[entry + 2] === structural) return u16[entry >> 1];
    }
    return 0;
  }
}
