/**
 * The extension in a real VS Code (code-server + Chromium), run by `npm test`:
 * - the VSIX: built by `npm run package`'s script, its file list and size checked;
 * - the integration suite (test/vscode/suite) inside the real extension host, trusted and untrusted;
 * - the UI test with the installed VSIX (ui.ts), saving the README screenshots.
 * Without the toolchain the real-VS-Code parts are pending with a message saying how to install it;
 * with PERFLENS_REQUIRE_VSCODE=1 (set by .ci/run) a missing toolchain fails instead.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { allRules } from '../../src/core/index';
import type { Toolchain } from './code-server';
import { copySamples, findToolchain, REPO, runExtensionTests } from './code-server';
import { runUiTest } from './ui';
import { listZip } from './vsix';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  contributes: { commands: { command: string; category?: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
};
/**
 * One folder per run (the VSIX, profiles, workspaces, logs): runs started at the same time from one
 * checkout must not share a workspace. Removed after a run whose tests all passed.
 */
let RUN = '';
const vsixPath = () => path.join(RUN, `${manifest.name}-${manifest.version}.vsix`);
/** The VSIX must stay small: the engine, the wasm grammars and EXPLAIN's embedded PostgreSQL. */
const MAX_VSIX_BYTES = 25 * 1024 * 1024;

describe('VS Code extension: manifest', () => {
  it('has a setting per rule and a Perflens command for each feature', () => {
    const props = manifest.contributes.configuration.properties;
    const ruleSettings = Object.keys(props).filter((k) => k.startsWith('perflens.rules.')).map((k) => k.slice('perflens.rules.'.length));
    assert.deepStrictEqual(ruleSettings.sort(), allRules.map((r) => r.id).sort());
    for (const k of ['perflens.enable', 'perflens.run', 'perflens.queryFunctions', 'perflens.blockingFunctions', 'perflens.ignore']) assert.ok(props[k], k);
    const commands = manifest.contributes.commands.filter((c) => c.category === 'Perflens').map((c) => c.command);
    for (const c of ['perflens.scanWorkspace', 'perflens.fixAll', 'perflens.showRuleDocumentation', 'perflens.showOutput']) assert.ok(commands.includes(c), c);
    assert.strictEqual(manifest.main, './dist/extension.js');
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
});

describe('VS Code extension: package and real VS Code', function () {
  this.timeout(15 * 60_000);
  let toolchain: Toolchain | undefined;

  before(function () {
    const found = findToolchain();
    if (typeof found === 'string') {
      if (process.env.PERFLENS_REQUIRE_VSCODE === '1') throw new Error(`PERFLENS_REQUIRE_VSCODE=1 but ${found}`);
      console.log(`      (real VS Code tests pending: ${found})`);
    } else toolchain = found;
    // The VSIX is built in any case: packaging needs no toolchain.
    RUN = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-vscode-'));
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build-extension-package.mjs'), '--out', vsixPath()], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(() => {
    if (RUN && !failed) fs.rmSync(RUN, { recursive: true, force: true });
    else if (RUN) console.log(`      logs and profiles kept in ${RUN}`);
  });

  it('packs a small VSIX with the bundles, the wasm and the docs, and nothing else', () => {
    const VSIX = vsixPath();
    const entries = listZip(VSIX);
    const names = entries.map((e) => e.name.replace(/^extension\//, ''));
    for (const f of ['package.json', 'dist/extension.js', 'dist/worker.js', 'dist/deep-stack-worker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'media/icon.png']) {
      assert.ok(names.includes(f), `${f} is in the VSIX`);
    }
    const docs = fs.existsSync(path.join(REPO, 'docs', 'rules')) ? allRules.map((r) => `docs/rules/${r.id}.md`) : [];
    for (const d of docs) assert.ok(names.includes(d), `${d} is in the VSIX`);
    const unwanted = names.filter((n) => /(^|\/)(src|test|out|node_modules|bench|scripts)\/|\.map$|\.ts$|\.vsix$/.test(n) && !n.endsWith('.d.ts'));
    assert.deepStrictEqual(unwanted, [], 'no sources, tests, maps or dependencies');
    const size = fs.statSync(VSIX).size;
    console.log(`      ${path.basename(VSIX)}: ${(size / 1024 / 1024).toFixed(1)} MiB, ${entries.length} files`);
    assert.ok(size < MAX_VSIX_BYTES, `VSIX is ${size} bytes`);
  });

  const suite = (name: string, opts: { trust?: boolean; env?: NodeJS.ProcessEnv; prepare?: (ws: string) => void }) => async function (this: Mocha.Context) {
    if (!toolchain) return this.skip();
    const ws = copySamples(path.join(RUN, `${name}-workspace`));
    opts.prepare?.(ws);
    const lines: string[] = [];
    const code = await runExtensionTests(toolchain, {
      // The checkout as an Extension Development Host (package.json → dist/, built above): the
      // EXPLAIN tests read their fixtures from the extension folder. The UI test uses the VSIX.
      extensionPath: REPO,
      testsPath: path.join(REPO, 'out', 'vscode-host', 'test', 'vscode', 'suite', 'index.js'),
      workspace: ws,
      runDir: path.join(RUN, name),
      timeoutMs: 6 * 60_000,
      trust: opts.trust,
      settings: opts.trust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {},
      // The suite compares with the engine as built in this checkout (out/src/core).
      env: { PERFLENS_TEST_REPO: REPO, ...opts.env },
      onOutput: (line) => {
        lines.push(line);
        console.log(`      ${line}`);
      },
    });
    assert.strictEqual(code, 0, `the extension tests failed (logs in ${path.join(RUN, name)})`);
    assert.ok(lines.some((l) => /\d+ passing/.test(l)), 'mocha reported passing tests');
  };

  it('integration suite in the extension host', suite('integration', {}));

  it('integration suite in an untrusted workspace', suite('untrusted', {
    trust: true,
    env: { PERFLENS_SUITE: 'untrusted' },
    prepare: (ws) => {
      fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'perflens.explain.connectionString': 'postgresql://attacker@evil.invalid/db' }));
    },
  }));

  it('UI: the installed VSIX shows Problems, fixes from the lightbulb by keyboard, and the status bar', async function () {
    if (!toolchain) return this.skip();
    const result = await runUiTest(toolchain, vsixPath(), path.join(RUN, 'ui'), (m) => console.log(`      ${m}`));
    assert.match(result.statusText, /Perflens: \d+/);
    for (const s of result.screenshots) assert.ok(fs.statSync(s).size > 10_000, `${s} is a real screenshot`);
  });
});
