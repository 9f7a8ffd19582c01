import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeProject, defaultConfig, allRules, LineIndex } from '../src/core';
import type { Config } from '../src/core';
import { compare, listFiles, parseExpectations } from './fixture-expectations';
import { ready } from '../src/core/analyze';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;

/**
 * Each folder under test/fixtures/<rule-id>/ is analysed as one project (so helpers in sibling
 * files count) and checked against the inline expectations of that rule. Folders not named after
 * a rule (e.g. `mixed`, `suppressions`) are checked against every rule.
 */
describe('fixtures', function () {
  before(async () => {
    await ready();
  });
  const ruleIds = new Set(allRules.map((r) => r.id));
  const folders = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory()) : [];
  for (const folder of folders) {
    describe(folder, () => {
      const dir = path.join(FIXTURES, folder);
      const files = listFiles(dir, SOURCE);
      const only = ruleIds.has(folder) ? folder : undefined;
      let results: ReturnType<typeof analyzeProject> | undefined;
      const config: Config = defaultConfig();
      for (const file of files) {
        const rel = path.relative(FIXTURES, file);
        it(rel, () => {
          results ??= analyzeProject(
            files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })),
            config,
          );
          const text = fs.readFileSync(file, 'utf8');
          const result = results.get(file)!;
          const lines = new LineIndex(text);
          const expected = parseExpectations(text).filter((e) => !only || e.rule === only);
          const actual = result.findings
            .filter((f) => !only || f.rule === only)
            .map((f) => ({ line: lines.position(f.span.start).line, rule: f.rule }));
          const problems = compare(rel, expected, actual);
          if (problems.length) {
            const detail = result.findings
              .map((f) => `  ${lines.position(f.span.start).line}: ${f.rule}: ${f.message}`)
              .join('\n');
            assert.fail(`${problems.join('\n')}\nfindings:\n${detail || '  (none)'}`);
          }
        });
      }
    });
  }
});
