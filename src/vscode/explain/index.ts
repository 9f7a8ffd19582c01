import * as vscode from 'vscode';
import { closeEmbeddedRunners } from '../../explain';
import { ExplainCodeLenses } from './code-lens';
import { Databases } from './database';
import { ExplainCommand, type ExplainCommandArgs } from './explain-command';
import { PlanPanels } from './plan-panel';

export type { ExplainCommandArgs, ExplainOutcome } from './explain-command';

/**
 * "Perflens: Explain Selected SQL" and everything around it: the commands, the code lenses, the plan
 * view, the explain diagnostics. Called once from the extension's activate; everything it creates is
 * disposed with the extension (the embedded database included).
 */
export function registerExplain(context: vscode.ExtensionContext): void {
  const databases = new Databases(context);
  const panels = new PlanPanels(context.extensionUri);
  const command = new ExplainCommand(databases, panels);
  const lenses = new ExplainCodeLenses(context);

  context.subscriptions.push(
    databases,
    panels,
    command,
    vscode.commands.registerCommand('perflens.explainSelectedSql', (arg?: ExplainCommandArgs | vscode.Uri) => command.run(arg, false)),
    vscode.commands.registerCommand('perflens.explainAnalyzeSelectedSql', (arg?: ExplainCommandArgs | vscode.Uri) => command.run(arg, true)),
    vscode.commands.registerCommand('perflens.explain.copyPlanJson', () => panels.copyJson()),
    vscode.commands.registerCommand('perflens.explain.openPlanAsText', () => panels.openText()),
    vscode.commands.registerCommand('perflens.explain.forgetPasswords', async () => {
      const count = await databases.forgetPasswords();
      void vscode.window.showInformationMessage(count ? `Perflens: forgot ${count} saved database password${count === 1 ? '' : 's'}.` : 'Perflens: no database passwords were saved.');
      return count;
    }),
    vscode.languages.registerCodeLensProvider(ExplainCodeLenses.selector, lenses),
    // An explain error's diagnostic is about the text as it was; any edit makes it stale.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && command.diagnostics.has(e.document.uri)) command.diagnostics.delete(e.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => command.diagnostics.delete(d.uri)),
    { dispose: () => void closeEmbeddedRunners() },
  );
}
