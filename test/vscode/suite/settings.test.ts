import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, diagnosticsWhere, file, open, perflens, restore, ruleOf, setSetting, waitFor, workspaceRoot } from './helpers';

describe('settings and config files take effect at once', () => {
  const rel = 'node-service/src/routes/orders.ts';

  before(async () => {
    await (await api()).indexed();
  });

  afterEach(async () => {
    for (const k of ['perflens.rules.offset-pagination', 'perflens.enable', 'perflens.run', 'perflens.queryFunctions', 'files.autoSave']) await setSetting(k, undefined);
    await restore(rel);
  });

  it('perflens.rules.<id>: off hides the rule, error raises it, default restores it', async () => {
    const uri = (await open(rel)).document.uri;
    const offsets = () => perflens(uri).filter((d) => ruleOf(d) === 'offset-pagination');
    await diagnosticsWhere(uri, 'an offset finding', () => offsets().length === 1);
    await setSetting('perflens.rules.offset-pagination', 'off');
    await diagnosticsWhere(uri, 'no offset finding', (d) => d.length > 0 && offsets().length === 0);
    await setSetting('perflens.rules.offset-pagination', 'error');
    await diagnosticsWhere(uri, 'an offset error', () => offsets()[0]?.severity === vscode.DiagnosticSeverity.Error);
    await setSetting('perflens.rules.offset-pagination', 'default');
    await diagnosticsWhere(uri, 'an offset warning', () => offsets()[0]?.severity === vscode.DiagnosticSeverity.Warning);
  });

  it('perflens.enable: false clears the problems and the status bar says so', async () => {
    const uri = (await open(rel)).document.uri;
    await diagnosticsWhere(uri, 'findings', (d) => d.length > 0);
    await setSetting('perflens.enable', false);
    await diagnosticsWhere(uri, 'no findings', (d) => d.length === 0);
    assert.match((await api()).statusText(), /circle-slash/);
    await setSetting('perflens.enable', true);
    await diagnosticsWhere(uri, 'findings again', (d) => d.length > 0);
  });

  it('perflens.run: onSave publishes nothing while typing and analyses the file when it is saved', async () => {
    const editor = await open(rel);
    const doc = editor.document;
    const uri = doc.uri;
    const before = (await diagnosticsWhere(uri, 'findings', (d) => d.length > 0)).length;
    const published: number[] = [];
    const sub = (await api()).onDidPublish((e) => e.uri.toString() === uri.toString() && published.push(e.version));
    const original = fs.readFileSync(uri.fsPath, 'utf8');
    try {
      // VS Code in a browser (code-server) saves edited files after 1 s by default, and a save is
      // analysed in onSave mode: switch that off so that only the typing is observed.
      await setSetting('files.autoSave', 'off');
      // Changing a setting re-analyses open documents once; wait for that before typing.
      await setSetting('perflens.run', 'onSave');
      await waitFor('the re-analysis that follows the settings change', () => published.includes(doc.version));
      const typed = doc.version + 1;
      const at = doc.getText().split('\n').findIndex((l) => l.includes('res.send(template)'));
      await editor.edit((b) => b.insert(new vscode.Position(at, 0), "  fs.writeFileSync('audit.log', 'x');\n"));
      assert.strictEqual(doc.version, typed);
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepStrictEqual(published.filter((v) => v >= typed), [], 'typing in onSave mode publishes nothing');
      assert.strictEqual(perflens(uri).length, before, 'the diagnostics stay those of the saved file');
      await doc.save();
      await diagnosticsWhere(uri, 'the new blocking call after saving', (d) => d.length === before + 1);
    } finally {
      sub.dispose();
      fs.writeFileSync(uri.fsPath, original);
    }
  });

  it('perflens.queryFunctions adds query callees', async () => {
    const custom = path.join(workspaceRoot(), 'node-service', 'src', 'routes', 'custom.ts');
    fs.writeFileSync(custom, 'export async function load(repo: { load(id: number): Promise<unknown> }, ids: number[]) {\n  for (const id of ids) {\n    await repo.load(id);\n  }\n}\n');
    try {
      const uri = (await open('node-service/src/routes/custom.ts')).document.uri;
      await new Promise((r) => setTimeout(r, 500));
      assert.strictEqual(perflens(uri).length, 0, 'repo.load is not a known query');
      await setSetting('perflens.queryFunctions', ['repo.load']);
      const d = await diagnosticsWhere(uri, 'the N+1 of repo.load', (x) => x.length === 1);
      assert.strictEqual(ruleOf(d[0]), 'n-plus-one-query');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(custom, { force: true });
    }
  });

  it('a .perflens.json written next to the code is picked up', async () => {
    const uri = (await open(rel)).document.uri;
    await diagnosticsWhere(uri, 'a sequential-awaits finding', (d) => d.some((x) => ruleOf(x) === 'sequential-awaits'));
    const config = file('node-service/.perflens.json').fsPath;
    fs.writeFileSync(config, JSON.stringify({ rules: { 'sequential-awaits': 'off' } }));
    try {
      await diagnosticsWhere(uri, 'no sequential-awaits finding', (d) => d.length > 0 && !d.some((x) => ruleOf(x) === 'sequential-awaits'));
    } finally {
      fs.rmSync(config, { force: true });
    }
    await diagnosticsWhere(uri, 'sequential-awaits again', (d) => d.some((x) => ruleOf(x) === 'sequential-awaits'));
  });
});
