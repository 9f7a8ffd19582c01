import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Config, ConfigProblem } from './config';
import { defaultConfig, mergeConfig, validateConfig } from './config';
import { LineIndex } from './finding';
import { allRules } from '../rules';

/**
 * Config files on disk: discovery (the nearest `.perflens.json`, `package.json#perflens` or
 * `pyproject.toml [tool.perflens]` up from a file), parsing and validation. Plain Node `fs`, so the
 * CLI, the ESLint plugin and the extension share it. A broken file never stops analysis: its
 * problems are reported and the keys that were valid are kept.
 */

/** A config problem, with the position in the file when the file itself could not be parsed. */
export interface ConfigFileProblem extends ConfigProblem {
  line?: number;
  column?: number;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file; undefined when no file applies (defaults). */
  file?: string;
  /** Folder that `ignore` globs are relative to (the config file's folder). */
  dir: string;
  problems: ConfigFileProblem[];
}

/** Looked for in each folder, in this order; the first one that holds a config wins. */
export const CONFIG_FILE_NAMES = ['.perflens.json', 'package.json', 'pyproject.toml'] as const;

/** Reads one config file given explicitly (`--config`). Missing file → a problem, defaults. */
export function loadConfigFile(file: string, ruleIds: readonly string[] = defaultRuleIds()): LoadedConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    return {
      config: defaultConfig(),
      file: abs,
      dir: path.dirname(abs),
      problems: [{ file: abs, key: '(file)', message: `cannot read the config file (${errorCode(err)})` }],
    };
  }
  return parseConfigText(abs, text, ruleIds, true) ?? {
    config: defaultConfig(),
    file: abs,
    dir: path.dirname(abs),
    problems: [{ file: abs, key: sectionKey(abs) || '(root)', message: `no \`${sectionKey(abs)}\` section in this file` }],
  };
}

/**
 * Parses a config file's text. Returns undefined when the file holds no Perflens config at all
 * (a `package.json` without a `perflens` key), so that discovery goes on to the parent folder.
 * `explicit` files are read whole when they are not package.json / pyproject.toml.
 */
export function parseConfigText(
  file: string,
  text: string,
  ruleIds: readonly string[] = defaultRuleIds(),
  explicit = false,
): LoadedConfig | undefined {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const section = explicit ? sectionKey(file) : base === '.perflens.json' ? '' : sectionKey(file);
  const body = text.replace(/^\uFEFF/, '');
  const isToml = /\.toml$/i.test(base);
  let raw: unknown;
  try {
    raw = isToml ? parseToml(body) : JSON.parse(body);
  } catch (err) {
    // An unparsable package.json/pyproject.toml that never mentions perflens is not ours to judge.
    if (section && !body.includes('perflens')) return undefined;
    return { config: defaultConfig(), file, dir, problems: [syntaxProblem(file, body, isToml, err)] };
  }
  let value: unknown = raw;
  if (section) {
    for (const part of section.split('.')) {
      value = isPlainObject(value) ? value[part] : undefined;
    }
    if (value === undefined) return undefined;
  }
  const { config, problems } = validateConfig(value, file, ruleIds, section);
  return { config: mergeConfig(config), file, dir, problems };
}

/**
 * Finds the config that applies to each file: the nearest config file up the tree. Results are
 * cached per folder, so a scan of thousands of files reads each config file once.
 */
export class ConfigResolver {
  private readonly byDir = new Map<string, LoadedConfig>();

  constructor(private readonly ruleIds: readonly string[] = defaultRuleIds()) {}

  forFile(file: string): LoadedConfig {
    return this.forDir(path.dirname(path.resolve(file)));
  }

  forDir(dir: string): LoadedConfig {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    let found: LoadedConfig | undefined;
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      let text: string;
      try {
        text = fs.readFileSync(candidate, 'utf8');
      } catch {
        continue; // absent (or a folder of that name): look further
      }
      found = parseConfigText(candidate, text, this.ruleIds);
      if (found) break;
    }
    if (!found) {
      const parent = path.dirname(dir);
      found = parent === dir ? { config: defaultConfig(), dir, problems: [] } : this.forDir(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }
}

const ignoreMatchers = new WeakMap<LoadedConfig, (rel: string) => boolean>();

/**
 * True when the config's `ignore` globs match the file, relative to the config file's folder.
 * A glob naming a folder (`generated`, `legacy/**`) ignores everything inside it.
 */
export function isIgnoredByConfig(loaded: LoadedConfig, file: string): boolean {
  if (loaded.config.ignore.length === 0) return false;
  let match = ignoreMatchers.get(loaded);
  if (!match) {
    match = picomatch(loaded.config.ignore, { dot: true });
    ignoreMatchers.set(loaded, match);
  }
  return matchesPathOrParent(match, path.relative(loaded.dir, path.resolve(file)));
}

/** Tests a relative path and each of its parent folders (so folder globs cover their contents). */
export function matchesPathOrParent(match: (rel: string) => boolean, relative: string): boolean {
  const rel = relative.split(path.sep).join('/');
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return false;
  const parts = rel.split('/');
  for (let i = parts.length; i > 0; i--) {
    if (match(parts.slice(0, i).join('/'))) return true;
  }
  return false;
}

function defaultRuleIds(): string[] {
  return allRules.map((r) => r.id);
}

/** The dotted key under which a file holds its Perflens config (`''` = the whole file). */
function sectionKey(file: string): string {
  const base = path.basename(file);
  if (base === 'package.json') return 'perflens';
  if (base === 'pyproject.toml') return 'tool.perflens';
  return '';
}

function syntaxProblem(file: string, text: string, isToml: boolean, err: unknown): ConfigFileProblem {
  if (isToml) {
    const first = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const detail = first.replace(/^Invalid TOML document:\s*/, '');
    const line = err instanceof TomlError ? err.line : undefined;
    const column = err instanceof TomlError ? err.column : undefined;
    const at = line !== undefined ? ` at line ${line}, column ${column}` : '';
    return { file, key: '(syntax)', message: `invalid TOML${at}: ${detail}`, line, column };
  }
  const located = locateJsonError(text) ?? { offset: 0, message: err instanceof Error ? err.message : String(err) };
  const pos = new LineIndex(text).position(located.offset);
  return {
    file,
    key: '(syntax)',
    message: `invalid JSON at line ${pos.line}, column ${pos.column}: ${located.message}`,
    line: pos.line,
    column: pos.column,
  };
}

/**
 * Where strict JSON text goes wrong. `JSON.parse` only sometimes says where ("Unexpected token
 * '}', ... is not valid JSON" has no position), so a small recursive-descent scanner finds the
 * first offending character and says what was expected there. Undefined when the text is valid.
 */
export function locateJsonError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  class Stop {
    constructor(
      readonly offset: number,
      readonly message: string,
    ) {}
  }
  const fail = (expected: string): never => {
    const found = i >= text.length ? 'end of file' : `\`${text[i]}\``;
    throw new Stop(i, `expected ${expected}, found ${found}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const str = () => {
    if (text[i] !== '"') fail('a string');
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a closing `"` (strings cannot span lines)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after `\\u`');
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('an escape character');
      }
      i++;
    }
    if (i >= text.length) fail('a closing `"`');
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        str();
        ws();
        if (text[i] !== ':') fail('`:`');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('`,` or `}`');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('`,` or `]`');
      }
    }
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (lit) {
      i += lit[0].length;
      return;
    }
    fail('a value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('end of file');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.message };
    throw e;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' ? 'no such file' : code ?? (err instanceof Error ? err.message : String(err));
}
