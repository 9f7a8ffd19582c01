import type { MappedTextBuilder } from './offset-map';

/**
 * Decoding of string-literal bodies as the host language reads them (escapes resolved), appended to
 * a builder that maps each decoded character back to its place in the file.
 */

const SIMPLE_JS: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/** A JS/TS string or template body `raw` that starts at file offset `base`. */
export function decodeJsBody(raw: string, base: number, out: MappedTextBuilder): void {
  let run = 0;
  let i = 0;
  while (i < raw.length) {
    if (raw[i] !== '\\') {
      i++;
      continue;
    }
    out.copy(raw.slice(run, i), base + run);
    const start = i;
    const c = raw[i + 1] ?? '';
    let value: string;
    let len = 2;
    if (c === '\r' && raw[i + 2] === '\n') {
      value = '';
      len = 3;
    } else if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') {
      value = '';
    } else if (c in SIMPLE_JS) {
      value = SIMPLE_JS[c];
    } else if (c === '0' && !/[0-9]/.test(raw[i + 2] ?? '')) {
      value = '\0';
    } else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      value = String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16));
      len = 4;
    } else if (c === 'u' && raw[i + 2] === '{') {
      const close = raw.indexOf('}', i + 3);
      const cp = close > 0 ? parseInt(raw.slice(i + 3, close), 16) : NaN;
      value = Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      len = close > 0 ? close + 1 - i : 2;
    } else if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      value = String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      len = 6;
    } else {
      value = c;
    }
    out.substitute(value, base + start, base + start + len);
    i += len;
    run = i;
  }
  out.copy(raw.slice(run), base + run);
}

const SIMPLE_PY: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * A Python (non-raw) string body. `unicode` false for bytes literals, where `\u`, `\U`, `\N` are not
 * escapes.
 */
export function decodePythonBody(raw: string, base: number, out: MappedTextBuilder, unicode = true): void {
  let run = 0;
  let i = 0;
  while (i < raw.length) {
    if (raw[i] !== '\\') {
      i++;
      continue;
    }
    out.copy(raw.slice(run, i), base + run);
    const start = i;
    const c = raw[i + 1] ?? '';
    let value: string;
    let len = 2;
    const octal = /^[0-7]{1,3}/.exec(raw.slice(i + 1));
    if (c === '\n') {
      value = '';
    } else if (c === '\r') {
      value = '';
      if (raw[i + 2] === '\n') len = 3;
    } else if (c in SIMPLE_PY) {
      value = SIMPLE_PY[c];
    } else if (octal) {
      value = String.fromCharCode(parseInt(octal[0], 8));
      len = 1 + octal[0].length;
    } else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      value = String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16));
      len = 4;
    } else if (unicode && c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      value = String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      len = 6;
    } else if (unicode && c === 'U' && /^[0-9a-fA-F]{8}$/.test(raw.slice(i + 2, i + 10))) {
      const cp = parseInt(raw.slice(i + 2, i + 10), 16);
      value = cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      len = 10;
    } else if (unicode && c === 'N' && raw[i + 2] === '{' && raw.indexOf('}', i + 3) > 0) {
      // Character names need Unicode's name table; one replacement character keeps positions sound.
      value = '\ufffd';
      len = raw.indexOf('}', i + 3) + 1 - i;
    } else {
      // Python keeps unknown escapes as written.
      value = '\\' + c;
    }
    out.substitute(value, base + start, base + start + len);
    i += len;
    run = i;
  }
  out.copy(raw.slice(run), base + run);
}
