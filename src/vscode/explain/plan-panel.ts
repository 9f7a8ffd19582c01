import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderExplainText, type ExplainResult } from '../../explain';
import { makeNonce, planPageHtml } from './plan-html';
import { planViewData } from './plan-view-data';

/**
 * The plan view: one webview panel beside the editor, reused for each new plan. The page is built by
 * plan-html.ts and drawn by dist/webview/plan-view.js (PEV2); the panel answers its two buttons.
 */

export const PLAN_VIEW_TYPE = 'perflens.plan';
export const PLAN_LANGUAGE = 'perflens-plan';

/** What the webview reports once PEV2 has drawn the plan. */
export interface RenderReport {
  nodes: number;
  findings: number;
  /** Findings whose node PEV2 drew under the id the finding links to (with the same node type). */
  findingsOnTheirNodes: number;
}

interface Shown {
  result: ExplainResult;
  source: string;
  rendered: (report: RenderReport) => void;
}

export class PlanPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: Shown | undefined;
  private readonly webviewRoot: vscode.Uri;

  constructor(extensionUri: vscode.Uri) {
    this.webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  /** Shows a plan; resolves when the webview has drawn it. */
  show(result: ExplainResult, source: string, notes: string[]): Promise<RenderReport> {
    const panel = this.panel ?? this.create();
    panel.title = `Plan: ${shorten(result.sql)}`;
    const rendered = new Promise<RenderReport>((resolve) => (this.shown = { result, source, rendered: resolve }));
    const webview = panel.webview;
    webview.html = planPageHtml(planViewData(result, source, notes), {
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'plan-view.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'plan-view.css')).toString(),
    });
    panel.reveal(vscode.ViewColumn.Beside, true);
    return rendered;
  }

  private create(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(PLAN_VIEW_TYPE, 'Plan', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [this.webviewRoot],
    });
    panel.webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.shown = undefined;
      void vscode.commands.executeCommand('setContext', 'perflens.explain.planShown', false);
    });
    this.panel = panel;
    void vscode.commands.executeCommand('setContext', 'perflens.explain.planShown', true);
    return panel;
  }

  private async onMessage(message: unknown): Promise<void> {
    const shown = this.shown;
    if (!shown || !message || typeof message !== 'object') return;
    const m = message as { type?: unknown; nodes?: unknown; findings?: unknown; findingsOnTheirNodes?: unknown };
    switch (m.type) {
      case 'copyJson':
        await this.copyJson();
        break;
      case 'openText':
        await this.openText();
        break;
      case 'rendered':
        shown.rendered({ nodes: Number(m.nodes) || 0, findings: Number(m.findings) || 0, findingsOnTheirNodes: Number(m.findingsOnTheirNodes) || 0 });
        break;
    }
  }

  /** "Copy plan JSON": PostgreSQL's JSON plan of the plan shown, unchanged. */
  async copyJson(): Promise<string | undefined> {
    if (!this.shown) return undefined;
    const json = JSON.stringify(this.shown.result.plan, null, 2);
    await vscode.env.clipboard.writeText(json);
    vscode.window.setStatusBarMessage('Perflens: plan JSON copied', 3000);
    return json;
  }

  /** "Open as text": the plan shown, as text in an editor. */
  async openText(): Promise<vscode.TextEditor | undefined> {
    return this.shown ? openPlanText(this.shown.result, this.shown.source) : undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The text plan in an editor, in the `perflens-plan` language (coloured by syntaxes/perflens-plan.tmLanguage.json). */
export async function openPlanText(result: ExplainResult, source: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: PLAN_LANGUAGE, content: renderExplainText(result, source) });
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

function shorten(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}
