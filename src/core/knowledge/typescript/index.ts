import type { LibraryKnowledge, MethodSpec, TypeSpec } from '../types';
import { sqlDrivers } from './sql-drivers';
import { prisma } from './prisma';
import { typeorm } from './typeorm';
import { sequelize } from './sequelize';
import { queryBuilders } from './query-builders';
import { mongoose } from './mongoose';
import { mikroorm } from './mikroorm';
import { nodeBlocking } from './node-blocking';
import { httpFrameworks } from './http-frameworks';
import { redis } from './redis';
import { fallbacks } from './fallbacks';

export { FALLBACK_NAMES, FALLBACK_SUFFIXES, SLEEP_FUNCTIONS, GLOBAL_FUNCTIONS } from './fallbacks';
export { NEST_ROUTE_DECORATORS, NEST_CONTROLLER_DECORATORS } from './http-frameworks';

const libraries: LibraryKnowledge[] = [sqlDrivers, prisma, typeorm, sequelize, queryBuilders, mongoose, mikroorm, nodeBlocking, httpFrameworks, redis, fallbacks];

/** All TypeScript/JavaScript knowledge merged into lookups. */
export const TS_MODULES: ReadonlyMap<string, string> = new Map(libraries.flatMap((l) => Object.entries(l.modules)));
export const TS_DEFAULTS: ReadonlyMap<string, string> = new Map(libraries.flatMap((l) => Object.entries(l.defaults ?? {})));
export const TS_TYPES: ReadonlyMap<string, TypeSpec> = new Map(libraries.flatMap((l) => Object.entries(l.types)));

export function typeSpec(id: string | undefined): TypeSpec | undefined {
  return id === undefined ? undefined : TS_TYPES.get(id);
}

/** The method spec of `method` on a value of type `typeId`. */
export function methodSpec(typeId: string, method: string): MethodSpec | undefined {
  const t = TS_TYPES.get(typeId);
  if (!t) return undefined;
  return (t.methods && Object.prototype.hasOwnProperty.call(t.methods, method) ? t.methods[method] : undefined) ?? t.otherMethods;
}

/** The type of property `name` on a value of type `typeId`. */
export function propertyType(typeId: string, name: string): string | undefined {
  const t = TS_TYPES.get(typeId);
  if (!t) return undefined;
  if (t.properties && Object.prototype.hasOwnProperty.call(t.properties, name)) return t.properties[name];
  if (t.anyProperty && !/^[$_]/.test(name) && !(t.methods && name in t.methods)) return t.anyProperty;
  return undefined;
}
