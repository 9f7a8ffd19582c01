import * as vscode from 'vscode';
import type { Severity } from '../core/finding';
import type { WireConfigProblem, WireFinding, WireFix, WireRange } from './protocol';

export const SOURCE = 'perflens';

export function toRange(r: WireRange): vscode.Range {
  return new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
}

/** The rule's documentation shipped inside the extension (docs/rules/<id>.md): works offline. */
export function ruleDocUri(extensionUri: vscode.Uri, rule: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${rule}.md`);
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  info: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
  error: vscode.DiagnosticSeverity.Error,
};

export function toDiagnostic(f: WireFinding, uri: vscode.Uri, extensionUri: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = { value: f.rule, target: ruleDocUri(extensionUri, f.rule) };
  d.relatedInformation = f.related.map(
    (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(r.file ? vscode.Uri.file(r.file) : uri, toRange(r.range)), r.message),
  );
  return d;
}

/** A config file problem, on the config file itself (at the syntax error when there is one). */
export function configDiagnostic(p: WireConfigProblem): vscode.Diagnostic {
  const line = Math.max(0, (p.line ?? 1) - 1);
  const column = Math.max(0, (p.column ?? 1) - 1);
  const d = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1), `Perflens config \`${p.key}\`: ${p.message}`, vscode.DiagnosticSeverity.Warning);
  d.source = SOURCE;
  return d;
}

export function toWorkspaceEdit(uri: vscode.Uri, fix: WireFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toRange(e.range), e.newText);
  return edit;
}

export function diagnosticRule(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE) return undefined;
  const code = d.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}
