import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The variables of a `.env` file, read the way dotenv reads them: `KEY=value`, an optional `export `,
 * single quotes taken literally, double quotes with `\n` escapes, ` #` comments after unquoted values.
 * Missing or unreadable file: no variables.
 */
export function readDotEnv(dir: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(dir, '.env'), 'utf8');
  } catch {
    return {};
  }
  return parseDotEnv(text);
}

export function parseDotEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const re = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*('(?:[^']*)'|"(?:[^"\\]|\\[\s\S])*"|[^\n]*)\s*$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let value = m[2];
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1);
    else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
    } else value = value.replace(/\s+#.*$/, '').trim();
    vars[m[1]] = value;
  }
  return vars;
}
