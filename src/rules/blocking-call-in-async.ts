import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { CallFact, Span } from '../core/model';
import type { Related } from '../core/finding';
import type { FileFacts, FunctionFact } from '../core/model';
import type { TextEdit } from '../core/finding';
import { isTsFixSyntax, mergeInsertions } from '../frontends/typescript/fix-syntax-api';
import type { ImportedName, TsFixSyntax } from '../frontends/typescript/fix-syntax-api';
import { ASYNC_ALTERNATIVES } from '../core/knowledge/typescript/async-alternatives';
import type { AsyncAlternative } from '../core/knowledge/typescript/async-alternatives';
import { PY_ASYNC_ALTERNATIVES, PY_FILE_CONSUMERS, PY_OPENS_STREAM } from '../core/knowledge/python/async-alternatives';
import { isPythonSyntax } from '../frontends/python/fix-syntax-api';
import type { PythonFixSyntax } from '../frontends/python/fix-syntax-api';
import type { PyNode } from '../frontends/python/tree';
import { field } from '../frontends/python/tree';

/**
 * blocking-call-in-async: synchronous I/O or sleeping where it runs on the event loop. The
 * finding sits on the call; the async function (or handler) is related.
 */
export default defineRule({
  id: 'blocking-call-in-async',
  languages: ['typescript', 'javascript', 'python'],
  defaultSeverity: 'warning',
  docs: {
    summary: 'A synchronous blocking call runs on the event loop.',
    whatItDoes:
      'Reports blocking I/O and sleeps — `fs.readFileSync` and the other synchronous `fs`, `child_process`, `zlib` and key-derivation `crypto` functions in Node; `time.sleep`, `requests`, sync `httpx`, `urllib`, `subprocess`, `open()`, pathlib I/O and synchronous database and Redis clients in Python — inside an `async` function or a request handler (Express, Fastify, Koa, NestJS), where they run on the event loop. APIs are resolved by module, not by a `Sync` suffix. A call to a synchronous function of your project that itself blocks is reported where the async code calls it. Module top level, plain synchronous functions and FastAPI `def` routes (which run in a thread pool) are not reported.',
    whyIsThisBad:
      'Node and asyncio run every request of a process on one thread. While a synchronous call waits for the disk, the network or a child process, no other request makes progress: one 200 ms `readFileSync` in a handler adds 200 ms to every request in flight, and p95 latency collapses under load.',
    example: {
      typescript: `import fs from 'node:fs';
import express from 'express';
const app = express();

app.get('/report', async (req, res) => {
  const template = fs.readFileSync('report.html', 'utf8');
  res.send(render(template, await loadData()));
});`,
      python: `import requests
from fastapi import APIRouter

router = APIRouter()

@router.get("/rates")
async def rates():
    response = requests.get("https://api.example.com/rates")
    return response.json()`,
    },
    useInstead: {
      typescript: `import fs from 'node:fs';
import express from 'express';
const app = express();

app.get('/report', async (req, res) => {
  const template = await fs.promises.readFile('report.html', 'utf8');
  res.send(render(template, await loadData()));
});`,
      python: `import httpx
from fastapi import APIRouter

router = APIRouter()

@router.get("/rates")
async def rates():
    async with httpx.AsyncClient() as client:
        response = await client.get("https://api.example.com/rates")
    return response.json()`,
    },
    fixSafety: [
      'Replacing a call with the async API of the same library (`fs.promises.readFile`, `asyncio.sleep`) keeps behaviour apart from no longer blocking: safe. Moving a call to a thread (`asyncio.to_thread`) is safe too. Switching HTTP clients changes the API used and is left to you.',
      'TypeScript/JavaScript: `fs.*Sync` → `await fs.promises.*` with the same arguments (through the file\'s `fs/promises` import or `{ promises }` import when it has one, else the `fs` binding the call was made through, else a new `fs/promises` import), and `zlib.*Sync` and `crypto.pbkdf2Sync`/`scryptSync` → `await` of a module-level `promisify(zlib.gzip)`-style function (the file\'s own when it declares one, else a new one after the imports): the same result and exceptions without blocking, so these are safe. `execSync`/`execFileSync` → `(await execAsync(…)).stdout` with a promisified `exec`/`execFile` is unsafe: stdout is a string unless an encoding is given, and stderr is captured instead of inherited. Imports are added once, in the file\'s style (ESM or `require`, with or without `node:`), merged into a one-line import of the same module when there is one. When the fix replaced the last use of a named import (`import { execSync }`, `const { readFileSync } = require(\'fs\')`), the name leaves that import (the whole statement when it was the only name); with another use left anywhere in the file it stays. No fix where `await` cannot be written (a sync handler, a callback, a parameter default), for a call already awaited, or for APIs without an equivalent async form (`existsSync`, `openSync`, `spawnSync`, `generateKeyPairSync`, `statSync` with `throwIfNoEntry`).',
      'Python: `time.sleep(x)` → `await asyncio.sleep(x)` is safe (the same wait, without blocking the loop). A blocking module function (`requests.get`, `httpx.get`, `subprocess.run`, `os.system`, `shutil.rmtree`, `urllib.request.urlopen`), a pathlib read or write, and `open(p).read()` or `urlopen(url).read()` (a stream opened and consumed in one expression) move to a worker thread with `await asyncio.to_thread(…)`: the same call with the same arguments, result and exceptions, so that is safe too; the title names the long-term async replacement (`httpx.AsyncClient`, `asyncio.create_subprocess_exec`). Methods of a shared client (`requests.Session`, `httpx.Client`) and calls of project helpers also move to a thread, as unsafe fixes: the client is then used from several threads, and everything the helper does runs off the loop. No fix where `await` cannot be written (a lambda, a nested `def`, a generator expression), for a call in a `with` item or an `open()`/`urlopen()` whose stream lives on (its reads would keep blocking), or for synchronous database, Redis and SMTP clients (switch to their async drivers). `import asyncio` is added once, in the standard-library import group. An import the fix leaves unused (`import time`, `from time import sleep as pause`) is removed; it stays while another use remains.',
    ].join('\n\n'),
  },
  check(ctx) {
    const { facts } = ctx;
    for (const call of facts.calls) {
      if (call.effect?.kind !== 'blocking') continue;
      const fn = eventLoopFunction(facts, call.functionId);
      if (!fn) continue;
      const where = fn.isAsync ? `async function${fn.name ? ` \`${fn.name}\`` : ''}` : `request handler${fn.name ? ` \`${fn.name}\`` : ''}`;
      const related: Related[] = [{ span: fn.headerSpan, message: `${where} runs on the event loop` }];
      let message = `\`${shorten(call.calleeText)}\` blocks the event loop inside ${where}.`;
      const via = call.effect.via;
      if (via) {
        message = `\`${shorten(call.calleeText)}\` calls \`${shorten(via.api)}\`, which blocks the event loop inside ${where}.`;
        related.push({ span: via.span, file: via.file === facts.file ? undefined : via.file, message: `\`${via.helper}\` blocks here` });
      }
      ctx.report({ message, span: call.span, related, fixes: fixesFor(ctx, call, fn) });
    }
  },
});

/**
 * The function whose code the call runs as part of, if that code runs on the event loop: inline
 * callbacks (`forEach`, a Promise executor) belong to their caller; other nested sync functions
 * may be handed to a thread and are not judged.
 */
function eventLoopFunction(facts: FileFacts, functionId: number | undefined): FunctionFact | undefined {
  let id = functionId;
  while (id !== undefined) {
    const fn = facts.functions[id];
    if (!fn) return undefined;
    if (fn.runsInThreadPool) return undefined;
    if (fn.isAsync || fn.isHandler) return fn;
    if (!fn.runsInline) return undefined;
    id = fn.parent;
  }
  return undefined;
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

// ── Fixes ─────────────────────────────────────────────────────────────────────────────────────
// The decision (which repair, its title and applicability) and its spelling per language live
// here; `ctx.syntax` answers questions about the source (see core/fix-syntax.ts).

function fixesFor(ctx: RuleContext, call: CallFact, fn: FunctionFact): Fix[] {
  return ctx.spellFixes(() => (ctx.facts.language === 'python' ? pythonFixes(ctx, call, fn) : typescriptFixes(ctx, call, fn)));
}

/**
 * TypeScript/JavaScript: the async API of the same module (`fs.promises`, promisified `exec`,
 * `zlib`, `crypto`), awaited in place. Offered only where `await` is legal (the call sits directly
 * in an async function, not in a callback or a sync handler) and the call is not awaited already.
 */
function typescriptFixes(ctx: RuleContext, call: CallFact, _fn: FunctionFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isTsFixSyntax(syntax)) return [];
  const c = syntax.callAt(call.span);
  if (!c || c.awaitSpan || !syntax.awaitAllowedAt(call.span.start)) return [];
  const imported = syntax.resolveImport(c.callee.span);
  if (!imported) return [];
  const alt = ASYNC_ALTERNATIVES[imported.module]?.[imported.member ?? imported.name];
  if (!alt) return [];
  if (alt.typedMinArgs && syntax.language === 'typescript' && c.args.length < alt.typedMinArgs) return [];
  // `statSync(p, { throwIfNoEntry: false })` returns undefined where `stat` rejects.
  if (c.args.some((a) => a.text.includes('throwIfNoEntry'))) return [];
  const spelled = alt.via === 'fs-promises' ? tsFsPromisesCallee(syntax, imported, alt) : tsPromisifiedCallee(syntax, imported, alt);
  if (!spelled) return [];
  const awaited = `await ${spelled.callee}${syntax.text.slice(c.callee.span.end, c.span.end)}`;
  const expr = alt.resultMember && !c.discarded ? `(${awaited}).${alt.resultMember}` : c.needsParensForAwait ? `(${awaited})` : awaited;
  const edits = mergeInsertions(tsDropUnusedImport(syntax, imported, c.callee.span, [...spelled.edits, { span: c.span, newText: expr }]));
  const title = alt.caveat
    ? `Use \`await ${spelled.callee}\` (promisified \`${alt.name}\`: ${alt.caveat})`
    : alt.via === 'promisify'
      ? `Use \`await ${spelled.callee}\` (promisified \`${alt.name}\`)`
      : `Use \`await ${spelled.callee}\``;
  return [{ title, applicability: alt.caveat ? 'unsafe' : 'safe', edits }];
}

/**
 * The fix replaced the callee: when that was the last use of a named import (`import { execSync }`,
 * `const { readFileSync } = require('fs')`), the name goes from its import too — the whole
 * statement when it was the only name. Another use anywhere keeps it (two fixes that each replace
 * one use leave it for a person; each alone must leave a file that compiles).
 */
function tsDropUnusedImport(syntax: TsFixSyntax, imported: ImportedName, callee: Span, edits: TextEdit[]): TextEdit[] {
  if (imported.member || imported.inlineRequire) return edits;
  const binding = syntax.imports.bindings.find((b) => b.local === imported.local && (b.kind === 'named' || b.kind === 'require-named'));
  const uses = syntax.references(imported.local);
  if (!binding || uses.length !== 1 || uses[0].start !== callee.start) return edits;
  const text = syntax.text;
  if (binding.siblings === 1) {
    // The fix merged its own name into this statement (`, exec` after the last name): it takes this one's place.
    const merged = edits.find((e) => e.span.start === e.span.end && e.span.start === binding.span.end && /^, [\w$]+$/.test(e.newText));
    if (merged) return [...edits.filter((e) => e !== merged), { span: binding.span, newText: merged.newText.slice(2) }];
    if (edits.some((e) => e.span.end > binding.statement.start && e.span.start < binding.statement.end)) return edits;
    const from = syntax.lineStart(binding.statement.start);
    const nl = text.indexOf('\n', binding.statement.end);
    const to = nl < 0 ? text.length : nl + 1;
    const ownLines = !text.slice(from, binding.statement.start).trim() && !text.slice(binding.statement.end, to).trim();
    return foldInsertions(edits, { span: ownLines ? { start: from, end: to } : binding.statement, newText: '' });
  }
  const after = /^\s*,\s*/.exec(text.slice(binding.span.end, binding.statement.end));
  if (after) return foldInsertions(edits, { span: { start: binding.span.start, end: binding.span.end + after[0].length }, newText: '' });
  const before = /,\s*$/.exec(text.slice(binding.statement.start, binding.span.start));
  return before ? foldInsertions(edits, { span: { start: binding.span.start - before[0].length, end: binding.span.end }, newText: '' }) : edits;
}

/**
 * Adds a deletion to a fix's edits; insertions at its start become part of it (applyFixes rejects
 * a fix whose own edits share a start).
 */
function foldInsertions(edits: TextEdit[], deletion: TextEdit): TextEdit[] {
  const at = edits.filter((e) => e.span.start === e.span.end && e.span.start === deletion.span.start);
  if (edits.some((e) => !at.includes(e) && e.span.start < deletion.span.end && deletion.span.start < e.span.end)) return edits;
  return [...edits.filter((e) => !at.includes(e)), { span: deletion.span, newText: at.map((e) => e.newText).join('') + deletion.newText }];
}

/**
 * `fs.promises.readFile`, spelled with what the file has: an `fs/promises` import, a
 * `{ promises }` import from `fs`, the `fs` binding the call was made through, or a new import.
 */
function tsFsPromisesCallee(syntax: TsFixSyntax, imported: ImportedName, alt: AsyncAlternative): { callee: string; edits: TextEdit[] } | undefined {
  const { imports } = syntax;
  const existing = imports.refer('fs/promises', alt.name);
  if (existing) return { callee: existing, edits: [] };
  const named = imports.bindings.find((b) => b.module === 'fs' && (b.kind === 'named' || b.kind === 'require-named') && b.name === 'promises');
  if (named) return { callee: `${named.local}.${alt.name}`, edits: [] };
  if (imported.member) return { callee: `${imported.local}.promises.${alt.name}`, edits: [] };
  const ns = imports.refer('fs', 'promises');
  if (ns) return { callee: `${ns}.${alt.name}`, edits: [] };
  const added = imports.ensure('fs/promises', alt.name);
  return added && { callee: added.expr, edits: added.edits };
}

/**
 * A module-level `const gzipAsync = promisify(zlib.gzip)`: the file's own if it has one for that
 * export, else a new one after the imports (importing `promisify` and the export if needed).
 */
function tsPromisifiedCallee(syntax: TsFixSyntax, imported: ImportedName, alt: AsyncAlternative): { callee: string; edits: TextEdit[] } | undefined {
  const { imports } = syntax;
  const existing = imports.promisified.find((p) => p.target?.module === imported.module && p.target.name === alt.name);
  if (existing) return { callee: existing.local, edits: [] };
  const local = `${alt.name}Async`;
  if (!syntax.isNameFree(local)) return undefined;
  const promisify = imports.ensure('util', 'promisify');
  const target = imported.member && !imported.inlineRequire ? { expr: `${imported.local}.${alt.name}`, edits: [] } : imports.ensure(imported.module, alt.name);
  if (!promisify || !target) return undefined;
  const semi = syntax.semicolons ? ';' : '';
  const at = imports.declarationInsertAt;
  // Right after the imports, a blank line separates the new declaration from them.
  const blank = at === imports.importInsertAt && /^\r?\n/.test(syntax.text.slice(at)) ? syntax.eol : '';
  const declaration = `${blank}const ${local} = ${promisify.expr}(${target.expr})${semi}${syntax.eol}`;
  return { callee: local, edits: [...promisify.edits, ...target.edits, { span: { start: at, end: at }, newText: declaration }] };
}

/** Python: `await asyncio.sleep`, `await asyncio.to_thread(…)`. */
function pythonFixes(ctx: RuleContext, call: CallFact, fn: FunctionFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isPythonSyntax(syntax) || !fn.isAsync || call.functionId !== fn.id) return [];
  const node = syntax.nodeAt(call.span, 'call');
  const effect = call.effect!;
  if (!node || !syntax.awaitLegalAt(node, fn.span) || pyInWithItem(syntax, node)) return [];
  const args = field(node, 'arguments');
  if (args?.type !== 'argument_list') return [];
  const callee = syntax.src(call.calleeSpan);
  const asyncio = syntax.moduleName('asyncio');
  const imports = asyncio.edit ? [asyncio.edit] : [];
  const operand = pyAwaitOperand(node);
  // `f(a, b)` → `await asyncio.to_thread(f, a, b)`: the argument list is edited in place, so a
  // multi-line call keeps its layout and comments.
  const inThread = (): Fix['edits'] => {
    const open = args.start;
    const empty = args.children.every((c) => c.type === 'comment') && /^\(\s*\)$/.test(syntax.src(args));
    const after = syntax.text[open + 1];
    return [
      { span: { start: node.start, end: node.start }, newText: `${operand ? '(' : ''}await ${asyncio.name}.to_thread(` },
      { span: { start: open, end: empty ? args.end - 1 : open + 1 }, newText: empty ? '' : after === ' ' || after === '\n' || after === '\r' || after === '\t' ? ',' : ', ' },
      ...(operand ? [{ span: { start: node.end, end: node.end }, newText: ')' }] : []),
    ];
  };

  // A helper of the project: all of it moves to a thread, whatever else it touches.
  if (effect.via) {
    return [{
      title: `Run \`${shorten(callee)}\` in a thread with \`await ${asyncio.name}.to_thread\` (all of it then runs off the event loop)`,
      applicability: 'unsafe',
      edits: [...inThread(), ...imports],
    }];
  }
  const known = PY_ASYNC_ALTERNATIVES[effect.library];
  if (!known) return [];
  const twin = known.awaitable?.[effect.api];
  if (twin) {
    const target = syntax.moduleName(twin.module);
    const edits: TextEdit[] = [
      { span: { start: node.start, end: call.calleeSpan.end }, newText: `${operand ? '(' : ''}await ${target.name}.${twin.name}` },
      ...(operand ? [{ span: { start: node.end, end: node.end }, newText: ')' }] : []),
      ...(target.edit ? [target.edit] : []),
    ];
    return [{ title: `Use \`await ${target.name}.${twin.name}\``, applicability: 'safe', edits: pyDropUnusedImport(syntax, call.calleeSpan, edits) }];
  }
  const longTerm = known.longTerm ? `; long-term: \`${known.longTerm}\`` : '';
  const moduleFunction = effect.api.startsWith(`${effect.library}.`);
  if (known.thread === 'opened-and-consumed' || PY_OPENS_STREAM.has(effect.api)) {
    // `open(p).read()`: the file is opened and consumed in one expression, which moves to the thread whole.
    const chain = pyFileChain(syntax, node);
    if (!chain) return [];
    return [{
      title: `Run \`${shorten(syntax.src(chain))}\` in a thread with \`await ${asyncio.name}.to_thread\``,
      applicability: 'safe',
      edits: [{ span: { start: chain.start, end: chain.end }, newText: pyAwait(chain, `${asyncio.name}.to_thread(lambda: ${syntax.src(chain)})`) }, ...imports],
    }];
  }
  if (known.thread && (moduleFunction || known.thread === 'functions-and-paths')) {
    return [{
      title: `Run \`${shorten(callee)}\` in a thread with \`await ${asyncio.name}.to_thread\`${longTerm ? ` (${longTerm.slice(2)})` : ''}`,
      applicability: 'safe',
      edits: [...inThread(), ...imports],
    }];
  }
  if (known.threadInstances) {
    return [{
      title: `Run \`${shorten(callee)}\` in a thread with \`await ${asyncio.name}.to_thread\` (the \`${known.threadInstances}\` is then used from worker threads${longTerm})`,
      applicability: 'unsafe',
      edits: [...inThread(), ...imports],
    }];
  }
  return [];
}

/**
 * The fix replaced the callee (`time.sleep`, `pause` from `from time import sleep as pause`): when
 * that was the last use of the name its import binds, the name goes from the import — the whole
 * statement when it was the only name. Another use anywhere in the file keeps it.
 */
function pyDropUnusedImport(syntax: PythonFixSyntax, calleeSpan: Span, edits: TextEdit[]): TextEdit[] {
  const root = /^[A-Za-z_]\w*/.exec(syntax.src(calleeSpan))?.[0];
  if (!root) return edits;
  // The top-level import item that binds `root`, and every other use of the name.
  let item: PyNode | undefined;
  let statement: PyNode | undefined;
  let uses = 0;
  const stack = [syntax.root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      if (n.parent !== syntax.root) return edits;
      for (const c of n.children) {
        if (c.field === 'module_name') continue;
        const bound = c.type === 'aliased_import' ? field(c, 'alias') : c.type === 'dotted_name' ? c : undefined;
        if (bound && syntax.src(bound) === root) [item, statement] = [c, n];
      }
      continue;
    }
    if (n.type === 'identifier' && syntax.src(n) === root && !(n.parent?.type === 'attribute' && n.field === 'attribute') && !(n.parent?.type === 'keyword_argument' && n.field === 'name')) uses++;
    stack.push(...n.children);
  }
  if (!item || !statement || uses !== 1) return edits;
  const text = syntax.text;
  const items = statement.children.filter((c) => c.field !== 'module_name' && (c.type === 'aliased_import' || c.type === 'dotted_name'));
  let deletion: TextEdit;
  if (items.length === 1) {
    const from = syntax.lineStart(statement.start);
    const nl = text.indexOf('\n', statement.end);
    const to = nl < 0 ? text.length : nl + 1;
    const ownLines = !text.slice(from, statement.start).trim() && !text.slice(statement.end, to).replace(/#.*/, '').trim();
    if (!ownLines) return edits;
    deletion = { span: { start: from, end: to }, newText: '' };
  } else {
    const after = /^\s*,\s*/.exec(text.slice(item.end, statement.end));
    const before = /,\s*$/.exec(text.slice(statement.start, item.start));
    if (after) deletion = { span: { start: item.start, end: item.end + after[0].length }, newText: '' };
    else if (before) deletion = { span: { start: item.start - before[0].length, end: item.end }, newText: '' };
    else return edits;
  }
  // `import asyncio` goes before `import time` when it sorts first: it becomes part of the deletion.
  const at = edits.filter((e) => e.span.start === e.span.end && e.span.start === deletion.span.start);
  if (edits.some((e) => !at.includes(e) && e.span.start < deletion.span.end && deletion.span.start < e.span.end)) return edits;
  return [...edits.filter((e) => !at.includes(e)), { span: deletion.span, newText: at.map((e) => e.newText).join('') }];
}

/** `await <expr>`, parenthesised where the expression is the object of `.attr`, `[i]` or a call. */
function pyAwait(at: PyNode, expr: string): string {
  return pyAwaitOperand(at) ? `(await ${expr})` : `await ${expr}`;
}

/** `x` is the object of `x.attr`, `x[i]` or `x(…)`: `await x` there needs parentheses. */
function pyAwaitOperand(at: PyNode): boolean {
  const p = at.parent;
  return !!p && ((p.type === 'attribute' && at.field === 'object') || (p.type === 'subscript' && at.field === 'value') || (p.type === 'call' && at.field === 'function'));
}

/** The call sits in a `with` item: the body keeps using what it opened, on the loop. */
function pyInWithItem(syntax: PythonFixSyntax, node: PyNode): boolean {
  return syntax.ancestor(node, 'with_item') !== undefined;
}

/** `open(p).read()` (or `.readlines()`, `.write(s)`): the call that consumes the file just opened. */
function pyFileChain(syntax: PythonFixSyntax, open: PyNode): PyNode | undefined {
  const attr = open.parent;
  if (attr?.type !== 'attribute' || open.field !== 'object') return undefined;
  const name = field(attr, 'attribute');
  const consumer = attr.parent;
  if (!name || !PY_FILE_CONSUMERS.has(syntax.src(name)) || consumer?.type !== 'call' || attr.field !== 'function') return undefined;
  return consumer;
}
