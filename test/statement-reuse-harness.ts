import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../src/core/analyze';
import type { AnalyzeResult } from '../src/core/analyze';
import { defaultConfig } from '../src/core/config';
import type { ProjectIndex } from '../src/core/project';
import { listFiles, seededRandom } from './fixture-expectations';

/**
 * What the statement-reuse tests of both languages share: the editor's analysis of a text
 * compared with a whole one, and edits as typing makes them.
 */

export const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
const config = defaultConfig();

export interface ReuseStats {
  reused: number;
  failures: number;
}

function comparable(r: AnalyzeResult): string {
  return JSON.stringify({ facts: r.facts && { ...r.facts, text: undefined }, findings: r.findings, notes: r.notes });
}

/**
 * Analyses `text` as the editor does (`editorMode(true)`) and as a whole; fails when they differ.
 * Returns how many parts were taken over.
 */
export function checkReuse(editorMode: (on: boolean) => void, stats: ReuseStats, file: string, text: string, project?: ProjectIndex): number {
  const before = stats.reused;
  const failures = stats.failures;
  editorMode(true);
  let editor: AnalyzeResult;
  try {
    editor = analyze({ file, text, config, project, fixes: false });
  } finally {
    editorMode(false);
  }
  // An error part-way falls back to the whole walk: right, but a bug the comparison would not see.
  assert.strictEqual(stats.failures, failures, `${file}: taking facts over failed part-way`);
  const whole = analyze({ file, text, config, project, fixes: false });
  const a = comparable(editor);
  const b = comparable(whole);
  if (a !== b) {
    let i = 0;
    while (a[i] === b[i]) i++;
    assert.fail(`${file}: the editor's analysis differs from a whole one\n  editor: …${a.slice(Math.max(0, i - 200), i + 200)}\n  whole:  …${b.slice(Math.max(0, i - 200), i + 200)}\ntext:\n${text}`);
  }
  return stats.reused - before;
}

/**
 * An edit as typing makes them: mostly whole lines (from `statements`) and renames, sometimes a
 * block of lines moved or pasted, or a stray character.
 */
export function randomEdit(text: string, rand: () => number, statements: readonly string[], strays: readonly string[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const r = rand();
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  if (r < 0.3) {
    const words = [...text.matchAll(/[A-Za-z_]\w*/g)];
    if (!words.length) return text;
    const w = pick(words);
    return text.slice(0, w.index) + pick(words)[0] + text.slice(w.index! + w[0].length);
  }
  if (r < 0.6) {
    lines.splice(i, 0, /^\s*/.exec(lines[i])![0] + pick(statements));
    return lines.join('\n');
  }
  if (r < 0.75) {
    lines.splice(i, 1);
    return lines.join('\n');
  }
  if (r < 0.8) {
    lines.splice(i, 0, lines[i]);
    return lines.join('\n');
  }
  if (r < 0.87) {
    // A block of lines moved or pasted elsewhere (whole statements and members change places).
    const block = lines.slice(i, i + 1 + Math.floor(rand() * 12));
    if (rand() < 0.5) lines.splice(i, block.length);
    lines.splice(Math.floor(rand() * (lines.length + 1)), 0, ...block);
    return lines.join('\n');
  }
  const at = Math.floor(rand() * (text.length + 1));
  if (r < 0.93) return text.slice(0, at) + pick(strays) + text.slice(at);
  return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 10));
}

export interface ReuseCase {
  name: string;
  text: string;
  /** Applied one after another; each is `[find, replace]` on the current text. */
  edits: [string, string][];
  project?: ProjectIndex;
  /** The file name's extension, when not the language's first. */
  ext?: string;
}

export interface ReuseSuite {
  editorMode: (on: boolean) => void;
  stats: ReuseStats;
  cases: ReuseCase[];
  /** File name extensions of the language; the first names the cases' files. */
  extensions: string[];
  /** What random edits insert as lines, and as stray characters. */
  statements: readonly string[];
  strays: readonly string[];
  /** Whether a text parses without errors: one seed keeps only such edits (a broken file is walked whole). */
  parses: (text: string) => boolean;
}

/**
 * The tests of one language's statement reuse, inside its `describe`: each case's edits, then 30
 * random edits of every fixture of the language: any edits with two seeds (most leave the file
 * broken for a while, which is walked whole), and edits that keep it parsing with a third.
 */
export function reuseTests(s: ReuseSuite): void {
  const check = (file: string, text: string, project?: ProjectIndex): number => checkReuse(s.editorMode, s.stats, file, text, project);
  for (const [n, c] of s.cases.entries()) {
    it(`equals a whole analysis: ${c.name}`, () => {
      const file = `/virtual/reuse/case-${n}${c.ext ?? s.extensions[0]}`;
      let text = c.text;
      check(file, text, c.project);
      let reused = 0;
      for (const [find, replace] of c.edits) {
        assert.ok(text.includes(find), `${c.name}: the edit's text ${JSON.stringify(find)} is missing`);
        text = text.replace(find, replace);
        reused += check(file, text, c.project);
      }
      // Otherwise the case would not test taking facts over at all.
      assert.ok(reused > 0, `${c.name}: no statement was taken over`);
    });
  }

  const files = () => {
    // The expected `.fixed` files are code to edit too.
    const found = listFiles(FIXTURES, new RegExp(`(${s.extensions.map((e) => e.replace('.', '\\.')).join('|')})$`), true);
    assert.ok(found.length > 50, 'the fixtures are missing');
    return found;
  };
  const randomEdits = (seed: number, edit: (text: string, rand: () => number) => string): number => {
    const before = s.stats.reused;
    const rand = seededRandom(seed);
    for (const fixture of files()) {
      const file = `/virtual/reuse/${seed}/${path.relative(FIXTURES, fixture)}`;
      let text = fs.readFileSync(fixture, 'utf8');
      for (let step = 0; step < 30; step++) {
        if (step > 0) text = edit(text, rand);
        check(file, text);
      }
    }
    return s.stats.reused - before;
  };

  it(`equals a whole analysis after each of 30 random edits of every ${s.extensions.join(' ')} fixture (2 seeds)`, () => {
    const reused = randomEdits(1, (text, rand) => randomEdit(text, rand, s.statements, s.strays)) + randomEdits(2, (text, rand) => randomEdit(text, rand, s.statements, s.strays));
    // Edits that break the syntax are analysed whole; enough others must take facts over.
    assert.ok(reused > 5000, `only ${reused} parts were taken over`);
  });

  it(`equals a whole analysis after each of 30 random edits that keep every ${s.extensions.join(' ')} fixture parsing`, () => {
    const reused = randomEdits(3, (text, rand) => {
      for (let tries = 0; tries < 8; tries++) {
        const edited = randomEdit(text, rand, s.statements, s.strays);
        if (s.parses(edited)) return edited;
      }
      return text;
    });
    assert.ok(reused > 20000, `only ${reused} parts were taken over`);
  });
}
