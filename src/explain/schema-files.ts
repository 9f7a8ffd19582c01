import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { lexSql, significantTokens } from './sql-lexer';

/**
 * The schema of a workspace, for the embedded database: `.sql` files under a `migrations` folder at
 * any depth (which includes Prisma's `prisma/migrations/<name>/migration.sql`) and any `schema.sql`,
 * in natural name order of their paths (`2_x` before `10_y`). Down/undo migrations are left out, and
 * for single-file up/down formats (goose, dbmate) only the up part is kept.
 */

export interface SchemaFile {
  /** Absolute path. */
  path: string;
  /** Relative to the folder searched, with `/`. */
  name: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', 'build', 'coverage', '.venv', 'venv', '__pycache__', 'target', '.next', '.cache']);
const MAX_ENTRIES = 50_000;

export function findSchemaFiles(root: string): SchemaFile[] {
  const found: SchemaFile[] = [];
  let seen = 0;
  const walk = (dir: string, underMigrations: boolean): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path, underMigrations || entry.name.toLowerCase() === 'migrations');
      } else if (entry.isFile() && /\.sql$/i.test(entry.name)) {
        const lower = entry.name.toLowerCase();
        if ((underMigrations && !isDownMigration(lower)) || lower === 'schema.sql') {
          found.push({ path, name: relative(root, path).split(sep).join('/') });
        }
      }
    }
  };
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (isDir) walk(root, false);
  return found.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** golang-migrate `1_x.down.sql`, diesel `down.sql`, Flyway undo `U1__x.sql`. */
function isDownMigration(lowerName: string): boolean {
  return /(^|[._-])down\.sql$/.test(lowerName) || /^u\d+(_\d+)*__/.test(lowerName);
}

/** The part of a migration file that builds the schema: goose and dbmate keep up and down in one file. */
export function upPart(sql: string): string {
  for (const t of lexSql(sql)) {
    if (t.kind === 'comment' && /^--\s*(\+goose\s+down|migrate:down)\b/i.test(t.text)) return sql.slice(0, t.start);
  }
  return sql;
}

export function readSchemaFile(file: SchemaFile): string {
  return upPart(readFileSync(file.path, 'utf8'));
}

/** Role names a dump refers to (`OWNER TO x`, `GRANT … TO x`), which the embedded database lacks. */
export function rolesMentioned(sql: string): string[] {
  const roles = new Set<string>();
  const tokens = significantTokens(sql);
  const lower = (i: number): string => tokens[i]?.text.toLowerCase() ?? '';
  const name = (i: number): string | undefined => {
    const t = tokens[i];
    if (!t) return undefined;
    if (t.kind === 'identifier') return t.text.slice(1, -1).replace(/""/g, '"');
    if (t.kind === 'word' && !['public', 'current_user', 'session_user', 'current_role', 'group'].includes(t.text.toLowerCase())) return t.text.toLowerCase();
    return undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (lower(i) === 'owner' && lower(i + 1) === 'to') {
      const n = name(i + 2);
      if (n) roles.add(n);
    } else if (lower(i) === 'grant' || lower(i) === 'revoke') {
      let k = i + 1;
      while (k < tokens.length && tokens[k].text !== ';' && lower(k) !== 'to' && lower(k) !== 'from') k++;
      for (k++; k < tokens.length && tokens[k].text !== ';'; k++) {
        if (lower(k) === 'with' || lower(k) === 'granted' || lower(k) === 'cascade' || lower(k) === 'restrict') break;
        const n = name(k);
        if (n) roles.add(n);
      }
    }
  }
  return [...roles];
}

/** Extensions a schema creates (`CREATE EXTENSION [IF NOT EXISTS] name`). */
export function extensionsMentioned(sql: string): string[] {
  const found = new Set<string>();
  const tokens = significantTokens(sql);
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].text.toLowerCase() !== 'create' || tokens[i + 1].text.toLowerCase() !== 'extension') continue;
    let k = i + 2;
    if (tokens[k]?.text.toLowerCase() === 'if') k += 3;
    const t = tokens[k];
    if (t) found.add(t.kind === 'identifier' ? t.text.slice(1, -1) : t.text.toLowerCase());
  }
  return [...found];
}

/** The file text with `CONCURRENTLY` removed: in an empty database it changes nothing but the transaction rule. */
export function withoutConcurrently(sql: string): string {
  let out = '';
  for (const t of lexSql(sql)) out += t.kind === 'word' && t.text.toLowerCase() === 'concurrently' ? '' : t.text;
  return out;
}
