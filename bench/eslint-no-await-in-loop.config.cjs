'use strict';
/**
 * ESLint baseline for the benchmark: the core rule `no-await-in-loop` only, every file parsed by
 * `@typescript-eslint/parser` (no type information, like Perflens). Passed with `--config`, so no
 * other config is looked up; the glob list mirrors the extensions Perflens analyses (minus Python).
 */
const tsParser = require('@typescript-eslint/parser');

module.exports = [
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      parser: tsParser,
      ecmaVersion: 'latest',
      sourceType: 'module',
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'no-await-in-loop': 'error' },
  },
];
