/** Where a command writes and what it sees; main() passes the process's, tests may pass others. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutStream: { isTTY?: boolean };
  stderrStream: { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutStream: process.stdout,
    stderrStream: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  };
}
