import * as assert from 'assert';
import { analyze, ready } from '../src/core/analyze';
import { ignoreFixes } from '../src/core/ignore-fixes';
import { applyEdits } from '../src/core/apply-fixes';
import type { Fix } from '../src/core/finding';
import type { Language } from '../src/core/model';

function apply(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/** Each ignore fix, applied, silences exactly its finding and keeps the file parseable. */
function checkIgnores(file: string, text: string, language: Language, expectedLine: string, expectedTop: string) {
  const [finding] = analyze({ file, text, language }).findings;
  assert.ok(finding, 'the sample must produce a finding');
  const [line, whole] = ignoreFixes(finding, text, language);
  assert.match(line.title, /^Ignore `[a-z-]+` on this line$/);
  assert.match(whole.title, /^Ignore `[a-z-]+` in this file$/);
  const afterLine = apply(text, line);
  assert.ok(afterLine.includes(expectedLine), afterLine);
  const rerun = analyze({ file, text: afterLine, language });
  assert.deepStrictEqual(rerun.findings.map((f) => f.rule), [], 'ignored on its line');
  assert.ok(!rerun.notes.some((n) => /syntax error/.test(n)), rerun.notes.join('\n'));
  const afterFile = apply(text, whole);
  assert.ok(afterFile.startsWith(expectedTop), afterFile);
  assert.deepStrictEqual(analyze({ file, text: afterFile, language }).findings, [], 'ignored in the file');
}

describe('ignore fixes', function () {
  before(() => ready());

  it('TypeScript: a `//` comment above the line, indented like it, and one at the top', () => {
    const text = "#!/usr/bin/env node\nimport fs from 'fs';\nexport async function a() {\n    return fs.readFileSync('a');\n}\n";
    checkIgnores('a.ts', text, 'typescript', "    // perflens-ignore-next-line blocking-call-in-async -- reason\n    return fs", '#!/usr/bin/env node\n// perflens-ignore-file blocking-call-in-async -- reason\nimport');
  });

  it('Python: a `#` comment, after a coding line, with CRLF kept', () => {
    const text = '# -*- coding: utf-8 -*-\r\nimport time\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n';
    checkIgnores('a.py', text, 'python', '    # perflens-ignore-next-line blocking-call-in-async -- reason\r\n    time.sleep', '# -*- coding: utf-8 -*-\r\n# perflens-ignore-file blocking-call-in-async -- reason\r\nimport time');
  });
});
