import * as vscode from 'vscode';
import { registerExplain } from './explain';
import { CodeActions, fixAllAction } from './code-actions';
import { ruleDocUri } from './diagnostics';
import { EngineClient } from './engine-client';
import type { PublishEvent } from './live';
import { LANGUAGES, LiveAnalysis } from './live';
import { enabled, readSettings, ruleIds, runMode, SECTION } from './settings';
import { StatusBar } from './status-bar';
import type { ScanSummary } from './workspace-scan';
import { scanWorkspace, workspaceSelection } from './workspace-scan';

/** What activate() returns: used by the integration tests and the latency benchmark. */
export interface PerflensApi {
  onDidPublish: vscode.Event<PublishEvent>;
  /** Resolves when the background index of the workspace has been built (or failed). */
  indexed(): Promise<void>;
  scanWorkspace(token?: vscode.CancellationToken): Promise<ScanSummary>;
  statusText(): string;
}

const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,pyi}';
const CONFIG_GLOB = '**/{.perflens.json,package.json,pyproject.toml}';

export function activate(context: vscode.ExtensionContext): PerflensApi {
  const output = vscode.window.createOutputChannel('Perflens', { log: true });
  const log = (m: string) => output.info(m);
  const collection = vscode.languages.createDiagnosticCollection('perflens');
  const configCollection = vscode.languages.createDiagnosticCollection('perflens-config');
  const status = new StatusBar(collection);
  // The bundle's folder holds worker.js (dist/ in the VSIX, out/src/vscode when compiled by tsc).
  const engine = new EngineClient(__dirname, log);
  const live = new LiveAnalysis(engine, collection, configCollection, context.extensionUri, status, log);
  const ids = ruleIds(context.extension);
  context.subscriptions.push(output, collection, configCollection, status, engine, live);

  const pushSettings = () => engine.setSettings(readSettings(ids, vscode.workspace.workspaceFolders ?? []));
  const analyseOpen = () => {
    if (!enabled()) return;
    // In onSave mode an edited, unsaved document keeps the diagnostics of its last save until it is
    // saved again: a settings change or a re-index must not analyse what is being typed.
    const onSave = runMode() === 'onSave';
    for (const doc of vscode.workspace.textDocuments) if (!(onSave && doc.isDirty)) live.schedule(doc);
  };

  let indexDone: Promise<void> = Promise.resolve();
  const buildIndex = () => {
    if (!enabled() || !vscode.workspace.workspaceFolders?.length) return;
    const end = status.begin();
    indexDone = engine
      .run('index', workspaceSelection(), { onProgress: () => {}, onResults: () => {} })
      .then(
        (r) => live.showConfigProblems(r.configProblems),
        (err: unknown) => log(`Indexing the workspace failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        end();
        // Cross-file helpers are known now: open documents may have new findings.
        analyseOpen();
      });
  };

  const applyEnablement = () => {
    status.setDisabled(!enabled());
    if (enabled()) {
      analyseOpen();
      buildIndex();
    } else live.clear();
  };

  pushSettings();
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((doc) => enabled() && live.schedule(doc)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (enabled() && runMode() === 'onType' && e.contentChanges.length > 0) live.schedule(e.document, true);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!enabled() || !LiveAnalysis.accepts(doc)) return;
      engine.saved(doc.uri.fsPath, doc.getText());
      if (runMode() === 'onSave') live.schedule(doc, true);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => live.closed(doc)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.enable`)) {
        pushSettings();
        applyEnablement();
      } else if (e.affectsConfiguration(SECTION) || e.affectsConfiguration('files.exclude')) {
        pushSettings();
        analyseOpen();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      pushSettings();
      buildIndex();
    }),
    engine.onDidRestart(() => {
      pushSettings();
      buildIndex();
    }),
  );

  const configWatcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
  const onConfigFile = () => {
    engine.configFilesChanged();
    live.clearConfigProblems();
    analyseOpen();
  };
  const sourceWatcher = vscode.workspace.createFileSystemWatcher(SOURCE_GLOB);
  context.subscriptions.push(
    configWatcher,
    configWatcher.onDidChange(onConfigFile),
    configWatcher.onDidCreate(onConfigFile),
    configWatcher.onDidDelete(onConfigFile),
    sourceWatcher,
    sourceWatcher.onDidChange((uri) => void live.fileChanged(uri)),
    sourceWatcher.onDidCreate((uri) => void live.fileChanged(uri)),
    sourceWatcher.onDidDelete((uri) => live.fileDeleted(uri)),
  );

  const selector = LANGUAGES.map((language) => ({ language, scheme: 'file' }));
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new CodeActions(live, engine), { providedCodeActionKinds: CodeActions.kinds }),
    vscode.commands.registerCommand('perflens.scanWorkspace', () => scanWorkspace(engine, live, status, log)),
    vscode.commands.registerCommand('perflens.fixAll', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !LiveAnalysis.accepts(editor.document)) {
        void vscode.window.showInformationMessage('Open a TypeScript, JavaScript or Python file to fix its Perflens problems.');
        return false;
      }
      const action = await fixAllAction(editor.document, engine);
      if (!action?.edit) {
        void vscode.window.showInformationMessage('Perflens found no safe fixes in this file.');
        return false;
      }
      return vscode.workspace.applyEdit(action.edit);
    }),
    vscode.commands.registerCommand('perflens.showRuleDocumentation', async (rule?: string) => {
      const id = typeof rule === 'string' ? rule : await pickRule(engine);
      if (!id) return;
      const uri = ruleDocUri(context.extensionUri, id);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        void vscode.window.showErrorMessage(`No documentation for rule \`${id}\` in this installation (${uri.fsPath}).`);
        return;
      }
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    }),
    vscode.commands.registerCommand('perflens.showOutput', () => output.show()),
  );

  registerExplain(context);
  applyEnablement();
  log(`Perflens ${String((context.extension.packageJSON as { version?: string }).version)} active (${runMode()}).`);

  return {
    onDidPublish: live.onDidPublish,
    indexed: () => indexDone,
    scanWorkspace: (token?: vscode.CancellationToken) => scanWorkspace(engine, live, status, log, token),
    statusText: () => status.text,
  };
}

async function pickRule(engine: EngineClient): Promise<string | undefined> {
  const rules = await engine.rules();
  const pick = await vscode.window.showQuickPick(
    rules.map((r) => ({ label: r.id, detail: r.summary })),
    { placeHolder: 'Which rule?' },
  );
  return pick?.label;
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the worker is terminated with the engine client.
}
