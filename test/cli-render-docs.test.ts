import * as assert from 'assert';
import { renderRuleDocsMarkdown, renderRuleDocsText } from '../src/cli/render-docs';
import type { Rule } from '../src/core/rule';
import { allRules } from '../src/rules';

const rule: Rule = {
  id: 'demo-rule',
  languages: ['typescript', 'python'],
  defaultSeverity: 'warning',
  docs: {
    summary: 'Reports a demo problem.',
    whatItDoes: 'Finds the demo pattern\nacross lines.\n\nA second paragraph.',
    whyIsThisBad: 'It is slow because each call waits for the one before it, which adds up quickly under load in production.',
    example: { typescript: '\n    for (const x of xs) {\n      await load(x);\n    }\n', python: 'for x in xs:\n    await load(x)' },
    useInstead: { typescript: 'await Promise.all(xs.map(load));' },
    fixSafety: 'Unsafe: `Promise.all` rejects on the first failure.',
  },
  check: () => undefined,
};

describe('cli: rule documentation rendering', function () {
  it('text: the sections in order, prose wrapped, code dedented and indented', () => {
    const out = renderRuleDocsText(rule, undefined, 60);
    const heads = ['What it does', 'Why is this bad', 'Example', 'Use instead', 'Fix safety'].map((h) => out.indexOf(`\n${h}\n`));
    assert.ok(heads.every((i, k) => i > 0 && (k === 0 || i > heads[k - 1])), out);
    assert.ok(out.startsWith('demo-rule  (languages: typescript, python; default severity: warning)\nReports a demo problem.\n'));
    assert.ok(out.includes('  Finds the demo pattern across lines.\n\n  A second paragraph.'), 'paragraphs joined and kept apart');
    assert.ok(out.split('\n').slice(1).every((l) => l.length <= 60 || l.startsWith('      ')), 'prose (not the header, not code) wrapped at the width');
    assert.ok(out.includes('  TypeScript:\n      for (const x of xs) {\n        await load(x);\n      }'), out);
    assert.ok(out.includes('  Python:\n      for x in xs:\n          await load(x)'));
    assert.ok(!out.includes('\x1b['), 'no colour by default');
  });

  it('markdown: headings and fenced code per language', () => {
    const md = renderRuleDocsMarkdown(rule);
    assert.ok(md.startsWith('# demo-rule\n\nReports a demo problem.\n'));
    assert.ok(md.includes('## Example\n\n```ts\nfor (const x of xs) {\n  await load(x);\n}\n```\n\n```python\n'));
    assert.ok(md.includes('## Fix safety\n\nUnsafe: `Promise.all` rejects on the first failure.'));
  });

  it('renders every registered rule without losing its summary', () => {
    for (const r of allRules) {
      assert.ok(renderRuleDocsText(r).includes(r.docs.summary.split(' ')[0]));
      assert.ok(renderRuleDocsMarkdown(r).includes(`# ${r.id}`));
    }
  });
});
