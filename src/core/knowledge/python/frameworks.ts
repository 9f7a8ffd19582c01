import type { PyKnowledge } from './schema';
import { klass } from './schema';

/**
 * Web frameworks and thread-pool helpers. FastAPI/Starlette run `async def` routes and
 * dependencies on the event loop and plain `def` ones in a thread pool; functions handed to
 * `asyncio.to_thread`, `run_in_threadpool` or background tasks run in a thread too.
 */

export const ROUTE_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'api_route', 'websocket', 'route'] as const;

/** Qualified names of `Depends`-like markers: the function they name is a dependency. */
export const DEPENDENCY_MARKERS = ['fastapi.Depends', 'fastapi.Security', 'fastapi.params.Depends', 'fastapi.params.Security'];

/**
 * Callables whose function argument runs in a worker thread (qualified names, or
 * `<type id>.<method>` for methods). Value: index of that argument.
 */
export const THREAD_RUNNERS: Record<string, number> = {
  'asyncio.to_thread': 0,
  'starlette.concurrency.run_in_threadpool': 0,
  'fastapi.concurrency.run_in_threadpool': 0,
  'anyio.to_thread.run_sync': 0,
  'asgiref.sync.sync_to_async': 0,
  'asyncio.AbstractEventLoop.run_in_executor': 1,
  // Starlette runs sync background tasks in its thread pool.
  'fastapi.BackgroundTasks.add_task': 0,
};

/** Receiver names taken for a FastAPI app/router when the value cannot be resolved. */
export const ROUTER_NAMES = /^(app|api|router|api_router|[a-z_]*_router|[a-z_]*_api|bp|blueprint)$/;

export const frameworks: PyKnowledge = {
  modules: {
    fastapi: 'mod:fastapi',
    'fastapi.routing': 'mod:fastapi',
    starlette: 'mod:starlette',
    'starlette.concurrency': 'mod:starlette.concurrency',
    'fastapi.concurrency': 'mod:starlette.concurrency',
    'anyio.to_thread': 'mod:anyio.to_thread',
    'asgiref.sync': 'mod:asgiref.sync',
  },
  types: {
    'mod:fastapi': {
      library: 'fastapi',
      display: 'fastapi',
      module: true,
      methods: { Depends: {}, Security: {} },
      attributes: { FastAPI: 'fastapi.FastAPI:class', APIRouter: 'fastapi.APIRouter:class', BackgroundTasks: 'fastapi.BackgroundTasks:class' },
    },
    'fastapi.FastAPI:class': klass('fastapi.FastAPI'),
    'fastapi.FastAPI': { library: 'fastapi', display: 'FastAPI', routeMethods: ROUTE_METHODS },
    'fastapi.APIRouter:class': klass('fastapi.APIRouter'),
    'fastapi.APIRouter': { library: 'fastapi', display: 'APIRouter', routeMethods: ROUTE_METHODS },
    'fastapi.BackgroundTasks:class': klass('fastapi.BackgroundTasks'),
    'fastapi.BackgroundTasks': { library: 'fastapi', display: 'BackgroundTasks', methods: { add_task: {} } },
    'mod:starlette': { library: 'starlette', display: 'starlette', module: true },
    'mod:starlette.concurrency': { library: 'starlette', display: 'starlette.concurrency', module: true, methods: { run_in_threadpool: {} } },
    'mod:anyio.to_thread': { library: 'anyio', display: 'anyio.to_thread', module: true, methods: { run_sync: {} } },
    'mod:asgiref.sync': { library: 'asgiref', display: 'asgiref.sync', module: true, methods: { sync_to_async: {} } },
  },
};
