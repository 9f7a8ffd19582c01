import type { PyKnowledge, PyType } from './schema';
import { blocking } from './blocking';
import { fallbacks } from './fallbacks';
import { frameworks } from './frameworks';
import { orms } from './orms';
import { redis } from './redis';
import { sqlDrivers } from './sql-drivers';
import { sqlalchemy } from './sqlalchemy';
import { uniformTypes } from './uniform';

export type { PyCallable, PyEffect, PyKnowledge, PyType } from './schema';
export { RECEIVER_NAME_FALLBACKS } from './fallbacks';
export { DEPENDENCY_MARKERS, ROUTE_METHODS, ROUTER_NAMES, THREAD_RUNNERS } from './frameworks';

const libraries: PyKnowledge[] = [sqlalchemy, sqlDrivers, orms, redis, blocking, frameworks, fallbacks];

/** Every Python library the front-end knows, merged: module name → type id, type id → type. */
export const pythonKnowledge: PyKnowledge = {
  modules: Object.assign({}, ...libraries.map((l) => l.modules)) as Record<string, string>,
  types: uniformTypes(Object.assign({}, ...libraries.map((l) => l.types)) as Record<string, PyType>),
};

/** Module names with known submodules below them (`sqlalchemy` for `sqlalchemy.ext.asyncio`). */
export const knownModulePrefixes: ReadonlySet<string> = new Set(
  Object.keys(pythonKnowledge.modules).flatMap((m) => m.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))),
);
