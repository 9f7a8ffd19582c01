// The extension's integration suite in desktop VS Code, for contributors whose machine can download
// it (@vscode/test-cli):  npm run build && node scripts/build-extension.mjs && npx vscode-test
// The same suite runs in code-server on machines without that download (test/vscode/vscode.test.ts,
// part of `npm test`); it does not depend on which host runs it.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, rmSync } from 'node:fs';

// The suite edits files of its workspace: it gets a fresh copy of the sample services.
const workspace = 'out/vscode-test-samples';
rmSync(workspace, { recursive: true, force: true });
cpSync('test/vscode/samples', workspace, { recursive: true });

export default defineConfig({
  label: 'integration',
  files: 'out/vscode-host/test/vscode/suite/**/*.test.js',
  workspaceFolder: workspace,
  mocha: { ui: 'bdd', timeout: 60000 },
});
