import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { ConfigResolver, isIgnoredByConfig, loadConfigFile, locateJsonError, parseConfigText } from '../src/core/config-files';
import { makeProject, removeProject } from './cli-helpers';

const RULES = ['n-plus-one-query', 'blocking-call-in-async'];

describe('config files', function () {
  describe('discovery', () => {
    let dir: string;
    before(() => {
      dir = makeProject({
        '.perflens.json': JSON.stringify({ rules: { 'n-plus-one-query': 'error' } }),
        'a.ts': '',
        // A package.json without a `perflens` key does not stop the search.
        'plain/package.json': JSON.stringify({ name: 'plain' }),
        'plain/b.ts': '',
        'web/package.json': JSON.stringify({ name: 'web', perflens: { rules: { 'n-plus-one-query': 'info' } } }),
        'web/src/deep/c.ts': '',
        'api/pyproject.toml': '[project]\nname = "api"\n\n[tool.perflens]\nqueryFunctions = ["crud.*.get*"]\n\n[tool.perflens.rules]\nblocking-call-in-async = "off"\n',
        'api/app/d.py': '',
        // .perflens.json wins over package.json in the same folder.
        'both/.perflens.json': JSON.stringify({ rules: { 'blocking-call-in-async': 'info' } }),
        'both/package.json': JSON.stringify({ perflens: { rules: { 'blocking-call-in-async': 'error' } } }),
        'both/e.ts': '',
      });
    });
    after(() => removeProject(dir));

    it('finds the nearest config up the tree, in each supported file', () => {
      const r = new ConfigResolver(RULES);
      const at = (rel: string) => r.forFile(path.join(dir, rel));
      assert.deepStrictEqual(at('a.ts').config.rules, { 'n-plus-one-query': 'error' });
      assert.strictEqual(at('a.ts').file, path.join(dir, '.perflens.json'));
      assert.strictEqual(at('plain/b.ts').file, path.join(dir, '.perflens.json'));
      assert.deepStrictEqual(at('web/src/deep/c.ts').config.rules, { 'n-plus-one-query': 'info' });
      const py = at('api/app/d.py');
      assert.deepStrictEqual(py.config.rules, { 'blocking-call-in-async': 'off' });
      assert.deepStrictEqual(py.config.queryFunctions, ['crud.*.get*']);
      assert.deepStrictEqual(py.problems, []);
      assert.strictEqual(at('both/e.ts').file, path.join(dir, 'both', '.perflens.json'));
    });

    it('caches per folder: each config file is read once', () => {
      const r = new ConfigResolver(RULES);
      const first = r.forFile(path.join(dir, 'web/src/deep/c.ts'));
      fs.writeFileSync(path.join(dir, 'web/package.json'), JSON.stringify({ perflens: { rules: {} } }));
      try {
        assert.strictEqual(r.forFile(path.join(dir, 'web/src/deep/other.ts')), first);
        assert.strictEqual(r.forDir(path.join(dir, 'web/src')), first, 'parents are cached on the way up');
        assert.notDeepStrictEqual(new ConfigResolver(RULES).forFile(path.join(dir, 'web/x.ts')).config.rules, first.config.rules);
      } finally {
        fs.writeFileSync(path.join(dir, 'web/package.json'), JSON.stringify({ name: 'web', perflens: { rules: { 'n-plus-one-query': 'info' } } }));
      }
    });

    it('an explicit file is read whole, or by its section for package.json / pyproject.toml', () => {
      fs.writeFileSync(path.join(dir, 'custom.json'), JSON.stringify({ ignore: ['gen/**'] }));
      assert.deepStrictEqual(loadConfigFile(path.join(dir, 'custom.json'), RULES).config.ignore, ['gen/**']);
      assert.deepStrictEqual(loadConfigFile(path.join(dir, 'web/package.json'), RULES).config.rules, { 'n-plus-one-query': 'info' });
      const none = loadConfigFile(path.join(dir, 'plain/package.json'), RULES);
      assert.deepStrictEqual(none.problems.map((p) => p.key), ['perflens']);
    });
  });

  describe('problems', () => {
    const file = '/p/.perflens.json';

    it('wrong types, unknown rules and bad severities are reported by key; good keys are kept', () => {
      const raw = { rules: { 'n-plus-one-query': 'loud', 'no-such': 'warning', 'blocking-call-in-async': 'error' }, ignore: 'dist', queryFunctions: ['db.*'], extra: 1 };
      const loaded = parseConfigText(file, JSON.stringify(raw), RULES)!;
      assert.deepStrictEqual(loaded.problems.map((p) => p.key).sort(), ['extra', 'ignore', 'rules.n-plus-one-query', 'rules.no-such']);
      assert.ok(loaded.problems.every((p) => p.file === file));
      assert.match(loaded.problems.find((p) => p.key === 'rules.n-plus-one-query')!.message, /"loud"/);
      assert.deepStrictEqual(loaded.config.rules, { 'blocking-call-in-async': 'error' });
      assert.deepStrictEqual(loaded.config.queryFunctions, ['db.*']);
      assert.deepStrictEqual(loaded.config.ignore, []);
    });

    it('invalid JSON is located by line and column', () => {
      const cases: [string, number, number, RegExp][] = [
        ['{\n  "rules": {\n    "x": \n  }\n}', 4, 3, /expected a value, found `}`/],
        ['{\n  "ignore": ["a",]\n}', 2, 18, /expected a value, found `]`/],
        ['{ "ignore" ["a"] }', 1, 12, /expected `:`/],
        ['{ ignore: [] }', 1, 3, /expected a property name in double quotes/],
        // 😀 is two UTF-16 code units, so the newline is in column 12.
        ['{ "a": "é😀\n" }', 1, 12, /closing `"`/],
        ['{ "a": 1 } x', 1, 12, /expected end of file/],
        ['', 1, 1, /found end of file/],
      ];
      for (const [text, line, column, message] of cases) {
        const p = parseConfigText(file, text, RULES)!.problems;
        assert.strictEqual(p.length, 1, text);
        assert.deepStrictEqual([p[0].key, p[0].line, p[0].column], ['(syntax)', line, column], text);
        assert.match(p[0].message, message);
        assert.match(p[0].message, new RegExp(`^invalid JSON at line ${line}, column ${column}: `));
      }
    });

    it('locateJsonError agrees with JSON.parse on what is valid', () => {
      const jsonish = fc.oneof(
        fc.json(),
        fc.json().map((s) => s.slice(0, Math.floor(s.length / 2))),
        fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '1', '-', '.', 'e', 't', 'a', '\\', 'u', 'n', 'l') }),
      );
      fc.assert(
        fc.property(jsonish, (text) => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          const located = locateJsonError(text);
          return valid ? located === undefined : located !== undefined && located.offset <= text.length;
        }),
        { numRuns: 500 },
      );
    });

    it('invalid TOML in pyproject.toml is located; a broken pyproject.toml that never mentions perflens is skipped', () => {
      const bad = parseConfigText('/p/pyproject.toml', '[tool.perflens]\nignore = [\n', RULES)!;
      assert.strictEqual(bad.problems[0].key, '(syntax)');
      assert.ok(bad.problems[0].line! >= 2 && bad.problems[0].column! >= 1);
      assert.match(bad.problems[0].message, /^invalid TOML at line \d+, column \d+: /);
      assert.strictEqual(parseConfigText('/p/pyproject.toml', '[project\n', RULES), undefined);
      const typed = parseConfigText('/p/pyproject.toml', '[tool.perflens]\nignore = 3\n', RULES)!;
      assert.deepStrictEqual(typed.problems.map((p) => p.key), ['tool.perflens.ignore']);
    });
  });

  it('ignore globs are relative to the config file\'s folder and cover folders', () => {
    const loaded = parseConfigText('/repo/svc/.perflens.json', JSON.stringify({ ignore: ['gen/**', 'legacy', '**/*.spec.ts'] }), RULES)!;
    const ignored = (f: string) => isIgnoredByConfig(loaded, f);
    assert.ok(ignored('/repo/svc/gen/a.ts'));
    assert.ok(ignored('/repo/svc/legacy/deep/b.ts'));
    assert.ok(ignored('/repo/svc/src/x.spec.ts'));
    assert.ok(!ignored('/repo/gen/a.ts'), 'outside the config folder');
    assert.ok(!ignored('/repo/svc/src/gen.ts'));
  });
});
