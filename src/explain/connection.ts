import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ExplainError } from './errors';

/**
 * A PostgreSQL connection string read the way libpq reads it (URL or `key=value` form, PG* environment
 * variables for what it leaves out, libpq's `sslmode` meanings), turned into the connection attempts
 * node-postgres should make, plus what to show and what to hide. node-postgres alone treats
 * `sslmode=require` as verify-full and cannot fall back from SSL to plain (`prefer`, libpq's default),
 * so the modes are implemented here.
 */

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface ConnectionTarget {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  sslmode: SslMode;
  /** Per attempt, in order: the `ssl` option for node-postgres (false = plain). */
  attempts: Array<false | ConnectionOptions>;
  connectTimeoutMs: number;
  applicationName: string;
  /** Safe to show: the URL with the password replaced by `***`. */
  display: string;
  /** Strings that must never be printed (the password, in every spelling found). */
  secrets: string[];
}

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface ParseOptions {
  /** Environment for PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGCONNECT_TIMEOUT. */
  env?: Record<string, string | undefined>;
  /** Used when neither the string nor PGCONNECT_TIMEOUT sets `connect_timeout`. */
  defaultConnectTimeoutMs?: number;
}

export function parseConnectionString(input: string, options: ParseOptions = {}): ConnectionTarget {
  const env = options.env ?? {};
  const params = /^postgres(ql)?:\/\//i.test(input.trim()) ? parseUrl(input.trim()) : parseKeywordValue(input);
  const secrets = new Set<string>();
  const password = params.password ?? env.PGPASSWORD;
  for (const s of [params.password, env.PGPASSWORD, params.rawPassword]) if (s) secrets.add(s);
  for (const s of [...secrets]) {
    secrets.add(encodeURIComponent(s));
  }

  const sslmodeText = (params.sslmode ?? env.PGSSLMODE ?? 'prefer').toLowerCase();
  if (!SSL_MODES.includes(sslmodeText as SslMode)) {
    throw new ExplainError('usage', `Unknown \`sslmode=${sslmodeText}\`; use one of ${SSL_MODES.join(', ')}.`);
  }
  const sslmode = sslmodeText as SslMode;
  const timeoutText = params.connect_timeout ?? env.PGCONNECT_TIMEOUT;
  const timeoutSeconds = timeoutText === undefined ? NaN : Number(timeoutText);
  const connectTimeoutMs = Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : options.defaultConnectTimeoutMs ?? 5000;

  const host = params.host ?? env.PGHOST;
  if (host && host.includes(',')) {
    throw new ExplainError('usage', 'Connection strings with several hosts are not supported; give one host.');
  }
  const portText = params.port ?? env.PGPORT;
  const port = portText ? Number(portText) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new ExplainError('usage', `The connection string's port \`${portText}\` is not a port number.`);
  }

  const target: ConnectionTarget = {
    host,
    port,
    user: params.user ?? env.PGUSER,
    password,
    database: params.dbname ?? env.PGDATABASE,
    sslmode,
    attempts: sslAttempts(sslmode, params),
    connectTimeoutMs,
    applicationName: params.application_name ?? 'perflens-explain',
    display: '',
    secrets: [...secrets].filter(Boolean),
  };
  target.display = displayUrl(target);
  return target;
}

interface Params {
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  /** The password as it appears in the URL, percent-encoded. */
  rawPassword?: string;
  dbname?: string;
  sslmode?: string;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  connect_timeout?: string;
  application_name?: string;
}

const KNOWN = new Set(['host', 'hostaddr', 'port', 'user', 'password', 'dbname', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name']);

function parseUrl(input: string): Params {
  // By hand: WHATWG URL treats `postgres:` as an opaque scheme. The last `@` ends the user info, so an
  // unencoded `@` in a password stays in the password.
  const m = /^postgres(?:ql)?:\/\/(?:([^/?#]*)@)?([^/?#@]*)(\/[^?#]*)?(\?[^#]*)?/i.exec(input);
  if (!m) throw new ExplainError('usage', 'The connection string is not a `postgresql://` URL.');
  const [, userinfo, hostport, path, query] = m;
  const params: Params = {};
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (user) params.user = decode(user);
    if (colon >= 0) {
      params.rawPassword = userinfo.slice(colon + 1);
      params.password = decode(params.rawPassword);
    }
  }
  if (hostport) {
    const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(hostport);
    if (v6) {
      params.host = v6[1];
      if (v6[2]) params.port = v6[2];
    } else {
      const colon = hostport.lastIndexOf(':');
      params.host = decode(colon < 0 ? hostport : hostport.slice(0, colon));
      if (colon >= 0 && hostport.slice(colon + 1)) params.port = hostport.slice(colon + 1);
    }
  }
  if (path && path.length > 1) params.dbname = decode(path.slice(1));
  for (const [key, value] of new URLSearchParams(query ?? '')) assign(params, key, value);
  return params;
}

function parseKeywordValue(input: string): Params {
  const params: Params = {};
  const re = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(input))) {
    assign(params, m[1], m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
    last = re.lastIndex;
  }
  if (input.slice(last).trim()) {
    throw new ExplainError('usage', 'The connection string is neither a `postgresql://` URL nor `key=value` pairs.');
  }
  return params;
}

function assign(params: Params, key: string, value: string): void {
  const k = key === 'hostaddr' ? 'host' : key === 'database' ? 'dbname' : key;
  if (KNOWN.has(k) || k === 'dbname') (params as Record<string, string>)[k] = value;
}

function sslAttempts(mode: SslMode, params: Params): Array<false | ConnectionOptions> {
  const files: ConnectionOptions = {};
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new ExplainError('usage', `Cannot read the ${what} \`${file}\`: ${(e as Error).message}`);
    }
  };
  if (params.sslcert) files.cert = read(params.sslcert, 'client certificate (sslcert)');
  if (params.sslkey) files.key = read(params.sslkey, 'client key (sslkey)');
  if (params.sslrootcert && params.sslrootcert !== 'system') files.ca = read(params.sslrootcert, 'root certificate (sslrootcert)');
  const encrypted: ConnectionOptions = { ...files, rejectUnauthorized: false };
  switch (mode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, encrypted];
    case 'prefer':
      return [encrypted, false];
    case 'require':
      // libpq: with a root certificate, require behaves as verify-ca.
      return [files.ca ? { ...files, checkServerIdentity: () => undefined } : encrypted];
    case 'verify-ca':
      if (!files.ca) throw new ExplainError('usage', '`sslmode=verify-ca` needs the CA certificate in `sslrootcert`.');
      return [{ ...files, checkServerIdentity: () => undefined }];
    case 'verify-full':
      return [{ ...files }];
  }
}

function displayUrl(t: ConnectionTarget): string {
  const auth = t.user ? `${encodeURIComponent(t.user)}${t.password ? ':***' : ''}@` : '';
  const host = t.host && t.host.startsWith('/') ? '' : t.host?.includes(':') ? `[${t.host}]` : t.host ?? '';
  const port = t.port ? `:${t.port}` : '';
  const query = new URLSearchParams();
  if (t.host && t.host.startsWith('/')) query.set('host', t.host);
  if (t.sslmode !== 'prefer') query.set('sslmode', t.sslmode);
  const q = query.toString();
  return `postgresql://${auth}${host}${port}/${encodeURIComponent(t.database ?? '')}${q ? `?${q}` : ''}`;
}

/**
 * Removes secrets from text that leaves the process: every spelling of a known password, and the
 * password part of any `scheme://user:password@` in the text (a URL echoed in an error message).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)\S*@/gi, '$1***@');
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
