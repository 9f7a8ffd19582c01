/**
 * "Perflens: Explain Selected SQL" in the real VS Code (code-server's extension host, real `vscode`
 * API) against the embedded PostgreSQL loaded with test/fixtures/schema: a selection, a
 * literal under the cursor, the plan webview (PEV2 draws the plan), an error mapped back onto the
 * SQL, the confirmation before ANALYZE runs a write, the code lenses, the plan language.
 */
import * as assert from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExplainCommandArgs, ExplainOutcome } from '../../../src/vscode/explain';

const EXTENSION_ID = 'perflens.perflens';

describe('Explain Selected SQL (embedded PostgreSQL)', function () {
  // The embedded database starts once (seconds on a loaded machine), then every plan takes milliseconds.
  this.timeout(180_000);
  let root: string;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is loaded`);
    await extension.activate();
    root = extension.extensionPath;
    const explain = vscode.workspace.getConfiguration('perflens.explain');
    await explain.update('schemaPath', join(root, 'test', 'fixtures', 'schema'), vscode.ConfigurationTarget.Global);
    // A database configured by the workspace under test would take precedence over the embedded one.
    assert.strictEqual(explain.inspect<string>('connectionString')?.workspaceValue ?? '', '');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('perflens.explain').update('schemaPath', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('perflens.explain').update('codeLens', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a selection in a SQL editor: plan from the embedded database, drawn in the plan view', async () => {
    const editor = await sqlEditor('-- orders of one customer\nSELECT o.id, o.total FROM orders o WHERE o.customer_id = 42;\n');
    const line = editor.document.lineAt(1);
    editor.selection = new vscode.Selection(line.range.start, line.range.end.translate(0, -1));
    const outcome = await explain();
    assert.strictEqual(outcome.ok, true, outcome.error?.message);
    assert.strictEqual(outcome.origin, 'selection');
    assert.strictEqual(outcome.database, 'embedded');
    assert.strictEqual(outcome.mode, 'explain');
    assert.strictEqual(outcome.sql, 'SELECT o.id, o.total FROM orders o WHERE o.customer_id = 42');
    assert.match(outcome.notes?.[0] ?? '', /No data behind this plan/);
    // The engine's command-line advice is reworded for the editor.
    assert.match(outcome.notes?.[0] ?? '', /`perflens\.explain\.connectionString`/);
    assert.doesNotMatch(outcome.notes?.join('\n') ?? '', /`--\w/);
    // The fixture's broken migration is skipped, and said so.
    assert.ok(outcome.notes?.some((n) => /^Schema file skipped: `db\/migrations\/003_broken\.sql` \(line \d+, column \d+\): /.test(n)), outcome.notes?.join('\n'));

    let tab = planTab();
    for (let i = 0; !tab && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      tab = planTab();
    }
    assert.ok(tab, `a plan view tab is open; tabs: ${describeTabs()}`);
    assert.match(tab.label, /^Plan: SELECT o\.id/);
    const drawn = await within(outcome.rendered!, 60_000, 'the plan view reports the plan drawn');
    assert.ok(drawn.nodes >= 1, `PEV2 drew ${drawn.nodes} plan nodes`);
    assert.strictEqual(drawn.findings, outcome.findings?.length);
  });

  it('nothing selected: the template literal under the cursor, `${…}` as parameters (generic plan)', async () => {
    const document = await vscode.workspace.openTextDocument(join(root, 'test', 'fixtures-explain', 'app', 'orders-repo.js'));
    const editor = await vscode.window.showTextDocument(document);
    const inside = document.positionAt(document.getText().indexOf('FROM orders o'));
    editor.selection = new vscode.Selection(inside, inside);
    const outcome = await explain();
    assert.strictEqual(outcome.ok, true, outcome.error?.message);
    assert.strictEqual(outcome.origin, 'literal');
    assert.strictEqual(outcome.mode, 'generic');
    assert.match(outcome.sql ?? '', /WHERE o\.customer_id = \$1 AND o\.status = \$2\s+ORDER BY o\.created_at DESC$/);
    assert.ok(outcome.notes?.some((n) => /^Generic plan: the values of \$1…\$2 are unknown/.test(n)));
    assert.doesNotMatch(outcome.notes?.join('\n') ?? '', /`--\w/);
    const drawn = await within(outcome.rendered!, 60_000, 'the plan view reports the plan drawn');
    assert.strictEqual(drawn.nodes, 3, 'Sort → Bitmap Heap Scan → Bitmap Index Scan');
    // Each finding links to the node PEV2 drew under that id (PEV2 numbers nodes its own way).
    assert.ok(drawn.findings >= 1, 'the costliest node at least');
    assert.strictEqual(drawn.findingsOnTheirNodes, drawn.findings);
  });

  it('a PostgreSQL error points at its place in the file: selected, with a diagnostic there', async () => {
    const document = await vscode.workspace.openTextDocument(join(root, 'test', 'fixtures-explain', 'app', 'orders-repo.js'));
    const editor = await vscode.window.showTextDocument(document);
    const text = document.getText();
    const literal = text.indexOf('SELECT * FROM orders WHER id');
    editor.selection = new vscode.Selection(document.positionAt(literal), document.positionAt(literal));
    const outcome = await explain();
    assert.strictEqual(outcome.ok, false);
    assert.strictEqual(outcome.error?.kind, 'sql');
    assert.match(outcome.error?.message ?? '', /syntax error at or near "id"/);
    // `FROM orders WHER` reads WHER as an alias; the error is at `id`.
    const expected = document.positionAt(text.indexOf('id = ${id}', literal));
    assert.deepStrictEqual(pos(outcome.error?.range?.start), pos(expected));
    const active = vscode.window.activeTextEditor!;
    assert.strictEqual(active.document.uri.toString(), document.uri.toString());
    assert.deepStrictEqual(pos(active.selection.start), pos(expected));
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'perflens explain');
    assert.strictEqual(diagnostics.length, 1);
    assert.deepStrictEqual(pos(diagnostics[0].range.start), pos(expected));
    assert.strictEqual(diagnostics[0].code, '42601');
  });

  it('ANALYZE of a write asks first, runs nothing when declined, and rolls back when confirmed', async () => {
    const editor = await sqlEditor("INSERT INTO customers (email) VALUES ('new@example.com')");
    selectAll(editor);
    const asked: string[] = [];
    const declined = await explain({ analyze: true, confirm: (message) => (asked.push(message), false) });
    assert.strictEqual(declined.ok, false);
    assert.strictEqual(declined.error?.kind, 'needs-confirmation');
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /INSERT on `customers`/);
    assert.match(asked[0], /sequence values .* are not rolled back/);

    const confirmed = await explain({ analyze: true, confirm: (message) => (asked.push(message), true) });
    assert.strictEqual(confirmed.ok, true, confirmed.error?.message);
    assert.strictEqual(confirmed.mode, 'analyze');
    assert.strictEqual(asked.length, 2);
    assert.ok(confirmed.notes?.some((n) => /rolled back/.test(n)));

    // The row is gone again: an ANALYZE of a plain SELECT (no confirmation) reads no rows.
    const check = await sqlEditor('SELECT * FROM customers');
    selectAll(check);
    const read = await explain({ analyze: true, confirm: (message) => (asked.push(message), false) });
    assert.strictEqual(read.ok, true, read.error?.message);
    assert.strictEqual(asked.length, 2, 'a plain SELECT needs no confirmation');
    const plan = JSON.parse((await vscode.commands.executeCommand<string>('perflens.explain.copyPlanJson'))!) as Array<{ Plan: Record<string, unknown> }>;
    assert.strictEqual(plan[0].Plan['Actual Rows'], 0);
  });

  it('"Open as text" opens the text plan in the perflens-plan language; saved .plan files get it too', async () => {
    const editor = await sqlEditor('SELECT count(*) FROM orders');
    selectAll(editor);
    assert.strictEqual((await explain()).ok, true);
    const text = await vscode.commands.executeCommand<vscode.TextEditor>('perflens.explain.openPlanAsText');
    assert.ok(text);
    assert.strictEqual(text.document.languageId, 'perflens-plan');
    assert.match(text.document.getText(), /^-- EXPLAIN/);
    assert.match(text.document.getText(), /Aggregate/);

    const dir = mkdtempSync(join(tmpdir(), 'perflens-plan-'));
    writeFileSync(join(dir, 'saved.plan'), text.document.getText());
    const saved = await vscode.workspace.openTextDocument(join(dir, 'saved.plan'));
    assert.strictEqual(saved.languageId, 'perflens-plan');
    // The text plan is an untitled editor; close it unsaved so nothing asks about it later.
    await vscode.window.showTextDocument(text.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('code lenses above SQL literals passed to query calls, and none when the setting is off', async () => {
    const js = await vscode.workspace.openTextDocument(join(root, 'test', 'fixtures-explain', 'app', 'orders-repo.js'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', js.uri);
    const ours = lenses.filter((l) => l.command?.command === 'perflens.explainSelectedSql');
    assert.deepStrictEqual(ours.map((l) => l.range.start.line + 1), [6, 15]);

    const py = await vscode.workspace.openTextDocument(join(root, 'test', 'fixtures-explain', 'app', 'orders_repo.py'));
    const pyLenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', py.uri)).filter((l) => l.command?.command === 'perflens.explainSelectedSql');
    assert.ok(pyLenses.length >= 1, 'a lens above text("SELECT …")');

    // A lens runs the command on its literal.
    const [args] = ours[0].command!.arguments as [ExplainCommandArgs];
    const outcome = await vscode.commands.executeCommand<ExplainOutcome>('perflens.explainSelectedSql', args);
    assert.strictEqual(outcome.ok, true, outcome.error?.message);
    assert.match(outcome.sql ?? '', /FROM orders o/);
    // SQLAlchemy's text() with :name placeholders, from the Python lens.
    const [pyArgs] = pyLenses[0].command!.arguments as [ExplainCommandArgs];
    const pyOutcome = await vscode.commands.executeCommand<ExplainOutcome>('perflens.explainSelectedSql', pyArgs);
    assert.strictEqual(pyOutcome.ok, true, pyOutcome.error?.message);
    assert.strictEqual(pyOutcome.sql, 'SELECT id, total FROM orders WHERE customer_id = $1 AND status = $2');
    assert.strictEqual(pyOutcome.mode, 'generic');

    await vscode.workspace.getConfiguration('perflens.explain').update('codeLens', false, vscode.ConfigurationTarget.Global);
    const none = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', js.uri)).filter((l) => l.command?.command === 'perflens.explainSelectedSql');
    assert.strictEqual(none.length, 0);
  });
});

describe('Explain Selected SQL: which database', function () {
  this.timeout(60_000);
  let env: string | undefined;

  afterEach(async () => {
    if (env) rmSync(env, { force: true });
    env = undefined;
    await vscode.workspace.getConfiguration('perflens.explain').update('connectionString', undefined, vscode.ConfigurationTarget.Global);
  });

  it('DATABASE_URL from the workspace .env, then the user setting over it; the password never shown', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    assert.strictEqual(vscode.workspace.isTrusted, true);
    env = join(folder.uri.fsPath, '.env');
    assert.ok(!existsSync(env), 'the workspace has no .env of its own');
    // Port 1 refuses at once: the attempt shows which database was chosen without waiting.
    writeFileSync(env, 'DATABASE_URL=postgresql://shop:dotenv-secret-pw@127.0.0.1:1/shop\n');
    const editor = await sqlEditor('SELECT 1');
    selectAll(editor);
    const fromEnv = await explain();
    assert.strictEqual(fromEnv.error?.kind, 'connection');
    assert.match(fromEnv.error?.message ?? '', /127\.0\.0\.1:1\/shop/);
    assert.doesNotMatch(fromEnv.error?.message ?? '', /dotenv-secret-pw/);

    await vscode.workspace.getConfiguration('perflens.explain').update('connectionString', 'postgresql://shop:setting-secret-pw@127.0.0.1:2/orders?sslmode=disable', vscode.ConfigurationTarget.Global);
    const fromSetting = await explain();
    assert.strictEqual(fromSetting.error?.kind, 'connection');
    assert.match(fromSetting.error?.message ?? '', /127\.0\.0\.1:2\/orders/);
    assert.doesNotMatch(fromSetting.error?.message ?? '', /setting-secret-pw/);
  });
});

async function explain(args: ExplainCommandArgs = {}): Promise<ExplainOutcome> {
  const outcome = await vscode.commands.executeCommand<ExplainOutcome>('perflens.explainSelectedSql', args);
  assert.ok(outcome, 'the command returns its outcome');
  return outcome;
}

let sqlFiles = 0;
/** A .sql file on disk rather than an untitled editor, so that closing it asks nothing. */
async function sqlEditor(content: string): Promise<vscode.TextEditor> {
  const file = join(mkdtempSync(join(tmpdir(), 'perflens-explain-')), `query-${++sqlFiles}.sql`);
  writeFileSync(file, content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

function selectAll(editor: vscode.TextEditor): void {
  const d = editor.document;
  editor.selection = new vscode.Selection(d.positionAt(0), d.positionAt(d.getText().length));
}

function planTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('perflens.plan'));
}

function describeTabs(): string {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => `${t.label} (${t.input instanceof vscode.TabInputWebview ? `webview ${t.input.viewType}` : (t.input as { constructor?: { name?: string } })?.constructor?.name})`)
    .join(', ');
}

function pos(p: vscode.Position | undefined): { line: number; character: number } | undefined {
  return p && { line: p.line, character: p.character };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
}
