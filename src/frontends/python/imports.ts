/**
 * The modules a Python file imports, read from its text without parsing: a project analysis orders
 * files by them before any tree exists (core/project-stream.ts). Each import names the module and
 * the submodules it may bind (`from app import crud` may import `app/crud.py`), and `import a.b.c`
 * also runs the packages `a` and `a.b`. A guess is fine: an import inside a string only adds an
 * edge, and a look-up the scan missed is checked against the final index afterwards.
 */

// `from x import a, b` (parenthesised lists may span lines) and `import a.b as c, d`, from where a
// statement starts, including indented ones (imports inside functions) and after `;`.
const IMPORT = /[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import[ \t]*(\([^)]*\)|[^\n;#]*)|import[ \t]+([^\n;#]+))/y;
const NAME = /^[A-Za-z_]\w*$/;

export function importedModules(text: string): string[] {
  const out = new Set<string>();
  // Jumps from one `import` word to the next (a fast search) and reads the statement around it,
  // rather than trying a pattern at every position of the file.
  for (let at = text.indexOf('import'); at !== -1; ) {
    let start = text.lastIndexOf('\n', at) + 1;
    for (let k = at - 1; k >= start; k--) {
      if (text.charCodeAt(k) === 59 /* ; */) {
        start = k + 1;
        break;
      }
    }
    IMPORT.lastIndex = start;
    const m = IMPORT.exec(text);
    let next = at + 6;
    if (m) {
      next = Math.max(next, IMPORT.lastIndex);
      add(out, m);
    }
    at = text.indexOf('import', next);
  }
  return [...out];
}

function add(out: Set<string>, m: RegExpExecArray): void {
  if (m[1] !== undefined) {
    const module = m[1];
    out.add(module);
    for (const part of (m[2] ?? '').replace(/[()\\]/g, ' ').split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name && NAME.test(name)) out.add(module.endsWith('.') ? `${module}${name}` : `${module}.${name}`);
    }
    return;
  }
  for (const part of m[3].replace(/\\/g, ' ').split(',')) {
    const dotted = part.trim().split(/\s+/)[0];
    if (!dotted || !/^[\w.]+$/.test(dotted)) continue;
    const segments = dotted.split('.');
    for (let i = 1; i <= segments.length; i++) out.add(segments.slice(0, i).join('.'));
  }
}
