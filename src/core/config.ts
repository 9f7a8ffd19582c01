import type { Severity } from './finding';

export type RuleSetting = Severity | 'off';

/** One configuration shape for the CLI, the extension and the ESLint plugin. */
export interface Config {
  /** Per-rule severity; rules not named use their default severity. */
  rules: Record<string, RuleSetting>;
  /** Extra callees that issue queries, as dotted patterns with `*` (`crud.*.get*`, `repo.load`). */
  queryFunctions: string[];
  /** Extra callees that block the event loop, same pattern syntax. */
  blockingFunctions: string[];
  /** Globs (relative to the config file's folder) of files not to analyse. */
  ignore: string[];
}

/** A config problem: which file, which key, what was expected. Analysis goes on with defaults. */
export interface ConfigProblem {
  file: string;
  key: string;
  message: string;
}

export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

export function defaultConfig(): Config {
  return { rules: {}, queryFunctions: [], blockingFunctions: [], ignore: [] };
}

const KNOWN_KEYS = ['rules', 'queryFunctions', 'blockingFunctions', 'ignore'] as const;

/**
 * Validates a raw config object (parsed JSON/TOML) key by key. Bad keys are dropped and reported;
 * good ones are kept, so one typo does not throw away the rest of the file.
 */
export function validateConfig(
  raw: unknown,
  file: string,
  ruleIds: readonly string[],
  keyPrefix = '',
): { config: Partial<Config>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: Partial<Config> = {};
  const key = (k: string) => (keyPrefix ? `${keyPrefix}.${k}` : k);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ file, key: keyPrefix || '(root)', message: 'expected an object' });
    return { config, problems };
  }
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(k)) {
      problems.push({ file, key: key(k), message: `unknown key; expected one of ${KNOWN_KEYS.join(', ')}` });
    }
  }
  if ('rules' in obj) {
    const rules = obj.rules;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
      problems.push({ file, key: key('rules'), message: 'expected an object of rule id → severity' });
    } else {
      const out: Record<string, RuleSetting> = {};
      for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
        if (!ruleIds.includes(id)) {
          problems.push({ file, key: key(`rules.${id}`), message: `unknown rule; expected one of ${ruleIds.join(', ')}` });
        } else if (typeof value !== 'string' || !(RULE_SETTINGS as readonly string[]).includes(value)) {
          problems.push({
            file,
            key: key(`rules.${id}`),
            message: `expected one of ${RULE_SETTINGS.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(value)}`,
          });
        } else {
          out[id] = value as RuleSetting;
        }
      }
      config.rules = out;
    }
  }
  for (const listKey of ['queryFunctions', 'blockingFunctions', 'ignore'] as const) {
    if (!(listKey in obj)) continue;
    const value = obj[listKey];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
      problems.push({ file, key: key(listKey), message: 'expected an array of non-empty strings' });
    } else {
      config[listKey] = value as string[];
    }
  }
  return { config, problems };
}

/** Later layers override earlier ones: rule severities per rule, lists concatenated. */
export function mergeConfig(...layers: Partial<Config>[]): Config {
  const out = defaultConfig();
  for (const layer of layers) {
    if (layer.rules) out.rules = { ...out.rules, ...layer.rules };
    if (layer.queryFunctions) out.queryFunctions = [...out.queryFunctions, ...layer.queryFunctions];
    if (layer.blockingFunctions) out.blockingFunctions = [...out.blockingFunctions, ...layer.blockingFunctions];
    if (layer.ignore) out.ignore = [...out.ignore, ...layer.ignore];
  }
  return out;
}

/**
 * Matches a dotted callee (`crud.user.get_multi`) against a config pattern (`crud.*.get*`):
 * `*` matches within one segment, `**` any number of segments.
 */
export function matchCalleePattern(pattern: string, callee: string): boolean {
  const re = patternCache.get(pattern) ?? compilePattern(pattern);
  return re.test(callee);
}

const patternCache = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  const body = pattern
    .split('.')
    .map((seg) =>
      seg === '**'
        ? '(?:[^.]+(?:\\.[^.]+)*)?'
        : seg.replace(/[|\\{}()[\]^$+?]/g, '\\$&').replace(/\*/g, '[^.]*'),
    )
    .join('\\.');
  const re = new RegExp(`^${body}$`);
  patternCache.set(pattern, re);
  return re;
}
