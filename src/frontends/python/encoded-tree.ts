/**
 * A copied tree as numbers, for a parse on another thread (see prefetch.ts): the nodes that
 * `copyTree` (parser.ts) keeps, in pre-order, five numbers each — type id, start, end, flags (field
 * id, `MISSING_FLAG`, `ANONYMOUS_FLAG` for a kept keyword or operator) and the number of children.
 * Both ways of making it (the cursor walk in parser.ts, the memory read in tree-memory.ts) write it
 * through `NodeWriter`.
 */
export interface EncodedTree {
  nodes: Int32Array;
  hasError: boolean;
  errorOffset?: number;
}

export const MISSING_FLAG = 1 << 16;
export const ANONYMOUS_FLAG = 1 << 17;
export const FIELD_MASK = MISSING_FLAG - 1;

/** Appends nodes to a growing buffer, reused from one tree to the next. */
export class NodeWriter {
  private out = new Int32Array(4096 * 5);
  private size = 0;

  /** Starts a new tree. */
  reset(): void {
    this.size = 0;
  }

  /** Appends a node with no children yet; returns where it is, for `addChild`. */
  emit(typeId: number, start: number, end: number, flags: number): number {
    if (this.size + 5 > this.out.length) {
      const grown = new Int32Array(this.out.length * 2);
      grown.set(this.out);
      this.out = grown;
    }
    const at = this.size;
    const out = this.out;
    out[at] = typeId;
    out[at + 1] = start;
    out[at + 2] = end;
    out[at + 3] = flags;
    out[at + 4] = 0;
    this.size += 5;
    return at;
  }

  /** Counts one more child of the node at `parent`. */
  addChild(parent: number): void {
    this.out[parent + 4]++;
  }

  /** The tree written since `reset`, in a buffer of its own (it moves to the other thread). */
  finish(): Int32Array {
    return this.out.slice(0, this.size);
  }
}
