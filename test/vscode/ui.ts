/**
 * The UI test: the packaged VSIX installed in code-server, the sample services opened in Chromium,
 * checked the way a person sees them (Problems panel, lightbulb fix with the keyboard, status bar),
 * with screenshots for the README in docs/images/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { Toolchain } from './code-server';
import { copySamples, installVsix, launchBrowser, prepareRun, REPO, sleep, startCodeServer } from './code-server';

export interface UiResult {
  screenshots: string[];
  problemsText: string;
  statusText: string;
}

export async function runUiTest(tc: Toolchain, vsix: string, runDir: string, log: (m: string) => void): Promise<UiResult> {
  // The samples have no node_modules: TypeScript's own "cannot find module" errors would fill
  // Problems (and the screenshots), so its validation is off; Perflens reads the files as they are.
  const dirs = prepareRun(runDir, tc, {
    'workbench.colorTheme': 'Default Dark Modern',
    'window.commandCenter': false,
    'editor.minimap.enabled': false,
    'typescript.validate.enable': false,
    'javascript.validate.enable': false,
  });
  log(installVsix(tc, dirs, vsix).trim().split('\n').pop() ?? '');
  const ws = copySamples(path.join(runDir, 'samples'));
  // Screenshots go to the run folder; PERFLENS_UPDATE_SCREENSHOTS=1 writes the README's copies in
  // docs/images (every run renders slightly different pixels, and a test run must not dirty the tree).
  const images = process.env.PERFLENS_UPDATE_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'images') : path.join(runDir, 'screenshots');
  fs.mkdirSync(images, { recursive: true });
  const shots: string[] = [];
  const server = await startCodeServer(tc, dirs);
  const browser = await launchBrowser(tc, dirs);
  let page: Page | undefined;
  try {
    page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    return await drive(page);
  } catch (err) {
    // What the screen showed when it failed, next to the logs.
    await page?.screenshot({ path: path.join(runDir, 'failure.png') }).catch(() => undefined);
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }

  async function drive(page: Page): Promise<UiResult> {
    const consoleLog = fs.createWriteStream(path.join(runDir, 'browser-console.log'));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    const shot = async (name: string) => {
      const p = path.join(images, name);
      await page.screenshot({ path: p });
      shots.push(p);
    };
    await page.goto(`${server.base}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
    log('workbench loaded');

    // Node service: the route file, its problems, the status bar.
    const ordersTs = fs.readFileSync(path.join(ws, 'node-service/src/routes/orders.ts'), 'utf8').split('\n');
    await openFile(page, 'orders.ts');
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.filter({ hasText: 'loadCustomer' }).waitFor({ timeout: 90_000 });
    await problems.filter({ hasText: 'fs.readFileSync' }).waitFor({ timeout: 30_000 });
    const problemsText = await problems.innerText();
    for (const rule of ['n-plus-one-query', 'blocking-call-in-async', 'sequential-awaits', 'offset-pagination']) {
      assert.ok(problemsText.includes(rule), `Problems shows ${rule}:\n${problemsText}`);
    }
    const status = page.locator('.statusbar-item', { hasText: 'Perflens' }).first();
    await waitText(page, async () => (await status.innerText()).match(/Perflens: [1-9]/) !== null, 'the status bar count');
    const statusText = (await status.innerText()).trim();
    await shot('vscode-problems-node.png');
    log(`problems shown; status bar: ${statusText}`);

    // The lightbulb, from the keyboard: go to the blocking call, Ctrl+., Enter on the preferred fix.
    const line = ordersTs.findIndex((l) => l.includes('fs.readFileSync')) + 1;
    const column = ordersTs[line - 1].indexOf('fs.readFileSync') + 1;
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await sleep(500);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.context-view').filter({ hasText: 'Quick Fix' });
    await menu.filter({ hasText: 'fs.promises.readFile' }).waitFor({ timeout: 30_000 });
    const menuText = await menu.innerText();
    assert.match(menuText, /Ignore `blocking-call-in-async` on this line/);
    assert.match(menuText, /Show documentation for `blocking-call-in-async`/);
    await shot('vscode-quick-fix.png');
    // Enter takes the focused entry: the preferred (safe) fix, which the edit below proves.
    await page.keyboard.press('Enter');
    const editorText = page.locator('.editor-instance .view-lines').first();
    await waitText(page, async () => (await editorText.innerText()).replace(/\u00a0/g, ' ').includes('await fs.promises.readFile('), 'the fixed line in the editor');
    await waitText(page, async () => !(await problems.innerText()).includes('fs.readFileSync'), 'the blocking problem to go');
    log('quick fix applied with the keyboard');

    // FastAPI service.
    await openFile(page, 'main.py');
    await problems.filter({ hasText: 'time.sleep' }).waitFor({ timeout: 60_000 });
    const pyProblems = await problems.innerText();
    assert.match(pyProblems, /session\.get/);
    assert.match(pyProblems, /requests\.get/);
    await shot('vscode-problems-fastapi.png');
    return { screenshots: shots, problemsText, statusText };
  }
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
  await sleep(300);
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: name }).waitFor({ timeout: 15_000 });
}

async function waitText(page: Page, ok: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}
