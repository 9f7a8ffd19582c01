import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeLinted } from '../src/eslint/file-analysis';
import type { LintedSource } from '../src/eslint/file-analysis';
import { clearProjectCache } from '../src/eslint/project-cache';
import { analyze, defaultConfig } from '../src/core';
import { ROOT } from './cli-helpers';

/**
 * The plugin analyses the `ts.SourceFile` that `@typescript-eslint/parser` already built (reached
 * through its parser services), and falls back to parsing the text itself only when that tree is not
 * one it can walk (another parser, or another copy of TypeScript).
 */

// The parser's types need `moduleResolution: node16`; the two functions used here are typed below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = require('@typescript-eslint/parser') as {
  parseForESLint(code: string, options: Record<string, unknown>): { ast: object; services: LintedSource['parserServices'] };
};

const FILE = path.join(ROOT, 'test', 'fixtures', 'n-plus-one-query', 'array-callbacks.ts');

function summary(findings: { rule: string; span: { start: number; end: number }; message: string }[]) {
  return findings.map((f) => `${f.rule} ${f.span.start}-${f.span.end} ${f.message}`);
}

describe('eslint plugin: the parser\'s syntax tree is reused', function () {
  const text = fs.readFileSync(FILE, 'utf8');
  const expected = summary(analyze({ file: FILE, text, config: defaultConfig() }).findings);
  after(() => clearProjectCache());

  it('takes the SourceFile from the parser services and finds what the engine finds on the text', () => {
    const { ast, services } = parser.parseForESLint(text, { filePath: FILE, range: true, loc: true });
    const out = analyzeLinted({ text, ast, parserServices: services }, FILE, { crossFile: false }, {});
    assert.ok(out);
    assert.strictEqual(out.reusedParse, true);
    assert.ok(expected.length > 0, 'the fixture has findings');
    assert.deepStrictEqual(summary(out.result.findings), expected);
  });

  it('parses the text itself when the tree is not from this TypeScript (or there is none), with the same findings', () => {
    const { ast } = parser.parseForESLint(text, { filePath: FILE, range: true, loc: true });
    // A node of another TypeScript copy: a SourceFile-like object whose prototype is not ours.
    const foreign = { kind: 0, text, statements: [] };
    for (const services of [{ esTreeNodeToTSNodeMap: { get: () => foreign } }, undefined]) {
      const out = analyzeLinted({ text, ast: { ...ast }, parserServices: services }, FILE, { crossFile: false }, {});
      assert.ok(out);
      assert.strictEqual(out.reusedParse, false);
      assert.deepStrictEqual(summary(out.result.findings), expected);
    }
  });
});
