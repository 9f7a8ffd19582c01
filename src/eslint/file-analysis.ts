import * as path from 'path';
import type ts from 'typescript';
import type { AnalyzeResult } from '../core/analyze';
import { analyze, checkFacts, languageForFile } from '../core/analyze';
import type { Config } from '../core/config';
import { mergeConfig } from '../core/config';
import { isIgnoredByConfig } from '../core/config-files';
import { linkFactsSafely } from '../core/link';
import type { FileFacts, Language } from '../core/model';
import { extractFromSourceFile } from '../frontends/typescript';
import { configFor, projectIndex, projectRootFor } from './project-cache';

/** What the plugin reads from ESLint's `settings.perflens` (shared by all perflens rules). */
export interface PerflensSettings {
  /** Project root for cross-file helpers; default: the nearest folder with a perflens config or package.json. */
  root?: string;
  /** Link calls across the project's files (default true); false analyses each file alone. */
  crossFile?: boolean;
}

/** Per-rule options: extra callees, added to what the perflens config file says. */
export interface RuleOptions {
  queryFunctions?: string[];
  blockingFunctions?: string[];
}

/** The parts of ESLint's `SourceCode` the analysis needs (ESLint 9 and 10 agree on them). */
export interface LintedSource {
  text: string;
  ast: object;
  parserServices?: { esTreeNodeToTSNodeMap?: { get(node: object): unknown } } | null;
}

export interface FileAnalysis {
  result: AnalyzeResult;
  /** The perflens config that applies to the file (rules set to `off` there stay off). */
  config: Config;
  language: Language;
  /** The parser's syntax tree was analysed (no second parse); false when the text was parsed again. */
  reusedParse: boolean;
}

/**
 * One analysis per linted file and effective config, shared by the four perflens rules: ESLint
 * calls each rule's `create` with the same SourceCode object.
 */
const cache = new WeakMap<object, Map<string, FileAnalysis | null>>();

export function analyzeLinted(source: LintedSource, filename: string, settings: PerflensSettings, options: RuleOptions): FileAnalysis | undefined {
  const key = JSON.stringify([filename, settings, options]);
  let perSource = cache.get(source);
  if (!perSource) cache.set(source, (perSource = new Map()));
  if (perSource.has(key)) return perSource.get(key) ?? undefined;
  const out = analyzeUncached(source, filename, settings, options);
  perSource.set(key, out ?? null);
  return out;
}

function analyzeUncached(source: LintedSource, filename: string, settings: PerflensSettings, options: RuleOptions): FileAnalysis | undefined {
  const file = path.resolve(filename);
  const language = languageForFile(file);
  // Python is not linted through ESLint; virtual names (`<input>`, `<text>`) fall back to TypeScript.
  const lang: Language = language === 'javascript' || language === 'typescript' ? language : language === 'python' ? 'python' : 'typescript';
  if (lang === 'python') return undefined;
  // The project first: refreshing it re-reads config files that changed.
  const project = settings.crossFile === false ? undefined : projectIndex(settings.root ? path.resolve(settings.root) : projectRootFor(file));
  const loaded = configFor(file);
  if (language && isIgnoredByConfig(loaded, file)) return undefined;
  const config = mergeConfig(loaded.config, { queryFunctions: options.queryFunctions ?? [], blockingFunctions: options.blockingFunctions ?? [] });
  const sf = sourceFileOf(source);
  if (!sf) {
    // Another parser (espree), or another TypeScript: the same engine on the text, parsed by our front-end.
    return { result: analyze({ file, text: source.text, language: lang, config, project }), config, language: lang, reusedParse: false };
  }
  let facts: FileFacts;
  try {
    facts = extractFromSourceFile(sf, file, lang, config, project);
  } catch {
    // Nested deeper than this thread's stack (`analyze` retries on a big-stack worker), or an internal
    // error: the engine's own path never throws, and a linter plugin must not stop the lint run.
    return { result: analyze({ file, text: source.text, language: lang, config, project }), config, language: lang, reusedParse: false };
  }
  linkFactsSafely(facts, project);
  return { result: checkFacts(facts, config), config, language: lang, reusedParse: true };
}

/**
 * The `ts.SourceFile` that `@typescript-eslint/parser` built for this file — if it was that parser,
 * and it ran on this package's copy of TypeScript. A project may give the parser another TypeScript
 * version, whose syntax kinds are numbered differently; such a tree is not ours to walk, and the text is
 * parsed again with our compiler instead (correct, at the cost of a second parse).
 */
function sourceFileOf(source: LintedSource): ts.SourceFile | undefined {
  const node = source.parserServices?.esTreeNodeToTSNodeMap?.get(source.ast) as ts.SourceFile | undefined;
  if (!node || typeof node !== 'object' || Object.getPrototypeOf(node) !== ourSourceFilePrototype()) return undefined;
  // The map is keyed by the ESTree Program; it must give the whole file, with the text ESLint has.
  return node.kind === tsModule().SyntaxKind.SourceFile && node.text === source.text ? node : undefined;
}

let prototype: object | undefined;

/** Nodes of one TypeScript module instance share constructors: one tiny parse tells ours apart. */
function ourSourceFilePrototype(): object {
  const t = tsModule();
  prototype ??= Object.getPrototypeOf(t.createSourceFile('probe.ts', '', t.ScriptTarget.Latest)) as object;
  return prototype;
}

function tsModule(): typeof ts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('typescript') as typeof ts;
}
