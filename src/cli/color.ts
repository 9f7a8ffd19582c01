/** ANSI styling that disappears when colour is off; one instance per output stream. */
export interface Palette {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  magenta(s: string): string;
}

const code = (open: number, close: number) => (on: boolean) => (s: string) => (on && s ? `\x1b[${open}m${s}\x1b[${close}m` : s);
const styles = {
  bold: code(1, 22),
  dim: code(2, 22),
  red: code(31, 39),
  yellow: code(33, 39),
  blue: code(34, 39),
  cyan: code(36, 39),
  green: code(32, 39),
  magenta: code(35, 39),
};

export function palette(enabled: boolean): Palette {
  return {
    enabled,
    bold: styles.bold(enabled),
    dim: styles.dim(enabled),
    red: styles.red(enabled),
    yellow: styles.yellow(enabled),
    blue: styles.blue(enabled),
    cyan: styles.cyan(enabled),
    green: styles.green(enabled),
    magenta: styles.magenta(enabled),
  };
}

/**
 * Whether to colour a stream: `--no-color` wins, then `FORCE_COLOR` (as in Node itself, it
 * overrides `NO_COLOR`; `FORCE_COLOR=0` turns colour off), then `NO_COLOR` (any non-empty value),
 * then whether the stream is a terminal.
 */
export function shouldColor(stream: { isTTY?: boolean }, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}
