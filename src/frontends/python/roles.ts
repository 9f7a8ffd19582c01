import { DEPENDENCY_MARKERS, ROUTE_METHODS, ROUTER_NAMES, THREAD_RUNNERS } from '../../core/knowledge/python';
import type { Resolver } from './resolve';
import { qnameOf } from './resolve';
import type { FunctionInfo, ScopeTree } from './scope';
import type { PyNode } from './tree';
import { field, namedChildren, unparen, walk } from './tree';

/**
 * Where functions run, as FastAPI and friends decide: route handlers and dependencies (`async def`
 * ones on the event loop, `def` ones in the thread pool), and functions handed to
 * `asyncio.to_thread`, `run_in_threadpool`, `run_in_executor` or background tasks (a thread).
 */
export interface FunctionRoles {
  routes: Set<FunctionInfo>;
  dependencies: Set<FunctionInfo>;
  threaded: Set<FunctionInfo>;
}

const ROUTE_METHOD_SET: ReadonlySet<string> = new Set(ROUTE_METHODS);

export function functionRoles(tree: ScopeTree, r: Resolver, calls: PyNode[]): FunctionRoles {
  const roles = noRoles();
  for (const fn of tree.functions) if (isRoute(fn, r)) roles.routes.add(fn);
  for (const call of calls) markFromCall(call, r, roles);
  return roles;
}

export function noRoles(): FunctionRoles {
  return { routes: new Set(), dependencies: new Set(), threaded: new Set() };
}

/** A route handler: decorated with `@router.get(…)` and the like. */
export function isRoute(fn: FunctionInfo, r: Resolver): boolean {
  return fn.decorators.some((d) => isRouteDecorator(d, r));
}

/** What `call` says about the functions handed to it (`Depends(f)`, `run_in_executor(None, f)`…). */
export function markFromCall(call: PyNode, r: Resolver, roles: FunctionRoles): void {
  const callee = field(call, 'function');
  if (!callee) return;
  const v = r.valueOf(callee);
  const q = qnameOf(v);
  if (q && DEPENDENCY_MARKERS.includes(q)) {
    const fn = functionArgument(call, 0, r);
    if (fn) roles.dependencies.add(fn);
    return;
  }
  const key = v.kind === 'member' ? (r.type(v.owner)?.module ? v.qname : `${v.owner}.${v.name}`) : q;
  let index = key !== undefined ? THREAD_RUNNERS[key] : undefined;
  if (index === undefined && v.kind === 'unknown' && unparen(callee).type === 'attribute') {
    const method = r.src(field(unparen(callee), 'attribute') ?? callee);
    if (method === 'run_in_executor') index = 1;
    else if (method === 'add_task' && /background|tasks/i.test(r.src(field(unparen(callee), 'object') ?? callee))) index = 0;
  }
  if (index !== undefined) {
    const fn = functionArgument(call, index, r);
    // Starlette's BackgroundTasks (and anything that is handed a coroutine function) awaits an
    // `async def` on the event loop; only plain functions go to the thread pool.
    if (fn && !fn.isAsync) roles.threaded.add(fn);
  }
}

function isRouteDecorator(d: PyNode, r: Resolver): boolean {
  const call = unparen(d);
  if (call.type !== 'call') return false;
  const callee = field(call, 'function');
  if (!callee || callee.type !== 'attribute') return false;
  const method = r.src(field(callee, 'attribute') ?? callee);
  if (!ROUTE_METHOD_SET.has(method)) return false;
  const obj = field(callee, 'object');
  if (!obj) return false;
  const v = r.valueOf(obj);
  if (v.kind === 'type') return !!r.type(v.id)?.routeMethods?.includes(method);
  return v.kind === 'unknown' && obj.type === 'identifier' && ROUTER_NAMES.test(r.src(obj));
}

/** The function of this file passed as argument `index` (a name or a lambda). */
function functionArgument(call: PyNode, index: number, r: Resolver): FunctionInfo | undefined {
  const args = field(call, 'arguments');
  if (!args) return undefined;
  const positional = namedChildren(args).filter((a) => a.type !== 'keyword_argument');
  const arg = positional[index] ? unparen(positional[index]) : undefined;
  if (!arg) return undefined;
  if (arg.type === 'lambda') return r.tree.functionOf.get(arg);
  const v = r.valueOf(arg);
  return v.kind === 'function' ? v.fn : undefined;
}

/** All call nodes of the file, in document order. */
export function allCalls(root: PyNode): PyNode[] {
  const out: PyNode[] = [];
  walk(root, (n) => {
    if (n.type === 'call') out.push(n);
  });
  return out;
}
