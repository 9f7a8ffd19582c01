import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze, ready } from '../src/core';
import type { Finding } from '../src/core';
import { parsePython, usePythonIncrementalParsing } from '../src/frontends/python/parser';
import { serialiseTree } from './python-tree-serialise';
import { seededRandom } from './fixture-expectations';
import { useIncrementalParsing } from '../src/frontends/typescript/parse';

/**
 * The editor's engine re-parses a file on each keystroke incrementally — TypeScript's parser
 * (`useIncrementalParsing`) and tree-sitter (`usePythonIncrementalParsing`) reuse what the edit
 * did not touch. Whatever the edits, the
 * findings and fixes must be exactly those of a fresh parse of the same text: here every TS/JS
 * and Python fixture goes through a series of edits a user makes (a line typed, a line deleted, a character
 * typed anywhere — often a syntax error — and undo back to the start), and after each edit the
 * incremental analysis is compared with one from scratch.
 */

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');

function fixtures(dir: string, python: boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return fixtures(p, python);
    const source = python ? /\.py$/.test(e.name) : /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts');
    return source && !/\.fixed\./.test(e.name) ? [p] : [];
  });
}

/**
 * Edits that keep a Python file parsing (so the copy can take over unchanged top-level
 * statements): a comment line, a `pass` at the indentation of the line it goes before, a letter
 * inside a string, then back to the original. `edits` above mostly produce syntax errors in Python.
 */
function pythonEdits(text: string, next: () => number): string[] {
  const at = (n: number) => Math.floor(next() * n);
  const out: string[] = [];
  let lines = text.split('\n');
  for (let k = 0; k < 3; k++) {
    lines = [...lines];
    lines.splice(at(lines.length), 0, '# typed while reading');
    out.push(lines.join('\n'));
    lines = [...lines];
    const i = at(lines.length);
    lines.splice(i, 0, `${/^\s*/.exec(lines[i] ?? '')![0]}pass`);
    out.push(lines.join('\n'));
  }
  let t = lines.join('\n');
  for (let k = 0; k < 3; k++) {
    const quote = t.indexOf('"', at(t.length));
    if (quote < 0) break;
    t = t.slice(0, quote + 1) + 'z' + t.slice(quote + 1);
    out.push(t);
  }
  out.push(text);
  return out;
}

function edits(text: string, next: () => number): string[] {
  const lines = text.split('\n');
  const at = (n: number) => Math.floor(next() * n);
  const out: string[] = [];
  const typed = [...lines];
  typed.splice(at(lines.length), 0, '  // typed while reading');
  out.push(typed.join('\n'));
  const deleted = [...typed];
  deleted.splice(at(deleted.length), 1);
  out.push(deleted.join('\n'));
  let t = deleted.join('\n');
  for (const ch of ['(', '}', 'a', '`', '\n', ';']) {
    const i = at(t.length);
    t = t.slice(0, i) + ch + t.slice(i);
    out.push(t);
  }
  out.push(text);
  return out;
}

/** What the editor shows: rule, place, message, related places and fix edits. */
function shown(findings: readonly Finding[]): unknown[] {
  return findings.map((f) => ({
    rule: f.rule,
    span: f.span,
    message: f.message,
    related: f.related.map((r) => ({ span: r.span, message: r.message })),
    fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits })),
  }));
}

for (const language of ['TypeScript/JavaScript', 'Python'] as const) {
  const python = language === 'Python';
  const incrementally = (on: boolean) => (python ? usePythonIncrementalParsing(on) : useIncrementalParsing(on));

  describe(`incremental parsing (the editor engine): ${language}`, () => {
    before(() => ready());
    after(() => incrementally(false));

    const files = fixtures(FIXTURES, python);
    it('covers the fixtures', () => assert.ok(files.length > 40, `only ${files.length} fixtures found`));

    for (const file of files) {
      it(`gives the findings of a fresh parse after each edit: ${path.relative(FIXTURES, file)}`, () => {
        const original = fs.readFileSync(file, 'utf8');
        const next = seededRandom(file.length * 7919 + original.length);
        // The incremental run and the fresh run use different paths, so each keeps its own tree.
        const fresh = path.join(path.dirname(file), `fresh-${path.basename(file)}`);
        incrementally(true);
        analyze({ file, text: original });
        for (const text of [...edits(original, next), ...(python ? pythonEdits(original, next) : [])]) {
          incrementally(true);
          const incremental = analyze({ file, text });
          incrementally(false);
          const scratch = analyze({ file: fresh, text });
          assert.deepStrictEqual(shown(incremental.findings), shown(scratch.findings), `after an edit to:\n${text}`);
        }
      });
    }
  });
}

describe('incremental parsing (the editor engine): Python syntax trees', () => {
  before(() => ready());
  after(() => usePythonIncrementalParsing(false));

  // The copy reuses the top-level statements an edit left alone (cloned from the last copy): every
  // node, field, parent and offset must be what a fresh parse and copy gives.
  for (const file of fixtures(FIXTURES, true)) {
    it(`copies the tree of a fresh parse after each edit: ${path.relative(FIXTURES, file)}`, () => {
      const original = fs.readFileSync(file, 'utf8');
      const next = seededRandom(file.length * 104729 + original.length);
      const key = `${file}#tree`;
      usePythonIncrementalParsing(true);
      parsePython(original, key);
      let reused = 0;
      for (const text of [...pythonEdits(original, next), ...edits(original, next), ...pythonEdits(original, next)]) {
        usePythonIncrementalParsing(true);
        const incremental = parsePython(text, key);
        if (incremental && !incremental.hasError) reused++;
        usePythonIncrementalParsing(false);
        const fresh = parsePython(text);
        assert.ok(incremental && fresh);
        assert.strictEqual(serialiseTree(incremental), serialiseTree(fresh), `after an edit to:\n${text}`);
      }
      assert.ok(reused > 0 || /\bERROR\b|syntax/i.test(original), 'some edits parse cleanly');
    });
  }
});
