import { fileURLToPath } from 'url';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { fingerprintAll, FINGERPRINT_KEY, sarifLog } from '../src/cli/format-sarif';
import type { Report } from '../src/cli/report';
import { compareFindings, Positions, reportFinding } from '../src/cli/report';
import type { Finding } from '../src/core/finding';
import type { Rule } from '../src/core/rule';
import { allRules } from '../src/rules';
import { BLOCKING_TS, makeProject, N_PLUS_ONE_TS, parseJson, removeProject, runCli } from './cli-helpers';

let compiled: ReturnType<Ajv['compile']> | undefined;

/**
 * The SARIF 2.1.0 (rtm.5, the final 2.1.0 schema that GitHub code scanning documents) JSON schema as
 * shipped by Microsoft's SARIF SDK in the npm package `@microsoft/jest-sarif` (a dev dependency).
 */
function sarifValidator() {
  if (compiled) return compiled;
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  // The schema is draft-04, which Ajv 8 does not bundle. Its only draft-04-only spelling is the
  // top-level `id` (draft-06+: `$id`); every other keyword means the same in draft-07.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // rtm.5 has a `language` pattern that is not valid in unicode mode, hence unicodeRegExp: false.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

function assertValid(log: unknown): void {
  const validate = sarifValidator();
  const ok = validate(log);
  assert.ok(ok, `SARIF does not match the 2.1.0 schema:\n${JSON.stringify(validate.errors, null, 2)}`);
}

const fakeRule: Rule = {
  id: 'fake-rule',
  languages: ['typescript'],
  defaultSeverity: 'info',
  docs: {
    summary: 'A rule for tests.',
    whatItDoes: 'Reports things.',
    whyIsThisBad: 'They are slow.',
    example: { typescript: 'slow();' },
    useInstead: { typescript: 'fast();' },
    fixSafety: 'The fix is safe.',
  },
  check: () => undefined,
};

/** A report built the way `perflens check` builds it, from hand-made engine findings. */
function syntheticReport(cwd: string, files: Record<string, string>, findings: [string, Finding][]): Report {
  const sources = new Map(Object.entries(files).map(([rel, text]) => [path.join(cwd, rel), text]));
  const positions = new Positions((abs) => sources.get(abs));
  return {
    findings: findings.map(([rel, f]) => reportFinding(f, path.join(cwd, rel), cwd, positions)).sort(compareFindings),
    notes: [
      { kind: 'config', file: '.perflens.json', key: 'rules.x', line: 2, column: 3, message: 'unknown rule' },
      { kind: 'skipped', file: 'blob.js', message: 'binary file (contains a NUL byte); skipped' },
    ],
    files: Object.keys(files).length,
    durationMs: 3,
    sources,
    cwd,
  };
}

function finding(text: string, needle: string, extra: Partial<Finding> = {}): Finding {
  const start = text.indexOf(needle);
  assert.ok(start >= 0);
  return {
    rule: 'fake-rule',
    severity: 'info',
    message: `Found \`${needle}\``,
    span: { start, end: start + needle.length },
    related: [],
    fixes: [],
    ...extra,
  };
}

describe('sarif', function () {
  it('the validator rejects a log that breaks the schema (so the checks below can fail)', () => {
    const validate = sarifValidator();
    assert.ok(validate({ version: '2.1.0', runs: [] }));
    assert.ok(!validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'r' }] }] }), 'a result needs a message');
    assert.ok(!validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', informationUri: 'not a uri' } } }] }));
  });

  it('perflens check --format sarif validates against the official schema and matches the JSON output', async () => {
    const dir = makeProject({
      'src/blocking.ts': BLOCKING_TS,
      'src/loop.ts': N_PLUS_ONE_TS,
      'src/my file ü.ts': BLOCKING_TS,
      'src/blob.js': Buffer.from([0x61, 0]),
      '.perflens.json': JSON.stringify({ rules: { 'no-such-rule': 'error' } }),
    });
    try {
      const sarifRun = await runCli(['check', '--format', 'sarif'], dir);
      assert.ok(sarifRun.code === 0 || sarifRun.code === 1, sarifRun.stderr);
      const log = JSON.parse(sarifRun.stdout) as Sarif.Log;
      assertValid(log);
      const run = log.runs[0];
      assert.strictEqual(run.tool.driver.name, 'perflens');
      assert.deepStrictEqual(run.tool.driver.rules?.map((r) => r.id), allRules.map((r) => r.id));
      for (const r of run.tool.driver.rules ?? []) {
        assert.ok(r.shortDescription?.text && r.fullDescription?.text && r.help?.text);
        // No repository in package.json: the page installed with the package, which exists.
        assert.ok(r.helpUri?.startsWith('file://') && r.helpUri.endsWith(`/docs/rules/${r.id}.md`), r.helpUri);
        assert.ok(fs.existsSync(fileURLToPath(r.helpUri!)), r.helpUri);
      }
      const config = run.invocations?.[0].toolConfigurationNotifications ?? [];
      assert.ok(config.some((n) => n.message.text?.includes('rules.no-such-rule')));
      const skipped = run.invocations?.[0].toolExecutionNotifications ?? [];
      assert.ok(skipped.some((n) => n.locations?.[0].physicalLocation?.artifactLocation?.uri === 'src/blob.js'));

      // Results carry exactly the findings of the JSON format, at the same positions.
      const json = parseJson((await runCli(['check', '--format', 'json'], dir)).stdout);
      const results = run.results ?? [];
      assert.strictEqual(results.length, json.findings.length);
      results.forEach((res, i) => {
        const f = json.findings[i];
        assert.strictEqual(res.ruleId, f.rule);
        assert.strictEqual(run.tool.driver.rules![res.ruleIndex!].id, f.rule);
        assert.strictEqual(res.level, f.severity === 'info' ? 'note' : f.severity);
        const loc = res.locations![0].physicalLocation!;
        assert.strictEqual(decodeURIComponent(loc.artifactLocation!.uri!), f.file);
        assert.strictEqual(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
        assert.deepStrictEqual(loc.region, { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
        assert.strictEqual(res.relatedLocations?.length ?? 0, f.related.length);
      });
      if (allRules.some((r) => r.id === 'blocking-call-in-async')) {
        assert.ok(results.some((r) => r.locations![0].physicalLocation!.artifactLocation!.uri === 'src/my%20file%20%C3%BC.ts'));
      }
    } finally {
      removeProject(dir);
    }
  });

  it('maps related spans (same and other file), fixes and info → note, and stays valid', () => {
    const cwd = path.join(path.sep, 'work', 'proj');
    const a = 'const a = 1;\nslow(a);\n';
    const helper = 'export function load() {\n  return slow();\n}\n';
    const f1 = finding(a, 'slow(a)', {
      related: [
        { span: { start: 0, end: 5 }, message: 'declared here' },
        { span: { start: helper.indexOf('slow()'), end: helper.indexOf('slow()') + 6 }, message: 'the call inside', file: path.join(cwd, 'lib', 'helper.ts') },
      ],
      fixes: [{ title: 'Use `fast`', applicability: 'safe', edits: [{ span: { start: a.indexOf('slow'), end: a.indexOf('slow') + 4 }, newText: 'fast' }] }],
    });
    const report = syntheticReport(cwd, { 'src/a.ts': a, 'lib/helper.ts': helper }, [['src/a.ts', f1]]);
    const log = sarifLog(report, [fakeRule]);
    assertValid(log);
    const res = log.runs[0].results![0];
    assert.strictEqual(res.level, 'note');
    assert.strictEqual(log.runs[0].tool.driver.rules![0].defaultConfiguration?.level, 'note');
    assert.deepStrictEqual(res.locations![0].physicalLocation!.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 8 });
    const rel = res.relatedLocations!;
    assert.deepStrictEqual(
      rel.map((r) => [r.id, r.physicalLocation!.artifactLocation!.uri, r.physicalLocation!.region!.startLine, r.message!.text]),
      [
        [1, 'src/a.ts', 1, 'declared here'],
        [2, 'lib/helper.ts', 2, 'the call inside'],
      ],
    );
    const change = res.fixes![0].artifactChanges[0];
    assert.strictEqual(res.fixes![0].description!.text, 'Use `fast`');
    assert.deepStrictEqual(change.replacements[0], {
      deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 5 },
      insertedContent: { text: 'fast' },
    });
    const inv = log.runs[0].invocations![0];
    assert.strictEqual(inv.toolConfigurationNotifications![0].locations![0].physicalLocation!.region!.startLine, 2);
  });

  describe('partialFingerprints', () => {
    const cwd = path.join(path.sep, 'p');
    const fp = (text: string, needles: string[]) => {
      let from = 0;
      const fs: [string, Finding][] = needles.map((n) => {
        const start = text.indexOf(n, from);
        from = start + 1;
        return ['a.ts', { ...finding(text, n), span: { start, end: start + n.length } }];
      });
      return fingerprintAll(syntheticReport(cwd, { 'a.ts': text }, fs));
    };
    const base = 'function f() {\n  slow(x);\n}\n';

    it('do not change when unrelated lines are added above or the indentation changes', () => {
      const [before] = fp(base, ['slow(x)']);
      const [moved] = fp('// a comment\nimport y from "y";\n\n' + base.replace('  slow', '      slow'), ['slow(x)']);
      assert.strictEqual(moved, before);
    });

    it('change when the finding\'s own line changes', () => {
      assert.notStrictEqual(fp(base, ['slow(x)'])[0], fp(base.replace('slow(x)', 'slow(y)'), ['slow'])[0]);
    });

    it('tell identical lines apart by occurrence', () => {
      const twice = 'slow(x);\nslow(x);\n';
      const [first, second] = fp(twice, ['slow(x)', 'slow(x)']);
      assert.notStrictEqual(first, second);
      assert.strictEqual(fp('other();\n' + twice, ['slow(x)', 'slow(x)'])[1], second);
    });

    it('are emitted under a versioned key', () => {
      const log = sarifLog(syntheticReport(cwd, { 'a.ts': base }, [['a.ts', finding(base, 'slow(x)')]]), [fakeRule]);
      assert.match(log.runs[0].results![0].partialFingerprints![FINGERPRINT_KEY], /^[0-9a-f]{32}$/);
    });
  });
});
