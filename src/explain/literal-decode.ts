import type { MappedTextBuilder } from './offset-map';

/**
 * Decoding of string-literal bodies as the host language reads them (escapes resolved), appended to
 * a builder that maps each decoded character back to its place in the file.
 */

/** What one escape sequence starting at `raw[i] === '\\'` stands for, and how long it is. */
type EscapeDecoder = (raw: string, i: number) => { value: string; len: number };

/** Copies `raw` to `out`, replacing each escape by what `decode` says; positions stay mapped. */
function decodeBody(raw: string, base: number, out: MappedTextBuilder, decode: EscapeDecoder): void {
  let run = 0;
  let i = 0;
  while (i < raw.length) {
    if (raw[i] !== '\\') {
      i++;
      continue;
    }
    out.copy(raw.slice(run, i), base + run);
    const { value, len } = decode(raw, i);
    out.substitute(value, base + i, base + i + len);
    i += len;
    run = i;
  }
  out.copy(raw.slice(run), base + run);
}

const SIMPLE_JS: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

const jsEscape: EscapeDecoder = (raw, i) => {
  const c = raw[i + 1] ?? '';
  if (c === '\r' && raw[i + 2] === '\n') return { value: '', len: 3 };
  if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return { value: '', len: 2 };
  if (c in SIMPLE_JS) return { value: SIMPLE_JS[c], len: 2 };
  if (c === '0' && !/[0-9]/.test(raw[i + 2] ?? '')) return { value: '\0', len: 2 };
  if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
    return { value: String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16)), len: 4 };
  }
  if (c === 'u' && raw[i + 2] === '{') {
    const close = raw.indexOf('}', i + 3);
    const cp = close > 0 ? parseInt(raw.slice(i + 3, close), 16) : NaN;
    return { value: Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', len: close > 0 ? close + 1 - i : 2 };
  }
  if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
    return { value: String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16)), len: 6 };
  }
  return { value: c, len: 2 };
};

/** A JS/TS string or template body `raw` that starts at file offset `base`. */
export function decodeJsBody(raw: string, base: number, out: MappedTextBuilder): void {
  decodeBody(raw, base, out, jsEscape);
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

function pythonEscape(unicode: boolean): EscapeDecoder {
  return (raw, i) => {
    const c = raw[i + 1] ?? '';
    const octal = /^[0-7]{1,3}/.exec(raw.slice(i + 1));
    if (c === '\n') return { value: '', len: 2 };
    if (c === '\r') return { value: '', len: raw[i + 2] === '\n' ? 3 : 2 };
    if (c in SIMPLE_PY) return { value: SIMPLE_PY[c], len: 2 };
    if (octal) return { value: String.fromCharCode(parseInt(octal[0], 8)), len: 1 + octal[0].length };
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      return { value: String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16)), len: 4 };
    }
    if (unicode && c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      return { value: String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16)), len: 6 };
    }
    if (unicode && c === 'U' && /^[0-9a-fA-F]{8}$/.test(raw.slice(i + 2, i + 10))) {
      const cp = parseInt(raw.slice(i + 2, i + 10), 16);
      return { value: cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', len: 10 };
    }
    if (unicode && c === 'N' && raw[i + 2] === '{' && raw.indexOf('}', i + 3) > 0) {
      // Character names need Unicode's name table; one replacement character keeps positions sound.
      return { value: '\ufffd', len: raw.indexOf('}', i + 3) + 1 - i };
    }
    // Python keeps unknown escapes as written.
    return { value: '\\' + c, len: 2 };
  };
}

const PY_UNICODE = pythonEscape(true);
const PY_BYTES = pythonEscape(false);

/**
 * A Python (non-raw) string body. `unicode` false for bytes literals, where `\u`, `\U`, `\N` are not
 * escapes.
 */
export function decodePythonBody(raw: string, base: number, out: MappedTextBuilder, unicode = true): void {
  decodeBody(raw, base, out, unicode ? PY_UNICODE : PY_BYTES);
}
