import ts from 'typescript';
import type { Frontend } from '../index';
import type { Config } from '../../core/config';
import type { FileFacts, FunctionSummary, Language } from '../../core/model';
import type { ExportSummary, FileSummary, ProjectIndex } from '../../core/project';
import { Extractor, skipOuter } from './extract';
import type { ExtractResult } from './extract';
import { parseDiagnostics, parseFile } from './parse';

function run(file: string, text: string, language: Language, config: Config, project?: ProjectIndex): ExtractResult {
  const sf = parseFile(file, text);
  const result = new Extractor(sf, file, language, config, project).run();
  const diagnostics = parseDiagnostics(sf);
  if (diagnostics.length) {
    const d = diagnostics[0];
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    result.facts.notes.push(
      `${file}:${line + 1}:${character + 1}: syntax error (${ts.flattenDiagnosticMessageText(d.messageText, ' ')}); analysed what could be parsed`,
    );
  }
  return result;
}

export const typescriptFrontend: Frontend = {
  languages: ['typescript', 'javascript'],
  extract(file, text, language, config, project): FileFacts {
    return run(file, text, language, config, project).facts;
  },
  summarize(file, text, language, config, project): FileSummary {
    const result = run(file, text, language, config, project);
    return exportSummary(file, language, parseFile(file, text), result);
  },
};

/** What this file offers to others: exported functions, typed values, classes and their methods. */
function exportSummary(file: string, language: Language, sf: ts.SourceFile, r: ExtractResult): FileSummary {
  const out: FileSummary = { file, language, exports: {}, classes: {} };
  const fnSummary = (node: ts.Node, name: string): FunctionSummary => {
    const s = r.functionSummaries.get(node);
    const isAsync = !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword));
    return s ? { ...s, name } : { name, isAsync };
  };
  for (const [name, cls] of r.classes) {
    const methods: Record<string, FunctionSummary> = {};
    for (const [m, node] of cls.methods) methods[m] = fnSummary(node, `${name}.${m}`);
    for (const [m, node] of cls.staticMethods) methods[m] = fnSummary(node, `${name}.${m}`);
    out.classes[name] = methods;
    if (cls.baseInstance || cls.baseStatic) (out.classBases ??= {})[name] = { instance: cls.baseInstance, static: cls.baseStatic };
  }
  const describeLocal = (localName: string, exportName: string): ExportSummary | undefined => {
    const b = r.moduleScope.lookup(localName);
    if (!b) return undefined;
    if (b.localFunction) return { function: fnSummary(b.localFunction, exportName) };
    if (b.localObject) {
      const members: Record<string, FunctionSummary> = {};
      for (const [m, node] of b.localObject) members[m] = fnSummary(node, `${exportName}.${m}`);
      return { members };
    }
    if (b.typeId?.startsWith('static:')) {
      const cls = r.classes.get(b.typeId.slice(7));
      return { className: b.typeId.slice(7), typeId: cls?.baseStatic };
    }
    if (b.typeId?.startsWith('class:')) return { instanceOf: b.typeId.slice(6) };
    if (b.typeId) return { typeId: b.typeId };
    if (b.projectFunction) return { function: { ...b.projectFunction, name: exportName } };
    return undefined;
  };
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        out.exports[el.name.text] = { reexport: { specifier: st.moduleSpecifier.text, name: (el.propertyName ?? el.name).text } };
      }
      continue;
    }
    if (!exported) continue;
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && (st.name || isDefault)) {
      const local = st.name?.text;
      const name = isDefault ? 'default' : local!;
      if (ts.isFunctionDeclaration(st)) out.exports[name] = { function: fnSummary(st, local ?? 'default') };
      else if (local) out.exports[name] = describeLocal(local, local) ?? { className: local };
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const ex = describeLocal(d.name.text, d.name.text);
        if (ex) out.exports[d.name.text] = ex;
      }
    }
  }
  for (const [exportName, localName] of r.exportNames) {
    if (exportName.startsWith('<')) continue;
    const ex = describeLocal(localName, exportName === 'default' ? localName : exportName);
    if (ex) out.exports[exportName] = ex;
  }
  // `export default new UserService()` / `module.exports = new Pool()`
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st) && !ts.isIdentifier(st.expression)) {
      const e = skipOuter(st.expression);
      if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && r.classes.has(e.expression.text)) out.exports.default = { instanceOf: e.expression.text };
    }
  }
  return out;
}
