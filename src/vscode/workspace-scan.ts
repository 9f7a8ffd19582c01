import * as vscode from 'vscode';
import type { EngineClient } from './engine-client';
import type { LiveAnalysis } from './live';
import type { FileSelection } from './protocol';
import { filesExclude } from './settings';
import type { StatusBar } from './status-bar';

export interface ScanSummary {
  files: number;
  findings: number;
  cancelled: boolean;
}

/** What the workspace scan and the background index cover: every folder, open editors as shown. */
export function workspaceSelection(): FileSelection {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const exclude = new Set<string>();
  const excludeWhen = new Map<string, { glob: string; when: string }>();
  for (const f of folders) {
    const { globs, when } = filesExclude(f.uri);
    for (const g of globs) exclude.add(g);
    for (const w of when) excludeWhen.set(`${w.glob}\0${w.when}`, w);
  }
  return {
    folders: folders.map((f) => f.uri.fsPath),
    exclude: [...exclude],
    excludeWhen: [...excludeWhen.values()],
    openTexts: vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && d.isDirty).map((d) => ({ file: d.uri.fsPath, text: d.getText() })),
  };
}

/**
 * "Perflens: Scan Workspace": every file of the workspace through the engine's worker pool, with a
 * cancellable progress notification; results fill Problems as they arrive and stay until the files
 * change.
 */
export async function scanWorkspace(engine: EngineClient, live: LiveAnalysis, status: StatusBar, log: (m: string) => void, external?: vscode.CancellationToken): Promise<ScanSummary> {
  const end = status.begin();
  let findings = 0;
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Perflens: scanning the workspace', cancellable: true },
      async (progress, token) => {
        // Cancelled from the notification, or by the caller (tests, another command).
        const cancel = new vscode.CancellationTokenSource();
        token.onCancellationRequested(() => cancel.cancel());
        external?.onCancellationRequested(() => cancel.cancel());
        if (external?.isCancellationRequested) cancel.cancel();
        let shown = 0;
        const outcome = await engine.run(
          'scan',
          workspaceSelection(),
          {
            onProgress: (phase, done, total) => {
              // Summarising and checking each go through every file: two halves of the bar.
              const pct = total === 0 ? 0 : (phase === 'checking' ? 50 : 0) + (50 * done) / total;
              const label = phase === 'reading' ? 'listing files…' : `${phase} ${done}/${total} files`;
              progress.report({ message: label, increment: Math.max(0, pct - shown) });
              shown = Math.max(shown, pct);
            },
            onResults: (results) => {
              for (const r of results) findings += r.findings.length;
              live.publishScanned(results);
            },
          },
          cancel.token,
        );
        cancel.dispose();
        live.showConfigProblems(outcome.configProblems);
        const summary = { files: outcome.files, findings, cancelled: outcome.cancelled };
        log(`Workspace scan ${summary.cancelled ? 'cancelled' : 'finished'}: ${summary.files} files, ${findings} problems.`);
        return summary;
      },
    );
  } finally {
    end();
  }
}
