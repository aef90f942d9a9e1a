import { isString, type BuiltinImpl } from './impl.js';
import { fromJSON, toJSON } from '../runtime/value.js';

const STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decoded bytes as a string; invalid UTF-8 becomes U+FFFD, as Go does when ranging over it. */
const bytesToString = (b: Buffer): string => b.toString('utf8');

/** Sextet of each standard-alphabet character code, -1 for the rest. */
const SEXTET = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) SEXTET[c.charCodeAt(0)] = i;

/** Inputs up to this length are decoded in JS into a scratch buffer (signatures decode short headers per event). */
const SHORT = 512;
const scratch = Buffer.alloc((SHORT / 4) * 3);

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? SEXTET[c]! : -1;
}

/**
 * Standard base64 with padding (the same language as STD), decoded without allocating a Buffer; ASCII
 * results are built directly, others go through the UTF-8 decoder. Undefined for invalid input.
 */
function decodeShortBase64(s: string): string | undefined {
  if (s.length % 4 !== 0) return undefined;
  let n = 0;
  let ascii = true;
  for (let i = 0; i < s.length; i += 4) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    if (a < 0 || b < 0) return undefined;
    const last = i + 4 === s.length;
    const pad = last && s.charCodeAt(i + 3) === 61 ? (s.charCodeAt(i + 2) === 61 ? 2 : 1) : 0;
    const c = pad === 2 ? 0 : sextet(s, i + 2);
    const d = pad >= 1 ? 0 : sextet(s, i + 3);
    if (c < 0 || d < 0) return undefined;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    scratch[n++] = bits >>> 16;
    if (pad < 2) scratch[n++] = (bits >>> 8) & 0xff;
    if (pad < 1) scratch[n++] = bits & 0xff;
    if (bits & 0x808080) ascii = false;
  }
  if (!ascii) return scratch.toString('utf8', 0, n);
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(scratch[i]!);
  return out;
}

function decodeBase64(s: string): string | undefined {
  if (s.length <= SHORT) return decodeShortBase64(s);
  return STD.test(s) ? bytesToString(Buffer.from(s, 'base64')) : undefined;
}

export const ENCODING: Record<string, BuiltinImpl> = {
  'base64.encode': (s) => (isString(s) ? Buffer.from(s, 'utf8').toString('base64') : undefined),
  'base64.decode': (s) => (isString(s) ? decodeBase64(s) : undefined),
  'base64url.encode': (s) => (isString(s) ? Buffer.from(s, 'utf8').toString('base64url').padEnd(Math.ceil(Buffer.byteLength(s) / 3) * 4, '=') : undefined),
  'base64url.decode': (s) => (isString(s) && URL.test(s) ? bytesToString(Buffer.from(s.replace(/=+$/, ''), 'base64url')) : undefined),
  'json.marshal': (v) => toJSON(v),
  'json.unmarshal': (s) => {
    if (!isString(s)) return undefined;
    try {
      return fromJSON(s);
    } catch {
      return undefined;
    }
  },
  'json.is_valid': (s) => {
    if (!isString(s)) return false;
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
};
