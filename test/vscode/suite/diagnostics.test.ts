import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, core, diagnosticsWhere, extensionPath, file, key, open, perflens, restore, ruleOf, workspaceSources } from './helpers';

/** The engine's findings for one file of the workspace, analysed as a project (like the CLI). */
async function expected(rel: string): Promise<{ keys: string[]; text: string }> {
  const c = await core();
  const results = c.analyzeProject(workspaceSources(c), c.defaultConfig());
  const abs = file(rel).fsPath;
  const r = results.get(abs);
  assert.ok(r, `the engine analysed ${abs}`);
  const doc = await vscode.workspace.openTextDocument(file(rel));
  const keys = r.findings.map((f) => key(f.rule, new vscode.Range(doc.positionAt(f.span.start), doc.positionAt(f.span.end)))).sort();
  return { keys, text: doc.getText() };
}

/** The engine's findings for one file of the workspace whose open document has `text`, analysed as a project. */
async function expectedWith(rel: string, doc: vscode.TextDocument): Promise<string[]> {
  const c = await core();
  const abs = file(rel).fsPath;
  const sources = workspaceSources(c).map((s) => (s.file === abs ? { file: s.file, text: doc.getText() } : s));
  const r = c.analyzeProject(sources, c.defaultConfig()).get(abs);
  assert.ok(r, `the engine analysed ${abs}`);
  return r.findings.map((f) => key(f.rule, new vscode.Range(doc.positionAt(f.span.start), doc.positionAt(f.span.end)))).sort();
}

describe('diagnostics in a real VS Code', () => {
  before(async () => {
    await (await api()).indexed();
  });

  it('TypeScript: an open file shows exactly what the engine reports for the project', async () => {
    const rel = 'node-service/src/routes/orders.ts';
    const want = await expected(rel);
    assert.ok(want.keys.length >= 4, `the sample has findings of several rules: ${want.keys.join(', ')}`);
    await open(rel);
    const got = await diagnosticsWhere(file(rel), 'the engine findings', (d) => d.length === want.keys.length);
    assert.deepStrictEqual(got.map((d) => key(ruleOf(d), d.range)).sort(), want.keys);
  });

  it('carries source, a documentation link inside the extension, severities and related locations', async () => {
    const uri = file('node-service/src/routes/orders.ts');
    const diags = perflens(uri);
    const docs = vscode.Uri.file(path.join(extensionPath(), 'docs', 'rules'));
    for (const d of diags) {
      assert.strictEqual(d.source, 'perflens');
      assert.ok(typeof d.code === 'object' && d.code !== null, 'code has a target');
      assert.strictEqual(d.code.target.toString(), vscode.Uri.joinPath(docs, `${ruleOf(d)}.md`).toString());
      assert.ok(d.relatedInformation && d.relatedInformation.length > 0, `${ruleOf(d)} has related information`);
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const loop = diags.find((d) => ruleOf(d) === 'n-plus-one-query' && doc.lineAt(d.range.start.line).text.includes('prisma.customer.findUnique'));
    assert.ok(loop, 'the query inside the for loop is reported');
    const related = loop.relatedInformation![0];
    assert.strictEqual(related.location.uri.toString(), uri.toString());
    assert.match(doc.lineAt(related.location.range.start.line).text, /for \(const order of orders\)/);
    const seq = diags.find((d) => ruleOf(d) === 'sequential-awaits');
    assert.strictEqual(seq?.severity, vscode.DiagnosticSeverity.Information, 'sequential-awaits is info by default');
    const blocking = diags.find((d) => ruleOf(d) === 'blocking-call-in-async');
    assert.strictEqual(blocking?.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('cross-file: a helper in another file is known from the background index and linked', async () => {
    const uri = file('node-service/src/routes/orders.ts');
    const diags = perflens(uri);
    const viaHelper = diags.find((d) => d.message.includes('loadCustomer'));
    assert.ok(viaHelper, `the N+1 through loadCustomer is reported: ${diags.map((d) => d.message).join(' | ')}`);
    const elsewhere = viaHelper.relatedInformation!.find((r) => r.location.uri.fsPath.endsWith(path.join('services', 'customers.ts')));
    assert.ok(elsewhere, 'related information points into services/customers.ts');
    const helperDoc = await vscode.workspace.openTextDocument(elsewhere.location.uri);
    assert.match(helperDoc.lineAt(elsewhere.location.range.start.line).text, /prisma\.customer\.findUnique/);
  });

  it('Python: an open file shows exactly what the engine reports for the project', async () => {
    const rel = 'fastapi-service/app/main.py';
    const want = await expected(rel);
    assert.ok(want.keys.some((k) => k.startsWith('n-plus-one-query')) && want.keys.some((k) => k.startsWith('blocking-call-in-async')), want.keys.join(', '));
    await open(rel);
    const got = await diagnosticsWhere(file(rel), 'the engine findings', (d) => d.length === want.keys.length);
    assert.deepStrictEqual(got.map((d) => key(ruleOf(d), d.range)).sort(), want.keys);
    const sleep = got.find((d) => d.message.includes('time.sleep'));
    assert.ok(sleep?.relatedInformation?.[0].message.includes('health'), 'related: the async function');
  });

  it('as you type: a new blocking call is reported, and only the latest version survives', async () => {
    const rel = 'node-service/src/routes/orders.ts';
    const want = await expected(rel);
    const editor = await open(rel);
    const doc = editor.document;
    const before = (await diagnosticsWhere(doc.uri, 'the engine findings', (d) => d.length === want.keys.length)).length;
    const line = doc.lineAt(doc.getText().split('\n').findIndex((l) => l.includes("res.send(template)")));
    // Several quick edits: each intermediate version is superseded before its answer matters.
    for (let i = 0; i < 5; i++) {
      await editor.edit((b) => b.insert(line.range.start, `  fs.writeFileSync('audit-${i}.log', 'x');\n`));
    }
    const got = await diagnosticsWhere(doc.uri, 'five new blocking calls', (d) => d.length === before + 5);
    const lines = got.filter((d) => d.message.includes('fs.writeFileSync')).map((d) => doc.lineAt(d.range.start.line).text.trim());
    assert.deepStrictEqual(lines.sort(), [0, 1, 2, 3, 4].map((i) => `fs.writeFileSync('audit-${i}.log', 'x');`));
    await restore(rel);
    assert.strictEqual(doc.getText(), want.text, 'the document is back to the file on disk');
    await diagnosticsWhere(doc.uri, 'the restored file', (d) => d.length === before);
  });

  /**
   * Typing in an open file, each edit followed by waiting for exactly the findings of a whole
   * project analysis of the new text. The editor walks only the statements and class members an
   * edit may have changed (statement-reuse.ts): a helper that starts blocking must still show up
   * at its caller, a statement the edit never touched. Each `[find, replace]` is a whole line.
   */
  const TYPING = [
    {
      language: 'Python',
      rel: 'fastapi-service/app/main.py',
      appended: '\n\ndef audit():\n    return 1\n\n\n@app.get("/audit")\nasync def audit_route():\n    audit()\n    return {}\n',
      blocks: ['    return 1', '    time.sleep(1)'],
      caller: 'audit()',
      typedBefore: ['    time.sleep(0.1)', '    started = time.monotonic()'],
      renamed: ['def audit():', 'def audit_old():'],
    },
    {
      language: 'TypeScript',
      rel: 'node-service/src/routes/orders.ts',
      appended: "\nfunction audit() {\n  return 1;\n}\n\nrouter.get('/audit', async (req, res) => {\n  audit();\n  res.json({});\n});\n",
      blocks: ['  return 1;', "  return fs.readFileSync('audit.log');"],
      caller: 'audit();',
      typedBefore: ['  res.json(rows);', '  const started = Date.now();'],
      renamed: ['function audit() {', 'function auditOld() {'],
    },
  ];

  for (const t of TYPING) {
    it(`${t.language} as you type: after each edit, exactly what a whole analysis of the text reports`, async () => {
      const editor = await open(t.rel);
      const doc = editor.document;
      const step = async (what: string, edit: (b: vscode.TextEditorEdit) => void) => {
        assert.ok(await editor.edit(edit), `${what}: the edit applies`);
        const want = await expectedWith(t.rel, doc);
        return diagnosticsWhere(doc.uri, what, (d) => JSON.stringify(d.map((x) => key(ruleOf(x), x.range)).sort()) === JSON.stringify(want));
      };
      const lineOf = (text: string) => doc.lineAt(doc.getText().split('\n').findIndex((l) => l === text));
      try {
        await step('a helper and a route calling it', (b) => b.insert(doc.lineAt(doc.lineCount - 1).range.end, t.appended));
        const got = await step('the helper starts blocking', (b) => b.replace(lineOf(t.blocks[0]).range, t.blocks[1]));
        const call = got.find((d) => ruleOf(d) === 'blocking-call-in-async' && doc.lineAt(d.range.start.line).text.trim() === t.caller);
        assert.ok(call, `the blocking helper is reported at the caller: ${got.map((d) => d.message).join(' | ')}`);
        await step('a line typed into another function', (b) => b.insert(lineOf(t.typedBefore[0]).range.start, `${t.typedBefore[1]}\n`));
        await step('the helper renamed: the caller no longer finds it', (b) => b.replace(lineOf(t.renamed[0]).range, t.renamed[1]));
      } finally {
        await restore(t.rel);
      }
    });
  }
});
