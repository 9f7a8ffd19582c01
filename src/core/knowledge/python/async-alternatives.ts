/**
 * How a blocking Python call comes off the event loop, for the fixes of `blocking-call-in-async`.
 * Keyed by the effect's library (see blocking.ts); `api` is the resolved name of a module function
 * (`time.sleep`, `requests.get`) or the callee text of an instance method (`session.post`).
 */
export interface PyAsyncAlternative {
  /** Module functions with an awaitable twin taking the same arguments: `time.sleep` → `asyncio.sleep`. */
  awaitable?: Record<string, { module: string; name: string }>;
  /**
   * Module functions (and, for pathlib, path methods) may run in a worker thread as they are:
   * `await asyncio.to_thread(requests.get, url)` — same arguments, same result, same exceptions.
   * `opened-and-consumed`: `open(p).read()` moves to the thread whole (`lambda: open(p).read()`);
   * an `open()` whose file object lives on is not moved (its reads would stay on the loop).
   */
  thread?: 'functions' | 'functions-and-paths' | 'opened-and-consumed';
  /**
   * Methods of a client object (a `requests.Session`, an `httpx.Client`) may run in a thread too,
   * but the object is then used from worker threads while other requests use it: offered as unsafe,
   * naming the object's type.
   */
  threadInstances?: string;
  /** The async library that replaces it for good, named in the fix title. */
  longTerm?: string;
}

export const PY_ASYNC_ALTERNATIVES: Record<string, PyAsyncAlternative> = {
  time: { awaitable: { 'time.sleep': { module: 'asyncio', name: 'sleep' } } },
  requests: { thread: 'functions', threadInstances: 'requests.Session', longTerm: 'httpx.AsyncClient' },
  httpx: { thread: 'functions', threadInstances: 'httpx.Client', longTerm: 'httpx.AsyncClient' },
  urllib: { thread: 'functions', longTerm: 'httpx.AsyncClient' },
  subprocess: { thread: 'functions', longTerm: 'asyncio.create_subprocess_exec' },
  os: { thread: 'functions', longTerm: 'asyncio.create_subprocess_shell' },
  shutil: { thread: 'functions' },
  psutil: { thread: 'functions' },
  pathlib: { thread: 'functions-and-paths' },
  builtins: { thread: 'opened-and-consumed' },
  io: { thread: 'opened-and-consumed' },
  codecs: { thread: 'opened-and-consumed' },
};

/** File-object methods that consume a just-opened file: `open(p).read()` runs whole in a thread. */
export const PY_FILE_CONSUMERS: ReadonlySet<string> = new Set(['read', 'readlines', 'write', 'writelines']);

/**
 * Module functions that return an open stream (`urlopen` a response, `os.popen` a pipe): like
 * `open()`, they move to a thread only together with the read that consumes them
 * (`urlopen(url).read()`), else the reads would stay on the loop.
 */
export const PY_OPENS_STREAM: ReadonlySet<string> = new Set(['urllib.request.urlopen', 'os.popen']);
