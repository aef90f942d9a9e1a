import { isString, type BuiltinImpl } from './impl.js';
import { fromJSON, toJSON } from '../runtime/value.js';

const STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decoded bytes as a string; invalid UTF-8 becomes U+FFFD, as Go does when ranging over it. */
const bytesToString = (b: Buffer): string => b.toString('utf8');

export const ENCODING: Record<string, BuiltinImpl> = {
  'base64.encode': (s) => (isString(s) ? Buffer.from(s, 'utf8').toString('base64') : undefined),
  'base64.decode': (s) => (isString(s) && STD.test(s) ? bytesToString(Buffer.from(s, 'base64')) : undefined),
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
