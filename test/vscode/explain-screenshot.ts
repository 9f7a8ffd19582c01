/**
 * The README's picture of the plan view (docs/images/explain-plan.png), taken in the real VS Code:
 * code-server with the extension loaded from this folder, the sample repository of
 * test/fixtures-explain/app open, "Perflens: Explain Selected SQL" run from the command palette on the
 * template literal under the cursor, and the shot taken once PEV2 has drawn the plan in the webview.
 *   npx tsc -p . && node out/test/vscode/explain-screenshot.js [OUT.png]
 * Needs the toolchain (scripts/install-vscode-toolchain.sh) and a built extension (dist/).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { REPO, findToolchain, launchBrowser, prepareRun, sleep, startCodeServer } from './code-server';

export async function screenshotPlanView(out: string): Promise<void> {
  const tc = findToolchain();
  if (typeof tc === 'string') throw new Error(tc);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-explain-shot-'));
  const workspace = path.join(runDir, 'shop');
  fs.cpSync(path.join(REPO, 'test', 'fixtures-explain', 'app'), workspace, { recursive: true });
  const dirs = prepareRun(path.join(runDir, 'vscode'), tc, {
    'perflens.explain.schemaPath': path.join(REPO, 'test', 'fixtures', 'schema'),
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'workbench.activityBar.location': 'hidden',
  });
  const server = await startCodeServer(tc, dirs, { smokeTestDriver: true });
  const browser = await launchBrowser(tc, dirs);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${REPO}`],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 120_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);

    await openFromExplorer(page, 'orders-repo.js');
    await sleep(1000);
    // The cursor inside the template literal of ordersOf (line 8: `FROM orders o`).
    await page.keyboard.press('Control+G');
    await page.keyboard.type('8:10');
    await page.keyboard.press('Enter');
    await sleep(500);

    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>Perflens: Explain Selected SQL');
    // Clicked, not Enter: the fuzzy match also lists "Explain Analyze Selected SQL", sometimes first.
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Explain Selected SQL' }).first();
    await row.waitFor({ timeout: 30_000 });
    await sleep(300);
    await row.click();

    const frame = await planFrame(page, 240_000);
    // More room for the plan: hide the side bar.
    await page.keyboard.press('Control+B');
    // Select the first finding's node, as a reader would.
    const finding = await frame.$('.pl-finding-link');
    if (finding) await finding.click();
    await sleep(2000);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
  } catch (e) {
    await page.screenshot({ path: `${out}.failed.png` }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

async function openFromExplorer(page: Page, name: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tabs-container .tab', { hasText: name }).waitFor({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').first().click();
}

/** The webview's inner frame once PEV2 has drawn plan nodes in it. */
async function planFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const drawn = await frame.$('#pev2 .plan-node').catch(() => null);
      if (drawn) return frame;
    }
    await sleep(500);
  }
  throw new Error('the plan view did not draw a plan');
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? path.join(REPO, 'docs', 'images', 'explain-plan.png'));
  screenshotPlanView(out).then(
    () => console.log(`plan view screenshot: ${out}`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
