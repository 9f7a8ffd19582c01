import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type * as Core from '../../../src/core/index';
import type { PerflensApi } from '../../../src/vscode/extension';

export const EXTENSION_ID = 'perflens.perflens';

export async function api(): Promise<PerflensApi> {
  const ext = vscode.extensions.getExtension<PerflensApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function extensionPath(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

/** The engine as the CLI runs it (the repository's tsc output), to compare the editor with. */
export async function core(): Promise<typeof Core> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const repo = process.env.PERFLENS_TEST_REPO ?? extensionPath();
  const c = require(path.join(repo, 'out', 'src', 'core', 'index.js')) as typeof Core;
  await c.ready();
  return c;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return folder.uri.fsPath;
}

export function file(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), rel));
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(file(rel));
  return vscode.window.showTextDocument(doc);
}

export function perflens(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'perflens');
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the diagnostics of `uri` satisfy `ok` (diagnostics arrive asynchronously). */
export async function diagnosticsWhere(uri: vscode.Uri, what: string, ok: (d: vscode.Diagnostic[]) => boolean, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  try {
    return await waitFor(what, () => {
      const d = perflens(uri);
      return ok(d) ? d : undefined;
    }, timeoutMs);
  } catch (err) {
    const now = perflens(uri).map((d) => key(ruleOf(d), d.range));
    throw new Error(`${(err as Error).message}; ${path.basename(uri.fsPath)} has ${now.length}: ${now.join(', ')}`);
  }
}

export function key(rule: string, r: vscode.Range): string {
  return `${rule}@${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

export function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

/** Every source file of the workspace, for a project analysis with the engine. */
export function workspaceSources(c: typeof Core): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', '.vscode', 'generated', 'ignored', 'legacy'].includes(e.name)) walk(full);
      } else if (c.languageForFile(full)) out.push({ file: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(workspaceRoot());
  return out;
}

export async function setSetting(section: string, value: unknown): Promise<void> {
  const [head, ...rest] = section.split('.');
  const name = rest.join('.');
  await vscode.workspace.getConfiguration(head).update(name, value, vscode.ConfigurationTarget.Workspace);
  // The update can resolve before this extension host sees the new value: wait for it.
  await waitFor(`${section} to take its new value`, () => JSON.stringify(vscode.workspace.getConfiguration(head).inspect(name)?.workspaceValue) === JSON.stringify(value) || value === undefined, 10_000);
}

/**
 * Puts an edited document back to the file on disk (the tests edit but do not mean to keep it).
 * `workbench.action.files.revert` did not revert reliably in code-server when run from the tests.
 */
export async function restore(rel: string): Promise<void> {
  const uri = file(rel);
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!doc.isDirty) return;
  const disk = fs.readFileSync(uri.fsPath, 'utf8');
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), disk);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}

/** The engine's fixes for the finding of `rule` on a line matching `line`, analysing the text as is. */
export async function engineFixes(rel: string, rule: string, line: RegExp): Promise<Core.Fix[]> {
  const c = await core();
  const doc = await vscode.workspace.openTextDocument(file(rel));
  const text = doc.getText();
  const index = c.buildIndex(workspaceSources(c), c.defaultConfig());
  const finding = c.analyze({ file: doc.uri.fsPath, text, project: index }).findings.find((f) => f.rule === rule && line.test(doc.lineAt(doc.positionAt(f.span.start).line).text));
  if (!finding) throw new Error(`the engine reports no ${rule} on a line matching ${line}`);
  return finding.fixes;
}
