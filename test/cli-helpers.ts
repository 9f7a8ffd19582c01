import { spawn } from 'child_process';
import { main } from '../src/cli/main';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Repository root (tests run from out/test). */
export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'perflens.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CLEARED_ENV = ['FORCE_COLOR', 'NO_COLOR', 'PERFLENS_WORKERS', 'PERFLENS_DEBUG'];

/**
 * Runs the built CLI as a child process (`node bin/perflens.js …`) in `cwd`: the contract with the
 * shell (exit code, stdout, stderr). Colour variables are cleared unless the test sets them.
 */
export function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const base = { ...process.env };
  for (const k of CLEARED_ENV) delete base[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs the same `main()` that bin/perflens.js calls, in this process, with captured output and the
 * given folder as its current directory. Each child process pays ~0.5 s of start-up (loading the
 * TypeScript compiler), so most tests use this and a few use runBin for the process contract.
 */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, tty = false): Promise<RunResult> {
  const base = { ...process.env };
  for (const k of CLEARED_ENV) delete base[k];
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutStream: { isTTY: tty },
    stderrStream: { isTTY: tty },
    cwd,
    env: { ...base, ...env },
  });
  return { code, stdout, stderr };
}

/** Creates a temporary project from `{ relativePath: content }` (Buffers for binary files). */
export function makeProject(files: Record<string, string | Buffer>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-cli-')));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The JSON report of `perflens check --format json`, as the tests read it. */
export interface JsonOut {
  version: number;
  findings: {
    file: string;
    rule: string;
    severity: string;
    message: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    related: { file?: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
    fixes: { title: string; applicability: string; edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
  }[];
  summary: { files: number; findings: number; durationMs: number };
  notes: { kind: string; file?: string; key?: string; line?: number; column?: number; message: string }[];
}

export function parseJson(stdout: string): JsonOut {
  return JSON.parse(stdout) as JsonOut;
}

/** 1-based line and UTF-16 column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

/** A file that must give exactly one blocking-call-in-async finding once the rules are in. */
export const BLOCKING_TS = "import fs from 'fs';\nexport async function h() { return fs.readFileSync('x'); }\n";
/** A file that must give exactly one n-plus-one-query finding once the rules are in. */
export const N_PLUS_ONE_TS = [
  'export async function load(ids: number[]) {',
  '  for (const id of ids) {',
  '    await prisma.user.findMany({ where: { id } });',
  '  }',
  '}',
  '',
].join('\n');
