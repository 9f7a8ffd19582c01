/** Where a command writes and what it sees; main() passes the process's, tests may pass others. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutStream: { isTTY?: boolean };
  stderrStream: { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

let pipeGuard = false;

export function processIO(): CliIO {
  if (!pipeGuard) {
    pipeGuard = true;
    // `perflens check | head` closes the pipe early: stop quietly instead of an EPIPE stack trace.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
        throw err;
      });
    }
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutStream: process.stdout,
    stderrStream: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  };
}
