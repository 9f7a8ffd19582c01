import * as vscode from 'vscode';
import { sqlLiteralSpots } from './sql-lenses';

/** "Explain" above SQL literals passed to query calls, unless `perflens.explain.codeLens` is off. */
export class ExplainCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  static readonly selector: vscode.DocumentSelector = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'].map((language) => ({ language }));

  constructor(context: vscode.ExtensionContext) {
    context.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('perflens.explain.codeLens')) this.changed.fire();
      }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('perflens.explain', document.uri).get<boolean>('codeLens', true)) return [];
    const language = document.languageId === 'python' ? 'python' : 'typescript';
    return sqlLiteralSpots(document.getText(), language).map((spot) => {
      const position = document.positionAt(spot.offset);
      return new vscode.CodeLens(new vscode.Range(position, position), {
        title: 'Explain SQL',
        tooltip: `Perflens: EXPLAIN the SQL passed to \`${spot.callee}\``,
        command: 'perflens.explainSelectedSql',
        arguments: [{ uri: document.uri, offset: spot.offset }],
      });
    });
  }
}
