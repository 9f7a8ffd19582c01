import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, diagnosticsWhere, engineFixes, open, perflens, restore, ruleOf } from './helpers';

async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

describe('code actions in a real VS Code', () => {
  const rel = 'node-service/src/routes/orders.ts';

  before(async () => {
    await (await api()).indexed();
  });

  afterEach(async () => {
    await restore(rel);
  });

  it('offers the engine fix (safe → preferred), ignore line/file and the documentation; the fix edits the text', async () => {
    const editor = await open(rel);
    const uri = editor.document.uri;
    const diag = (await diagnosticsWhere(uri, 'the blocking call', (d) => d.some((x) => ruleOf(x) === 'blocking-call-in-async'))).find((x) => ruleOf(x) === 'blocking-call-in-async')!;
    // Only this finding sits on that range, so every action there is one of its actions.
    const actions = await actionsAt(uri, diag.range);
    const titles = actions.map((a) => a.title);
    const safe = (await engineFixes(rel, 'blocking-call-in-async', /fs\.readFileSync/)).filter((f) => f.applicability === 'safe');
    assert.strictEqual(safe.length, 1, 'the engine has one safe fix for it');
    const preferred = actions.filter((a) => a.title === safe[0].title);
    assert.strictEqual(preferred.length, 1, `the engine's fix is offered among ${titles.join(' | ')}`);
    assert.strictEqual(preferred[0].isPreferred, true, 'a safe fix is preferred');
    assert.strictEqual(preferred[0].kind?.value, 'quickfix');
    assert.ok(titles.includes('Ignore `blocking-call-in-async` on this line'), titles.join(' | '));
    assert.ok(titles.includes('Ignore `blocking-call-in-async` in this file'), titles.join(' | '));
    const docs = actions.find((a) => a.command?.command === 'perflens.showRuleDocumentation');
    assert.deepStrictEqual(docs?.command?.arguments, ['blocking-call-in-async']);

    assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
    assert.match(editor.document.getText(), /await fs\.promises\.readFile\('templates\/report\.html', 'utf8'\)/);
    await diagnosticsWhere(uri, 'the blocking finding to go', (d) => !d.some((x) => ruleOf(x) === 'blocking-call-in-async'));
  });

  it('an unsafe fix is offered but not preferred', async () => {
    const editor = await open(rel);
    const uri = editor.document.uri;
    const diag = (await diagnosticsWhere(uri, 'sequential awaits', (d) => d.some((x) => ruleOf(x) === 'sequential-awaits'))).find((x) => ruleOf(x) === 'sequential-awaits')!;
    const unsafe = (await engineFixes(rel, 'sequential-awaits', /prisma\.user\.count/)).filter((f) => f.applicability === 'unsafe');
    assert.ok(unsafe.length > 0, 'the engine has an unsafe fix for it');
    const fixes = (await actionsAt(uri, diag.range)).filter((a) => unsafe.some((f) => a.title.startsWith(f.title)));
    assert.strictEqual(fixes.length, unsafe.length, 'each unsafe fix is offered');
    assert.ok(fixes.every((a) => !a.isPreferred), 'unsafe fixes are not preferred');
    assert.ok(await vscode.workspace.applyEdit(fixes[0].edit!));
    assert.match(editor.document.getText(), /Promise\.all\(\[/);
  });

  it('"ignore on this line" inserts the suppression comment and the finding goes', async () => {
    const editor = await open(rel);
    const uri = editor.document.uri;
    const n1 = perflens(uri).filter((x) => ruleOf(x) === 'n-plus-one-query');
    const target = n1.find((d) => editor.document.lineAt(d.range.start.line).text.includes('prisma.customer.findUnique'))!;
    const ignore = (await actionsAt(uri, target.range)).find((a) => a.title === 'Ignore `n-plus-one-query` on this line');
    assert.ok(ignore?.edit);
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    const line = target.range.start.line;
    assert.match(editor.document.lineAt(line).text, /^\s*\/\/ perflens-ignore-next-line n-plus-one-query -- reason$/);
    await diagnosticsWhere(uri, 'one N+1 finding less', (d) => d.filter((x) => ruleOf(x) === 'n-plus-one-query').length === n1.length - 1);
  });

  it('"Fix All Safe Problems in File" applies safe fixes only', async () => {
    const editor = await open(rel);
    await diagnosticsWhere(editor.document.uri, 'findings', (d) => d.length > 0);
    assert.strictEqual(await vscode.commands.executeCommand('perflens.fixAll'), true);
    const text = editor.document.getText();
    assert.match(text, /await fs\.promises\.readFile/);
    assert.doesNotMatch(text, /Promise\.all\(\[/, 'the unsafe Promise.all rewrite is not applied');
  });
});
