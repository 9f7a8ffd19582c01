import type { PyCallable, PyType } from './schema';

/**
 * The knowledge tables written as literals give every type and callable its own set of keys, so
 * the analysis' property reads on them see dozens of object shapes: V8 optimises those reads for
 * the shapes seen so far and throws the code away at each new one. Rebuilt with every key, in one
 * order (absent ones undefined), they all share one shape per kind. The lists are checked against
 * the interfaces at compile time.
 */
const TYPE_KEYS = Object.keys({
  library: true,
  display: true,
  connection: true,
  store: true,
  methods: true,
  otherMethods: true,
  attributes: true,
  enters: true,
  callable: true,
  instance: true,
  subclass: true,
  awaitRuns: true,
  iterRuns: true,
  asyncIterRuns: true,
  sharedConnection: true,
  routeMethods: true,
  module: true,
  divides: true,
} satisfies Record<keyof PyType, true>) as (keyof PyType)[];

const CALLABLE_KEYS = Object.keys({
  effect: true,
  op: true,
  returns: true,
  statementArg: true,
  modelArg: true,
  positiveArg: true,
  notInMemory: true,
  receiverModel: true,
  builds: true,
  offset: true,
  returnsByKeyword: true,
} satisfies Record<keyof PyCallable, true>) as (keyof PyCallable)[];

/** Types with every key in one order; a callable shared by several types stays one object. */
export function uniformTypes(types: Record<string, PyType>): Record<string, PyType> {
  const callables = new Map<PyCallable, PyCallable>();
  const callable = (c: PyCallable | undefined): PyCallable | undefined => {
    if (!c) return c;
    let out = callables.get(c);
    if (!out) {
      const o: Record<string, unknown> = {};
      for (const k of CALLABLE_KEYS) o[k] = c[k];
      out = o as PyCallable;
      callables.set(c, out);
    }
    return out;
  };
  const out: Record<string, PyType> = {};
  for (const [id, t] of Object.entries(types)) {
    const o: Record<string, unknown> = {};
    for (const k of TYPE_KEYS) o[k] = t[k];
    const u = o as unknown as PyType;
    if (t.methods) u.methods = Object.fromEntries(Object.entries(t.methods).map(([name, c]) => [name, callable(c)!]));
    u.otherMethods = callable(t.otherMethods);
    u.callable = callable(t.callable);
    u.awaitRuns = callable(t.awaitRuns);
    u.iterRuns = callable(t.iterRuns);
    u.asyncIterRuns = callable(t.asyncIterRuns);
    out[id] = u;
  }
  return out;
}
