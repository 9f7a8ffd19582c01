import { UsageError } from './args';
import type { CliIO } from './io';
import { processIO } from './io';
import { packageInfo } from './package-info';

interface Command {
  summary: string;
  /** Loaded on use: the engine pulls in the TypeScript compiler, which `--version` does not need. */
  load(): Promise<{ run(argv: readonly string[], io: CliIO): number | Promise<number>; help(): string }>;
}

/** The subcommands; another one (e.g. `explain`) is added here with its summary. */
export const COMMANDS: Record<string, Command> = {
  check: {
    summary: 'Analyse files and report performance problems',
    load: async () => {
      const m = await import('./check-command');
      return { run: m.runCheck, help: m.checkHelp };
    },
  },
  rules: {
    summary: 'List the rules',
    load: async () => {
      const m = await import('./rules-command');
      return { run: m.runRules, help: m.rulesHelp };
    },
  },
  rule: {
    summary: "Show a rule's documentation",
    load: async () => {
      const m = await import('./rules-command');
      return { run: m.runRule, help: m.ruleHelp };
    },
  },
  explain: {
    summary: "Show PostgreSQL's plan for a SQL statement (read-only; ANALYZE only with --analyze)",
    load: async () => {
      const m = await import('../explain/command');
      return { run: m.runExplainCli, help: () => m.EXPLAIN_USAGE };
    },
  },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return [
    'Usage: perflens <command> [options]',
    '',
    'Perflens finds performance problems in backend code: N+1 queries, blocking calls in async',
    'code, sequential awaits and offset pagination (TypeScript, JavaScript, Python).',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (also: perflens <command> --help)',
    '  -v, --version  Show the version',
    '',
  ].join('\n');
}

/**
 * Entry point called by bin/perflens.js: runs one command and resolves to the exit code (0 clean,
 * 1 findings, 2 usage or internal error). User errors become one-line messages, never stack traces.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr(mainHelp());
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      if (topic && COMMANDS[topic]) io.stdout((await COMMANDS[topic].load()).help());
      else io.stdout(mainHelp());
      return 0;
    }
    if (first === '--version' || first === '-v' || first === '-V') {
      io.stdout(`perflens ${packageInfo().version}\n`);
      return 0;
    }
    const command = COMMANDS[first];
    if (!command) {
      if (first.startsWith('-')) throw new UsageError(`unknown option \`${first}\`; options go after a command, e.g. \`perflens check ${first}\``);
      throw new UsageError(`unknown command \`${first}\`; commands: ${Object.keys(COMMANDS).join(', ')} (to analyse a path, run \`perflens check ${first}\`)`);
    }
    return await (await command.load()).run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const hint = err.command ? `perflens ${err.command} --help` : 'perflens --help';
      io.stderr(`perflens: ${err.message}\nRun \`${hint}\` for usage.\n`);
      return 2;
    }
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    io.stderr(`perflens: internal error: ${message}\nPlease report this with the command you ran.\n`);
    return 2;
  }
}
