import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules, analyze, ready } from '../src/core';
import { frontendFor } from '../src/frontends';
import type { Rule } from '../src/core';

const RULES_DIR = path.join(__dirname, '..', 'src', 'rules');

/** Keeps rules honest: registered, named for their file, documented, and their docs tell the truth. */
describe('rule registry', () => {
  before(async () => {
    await ready();
  });

  const ruleFiles = fs
    .readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .map((f) => f.replace(/\.js$/, ''));

  it('has a rule file for every registered rule and registers every rule file', () => {
    assert.deepStrictEqual([...ruleFiles].sort(), allRules.map((r) => r.id).sort());
  });

  for (const id of ruleFiles) {
    describe(id, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const rule = (require(path.join(RULES_DIR, `${id}.js`)) as { default: Rule }).default;

      it('exports the registered rule with id = file name', () => {
        assert.strictEqual(rule.id, id);
        assert.ok(allRules.includes(rule), `${id} is not in allRules`);
        assert.match(id, /^[a-z]+(-[a-z0-9]+)*$/, 'ids are kebab-case');
      });

      it('has complete docs', () => {
        const d = rule.docs;
        for (const key of ['summary', 'whatItDoes', 'whyIsThisBad', 'fixSafety'] as const) {
          assert.ok(d[key] && d[key].trim().length > 20, `docs.${key} is missing or too short`);
        }
        assert.ok(d.summary.endsWith('.'), 'the summary is one sentence ending with a period');
        for (const lang of ['typescript', 'python'] as const) {
          if (!rule.languages.includes(lang)) continue;
          assert.ok(d.example[lang], `docs.example.${lang} is missing`);
          assert.ok(d.useInstead[lang], `docs.useInstead.${lang} is missing`);
        }
      });

      for (const lang of ['typescript', 'python'] as const) {
        const file = lang === 'typescript' ? 'example.ts' : 'example.py';
        it(`reports its ${lang} example and not the "use instead" code`, function () {
          if (!rule.languages.includes(lang)) this.skip();
          if (!frontendFor(lang)) this.skip(); // the Python front-end is registered separately
          const bad = analyze({ file, text: rule.docs.example[lang]! });
          assert.ok(
            bad.findings.some((f) => f.rule === id),
            `the ${lang} example of ${id} is not reported:\n${rule.docs.example[lang]}\nnotes: ${bad.notes.join('; ')}`,
          );
          const good = analyze({ file, text: rule.docs.useInstead[lang]! });
          const wrong = good.findings.filter((f) => f.rule === id);
          assert.deepStrictEqual(wrong.map((f) => f.message), [], `the ${lang} "use instead" code of ${id} is reported`);
        });
      }
    });
  }
});
