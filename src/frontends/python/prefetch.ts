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
  /** Positions before this one in the parse order are all claimed (by either thread). */
  private unclaimedFrom = 0;
  private broken = false;
  /** [0]: 1 once the order is set; [1 + p]: the index of the file parsed p-th (see ParseWorkerData). */
  private readonly order: Int32Array;
  /** Index of a file → its position in the parse order. */
  private readonly position: Int32Array;

  constructor(
    private readonly files: { file: string; text: string }[],
    script: string,
    ordered: boolean,
  ) {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4 * (1 + files.length));
    this.sent = new Int32Array(signal);
    const orderBuffer = new SharedArrayBuffer(4 * (1 + files.length));
    this.order = new Int32Array(orderBuffer);
    this.position = new Int32Array(files.length);
    // Until told otherwise, the files are parsed in the order given.
    for (let i = 0; i < files.length; i++) this.order[1 + i] = this.position[i] = i;
    if (!ordered) this.order[0] = 1;
    this.port = port1;
    const data: ParseWorkerData = { files, port: port2, signal, order: orderBuffer };
    const started = takeWarmWorker(script);
    if (started) started.postMessage(data, [port2]);
    if (!started) parseThreadsStarted++;
    this.worker = started ?? new Worker(script, { workerData: data, transferList: [port2] });
    // Neither keeps the process alive: what is not taken is not needed.
    this.worker.unref();
    this.port.unref();
    this.worker.on('error', () => (this.broken = true));
    files.forEach((f, i) => this.waiting.set(f.file, i));
  }

  /**
   * The order the files will be asked for, as indices into the list given (the worker starts
   * loading the parser meanwhile, and waits for it).
   */
  setOrder(indices: readonly number[]): void {
    if (Atomics.load(this.order, 0) !== 0 || indices.length !== this.files.length) return;
    indices.forEach((index, p) => {
      this.order[1 + p] = index;
      this.position[index] = p;
    });
    Atomics.store(this.order, 0, 1);
    Atomics.notify(this.order, 0);
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
    // The worker parsed the text it was given: the same string, unless the caller's changed since.
    if (this.files[index].text !== text || !message.tree) return undefined;
    return decodePython(message.tree);
  }

  /** Claims the next file after `index` (in parse order) that the worker has not started, and parses it here. */
  private parseAheadHere(index: number): boolean {
    for (let p = Math.max(this.position[index] + 1, this.unclaimedFrom); p < this.files.length; p++) {
      const k = this.order[1 + p];
      if (Atomics.compareExchange(this.sent, 1 + k, 0, 2) !== 0) continue;
      this.unclaimedFrom = p + 1;
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

/** Parse-ahead threads started so far (tests: a warmed-up thread is taken over, not doubled). */
export let parseThreadsStarted = 0;

/** A parse-ahead thread started before its files were known (see `warmUpParseAhead`). */
let warm: { worker: Worker; script: string; failed: boolean } | undefined;

/** Whether parsing ahead can help: see `prefetchTrees`. */
function parseAheadScript(fileCount: number): string | undefined {
  if (process.env.PERFLENS_PARSE_AHEAD === '0' || !isMainThread || os.availableParallelism() < 2 || fileCount < 8) return undefined;
  const script = path.join(__dirname, 'parse-worker.js');
  return fs.existsSync(script) ? script : undefined;
}

/**
 * A project analysis of about `fileCount` Python files is coming: the parse-ahead thread starts now,
 * so that it loads (~0.3 s: Node, the parser's wasm) while the files are being read and ordered
 * rather than while the analysis is waiting for its first trees. It waits for `prefetchTrees`; if
 * that never comes it holds nothing up (the process exits without it).
 */
export function warmUpParseAhead(fileCount: number): void {
  if (warm) return;
  const script = parseAheadScript(fileCount);
  if (!script) return;
  try {
    const worker = new Worker(script);
    parseThreadsStarted++;
    worker.unref();
    const w = { worker, script, failed: false };
    worker.on('error', () => (w.failed = true));
    worker.on('exit', () => (w.failed = true));
    warm = w;
  } catch {
    warm = undefined;
  }
}

/** The warmed-up thread, if there is a healthy one for `script` (it is handed over once). */
function takeWarmWorker(script: string): Worker | undefined {
  const w = warm;
  warm = undefined;
  if (!w) return undefined;
  if (w.failed || w.script !== script) {
    void w.worker.terminate();
    return undefined;
  }
  return w.worker;
}

/**
 * Starts parsing `files` on a worker thread, when that can help: on the main thread of a machine
 * with more than one core (worker threads of a pool already share the cores), with the worker's
 * script beside this one (a bundle may not ship it), and for more than a few files. In the order
 * given, or (`ordered`) in the order passed to the function returned, once known: the worker
 * loads the parser meanwhile.
 */
export function prefetchTrees(files: { file: string; text: string }[], ordered = false): ((indices: readonly number[]) => void) | undefined {
  current?.stop();
  current = undefined;
  const script = parseAheadScript(files.length);
  if (!script) return undefined;
  try {
    const p = new Prefetch(files, script, ordered);
    current = p;
    return ordered ? (indices) => p.setOrder(indices) : undefined;
  } catch {
    current = undefined;
    return undefined;
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
