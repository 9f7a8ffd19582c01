import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ruleHelpUri } from '../src/cli/format-sarif';
import { renderRuleDocsMarkdown, ruleFacts } from '../src/cli/render-docs';
import { allRules } from '../src/rules';
import plugin = require('../src/eslint');
import { ROOT, runCli } from './cli-helpers';

/**
 * docs/rules/<id>.md and the README's rules table are generated from the rules' own docs by
 * `npm run docs` (docs/generate.js). Rule docs are edited in src/rules/; when the pages fall behind,
 * this test fails and says how to fix it.
 */

const GENERATE = path.join(ROOT, 'docs', 'generate.js');

function generate(...args: string[]) {
  return spawnSync(process.execPath, [GENERATE, ...args], { encoding: 'utf8' });
}

/** The words of a rendering, without Markdown or terminal layout: what both renderings must say. */
function words(text: string): string[] {
  return text
    .replace(/```\w*/g, ' ')
    .replace(/^\s*(TypeScript|Python):\s*$/gm, ' ')
    .replace(/[#*`()]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

describe('docs', function () {
  this.timeout(120_000);

  it('docs/rules and the README rules table are up to date (else: run `npm run docs`)', () => {
    const r = generate('--check');
    assert.strictEqual(r.status, 0, `${r.stderr}${r.stdout}`);
  });

  it('the check notices a stale page, a missing page and a page of no rule, and names the fix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-docs-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md'));
      assert.strictEqual(generate('--out', dir).status, 0);
      assert.strictEqual(generate('--check', '--out', dir).status, 0, 'freshly written docs pass');
      const [first, second] = allRules;
      fs.appendFileSync(path.join(dir, 'docs', 'rules', `${first.id}.md`), '\nedited by hand\n');
      fs.rmSync(path.join(dir, 'docs', 'rules', `${second.id}.md`));
      fs.writeFileSync(path.join(dir, 'docs', 'rules', 'retired-rule.md'), '# retired\n');
      const r = generate('--check', '--out', dir);
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, new RegExp(`docs/rules/${first.id}\\.md`));
      assert.match(r.stderr, new RegExp(`docs/rules/${second.id}\\.md`));
      assert.match(r.stderr, /retired-rule\.md \(no such rule\)/);
      assert.match(r.stderr, /Run `npm run docs`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const rule of allRules) {
    it(`${rule.id}: the page holds the rule's docs, and \`perflens rule ${rule.id}\` prints the same text`, async () => {
      const page = fs.readFileSync(path.join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      const markdown = renderRuleDocsMarkdown(rule);
      assert.ok(page.includes(markdown.trimEnd()), `docs/rules/${rule.id}.md does not hold the rule's current docs: run \`npm run docs\``);
      const cli = await runCli(['rule', rule.id], ROOT);
      assert.strictEqual(cli.code, 0, cli.stderr);
      // Same words in the same order; only the line of facts (languages, severity) sits elsewhere.
      const facts = ruleFacts(rule);
      assert.ok(cli.stdout.includes(facts) && markdown.includes(facts));
      assert.deepStrictEqual(words(cli.stdout.replace(facts, '')), words(markdown.replace(facts, '')));
    });
  }

  it('the README rules table links every rule to its page; diagnostics link to the pages', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const rule of allRules) {
      assert.ok(readme.includes(`[\`${rule.id}\`](docs/rules/${rule.id}.md)`), rule.id);
      assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'rules', `${rule.id}.md`)));
      const url = ruleHelpUri(rule.id);
      assert.match(url, new RegExp(`/rules/${rule.id}(\\.md)?$`));
      if (plugin.rules[rule.id]) assert.strictEqual(plugin.rules[rule.id].meta?.docs?.url, url);
    }
  });

  it('the npm package ships docs/ and both entry points', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown>; scripts: Record<string, string> };
    assert.ok(pkg.files.includes('docs'));
    assert.ok(pkg.exports['.'] && pkg.exports['./eslint-plugin']);
    assert.match(pkg.scripts.docs, /docs\/generate\.js/);
    // The package resolves itself by name: what `import … from 'perflens/eslint-plugin'` loads.
    assert.strictEqual(require.resolve('perflens/eslint-plugin', { paths: [ROOT] }), path.join(ROOT, 'out', 'src', 'eslint', 'index.js'));
    assert.strictEqual(require.resolve('perflens', { paths: [ROOT] }), path.join(ROOT, 'out', 'src', 'core', 'index.js'));
  });
});
