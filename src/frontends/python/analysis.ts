import type { Config } from '../../core/config';
import type { ProjectIndex } from '../../core/project';
import { CallAnalyzer } from './effects';
import { parsePython } from './parser';
import type { ParsedPython } from './parser';
import { Resolver } from './resolve';
import { allCalls, functionRoles } from './roles';
import type { FunctionRoles } from './roles';
import { buildScopes } from './scope';
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

export function analyseFile(file: string, text: string, config: Config, project: ProjectIndex | undefined): FileAnalysis | undefined {
  const parsed = parsePython(text);
  if (!parsed) return undefined;
  const tree = buildScopes(parsed.root, text);
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
