import type { ESLint, Linter, Rule as ESLintRule } from 'eslint';
import { packageInfo } from '../cli/package-info';
import { allRules } from '../rules';
import { eslintRule } from './rule-adapter';

/**
 * `perflens/eslint-plugin`: perflens's TypeScript/JavaScript rules as ESLint rules, for teams whose CI
 * already runs ESLint.
 *
 *     // eslint.config.mjs
 *     import perflens from 'perflens/eslint-plugin';
 *     export default [perflens.configs.recommended];
 *
 * Rule names are `perflens/<id>`. The analysis needs `@typescript-eslint/parser` (its parser
 * services hand over the TypeScript syntax tree); the recommended config sets it for TS and JS files.
 */

/** The file extensions the recommended config applies to (the engine's TypeScript/JavaScript set). */
const FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

const scriptRules = allRules.filter((r) => r.languages.includes('typescript') || r.languages.includes('javascript'));

const rules: Record<string, ESLintRule.RuleModule> = Object.fromEntries(scriptRules.map((r) => [r.id, eslintRule(r)]));

/** ESLint has no `info` level: info-level rules are warnings. */
function eslintSeverity(severity: string): Linter.RuleSeverity {
  return severity === 'error' ? 'error' : 'warn';
}

function loadParser(): Linter.Parser {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@typescript-eslint/parser') as Linter.Parser;
  } catch {
    throw new Error('perflens/eslint-plugin: `configs.recommended` needs `@typescript-eslint/parser`; install it with `npm install --save-dev @typescript-eslint/parser`');
  }
}

let recommended: Linter.Config | undefined;

const info = packageInfo();

const plugin = {
  meta: { name: 'perflens/eslint-plugin', version: info.version },
  rules,
  configs: {
    /** Every TS/JS rule at its default severity, on TS and JS files, with `@typescript-eslint/parser`. */
    get recommended(): Linter.Config {
      recommended ??= {
        name: 'perflens/recommended',
        files: FILES,
        plugins: { perflens: plugin as unknown as ESLint.Plugin },
        languageOptions: { parser: loadParser() },
        rules: Object.fromEntries(scriptRules.map((r) => [`perflens/${r.id}`, eslintSeverity(r.defaultSeverity)])),
      };
      return recommended;
    },
  },
};

export = plugin;
