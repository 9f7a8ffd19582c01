import type { MethodSpec } from './types';

/** Many method names that behave alike: `each(['find', 'findOne'], READ)`. */
export function each(names: readonly string[], spec: MethodSpec): Record<string, MethodSpec> {
  const out: Record<string, MethodSpec> = {};
  for (const n of names) out[n] = spec;
  return out;
}

export const READ: MethodSpec = { effect: 'query', op: 'read' };
export const WRITE: MethodSpec = { effect: 'query', op: 'write' };
export const LIFECYCLE: MethodSpec = { op: 'lifecycle' };
export const QUERY_LIFECYCLE: MethodSpec = { effect: 'query', op: 'lifecycle' };
export const BLOCKING: MethodSpec = { effect: 'blocking' };
