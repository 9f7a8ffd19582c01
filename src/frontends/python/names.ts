import type { PyNode } from './tree';
import { field, fields, namedChildren } from './tree';

/**
 * Names a piece of code reads and the names it binds, for dependence between statements
 * (sequential-awaits) and between loop iterations (carried names). Nested function and lambda
 * bodies are not entered: defining a function does not run it.
 */
export interface NameUse {
  reads: Set<string>;
  writes: Set<string>;
}

const TARGET_CONTAINERS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern', 'as_pattern_target', 'list_splat', 'expression_list']);

export function namesOf(
  node: PyNode,
  src: (n: PyNode) => string,
  out: NameUse = { reads: new Set(), writes: new Set() },
  onUse?: (name: string, pos: number, write: boolean) => void,
  budget = Infinity,
  /** Nested statements whose names are already known (merged instead of walked again). */
  memo?: ReadonlyMap<PyNode, NameUse | { use: NameUse }>,
): NameUse {
  // Nodes to visit, and whether each is an assignment target (two stacks: no pair per node).
  const stack: PyNode[] = [node];
  const targets: boolean[] = [false];
  const push = (c: PyNode | undefined, t: boolean) => {
    if (c) {
      stack.push(c);
      targets.push(t);
    }
  };
  const addRead = (r: string) => out.reads.add(r);
  const addWrite = (w: string) => out.writes.add(w);
  let visited = 0;
  while (stack.length && visited++ < budget) {
    const n = stack.pop()!;
    const target = targets.pop()!;
    if (memo && n !== node && !target) {
      const known = memo.get(n);
      if (known) {
        const use = 'use' in known ? known.use : known;
        use.reads.forEach(addRead);
        use.writes.forEach(addWrite);
        continue;
      }
    }
    switch (n.type) {
      case 'identifier': {
        const name = src(n);
        if (target) out.writes.add(name);
        else out.reads.add(name);
        onUse?.(name, n.start, target);
        continue;
      }
      case 'attribute':
        if (target) {
          // `obj.x = …` changes `obj`
          const root = rootOf(n);
          if (root) {
            out.writes.add(src(root));
            onUse?.(src(root), n.end, true);
          }
        }
        push(field(n, 'object'), false);
        continue;
      case 'subscript':
        if (target) {
          const root = rootOf(n);
          if (root) {
            out.writes.add(src(root));
            onUse?.(src(root), n.end, true);
          }
        }
        push(field(n, 'value'), false);
        for (const s of fields(n, 'subscript')) push(s, false);
        continue;
      case 'keyword_argument':
        push(field(n, 'value'), false);
        continue;
      case 'assignment':
        push(field(n, 'left'), true);
        push(field(n, 'right'), false);
        continue;
      case 'augmented_assignment': {
        const left = field(n, 'left');
        push(left, true);
        push(left, false);
        push(field(n, 'right'), false);
        continue;
      }
      case 'named_expression':
        push(field(n, 'name'), true);
        push(field(n, 'value'), false);
        continue;
      case 'for_statement':
        for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
          const c = cs[ci];
          push(c, c.field === 'left');
        }
        continue;
      case 'for_in_clause':
        // Comprehension variables are local to the comprehension.
        push(field(n, 'right'), false);
        continue;
      case 'as_pattern':
        for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
          const c = cs[ci];
          push(c, c.field === 'alias');
        }
        continue;
      case 'function_definition':
      case 'class_definition': {
        const name = field(n, 'name');
        if (name) out.writes.add(src(name));
        // Decorators, defaults and base classes run now; the body does not (classes: it does,
        // but it binds class attributes, not names of this block).
        for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
          const c = cs[ci];
          if (c.field === 'parameters') for (const p of namedChildren(c)) push(field(p, 'value'), false);
          else if (c.field === 'superclasses') push(c, false);
        }
        continue;
      }
      case 'decorated_definition':
        for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
          const c = cs[ci];
          push(c, false);
        }
        continue;
      case 'lambda':
        for (const p of namedChildren(field(n, 'parameters') ?? n)) if (p !== n) push(field(p, 'value'), false);
        continue;
      case 'import_statement':
      case 'import_from_statement':
        for (const c of fields(n, 'name')) {
          const alias = c.type === 'aliased_import' ? field(c, 'alias') : undefined;
          const name = alias ?? (c.type === 'aliased_import' ? field(c, 'name') : c);
          if (name) out.writes.add(src(name).split('.')[0].trim());
        }
        continue;
      case 'global_statement':
      case 'nonlocal_statement':
        continue;
      case 'delete_statement':
        for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
          const c = cs[ci];
          push(c, true);
        }
        continue;
      default:
        if (target && TARGET_CONTAINERS.has(n.type)) {
          for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
            const c = cs[ci];
            push(c, true);
          }
        } else {
          for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
            const c = cs[ci];
            push(c, false);
          }
        }
    }
  }
  return out;
}

function rootOf(n: PyNode): PyNode | undefined {
  let cur: PyNode | undefined = n;
  for (let i = 0; cur && i < 1000; i++) {
    if (cur.type === 'identifier') return cur;
    if (cur.type === 'attribute') cur = field(cur, 'object');
    else if (cur.type === 'subscript') cur = field(cur, 'value');
    else if (cur.type === 'call') cur = field(cur, 'function');
    else if (cur.type === 'parenthesized_expression') cur = namedChildren(cur)[0];
    else return undefined;
  }
  return undefined;
}
