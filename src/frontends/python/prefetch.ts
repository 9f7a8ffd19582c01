import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort } from 'worker_threads';
import type { MessagePort } from 'worker_threads';
import { decodePython, parsePython } from './parser';
import type { ParsedPython } from './parser';
import type { ParsedMessage, ParseWorkerData } from './parse-worker';

/**
 * Parsing ahead on a second thread: a project analysis asks for its Python files' trees one by one,
 * in order, and tree-sitter's parse plus the copy through WebAssembly is a third of the work. Given
 * the files first (`prefetchTrees`), a worker parses them while this thread analyses the ones
 * before; `takePrefetched` decodes a file's tree when it has arrived. Files are claimed through a
 * shared array, so no thread idles: this thread parses the file it needs itself when the worker has
 * not started it, and a later one while the worker is still on it (then waits on a shared counter
 * the worker bumps: the analysis is synchronous, so messages are read with receiveMessageOnPort).
 * Anything that fails falls back to parsing on this thread.
 */

/** Without progress for this long, the worker is given up (its events cannot reach a blocked thread). */
const STALL_MS = 20_000;

class Prefetch {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly sent: Int32Array;
  /** Files not taken yet, with their index in the worker's list. */
  private readonly waiting = new Map<string, number>();
  private readonly arrived = new Map<string, ParsedMessage>();
  /** Trees this thread parsed ahead itself while the worker was busy with the one it needed. */
  private readonly parsedHere = new Map<string, { text: string; parsed?: ParsedPython }>();
  /** Files before this index are all claimed (by either thread). */
  private unclaimedFrom = 0;
  private broken = false;

  constructor(
    private readonly files: { file: string; text: string }[],
    script: string,
  ) {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4 * (1 + files.length));
    this.sent = new Int32Array(signal);
    this.port = port1;
    const data: ParseWorkerData = { files, port: port2, signal };
    this.worker = new Worker(script, { workerData: data, transferList: [port2] });
    // Neither keeps the process alive: what is not taken is not needed.
    this.worker.unref();
    this.port.unref();
    this.worker.on('error', () => (this.broken = true));
    files.forEach((f, i) => this.waiting.set(f.file, i));
  }

  get done(): boolean {
    return this.waiting.size === 0 || this.broken;
  }

  take(file: string, text: string): ParsedPython | undefined {
    const index = this.waiting.get(file);
    if (this.broken || index === undefined) return undefined;
    const here = this.parsedHere.get(file);
    if (here) {
      this.drop(file);
      return here.text === text ? here.parsed : undefined;
    }
    let since = Date.now();
    while (!this.arrived.has(file)) {
      // Not started by the worker yet: this thread parses it rather than wait (the worker skips it).
      if (Atomics.compareExchange(this.sent, 1 + index, 0, 2) === 0) {
        this.drop(file);
        return undefined;
      }
      const seen = Atomics.load(this.sent, 0);
      let got = false;
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const message = m.message as ParsedMessage;
        if (this.waiting.has(message.file)) this.arrived.set(message.file, message);
        got = true;
      }
      if (this.arrived.has(file)) break;
      if (got) since = Date.now();
      else if (Date.now() - since > STALL_MS) {
        this.stop();
        return undefined;
      }
      // The worker is on this file: parse a later one here rather than idle.
      if (this.parseAheadHere(index)) continue;
      Atomics.wait(this.sent, 0, seen, 1000);
    }
    const message = this.arrived.get(file)!;
    this.arrived.delete(file);
    this.waiting.delete(file);
    if (this.waiting.size === 0) this.stop();
    if (message.text !== text || !message.tree) return undefined;
    return decodePython(message.tree);
  }

  /** Claims the next file after `index` that the worker has not started, and parses it here. */
  private parseAheadHere(index: number): boolean {
    for (let k = Math.max(index + 1, this.unclaimedFrom); k < this.files.length; k++) {
      if (Atomics.compareExchange(this.sent, 1 + k, 0, 2) !== 0) continue;
      this.unclaimedFrom = k + 1;
      const { file, text } = this.files[k];
      if (this.waiting.has(file)) {
        let parsed: ParsedPython | undefined;
        try {
          parsed = parsePython(text);
        } catch {
          // Parsed again (and the failure reported) when the analysis asks for it.
          parsed = undefined;
        }
        this.parsedHere.set(file, { text, parsed });
      }
      return true;
    }
    this.unclaimedFrom = this.files.length;
    return false;
  }

  /** `file` will not be asked for (its tree was already at hand). */
  drop(file: string): void {
    this.waiting.delete(file);
    this.arrived.delete(file);
    this.parsedHere.delete(file);
    if (this.waiting.size === 0) this.stop();
  }

  stop(): void {
    this.broken = this.broken || this.waiting.size > 0;
    this.waiting.clear();
    this.arrived.clear();
    this.parsedHere.clear();
    this.port.close();
    void this.worker.terminate();
  }
}

let current: Prefetch | undefined;

/**
 * Starts parsing `files` on a worker thread, when that can help: on the main thread of a machine
 * with more than one core (worker threads of a pool already share the cores), with the worker's
 * script beside this one (a bundle may not ship it), and for more than a few files.
 */
export function prefetchTrees(files: { file: string; text: string }[]): void {
  current?.stop();
  current = undefined;
  if (process.env.PERFLENS_PARSE_AHEAD === '0' || !isMainThread || os.availableParallelism() < 2 || files.length < 8) return;
  const script = path.join(__dirname, 'parse-worker.js');
  if (!fs.existsSync(script)) return;
  try {
    current = new Prefetch(files, script);
  } catch {
    current = undefined;
  }
}

/** The tree of `file` parsed ahead, if it was and `text` is what was parsed. */
export function takePrefetched(file: string, text: string): ParsedPython | undefined {
  const p = current;
  if (!p) return undefined;
  const parsed = p.take(file, text);
  if (p.done) current = undefined;
  return parsed;
}

/** `file` is not needed from the worker after all (its tree is cached). */
export function dropPrefetched(file: string): void {
  const p = current;
  if (!p) return;
  p.drop(file);
  if (p.done) current = undefined;
}
