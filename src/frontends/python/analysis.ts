import type { Config } from '../../core/config';
import type { ProjectIndex } from '../../core/project';
import { CallAnalyzer } from './effects';
import { parsePython } from './parser';
import type { ParsedPython } from './parser';
import { Resolver } from './resolve';
import { allCalls, functionRoles } from './roles';
import type { FunctionRoles } from './roles';
import { buildScopes } from './scope';
import type { ScopeTree } from './scope';
import type { PyNode } from './tree';

/** Everything derived from one file that both `summarize` and `extract` need. */
export interface FileAnalysis {
  file: string;
  text: string;
  parsed: ParsedPython;
  resolver: Resolver;
  calls: CallAnalyzer;
  roles: FunctionRoles;
  callNodes: PyNode[];
}

/**
 * A project analysis summarises every file twice and then checks it: three visits per file.
 * The syntax tree and scopes do not depend on the other files, so they are kept, up to a budget
 * of source characters (the copies take ~25 bytes per character). When the budget is spent, new
 * files are not kept (rather than evicting old ones: the passes visit files in the same order,
 * so evicting would turn every later visit into a miss); a changed file replaces its entry.
 */
const CACHE_BUDGET = 4_000_000;
const cache = new Map<string, { text: string; parsed: ParsedPython; tree: ScopeTree }>();
let cached = 0;

function parseCached(file: string, text: string): { parsed: ParsedPython; tree: ScopeTree } | undefined {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit;
  const parsed = parsePython(text);
  if (!parsed) return undefined;
  const tree = buildScopes(parsed.root, text);
  if (hit) {
    cache.delete(file);
    cached -= hit.text.length;
  }
  if (cached + text.length <= CACHE_BUDGET) {
    cache.set(file, { text, parsed, tree });
    cached += text.length;
  }
  return { parsed, tree };
}

export function analyseFile(file: string, text: string, config: Config, project: ProjectIndex | undefined): FileAnalysis | undefined {
  const got = parseCached(file, text);
  if (!got) return undefined;
  const { parsed, tree } = got;
  const resolver = new Resolver(file, text, tree, project);
  const calls = new CallAnalyzer(resolver, config);
  const callNodes = allCalls(parsed.root);
  const roles = functionRoles(tree, resolver, callNodes);
  return { file, text, parsed, resolver, calls, roles, callNodes };
}

/** 1-based line of an offset, for notes. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
