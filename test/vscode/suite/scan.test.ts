import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, core, diagnosticsWhere, perflens, ruleOf, setSetting, workspaceRoot, workspaceSources } from './helpers';

describe('Perflens: Scan Workspace', () => {
  const blocking = "import * as fs from 'fs';\n\nexport async function job() {\n  return fs.readFileSync('data.json', 'utf8');\n}\n";
  let dirs: Record<'jobs' | 'generated' | 'ignored' | 'legacy', string>;

  before(() => {
    const src = path.join(workspaceRoot(), 'node-service', 'src');
    dirs = { jobs: path.join(src, 'jobs'), generated: path.join(src, 'generated'), ignored: path.join(src, 'ignored'), legacy: path.join(src, 'legacy') };
    for (const d of Object.values(dirs)) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'job.ts'), blocking);
    }
    fs.writeFileSync(path.join(workspaceRoot(), 'node-service', '.gitignore'), 'src/ignored/\n');
  });

  after(async () => {
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
    fs.rmSync(path.join(workspaceRoot(), 'node-service', '.gitignore'), { force: true });
    await setSetting('files.exclude', undefined);
    await setSetting('perflens.ignore', undefined);
  });

  it('fills Problems for files that are not open, respecting files.exclude, .gitignore and perflens.ignore', async () => {
    await setSetting('files.exclude', { '**/generated': true });
    await setSetting('perflens.ignore', ['node-service/src/legacy/**']);
    const summary = await (await api()).scanWorkspace();
    assert.strictEqual(summary.cancelled, false);
    // Every source file except the three excluded ones (workspaceSources skips those folders).
    const c = await core();
    assert.strictEqual(summary.files, workspaceSources(c).length);
    const job = vscode.Uri.file(path.join(dirs.jobs, 'job.ts'));
    const d = await diagnosticsWhere(job, 'the scanned blocking call', (x) => x.length === 1);
    assert.strictEqual(ruleOf(d[0]), 'blocking-call-in-async');
    assert.ok(vscode.workspace.textDocuments.every((doc) => doc.uri.toString() !== job.toString()), 'job.ts was never opened');
    for (const excluded of [dirs.generated, dirs.ignored, dirs.legacy]) {
      assert.deepStrictEqual(perflens(vscode.Uri.file(path.join(excluded, 'job.ts'))), [], `${excluded} is not scanned`);
    }
    assert.ok(summary.findings >= 9, `the sample services have findings: ${summary.findings}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.match((await api()).statusText(), /Perflens: [1-9]\d*/);
  });

  it('files.exclude with a `when` sibling skips compiled files next to their sources', async () => {
    const compiled = path.join(workspaceRoot(), 'node-service', 'src', 'compiled');
    fs.mkdirSync(compiled, { recursive: true });
    try {
      for (const name of ['job.ts', 'job.js', 'only.js']) fs.writeFileSync(path.join(compiled, name), blocking);
      await setSetting('files.exclude', { '**/*.js': { when: '$(basename).ts' } });
      const summary = await (await api()).scanWorkspace();
      assert.strictEqual(summary.cancelled, false);
      const at = (name: string) => vscode.Uri.file(path.join(compiled, name));
      await diagnosticsWhere(at('job.ts'), 'the source file scanned', (x) => x.length === 1);
      await diagnosticsWhere(at('only.js'), 'a JS file without a .ts sibling scanned', (x) => x.length === 1);
      assert.deepStrictEqual(perflens(at('job.js')), [], 'job.js has job.ts beside it: excluded');
    } finally {
      fs.rmSync(compiled, { recursive: true, force: true });
      await setSetting('files.exclude', undefined);
    }
  });

  it('results stay until the file changes on disk, then follow it', async () => {
    const job = vscode.Uri.file(path.join(dirs.jobs, 'job.ts'));
    await diagnosticsWhere(job, 'the scanned finding', (x) => x.length === 1);
    fs.writeFileSync(job.fsPath, "export async function job() {\n  return 1;\n}\n");
    await diagnosticsWhere(job, 'no finding after the change', (x) => x.length === 0);
  });

  it('reports a Python helper however many files down it blocks, as the CLI does', async () => {
    // The route calls a service, which calls a formatter, which calls the module that writes.
    const dir = path.join(workspaceRoot(), 'fastapi-service', 'app', 'exports');
    const modules: Record<string, string> = {
      '__init__.py': '',
      'routes.py': 'from app.exports.service import export_orders\n\n\nasync def export(day: str):\n    return export_orders(day)\n',
      'service.py': 'from app.exports.rows import write_rows\n\n\ndef export_orders(day: str) -> str:\n    return write_rows(f"/tmp/{day}.csv")\n',
      'rows.py': 'from app.exports.disk import save_text\n\n\ndef write_rows(path: str) -> str:\n    save_text(path, "day")\n    return path\n',
      'disk.py': 'from pathlib import Path\n\n\ndef save_text(path: str, text: str) -> None:\n    Path(path).write_text(text)\n',
    };
    fs.mkdirSync(dir, { recursive: true });
    try {
      for (const [name, text] of Object.entries(modules)) fs.writeFileSync(path.join(dir, name), text);
      const summary = await (await api()).scanWorkspace();
      assert.strictEqual(summary.cancelled, false);
      const routes = vscode.Uri.file(path.join(dir, 'routes.py'));
      const d = await diagnosticsWhere(routes, 'the blocking write three files down', (x) => x.length === 1);
      assert.strictEqual(ruleOf(d[0]), 'blocking-call-in-async');
      assert.match(d[0].message, /`export_orders` calls `Path\.write_text`/);
      // The open editor is analysed against the index the scan refreshed: the same finding.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(routes));
      await diagnosticsWhere(routes, 'the same finding live', (x) => x.length === 1 && /write_text/.test(x[0].message));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can be cancelled', async () => {
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const summary = await (await api()).scanWorkspace(source.token);
    assert.strictEqual(summary.cancelled, true);
  });
});
