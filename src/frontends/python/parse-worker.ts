import { parentPort, workerData } from 'worker_threads';
import type { MessagePort } from 'worker_threads';
import type { EncodedTree } from './encoded-tree';
import { encodePython, initPythonParser } from './parser';

/**
 * Parses the Python files of a project analysis on its own thread, ahead of the analysis (see
 * prefetch.ts): each tree goes back encoded as numbers, and a shared counter wakes the analysis
 * thread if it is waiting for it.
 */
export interface ParseWorkerData {
  files: { file: string; text: string }[];
  port: MessagePort;
  /**
   * Int32Array over a SharedArrayBuffer: [0] counts the trees sent; [1 + i] claims file i (0 free,
   * 1 this worker, 2 the analysis thread, which parses a file itself rather than wait for it).
   */
  signal: SharedArrayBuffer;
  /**
   * Int32Array over a SharedArrayBuffer: [0] becomes 1 once [1 + p] holds the index of the file to
   * parse p-th (the analysis thread works the order out while this one loads the parser).
   */
  order: SharedArrayBuffer;
}

export interface ParsedMessage {
  file: string;
  tree?: EncodedTree;
}

/** Waits for the order; without it for this long, the files are parsed as given. */
const ORDER_WAIT_MS = 10_000;

// Started ahead (`warmUpParseAhead`), the thread loads the parser while the files are still being
// found and read, and gets them in a message.
const parserReady = initPythonParser();
if (workerData) void parserReady.then(() => parseAll(workerData as ParseWorkerData));
else parentPort?.once('message', (data: ParseWorkerData) => void parserReady.then(() => parseAll(data)));

function parseAll({ files, port, signal, order: orderBuffer }: ParseWorkerData): void {
  const sent = new Int32Array(signal);
  const order = new Int32Array(orderBuffer);
  if (Atomics.load(order, 0) === 0) Atomics.wait(order, 0, 0, ORDER_WAIT_MS);
  const ordered = Atomics.load(order, 0) === 1;
  for (let p = 0; p < files.length; p++) {
    const i = ordered ? order[1 + p] : p;
    if (Atomics.compareExchange(sent, 1 + i, 0, 1) !== 0) continue;
    const { file, text } = files[i];
    let tree: EncodedTree | undefined;
    try {
      tree = encodePython(text);
    } catch {
      // The analysis thread parses this one itself.
      tree = undefined;
    }
    const message: ParsedMessage = { file, tree };
    // The numbers move to the other thread rather than being copied (`encodePython` made the buffer).
    port.postMessage(message, tree ? [tree.nodes.buffer as ArrayBuffer] : []);
    Atomics.add(sent, 0, 1);
    Atomics.notify(sent, 0);
  }
  port.close();
  parentPort?.close();
}
