import * as fs from 'fs';
import * as path from 'path';
import { RuleTester } from 'eslint';
import type { Linter } from 'eslint';
import plugin = require('../src/eslint');
import { analyzeProject, applyEdits, defaultConfig, LineIndex } from '../src/core';
import type { Finding, Fix } from '../src/core';
import { ignoreFixes } from '../src/core/ignore-fixes';
import { allRules } from '../src/rules';
import { listFiles, parseExpectations } from './fixture-expectations';
import { clearProjectCache } from '../src/eslint/project-cache';

/**
 * ESLint's own RuleTester over the same TypeScript/JavaScript fixtures as test/fixtures.test.ts:
 * a fixture file with `// expect: <rule>` lines is an invalid case whose errors sit on exactly
 * those lines; a file without is a valid case. Each fixture folder is one project (settings
 * `perflens.root`), so cross-file helpers link as in the fixtures test. The fixes each error
 * carries are the engine's own (the CLI path, analyzeProject): the safe one as ESLint's `fix`,
 * the others and "ignore …" as suggestions.
 */

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const ruleIds = new Set(allRules.map((r) => r.id));

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// The parser's types need `moduleResolution: node16`; its runtime object is all RuleTester needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsParser = require('@typescript-eslint/parser') as Linter.Parser;
const tester = new RuleTester({ languageOptions: { parser: tsParser } });


/**
 * What `eslint --fix` makes of one pass, by ESLint's documented rules: one fix per problem, its
 * edits merged into one replacement over the range they span, problems in source order, a fix
 * skipped when its range overlaps or touches one already applied.
 */
function eslintOnePass(text: string, findings: Finding[]): string | null {
  const merged = findings
    .map((f) => f.fixes.find((x) => x.applicability === 'safe' && x.edits.length > 0))
    .filter((x): x is Fix => x !== undefined)
    .map((fix) => {
      const start = Math.min(...fix.edits.map((e) => e.span.start));
      const end = Math.max(...fix.edits.map((e) => e.span.end));
      const replaced = applyEdits(text, fix.edits);
      return { start, end, newText: replaced.slice(start, replaced.length - (text.length - end)) };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (!merged.length) return null;
  let out = '';
  let last = -Infinity;
  let cursor = 0;
  for (const m of merged) {
    if (last >= m.start) continue;
    out += text.slice(cursor, m.start) + m.newText;
    cursor = m.end;
    last = m.end;
  }
  return out + text.slice(cursor);
}

const folders = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory());

describe('eslint plugin: RuleTester on the fixtures', function () {
  after(() => clearProjectCache());
  for (const id of Object.keys(plugin.rules)) {
    // The rule's own folder, and the folders checked against every rule (suppressions, mixed, …).
    const dirs = folders.filter((d) => d === id || !ruleIds.has(d)).map((d) => path.join(FIXTURES, d));
    const valid: RuleTester.ValidTestCase[] = [];
    const invalid: RuleTester.InvalidTestCase[] = [];
    for (const dir of dirs) {
      const files = listFiles(dir, SCRIPT);
      // The engine's findings, as the CLI computes them for this folder as one project.
      let engine: Map<string, { findings: Finding[] }> | undefined;
      const engineFindings = (file: string) => {
        engine ??= analyzeProject(
          files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })),
          defaultConfig(),
        );
        return engine.get(file)!.findings.filter((f) => f.rule === id);
      };
      for (const file of files) {
        const code = fs.readFileSync(file, 'utf8');
        const expected = parseExpectations(code).filter((e) => e.rule === id);
        const base = { code, filename: file, settings: { perflens: { root: dir } }, name: path.relative(FIXTURES, file) };
        if (!expected.length) {
          valid.push(base);
          continue;
        }
        const lines = expected.map((e) => e.line).sort((a, b) => a - b);
        // Built when RuleTester reads the case (inside its `it`), so the engine runs per folder once.
        const lazyCase = {
          ...base,
          get errors() {
            const found = engineFindings(file);
            const index = new LineIndex(code);
            return lines.map((line, k) => {
              const f = found[k];
              // A finding the engine puts elsewhere fails on the line; without one there are no fixes to expect.
              if (!f || index.position(f.span.start).line !== line) return { line, messageId: 'finding' };
              const safe = f.fixes.find((x) => x.applicability === 'safe' && x.edits.length > 0);
              const suggested = [...f.fixes.filter((x) => x !== safe && x.edits.length > 0), ...ignoreFixes(f, code, file.endsWith('.py') ? 'python' : 'typescript')];
              return { line, messageId: 'finding', suggestions: suggested.map((x) => ({ messageId: 'fix', data: { title: x.title }, output: applyEdits(code, x.edits) })) };
            });
          },
          get output() {
            return eslintOnePass(code, engineFindings(file));
          },
        };
        invalid.push(lazyCase as unknown as RuleTester.InvalidTestCase);
      }
    }
    tester.run(id, plugin.rules[id], { valid, invalid });
  }
});
