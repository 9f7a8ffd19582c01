/**
 * extensionTestsPath entry: VS Code's extension host require()s this file and awaits run(). Runs
 * inside the real extension host (code-server's, or desktop VS Code's through .vscode-test.mjs).
 * PERFLENS_SUITE picks the files: `main` (default) or `untrusted` (run in an untrusted workspace);
 * PERFLENS_SUITE_GREP runs only the tests whose names match.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, ...(process.env.PERFLENS_SUITE_GREP ? { grep: process.env.PERFLENS_SUITE_GREP } : {}) });
  const which = process.env.PERFLENS_SUITE === 'untrusted' ? /^untrusted\.test\.js$/ : /^(?!untrusted\.).*\.test\.js$/;
  for (const f of fs.readdirSync(__dirname).filter((f) => which.test(f)).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension tests failed`)) : resolve()));
  });
}
