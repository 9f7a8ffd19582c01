import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, diagnosticsWhere, EXTENSION_ID, file, open } from './helpers';

/** Run by the harness in a workspace that is not trusted (PERFLENS_SUITE=untrusted). */
describe('an untrusted workspace', () => {
  before(function () {
    // Run by the harness with trust on; elsewhere (.vscode-test.mjs) the workspace is trusted.
    if (process.env.PERFLENS_SUITE !== 'untrusted') this.skip();
  });

  it('is untrusted, and Perflens still analyses it', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    await api();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    const rel = 'node-service/src/routes/orders.ts';
    await open(rel);
    await diagnosticsWhere(file(rel), 'findings', (d) => d.length > 0);
  });

  it('ignores a database connection string from the workspace settings (restrictedConfigurations)', () => {
    const settings = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    const workspaceValue = (JSON.parse(fs.readFileSync(settings, 'utf8')) as Record<string, string>)['perflens.explain.connectionString'];
    assert.ok(workspaceValue, 'the workspace sets one');
    const cfg = vscode.workspace.getConfiguration('perflens.explain');
    assert.notStrictEqual(cfg.get('connectionString'), workspaceValue, 'VS Code does not apply it while untrusted');
  });
});
