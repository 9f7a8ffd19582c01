'use strict';
/**
 * The part of bench/vscode-latency.js that runs inside VS Code's extension host (its
 * extensionTestsPath): typing latency on 200 / 2,000 / 10,000-line files, then the extension host's
 * memory around a workspace scan. Writes JSON to $PERFLENS_BENCH_OUT.
 */
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const { assignmentInFunction } = require('./generate-python');
const { declarationInFunction } = require('./generate');

const SIZES = [200, 2000, 10000];
/**
 * TypeScript (where tsserver works on the same edit) and Python files, with their line comment;
 * each also with a statement typed into a function in the middle (the editor re-walks only the
 * statements and class members an edit may change, so a comment does not stand for typing code).
 */
const LANGUAGES = [
  { ext: 'ts', comment: '//' },
  { ext: 'ts', comment: '//', code: { find: declarationInFunction, typed: (indent, i) => `${indent}const typed${i} = ${i};\n`, label: 'code in a method' } },
  { ext: 'py', comment: '#' },
  { ext: 'py', comment: '#', code: { find: assignmentInFunction, typed: (indent, i) => `${indent}typed_${i} = ${i}\n`, label: 'code in a function' } },
];

const WARMUP = 5;
const MEASURED = 25;

exports.run = async function run() {
  const vscode = require('vscode');
  const api = await vscode.extensions.getExtension('perflens.perflens').activate();
  await api.indexed();
  const root = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const out = {
    node: process.version,
    vscode: vscode.version,
    // What --quiet-typescript sets, as the extension host sees it.
    typescriptValidate: vscode.workspace.getConfiguration('typescript').get('validate.enable'),
    semanticHighlighting: vscode.workspace.getConfiguration('editor').get('semanticHighlighting.enabled'),
    latency: [],
    memory: {},
  };
  const memory = () => {
    const m = process.memoryUsage();
    return { rssMb: m.rss / 1048576, heapUsedMb: m.heapUsed / 1048576, externalMb: m.external / 1048576 };
  };
  out.memory.afterIndex = memory();

  for (const { ext, comment, code } of LANGUAGES) for (const lines of SIZES) {
    const uri = vscode.Uri.file(path.join(root, 'latency', `service-${lines}.${ext}`));
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const published = (version) =>
      new Promise((resolve) => {
        const sub = api.onDidPublish((e) => {
          if (e.uri.toString() === uri.toString() && e.version >= version) {
            sub.dispose();
            resolve(e);
          }
        });
      });
    // The first analysis after opening.
    const first = performance.now();
    if (!vscode.languages.getDiagnostics(uri).some((d) => d.source === 'perflens')) await published(doc.version);
    const openMs = performance.now() - first;
    const samples = [];
    const inner = [];
    const engine = [];
    const editMs = [];
    // Typing: one line inserted in the middle of the file, then wait for its diagnostics.
    const anchor = code ? code.find(doc.getText().split('\n'), Math.floor(doc.lineCount / 2)) : undefined;
    for (let i = 0; i < WARMUP + MEASURED; i++) {
      const at = new vscode.Position(anchor ? anchor.line + 1 : Math.floor(doc.lineCount / 2), 0);
      const typed = anchor ? code.typed(anchor.indent, i) : `${comment} typed ${i}\n`;
      const t0 = performance.now();
      const wait = published(doc.version + 1);
      await editor.edit((b) => b.insert(at, typed));
      const t1 = performance.now();
      const ev = await wait;
      const t2 = performance.now();
      if (i >= WARMUP) {
        samples.push(t2 - t0);
        editMs.push(t1 - t0);
        if (ev.changeToPublishMs !== undefined) inner.push(ev.changeToPublishMs);
        if (ev.engineMs !== undefined) engine.push(ev.engineMs);
      }
    }
    out.latency.push({
      file: path.basename(uri.fsPath) + (code ? `, ${code.label}` : ''),
      lines: doc.lineCount,
      findings: vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'perflens').length,
      openToDiagnosticsMs: openMs,
      editToDiagnosticsMs: stats(samples),
      changeEventToPublishMs: stats(inner),
      engineMs: stats(engine),
      editApplyMs: stats(editMs),
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  out.memory.beforeScan = memory();
  const t = performance.now();
  const scan = await api.scanWorkspace();
  out.scan = { files: scan.files, findings: scan.findings, ms: performance.now() - t };
  out.memory.afterScan = memory();
  await new Promise((r) => setTimeout(r, 5000));
  out.memory.afterScan5s = memory();
  fs.writeFileSync(process.env.PERFLENS_BENCH_OUT, JSON.stringify(out, null, 2));
};

function stats(xs) {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), max: s[s.length - 1], n: s.length };
}
