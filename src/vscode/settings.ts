import * as vscode from 'vscode';
import type { RuleSetting } from '../core/config';
import type { SettingsLayer } from './protocol';

export type RunMode = 'onType' | 'onSave';

export const SECTION = 'perflens';
const RULE_PREFIX = `${SECTION}.rules.`;
const RULE_SETTINGS: readonly string[] = ['off', 'info', 'warning', 'error'];

/**
 * The rule ids that have a `perflens.rules.<id>` setting, read from the manifest, so the settings
 * and the engine's rules are checked against each other by the manifest test, not listed twice.
 */
export function ruleIds(extension: vscode.Extension<unknown>): string[] {
  const json = extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> } } };
  return Object.keys(json.contributes?.configuration?.properties ?? {})
    .filter((k) => k.startsWith(RULE_PREFIX))
    .map((k) => k.slice(RULE_PREFIX.length));
}

/**
 * VS Code settings → the config layer that overrides config files, as DESIGN.md says: a rule set to
 * `default` leaves the config file (or the rule's default) in charge; the lists are added to the
 * config file's lists.
 */
export function readSettings(ids: readonly string[], folders: readonly vscode.WorkspaceFolder[]): SettingsLayer {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const rules: Record<string, RuleSetting> = {};
  for (const id of ids) {
    const value = cfg.get<string>(`rules.${id}`);
    if (value !== undefined && RULE_SETTINGS.includes(value)) rules[id] = value as RuleSetting;
  }
  return {
    config: { rules, queryFunctions: strings(cfg.get('queryFunctions')), blockingFunctions: strings(cfg.get('blockingFunctions')) },
    ignore: strings(cfg.get('ignore')),
    folders: folders.map((f) => f.uri.fsPath),
  };
}

export function enabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('enable', true);
}

export function runMode(): RunMode {
  return vscode.workspace.getConfiguration(SECTION).get<string>('run') === 'onSave' ? 'onSave' : 'onType';
}

/**
 * `files.exclude` of a folder: globs that are switched on, and globs that apply only when a sibling
 * exists (`"**\/*.js": { "when": "$(basename).ts" }` hides compiled files next to their sources).
 */
export function filesExclude(folder?: vscode.Uri): { globs: string[]; when: { glob: string; when: string }[] } {
  const map = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
  const globs: string[] = [];
  const when: { glob: string; when: string }[] = [];
  for (const [glob, v] of Object.entries(map)) {
    if (v === true) globs.push(glob);
    else if (typeof v === 'object' && v !== null && typeof (v as { when?: unknown }).when === 'string') when.push({ glob, when: (v as { when: string }).when });
  }
  return { globs, when };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}
