import * as vscode from 'vscode';
import type { EngineClient } from './engine-client';
import type { FileFindings, WireConfigProblem, WireFinding } from './protocol';
import { configDiagnostic, toDiagnostic } from './diagnostics';
import type { StatusBar } from './status-bar';

/** VS Code languages that the engine reads (TypeScript, JavaScript, Python). */
export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'] as const;

export interface PublishEvent {
  uri: vscode.Uri;
  version: number;
  findings: number;
  /** From the first change not yet shown to these diagnostics being published. */
  changeToPublishMs?: number;
  /** Of which the engine worker spent this long on the analysis (the rest is messaging and waiting). */
  engineMs?: number;
}

interface Published {
  version: number;
  findings: WireFinding[];
}

/**
 * Diagnostics of open documents. A change is sent to the engine at once when nothing is running
 * for that document; while an analysis runs, further changes only mark the document, and when the
 * answer comes the latest version is sent (so at most one analysis per document is queued, and
 * typing never waits). An answer for an older version than the document's is dropped.
 */
export class LiveAnalysis implements vscode.Disposable {
  private readonly published = new Map<string, Published>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly changedAt = new Map<string, number>();
  /** Files whose diagnostics came from a workspace scan: kept when their editor closes. */
  readonly scanned = new Set<string>();
  private readonly publishEmitter = new vscode.EventEmitter<PublishEvent>();
  readonly onDidPublish = this.publishEmitter.event;

  constructor(
    private readonly engine: EngineClient,
    readonly collection: vscode.DiagnosticCollection,
    private readonly configCollection: vscode.DiagnosticCollection,
    private readonly extensionUri: vscode.Uri,
    private readonly status: StatusBar,
    private readonly log: (message: string) => void,
  ) {}

  static accepts(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'file' && (LANGUAGES as readonly string[]).includes(doc.languageId);
  }

  /** Analyse now if idle, else once the running analysis of this document answers. */
  schedule(doc: vscode.TextDocument, changed = false): void {
    if (!LiveAnalysis.accepts(doc)) return;
    const key = doc.uri.toString();
    if (changed && !this.changedAt.has(key)) this.changedAt.set(key, performance.now());
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    void this.run(doc, key);
  }

  private async run(doc: vscode.TextDocument, key: string): Promise<void> {
    this.running.add(key);
    const end = this.status.begin();
    const version = doc.version;
    try {
      const { result, configProblems, engineMs } = await this.engine.analyze(doc.uri.fsPath, doc.getText());
      this.showConfigProblems(configProblems);
      // Closed meanwhile, or a newer version exists: this answer is stale.
      if (!doc.isClosed && doc.version === version) this.publish(doc.uri, version, result, engineMs);
    } catch (err) {
      this.log(`Analysis of ${doc.uri.fsPath} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running.delete(key);
      end();
      if (this.again.delete(key) && !doc.isClosed) this.schedule(doc);
    }
  }

  /** Diagnostics of a file, from the editor text or a scan. */
  publish(uri: vscode.Uri, version: number, result: FileFindings, engineMs?: number): void {
    const key = uri.toString();
    this.published.set(key, { version, findings: result.findings });
    this.collection.set(uri, result.findings.map((f) => toDiagnostic(f, uri, this.extensionUri)));
    const since = this.changedAt.get(key);
    this.changedAt.delete(key);
    this.status.changed();
    this.publishEmitter.fire({ uri, version, findings: result.findings.length, changeToPublishMs: since === undefined ? undefined : performance.now() - since, engineMs });
  }

  /** Scan results for files without an open editor (open ones are analysed as shown). */
  publishScanned(results: FileFindings[]): void {
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    for (const r of results) {
      const uri = vscode.Uri.file(r.file);
      this.scanned.add(uri.toString());
      if (!open.has(uri.toString())) this.publish(uri, -1, r);
    }
  }

  /** The findings behind the current diagnostics, if they belong to this version of the document. */
  findingsFor(doc: vscode.TextDocument): WireFinding[] | undefined {
    const p = this.published.get(doc.uri.toString());
    return p && p.version === doc.version ? p.findings : undefined;
  }

  /** Closed editor: its diagnostics go, unless a scan put them there and the file is as on disk. */
  closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.again.delete(key);
    this.changedAt.delete(key);
    if (this.scanned.has(key) && !doc.isDirty) return;
    this.scanned.delete(key);
    this.published.delete(key);
    this.collection.delete(doc.uri);
    this.status.changed();
  }

  /** A scanned file changed on disk while no editor has it: analyse it again from disk. */
  async fileChanged(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    if (!this.scanned.has(key) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
    try {
      this.publish(uri, -1, await this.engine.analyzeFile(uri.fsPath));
    } catch (err) {
      this.log(`Analysis of ${uri.fsPath} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  fileDeleted(uri: vscode.Uri): void {
    this.scanned.delete(uri.toString());
    this.published.delete(uri.toString());
    this.collection.delete(uri);
    this.status.changed();
  }

  showConfigProblems(problems: WireConfigProblem[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const list = byFile.get(p.file) ?? [];
      list.push(configDiagnostic(p));
      byFile.set(p.file, list);
    }
    for (const [file, diags] of byFile) {
      const uri = vscode.Uri.file(file);
      const now = this.configCollection.get(uri) ?? [];
      if (now.length !== diags.length || now.some((d, i) => d.message !== diags[i].message)) this.configCollection.set(uri, diags);
    }
  }

  clearConfigProblems(): void {
    this.configCollection.clear();
  }

  clear(): void {
    this.published.clear();
    this.scanned.clear();
    this.again.clear();
    this.changedAt.clear();
    this.collection.clear();
    this.configCollection.clear();
    this.status.changed();
  }

  dispose(): void {
    this.publishEmitter.dispose();
  }
}
