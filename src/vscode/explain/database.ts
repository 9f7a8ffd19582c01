import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { ExplainError, PgRunner, parseConnectionString, readDotEnv, type ExplainRunner } from '../../explain';
import { EmbeddedWorker, type EmbeddedHandle } from './embedded-client';

/**
 * Which database explains a document's SQL, in the order DESIGN.md gives: the setting
 * `perflens.explain.connectionString`, else `DATABASE_URL` in the workspace folder's `.env`, else the
 * embedded PostgreSQL (PGlite) loaded with that folder's schema (or `perflens.explain.schemaPath`'s). In an untrusted workspace only the
 * user's own setting counts — a workspace must not be able to point the extension at a database —
 * and without one the embedded database is used.
 *
 * Passwords live in SecretStorage, never in settings: a connection string without a password asks for
 * one once, keyed by the connection's display form (which has no password in it).
 */

export interface DatabaseChoice {
  runner: ExplainRunner;
  /** Where the connection string came from, for messages; undefined for the embedded database. */
  from?: string;
  /** Strings to scrub from anything shown (the password). */
  secrets: readonly string[];
  /** The SecretStorage key of the password used, to forget it when the server refuses it. */
  passwordKey?: string;
  /** For the embedded database: schema files that failed to load (each skipped). */
  schemaNotes?: string[];
}

const PASSWORDS_KEY = 'perflens.explain.passwords';

export class Databases implements vscode.Disposable {
  /** The embedded PostgreSQL runs in a worker thread: starting it takes seconds of CPU. */
  private readonly embeddedWorker = new EmbeddedWorker();

  constructor(private readonly context: vscode.ExtensionContext) {}

  dispose(): void {
    this.embeddedWorker.dispose();
  }

  async choose(document: vscode.TextDocument): Promise<DatabaseChoice | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const configured = this.connectionString(folder);
    if (configured) return this.postgres(configured.value, configured.from);
    const runner = await this.embedded(folder);
    const schemaNotes = runner.schema.failed.map(
      (f) => `Schema file skipped: \`${f.file}\`${f.line ? ` (line ${f.line}, column ${f.column})` : ''}: ${f.message}`,
    );
    return { runner, secrets: [], schemaNotes };
  }

  /** The connection string that applies, honouring workspace trust; undefined means embedded. */
  connectionString(folder: vscode.WorkspaceFolder | undefined): { value: string; from: string } | undefined {
    const inspected = vscode.workspace.getConfiguration('perflens.explain', folder?.uri).inspect<string>('connectionString');
    const trusted = vscode.workspace.isTrusted;
    const candidates: Array<[string | undefined, string]> = trusted
      ? [
          [inspected?.workspaceFolderValue, 'the folder setting `perflens.explain.connectionString`'],
          [inspected?.workspaceValue, 'the workspace setting `perflens.explain.connectionString`'],
          [inspected?.globalValue, 'the setting `perflens.explain.connectionString`'],
        ]
      : [[inspected?.globalValue, 'the user setting `perflens.explain.connectionString`']];
    for (const [value, from] of candidates) if (value && value.trim()) return { value: value.trim(), from };
    if (trusted && folder && folder.uri.scheme === 'file') {
      const url = readDotEnv(folder.uri.fsPath).DATABASE_URL;
      if (url && url.trim()) return { value: url.trim(), from: '`DATABASE_URL` in the workspace `.env`' };
    }
    return undefined;
  }

  private async postgres(connection: string, from: string): Promise<DatabaseChoice | undefined> {
    const config = vscode.workspace.getConfiguration('perflens.explain');
    const target = parseConnectionString(connection, {
      env: process.env,
      defaultConnectTimeoutMs: config.get<number>('connectTimeoutMs', 5000),
    });
    let passwordKey: string | undefined;
    if (target.password === undefined) {
      passwordKey = target.display;
      const stored = await this.passwords();
      let password: string | undefined = stored[passwordKey];
      if (password === undefined) {
        password = await vscode.window.showInputBox({
          title: 'Perflens: database password',
          prompt: `Password for ${target.display} (from ${stripBackticks(from)}); kept in VS Code's secret storage. Leave empty if the server needs none.`,
          password: true,
          ignoreFocusOut: true,
        });
        if (password === undefined) return undefined;
        await this.storePassword(passwordKey, password);
      }
      if (password) {
        target.password = password;
        target.secrets.push(password, encodeURIComponent(password));
      }
    }
    return { runner: new PgRunner(target), from, secrets: target.secrets, passwordKey };
  }

  /** The embedded database for a folder: started once (with a progress notification), then reused. */
  private async embedded(folder: vscode.WorkspaceFolder | undefined): Promise<EmbeddedHandle> {
    const folderPath = folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    // Reading schema files into an in-memory database is harmless, so this setting applies in
    // untrusted workspaces too.
    const schemaPath = vscode.workspace.getConfiguration('perflens.explain', folder?.uri).get<string>('schemaPath', '').trim();
    const schemaDir = schemaPath ? (isAbsolute(schemaPath) || !folderPath ? schemaPath : join(folderPath, schemaPath)) : folderPath;
    let report: ((message: string) => void) | undefined;
    let done: (() => void) | undefined;
    const runner = this.embeddedWorker.open({
      schemaDir,
      // One snapshot per extension version: its PGlite may differ from the last one's.
      snapshotDir: join(this.context.globalStorageUri.fsPath, `pglite-${String(this.context.extension.packageJSON.version ?? '0')}`),
      onProgress: (message) => {
        // Only called when the database really starts, not when a running one is reused.
        if (!report) {
          const started = new Promise<void>((resolve) => (done = resolve));
          const messages: string[] = [message];
          report = (m) => messages.push(m);
          void vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'Perflens', cancellable: false },
            async (progress) => {
              let shown = 0;
              const timer = setInterval(() => {
                while (shown < messages.length) progress.report({ message: messages[shown++] });
              }, 100);
              progress.report({ message: messages[shown++] });
              await started;
              clearInterval(timer);
            },
          );
        } else report(message);
      },
    });
    try {
      return await runner;
    } finally {
      done?.();
    }
  }

  async forgetPasswords(): Promise<number> {
    const count = Object.keys(await this.passwords()).length;
    await this.context.secrets.delete(PASSWORDS_KEY);
    return count;
  }

  async forgetPassword(key: string): Promise<void> {
    const stored = await this.passwords();
    delete stored[key];
    await this.context.secrets.store(PASSWORDS_KEY, JSON.stringify(stored));
  }

  private async passwords(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse((await this.context.secrets.get(PASSWORDS_KEY)) ?? '{}');
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private async storePassword(key: string, password: string): Promise<void> {
    await this.context.secrets.store(PASSWORDS_KEY, JSON.stringify({ ...(await this.passwords()), [key]: password }));
  }
}

/** The server refused the login: a stored password is wrong (SQLSTATE 28P01 / 28000). */
export function isAuthenticationFailure(e: unknown): boolean {
  return e instanceof ExplainError && e.kind === 'connection' && (e.details.code === '28P01' || e.details.code === '28000');
}

function stripBackticks(s: string): string {
  return s.replace(/`/g, '');
}
