import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules, analyze, applyEdits, applyFixes, buildIndex, defaultConfig, ignoreFixes, LineIndex } from '../src/core';
import type { AnalyzeResult, Config, Finding, Fix, ProjectIndex } from '../src/core';
import { languageForFile, ready } from '../src/core/analyze';
import { listFiles } from './fixture-expectations';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;
/** `PERFLENS_UPDATE_FIXED=1 npm test` writes missing or changed `*.fixed.*` files (review the diff). */
const UPDATE = process.env.PERFLENS_UPDATE_FIXED === '1';
const MAX_PASSES = 10;

/**
 * Fixes, checked on the fixtures (the same files the findings are checked on):
 * - every fixture whose findings offer a repair has `<name>.fixed.<ext>` beside it: the text after
 *   applying, pass after pass, the first repair of every finding of the folder's rule (safe and
 *   unsafe, as `perflens check --fix --unsafe` does); a fixture without repairs has none;
 * - each fix applied on its own leaves a file that parses, and the finding is gone (or stays, for a
 *   fix marked `keepsFinding`), and no new finding of that rule appears;
 * - applying the safe fixes converges: once applied, applying them again changes nothing.
 */
describe('fixes', function () {
  before(() => ready());
  const ruleIds = new Set(allRules.map((r) => r.id));
  const folders = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory()) : [];
  for (const folder of folders) {
    describe(folder, () => {
      const dir = path.join(FIXTURES, folder);
      const files = listFiles(dir, SOURCE);
      const only = ruleIds.has(folder) ? folder : undefined;
      const config: Config = defaultConfig();
      let index: ProjectIndex | undefined;
      const project = () => (index ??= buildIndex(files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })), config));
      const run = (file: string, text: string): AnalyzeResult => analyze({ file, text, config, project: project() });
      const ofRule = (r: AnalyzeResult) => r.findings.filter((f) => !only || f.rule === only);

      for (const file of files) {
        const rel = path.relative(FIXTURES, file);
        const fixedFile = file.replace(/(\.[a-z]+)$/, '.fixed$1');
        it(`${rel}: every fix parses and repairs its finding`, () => {
          const text = fs.readFileSync(file, 'utf8');
          const before = ofRule(run(file, text));
          for (const finding of before) {
            for (const fix of [...repairs(finding), ...ignoreFixes(finding, text, languageForFile(file)!)]) {
              const after = run(file, applyOne(text, fix));
              assertParses(after, rel, fix);
              const remaining = ofRule(after);
              if (isIgnore(fix)) continue;
              const sameRule = (fs: Finding[]) => fs.filter((f) => f.rule === finding.rule).length;
              if (fix.keepsFinding) assert.ok(sameRule(remaining) <= sameRule(before), `${rel}: "${fix.title}" added findings`);
              else assert.ok(sameRule(remaining) < sameRule(before), `${rel}: "${fix.title}" left ${show(finding, text)} in place:\n${applyOne(text, fix)}`);
            }
          }
        });

        it(`${rel}: fixed output matches ${path.basename(fixedFile)}`, () => {
          const text = fs.readFileSync(file, 'utf8');
          const fixed = applyAll(text, (t) => ofRule(run(file, t)), ['safe', 'unsafe']);
          const exists = fs.existsSync(fixedFile);
          if (fixed === text) {
            if (exists && UPDATE) fs.rmSync(fixedFile);
            else assert.ok(!exists, `${rel} offers no repair, but ${path.basename(fixedFile)} exists`);
            return;
          }
          assertParses(run(file, fixed), path.basename(fixedFile));
          if (UPDATE) fs.writeFileSync(fixedFile, fixed);
          assert.ok(fs.existsSync(fixedFile), `${rel} offers repairs but ${path.basename(fixedFile)} is missing (PERFLENS_UPDATE_FIXED=1 npm test writes it)`);
          assert.strictEqual(fixed, fs.readFileSync(fixedFile, 'utf8'), `${path.basename(fixedFile)} is out of date`);
          // What is left has no repair to offer (a fix that keeps its finding is not offered again).
          const left = ofRule(run(file, fixed)).filter((f) => repairs(f).some((x) => !x.keepsFinding));
          assert.deepStrictEqual(left.map((f) => show(f, fixed)), [], 'repairs still offered after applying all');
        });

        it(`${rel}: safe fixes converge`, () => {
          const text = fs.readFileSync(file, 'utf8');
          const once = applyAll(text, (t) => ofRule(run(file, t)), ['safe']);
          assert.strictEqual(applyFixes(once, ofRule(run(file, once)), ['safe']).applied, 0);
        });
      }
    });
  }
});

function repairs(finding: Finding): Fix[] {
  return finding.fixes.filter((f) => !isIgnore(f) && f.edits.length > 0);
}

function isIgnore(fix: Fix): boolean {
  return fix.edits.every((e) => e.newText.includes('perflens-ignore'));
}

function applyOne(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

function applyAll(text: string, findingsOf: (t: string) => Finding[], allowed: Array<'safe' | 'unsafe'>): string {
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const plan = applyFixes(current, findingsOf(current), allowed);
    if (!plan.text) return current;
    current = plan.text;
  }
  assert.fail(`fixes did not converge in ${MAX_PASSES} passes`);
}

function assertParses(result: AnalyzeResult, where: string, fix?: Fix): void {
  const errors = result.notes.filter((n) => /syntax error|could not/.test(n));
  assert.deepStrictEqual(errors, [], `${where}${fix ? `: "${fix.title}"` : ''} does not parse`);
}

function show(f: Finding, text: string): string {
  return `${new LineIndex(text).position(f.span.start).line}: ${f.rule}: ${f.message}`;
}
