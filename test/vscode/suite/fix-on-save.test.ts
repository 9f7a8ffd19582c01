import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { api, diagnosticsWhere, file, open, ruleOf, setSetting } from './helpers';

describe('source.fixAll.perflens on save', () => {
  after(async () => {
    await setSetting('editor.codeActionsOnSave', undefined);
  });

  it('editor.codeActionsOnSave applies the safe fixes when the file is saved', async () => {
    await (await api()).indexed();
    const rel = 'fastapi-service/app/main.py';
    const original = fs.readFileSync(file(rel).fsPath, 'utf8');
    await setSetting('editor.codeActionsOnSave', { 'source.fixAll.perflens': 'explicit' });
    const editor = await open(rel);
    await diagnosticsWhere(editor.document.uri, 'the blocking calls', (d) => d.some((x) => ruleOf(x) === 'blocking-call-in-async'));
    await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
    await vscode.commands.executeCommand('workbench.action.files.save');
    const saved = fs.readFileSync(file(rel).fsPath, 'utf8');
    try {
      assert.match(saved, /await asyncio\.sleep\(0\.1\)/);
      assert.match(saved, /^import asyncio$/m);
      assert.doesNotMatch(saved, /time\.sleep\(/);
      // Not fixed by fixAll: the N+1 and offset findings have no safe fix.
      assert.match(saved, /await session\.get\(Customer, order\.customer_id\)/);
      await diagnosticsWhere(editor.document.uri, 'no time.sleep finding', (d) => !d.some((x) => x.message.includes('time.sleep')));
    } finally {
      await setSetting('editor.codeActionsOnSave', undefined);
      fs.writeFileSync(file(rel).fsPath, original);
    }
  });
});
