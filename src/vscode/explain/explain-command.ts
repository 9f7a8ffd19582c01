import * as vscode from 'vscode';
import { basename } from 'node:path';
import {
  ExplainError,
  explainInFile,
  extractSql,
  languageOfFile,
  redact,
  type ExplainErrorKind,
  type ExplainMode,
  type ExtractInput,
  type ExtractedSql,
  type SourceLanguage,
} from '../../explain';
import { Databases, isAuthenticationFailure, type DatabaseChoice } from './database';
import { forEditor } from './editor-wording';
import type { PlanPanels, RenderReport } from './plan-panel';

/**
 * "Perflens: Explain Selected SQL" (and its ANALYZE twin): the selection, or the SQL literal under the
 * cursor, explained by the chosen database; the plan opens in the plan view. The safety rules live in
 * the engine (src/explain/explain.ts); this adds what needs a person: the password, values for `$n`
 * when no generic plan is possible, the confirmation before ANALYZE runs a write, and errors shown
 * where they are in the editor.
 */

/** What the command accepts: from a code lens, a menu (a Uri), or a script/test (this object). */
export interface ExplainCommandArgs {
  /** The document; default: the active editor's. */
  uri?: vscode.Uri | string;
  /** A cursor offset in the document instead of the editor's selection (code lenses pass the literal's). */
  offset?: number;
  /** EXPLAIN ANALYZE: runs the statement inside a transaction that is rolled back. */
  analyze?: boolean;
  /** Values for `$1…$n`; without them the user is asked when the server cannot make a generic plan. */
  params?: string[];
  /**
   * Answers the confirmation that ANALYZE asks before running anything but a plain SELECT, instead of
   * the modal dialog (scripted use, tests). Receives the dialog's message.
   */
  confirm?: (message: string) => boolean | Promise<boolean>;
}

/** What the command returns (for scripts and tests; the user sees the plan view or a message). */
export interface ExplainOutcome {
  ok: boolean;
  mode?: ExplainMode;
  database?: 'postgres' | 'embedded';
  sql?: string;
  /** How the SQL was found: the selection, the literal at the cursor, the statement at the cursor. */
  origin?: ExtractedSql['origin'];
  findings?: Array<{ kind: string; node: string; message: string }>;
  notes?: string[];
  /** The confirmation message shown before an ANALYZE with side effects, when one was asked. */
  confirmation?: string;
  error?: { kind: ExplainErrorKind; message: string; range?: vscode.Range };
  /** Resolves when the plan view has drawn the plan. */
  rendered?: Promise<RenderReport>;
}

export class ExplainCommand {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('perflens-explain');

  constructor(
    private readonly databases: Databases,
    private readonly panels: PlanPanels,
  ) {}

  async run(arg?: ExplainCommandArgs | vscode.Uri, analyzeByDefault = false): Promise<ExplainOutcome> {
    const args: ExplainCommandArgs = arg instanceof vscode.Uri ? { uri: arg } : { ...(arg ?? {}) };
    const analyze = args.analyze ?? analyzeByDefault;
    const editor = await this.editorFor(args.uri);
    if (!editor) return this.fail('usage', 'Open a file and select the SQL to explain.');
    const document = editor.document;
    this.diagnostics.delete(document.uri);

    const input = this.inputOf(editor, args.offset);
    let extracted: ExtractedSql;
    try {
      extracted = extractSql(input);
    } catch (e) {
      return this.report(e, document, []);
    }

    let choice: DatabaseChoice | undefined;
    try {
      choice = await this.databases.choose(document);
    } catch (e) {
      return this.report(e, document, []);
    }
    if (!choice) return { ok: false, error: { kind: 'connection', message: 'No password given; nothing was run.' } };

    let confirmation: string | undefined;
    const confirmSideEffects = async ({ message }: { message: string }): Promise<boolean> => {
      confirmation = message;
      if (args.confirm) return args.confirm(message);
      const run = 'Run and Roll Back';
      return (await vscode.window.showWarningMessage('Run this statement to explain it?', { modal: true, detail: message }, run)) === run;
    };
    const timeoutMs = vscode.workspace.getConfiguration('perflens.explain', document.uri).get<number>('timeoutMs', 10_000);
    let params = args.params;
    for (;;) {
      try {
        const { result } = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: analyze ? 'Perflens: EXPLAIN ANALYZE…' : 'Perflens: EXPLAIN…' },
          () => explainInFile(choice.runner, input, { analyze, params, timeoutMs, confirmSideEffects }),
        );
        const position = document.positionAt(extracted.range.start);
        const source = `${basename(document.fileName)}:${position.line + 1}:${position.character + 1}`;
        const notes = [...result.notes.map(forEditor), ...(choice.schemaNotes ?? [])];
        const rendered = this.panels.show(result, source, notes);
        return {
          ok: true,
          mode: result.mode,
          database: result.database.kind,
          sql: result.sql,
          origin: extracted.origin,
          findings: result.findings.map((f) => ({ kind: f.kind, node: f.node, message: f.message })),
          notes,
          ...(confirmation ? { confirmation } : {}),
          rendered,
        };
      } catch (e) {
        // No generic plan before PostgreSQL 16, and ANALYZE always needs values: ask for them once.
        if (e instanceof ExplainError && e.kind === 'parameters' && !params?.length && extracted.parameterCount > 0) {
          params = await askForValues(extracted, analyze);
          if (params) continue;
          return { ok: false, error: { kind: 'parameters', message: 'No values given for the parameters; nothing was run.' } };
        }
        if (isAuthenticationFailure(e) && choice.passwordKey) {
          await this.databases.forgetPassword(choice.passwordKey);
          return this.report(e, document, choice.secrets, ' The saved password was forgotten; run the command again to enter it.');
        }
        const outcome = await this.report(e, document, choice.secrets);
        return confirmation ? { ...outcome, confirmation } : outcome;
      }
    }
  }

  private async editorFor(uri: vscode.Uri | string | undefined): Promise<vscode.TextEditor | undefined> {
    if (uri === undefined) return vscode.window.activeTextEditor;
    const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
    const active = vscode.window.activeTextEditor;
    if (active && active.document.uri.toString() === target.toString()) return active;
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
  }

  private inputOf(editor: vscode.TextEditor, offset: number | undefined): ExtractInput {
    const document = editor.document;
    const base = { text: document.getText(), fileName: document.fileName, language: languageOf(document) };
    if (offset !== undefined) return { ...base, cursor: offset };
    const s = editor.selection;
    return s.isEmpty
      ? { ...base, cursor: document.offsetAt(s.active) }
      : { ...base, selection: { start: document.offsetAt(s.start), end: document.offsetAt(s.end) } };
  }

  /** Shows an error: at its place in the editor when PostgreSQL gave a position, else as a message. */
  private async report(e: unknown, document: vscode.TextDocument, secrets: readonly string[], suffix = ''): Promise<ExplainOutcome> {
    const error = e instanceof ExplainError ? e : new ExplainError('sql', e instanceof Error ? e.message : String(e));
    const message = forEditor(redact(error.message, secrets)) + suffix;
    const offset = error.details.fileOffset;
    if (offset === undefined) {
      if (error.kind === 'needs-confirmation') void vscode.window.showInformationMessage('Perflens: EXPLAIN ANALYZE was not run; nothing changed.');
      else void vscode.window.showErrorMessage(`Perflens: ${message}`);
      return { ok: false, error: { kind: error.kind, message } };
    }
    const position = document.positionAt(offset);
    const range = document.getWordRangeAtPosition(position) ?? new vscode.Range(position, position.translate(0, 1));
    const diagnostic = new vscode.Diagnostic(range, [message, error.details.detail, error.details.hint && `Hint: ${error.details.hint}`].filter(Boolean).join('\n'), vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'perflens explain';
    if (error.details.code) diagnostic.code = error.details.code;
    this.diagnostics.set(document.uri, [diagnostic]);
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: false, preview: false });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    void vscode.window.showErrorMessage(`Perflens: ${message} (line ${position.line + 1}, column ${position.character + 1})`);
    return { ok: false, error: { kind: error.kind, message, range } };
  }

  private fail(kind: ExplainErrorKind, message: string): ExplainOutcome {
    void vscode.window.showErrorMessage(`Perflens: ${message}`);
    return { ok: false, error: { kind, message } };
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

function languageOf(document: vscode.TextDocument): SourceLanguage {
  switch (document.languageId) {
    case 'sql':
      return 'sql';
    case 'python':
      return 'python';
    case 'typescript':
    case 'typescriptreact':
    case 'javascript':
    case 'javascriptreact':
      return 'typescript';
    default:
      return languageOfFile(document.fileName);
  }
}

/** One input box per parameter, showing what the placeholder was in the source (`${userId}`, `:id`). */
async function askForValues(extracted: ExtractedSql, analyze: boolean): Promise<string[] | undefined> {
  const why = analyze
    ? 'EXPLAIN ANALYZE runs the statement, so each parameter needs a value.'
    : 'This PostgreSQL cannot plan without values (a generic plan needs PostgreSQL 16 or later).';
  const values: string[] = [];
  for (let n = 1; n <= extracted.parameterCount; n++) {
    const placeholder = extracted.placeholders.find((p) => p.number === n);
    const value = await vscode.window.showInputBox({
      title: `Perflens: value for $${n} (${n} of ${extracted.parameterCount})`,
      prompt: placeholder ? `Value for \`${placeholder.source}\`. ${why}` : why,
      placeHolder: 'a literal as PostgreSQL would read it, e.g. 42 or 2024-01-31',
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}
