import * as assert from 'assert';
import { applyFixes, countFixable } from '../src/core/apply-fixes';
import type { Applicability, Finding, TextEdit } from '../src/core/finding';

function edit(text: string, target: string, newText: string, nth = 0): TextEdit {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(target, start + 1);
  assert.ok(start >= 0, `${target} not found`);
  return { span: { start, end: start + target.length }, newText };
}

function withFix(edits: TextEdit[], applicability: Applicability = 'safe'): Finding {
  return { rule: 'r', severity: 'warning', message: 'm', span: edits[0].span, related: [], fixes: [{ title: 't', applicability, edits }] };
}

describe('cli: applying fixes', function () {
  const text = "import fs from 'fs';\nexport async function a() { return fs.readFileSync('a'); }\nexport async function b() { return fs.readFileSync('b'); }\n";

  it('applies non-overlapping safe fixes, last to first so offsets stay valid', () => {
    const plan = applyFixes(
      text,
      [withFix([edit(text, "fs.readFileSync('a')", "await fs.promises.readFile('a')")]), withFix([edit(text, "fs.readFileSync('b')", "await fs.promises.readFile('b')")])],
      ['safe'],
    );
    assert.strictEqual(plan.applied, 2);
    assert.strictEqual(plan.text, text.replace(/fs\.readFileSync\('(.)'\)/g, "await fs.promises.readFile('$1')"));
  });

  it('skips unsafe fixes unless allowed', () => {
    const f = [withFix([edit(text, 'async function a', 'function a')], 'unsafe')];
    assert.deepStrictEqual(applyFixes(text, f, ['safe']), { applied: 0 });
    assert.strictEqual(applyFixes(text, f, ['safe', 'unsafe']).applied, 1);
    assert.strictEqual(countFixable(f, 'unsafe'), 1);
    assert.strictEqual(countFixable(f, 'safe'), 0);
  });

  it('leaves a fix that overlaps one already chosen for the next pass', () => {
    const whole = edit(text, "return fs.readFileSync('a');", 'return 1;');
    const inner = edit(text, "fs.readFileSync('a')", 'x');
    const plan = applyFixes(text, [withFix([whole]), withFix([inner])], ['safe']);
    assert.strictEqual(plan.applied, 1);
    assert.ok(plan.text!.includes('return 1;'));
  });

  it('applies an edit shared by two fixes (the same import added twice) once', () => {
    const addImport: TextEdit = { span: { start: 0, end: 0 }, newText: "import { promises } from 'fs';\n" };
    const plan = applyFixes(
      text,
      [withFix([addImport, edit(text, 'fs.readFileSync', 'promises.readFile')]), withFix([{ ...addImport, span: { ...addImport.span } }, edit(text, 'fs.readFileSync', 'promises.readFile', 1)])],
      ['safe'],
    );
    assert.strictEqual(plan.applied, 2);
    assert.strictEqual(plan.text!.split("import { promises } from 'fs';").length - 1, 1);
    assert.ok(!plan.text!.includes('readFileSync'));
  });

  it('two different insertions at one point conflict (their order is unknown)', () => {
    const a: TextEdit = { span: { start: 0, end: 0 }, newText: '// a\n' };
    const b: TextEdit = { span: { start: 0, end: 0 }, newText: '// b\n' };
    assert.strictEqual(applyFixes(text, [withFix([a]), withFix([b])], ['safe']).applied, 1);
  });

  it('never applies a fix that only adds a suppression comment, nor edits outside the text', () => {
    const suppress: TextEdit = { span: { start: 0, end: 0 }, newText: '// perflens-ignore-file\n' };
    assert.deepStrictEqual(applyFixes(text, [withFix([suppress])], ['safe', 'unsafe']), { applied: 0 });
    const outside: TextEdit = { span: { start: text.length + 5, end: text.length + 9 }, newText: 'x' };
    assert.deepStrictEqual(applyFixes(text, [withFix([outside])], ['safe']), { applied: 0 });
  });
});
