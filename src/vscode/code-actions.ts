import * as vscode from 'vscode';
import { changedRange } from '../core/text-change';
import { diagnosticRule, toRange, toWorkspaceEdit } from './diagnostics';
import type { EngineClient } from './engine-client';
import type { LiveAnalysis } from './live';
import type { WireFinding, WireFindingFixes } from './protocol';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('perflens');

/**
 * The lightbulb: for each Perflens diagnostic under the cursor, every engine fix as a quick fix
 * (safe ones preferred), ignore on this line / in this file, and the rule's documentation.
 * `source.fixAll.perflens` (editor.codeActionsOnSave) applies safe fixes only, through the engine.
 */
export class CodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(
    private readonly live: LiveAnalysis,
    private readonly engine: EngineClient,
  ) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const only = context.only;
    if (only && (only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(only))) {
      const action = await fixAllAction(doc, this.engine);
      return action ? [action] : [];
    }
    if (only && !only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(only)) return [];
    const version = doc.version;
    const here = (this.live.findingsFor(doc) ?? []).filter((f) => toRange(f.range).intersection(range) !== undefined);
    if (here.length === 0) return [];
    const fixes = await this.engine.fixes(doc.uri.fsPath, doc.getText(), here.map((f) => ({ rule: f.rule, span: f.span })));
    if (doc.version !== version) return [];
    return here.flatMap((f, i) => {
      const fRange = toRange(f.range);
      const diagnostic = context.diagnostics.find((d) => diagnosticRule(d) === f.rule && d.range.isEqual(fRange));
      return actionsFor(doc, f, fixes[i] ?? { fixes: [], ignores: [] }, diagnostic);
    });
  }
}

function actionsFor(doc: vscode.TextDocument, f: WireFinding, offered: WireFindingFixes, diagnostic: vscode.Diagnostic | undefined): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const make = (title: string) => {
    const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    if (diagnostic) a.diagnostics = [diagnostic];
    out.push(a);
    return a;
  };
  for (const fix of offered.fixes) {
    const a = make(fix.applicability === 'safe' ? fix.title : `${fix.title} (review: changes behaviour)`);
    a.edit = toWorkspaceEdit(doc.uri, fix);
    a.isPreferred = fix.applicability === 'safe';
  }
  for (const fix of offered.ignores) make(fix.title).edit = toWorkspaceEdit(doc.uri, fix);
  make(`Show documentation for \`${f.rule}\``).command = { command: 'perflens.showRuleDocumentation', title: 'Show Rule Documentation', arguments: [f.rule] };
  return out;
}

/** One edit from the old text to the fixed text: the changed middle, so the cursor and undo stay sane. */
export function minimalEdit(doc: vscode.TextDocument, fixed: string): vscode.TextEdit | undefined {
  const old = doc.getText();
  if (old === fixed) return undefined;
  const { start, oldEnd, newEnd } = changedRange(old, fixed);
  return vscode.TextEdit.replace(new vscode.Range(doc.positionAt(start), doc.positionAt(oldEnd)), fixed.slice(start, newEnd));
}

export async function fixAllAction(doc: vscode.TextDocument, engine: EngineClient): Promise<vscode.CodeAction | undefined> {
  const version = doc.version;
  const fixed = await engine.fixAll(doc.uri.fsPath, doc.getText());
  if (fixed === undefined || doc.version !== version) return undefined;
  const edit = minimalEdit(doc, fixed);
  if (!edit) return undefined;
  const action = new vscode.CodeAction('Fix all safe Perflens problems', FIX_ALL_KIND);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.set(doc.uri, [edit]);
  return action;
}
