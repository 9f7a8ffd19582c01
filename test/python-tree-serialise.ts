import { parsePython } from '../src/frontends/python/parser';
import type { ParsedPython } from '../src/frontends/python/parser';
import type { PyNode } from '../src/frontends/python/tree';

/** A flat serialisation of every copied node (parents by position). */
export function serialise(texts: string[]): string[] {
  return texts.map((text) => {
    const parsed = parsePython(text);
    return parsed ? serialiseTree(parsed) : 'unparsed';
  });
}

/** One tree, flat: every copied node with its parent by position. */
export function serialiseTree(parsed: ParsedPython): string {
  const parts = [`${parsed.hasError} ${parsed.errorOffset}`];
  const stack: PyNode[] = [parsed.root];
  while (stack.length) {
    const n = stack.pop()!;
    parts.push(`${n.type} ${n.named} ${n.start}-${n.end} ${n.field} ${n.missing} ${n.children.length} ${n.parent ? `${n.parent.type}@${n.parent.start}` : '-'}`);
    for (const c of n.children) stack.push(c);
  }
  return parts.join('\n');
}
