import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { decodePython, encodePython, initPythonParser, usesMemoryReader, usesRawCursor } from '../src/frontends/python/parser';
import * as prefetch from '../src/frontends/python/prefetch';
import { dropPrefetched, prefetchTrees, takePrefetched, warmUpParseAhead } from '../src/frontends/python/prefetch';
import { serialise, serialiseTree } from './python-tree-serialise';

/**
 * The tree copy through the raw cursor exports of web-tree-sitter's module must give exactly the
 * tree that the public TreeCursor gives (PERFLENS_TREE_SITTER_RAW=0 forces the latter, in a child
 * process because the choice is made when the parser loads).
 */

const SAMPLES = [
  'import asyncio\n\nasync def f(db):\n    for u in users:\n        await db.execute(select(U).where(U.id == u.id))\n',
  'def f(:\n  x = (1 +\nasync def g(): await h(\n',
  'café = "é"  # ünïcode\nclass Ä(B, metaclass=M):\n    x: int = 1 // 2 % 3\n    def m(self, *a, **k) -> "T | None": return [y async for y in z if not y]\n',
  'x = lambda a, b=2: a @ b\nwith open(p) as f, g() as (h, i):\n    pass\nmatch v:\n    case [1, *rest]: print(rest)\n',
  '',
  '\n\n# only a comment\n',
];

function fixtureTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.py')) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(__dirname, '..', '..', 'test', 'fixtures'));
  return out;
}

describe('Python parser tree copy', function () {
  this.timeout(120_000);
  before(() => initPythonParser());

  it('copies through the raw cursor exports in this build', () => {
    assert.strictEqual(usesRawCursor(), true);
  });

  it('gives the same trees as web-tree-sitter’s TreeCursor (fixtures, errors, non-ASCII)', () => {
    const texts = [...SAMPLES, ...fixtureTexts()];
    assert.ok(texts.length > 20, 'the fixtures were found');
    const input = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'perflens-parse-')), 'texts.json');
    fs.writeFileSync(input, JSON.stringify(texts));
    const script = `
      const { initPythonParser, usesRawCursor } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'frontends', 'python', 'parser.js'))});
      const { serialise } = require(${JSON.stringify(path.join(__dirname, 'python-tree-serialise.js'))});
      initPythonParser().then(() => {
        if (usesRawCursor()) throw new Error('PERFLENS_TREE_SITTER_RAW=0 was ignored');
        process.stdout.write(JSON.stringify(serialise(JSON.parse(require('fs').readFileSync(${JSON.stringify(input)}, 'utf8')))));
      });`;
    const slow = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PERFLENS_TREE_SITTER_RAW: '0' }, encoding: 'utf8', maxBuffer: 1 << 28 })) as string[];
    const fast = serialise(texts);
    assert.strictEqual(fast.length, slow.length);
    for (let i = 0; i < fast.length; i++) assert.strictEqual(fast[i], slow[i], `tree ${i} differs`);
  });

  it('reads trees out of wasm memory in this build (the layout check passed)', () => {
    assert.strictEqual(usesMemoryReader(), true);
  });

  it('reads the same numbers out of wasm memory as the cursor walk gives (fixtures, broken texts, deep nesting)', () => {
    const texts = [...SAMPLES, ...fixtureTexts()];
    // Broken variants: seeded cuts and insertions make ERROR and MISSING nodes in every context.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const text of fixtureTexts()) {
      for (let k = 0; k < 3 && text.length > 10; k++) {
        const at = random(text.length);
        texts.push(text.slice(0, at) + ['(', ':', '\n    ', ' async ', '"', ']'][random(6)] + text.slice(at + random(20)));
      }
    }
    // Deeper than the recursive walk goes: it falls back to the cursor.
    texts.push(`x = ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    let broken = 0;
    texts.forEach((text, i) => {
      const fromMemory = encodePython(text);
      const fromCursor = encodePython(text, true);
      assert.ok(fromMemory && fromCursor, 'encoded');
      if (fromCursor.hasError) broken++;
      assert.deepStrictEqual(fromMemory, fromCursor, `text ${i} differs`);
    });
    assert.ok(broken > 100, `${broken} texts with syntax errors`);
  });

  it('decodes the numbers a parse on another thread sends into the same trees', () => {
    const texts = [...SAMPLES, ...fixtureTexts()];
    const direct = serialise(texts);
    texts.forEach((text, i) => {
      const encoded = encodePython(text);
      assert.ok(encoded, 'encoded');
      const decoded = decodePython(encoded);
      assert.ok(decoded, 'decoded');
      assert.strictEqual(serialiseTree(decoded), direct[i], `tree ${i} differs`);
    });
  });

  it('hands out trees parsed ahead on a worker thread, and only for the text that was parsed', () => {
    const files = fixtureTexts().map((text, i) => ({ file: `/project/f${i}.py`, text }));
    assert.ok(files.length >= 8, 'enough files to parse ahead');
    const direct = serialise(files.map((f) => f.text));
    prefetchTrees(files);
    // Give the worker time to start and get ahead (the analysis thread blocks the same way).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
    let fromWorker = 0;
    files.forEach((f, i) => {
      if (i === 1) {
        // Changed since: not the prefetched tree.
        assert.strictEqual(takePrefetched(f.file, f.text + '\nx = 1\n'), undefined);
        return;
      }
      if (i === 2) {
        dropPrefetched(f.file);
        assert.strictEqual(takePrefetched(f.file, f.text), undefined, 'dropped');
        return;
      }
      const parsed = takePrefetched(f.file, f.text);
      // The analysis thread parses a file itself when the worker has not started it yet.
      if (!parsed) return;
      fromWorker++;
      assert.strictEqual(serialiseTree(parsed), direct[i], `tree ${i} differs`);
    });
    assert.ok(fromWorker > 0, 'some trees came from the worker');
    assert.strictEqual(takePrefetched('/project/elsewhere.py', 'x = 1'), undefined, 'not prefetched');
  });

  it('takes over a parse-ahead thread started before the files were read, in the order set later', () => {
    const files = fixtureTexts().map((text, i) => ({ file: `/project/w${i}.py`, text }));
    const direct = serialise(files.map((f) => f.text));
    const before = prefetch.parseThreadsStarted;
    warmUpParseAhead(files.length);
    assert.strictEqual(prefetch.parseThreadsStarted, before + 1, 'the thread starts at once');
    // Let it load the parser while "the files are read".
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    const setOrder = prefetchTrees(files, true);
    assert.strictEqual(prefetch.parseThreadsStarted, before + 1, 'no second thread');
    assert.ok(setOrder, 'ordered parsing ahead is offered');
    const order = files.map((_, i) => files.length - 1 - i);
    setOrder(order);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    let fromWorker = 0;
    for (const i of order) {
      const parsed = takePrefetched(files[i].file, files[i].text);
      if (!parsed) continue;
      fromWorker++;
      assert.strictEqual(serialiseTree(parsed), direct[i], `tree ${i} differs`);
    }
    assert.ok(fromWorker > files.length / 2, `${fromWorker} of ${files.length} trees came from the warmed-up thread`);
  });

  it('lets the process exit when a warmed-up parse-ahead thread is never used', () => {
    const script = `require(${JSON.stringify(require.resolve('../src/frontends/python/prefetch'))}).warmUpParseAhead(100); console.log('started');`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.strictEqual(r.error, undefined, 'exited by itself');
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), 'started');
  });
});

