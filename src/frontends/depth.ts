/**
 * How deep the front-ends' own walkers descend. On the main thread a limit keeps recursion inside
 * the default stack; the deep-stack worker raises it.
 */
let maxDepth = 400;

export function getMaxDepth(): number {
  return maxDepth;
}

export function setMaxDepth(n: number): void {
  maxDepth = n;
}
