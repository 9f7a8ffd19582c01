/**
 * A small argv parser with messages we control: `--opt value`, `--opt=value`, `-x value`,
 * repeatable options, boolean flags and `--` to end options. Problems are thrown as UsageError,
 * which main() turns into a one-line message, a `--help` hint and exit code 2.
 */

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` the hint should point to. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  name: string;
  short?: string;
  /** Takes a value (`--format json`); otherwise a boolean flag. */
  value?: string;
  /** Allowed values, checked here so that the message names them. */
  choices?: readonly string[];
  repeatable?: boolean;
  description: string;
}

export interface ParsedArgs {
  options: Map<string, string[] | true>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const options = new Map<string, string[] | true>();
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq >= 0) inline = arg.slice(eq + 1);
      spec = byName.get(name);
    } else {
      spec = byShort.get(arg.slice(1, 2));
      if (spec && arg.length > 2) inline = arg.slice(2).replace(/^=/, '');
    }
    if (!spec) throw new UsageError(`unknown option \`${arg.split('=')[0]}\``, command);
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`option \`--${spec.name}\` takes no value`, command);
      options.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`option \`--${spec.name}\` needs a value (${spec.value})`, command);
      value = argv[++i];
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(
        `invalid value \`${value}\` for \`--${spec.name}\`; expected one of ${spec.choices.join(', ')}`,
        command,
      );
    }
    const prev = options.get(spec.name);
    if (Array.isArray(prev) && !spec.repeatable) {
      throw new UsageError(`option \`--${spec.name}\` given more than once`, command);
    }
    options.set(spec.name, Array.isArray(prev) ? [...prev, value] : [value]);
  }
  return { options, positionals };
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return Array.isArray(v) ? v[v.length - 1] : undefined;
}

export function many(args: ParsedArgs, name: string): string[] {
  const v = args.options.get(name);
  return Array.isArray(v) ? v : [];
}

/** The options block of a `--help` text, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const heads = specs.map((s) => `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.value ? ` <${s.value}>` : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return specs.map((s, i) => `  ${heads[i].padEnd(width)}${s.description}`).join('\n');
}
