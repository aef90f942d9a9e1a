import { format } from './sprintf.js';
import { codePoints, isNumber, isString, type BuiltinImpl } from './impl.js';
import { RegoSet, isPlainObject, type Value } from '../runtime/value.js';

const both = (a: Value, b: Value): boolean => isString(a) && isString(b);

function stringItems(c: Value): string[] | undefined {
  const items = Array.isArray(c) ? c : c instanceof RegoSet ? c.members() : undefined;
  return items && items.every(isString) ? (items as string[]) : undefined;
}

function trimSet(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(codePoints(cutset));
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  while (left && a < b && cut.has(cps[a]!)) a++;
  while (right && b > a && cut.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

/** UTF-16 offset reached by advancing `n` code points from offset `i` (clamped to the end). */
function unitOffset(s: string, i: number, n: number): number {
  for (let k = 0; k < n && i < s.length; k++) i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return i;
}

export const STRINGS: Record<string, BuiltinImpl> = {
  startswith: (s, p) => (both(s, p) ? (s as string).startsWith(p as string) : undefined),
  endswith: (s, p) => (both(s, p) ? (s as string).endsWith(p as string) : undefined),
  contains: (s, p) => (both(s, p) ? (s as string).includes(p as string) : undefined),
  lower: (s) => (isString(s) ? s.toLowerCase() : undefined),
  upper: (s) => (isString(s) ? s.toUpperCase() : undefined),
  concat: (sep, c) => {
    const items = stringItems(c);
    return isString(sep) && items ? items.join(sep) : undefined;
  },
  split: (s, sep) => {
    if (!both(s, sep)) return undefined;
    return sep === '' ? codePoints(s as string) : (s as string).split(sep as string);
  },
  trim: (s, c) => (both(s, c) ? trimSet(s as string, c as string, true, true) : undefined),
  trim_left: (s, c) => (both(s, c) ? trimSet(s as string, c as string, true, false) : undefined),
  trim_right: (s, c) => (both(s, c) ? trimSet(s as string, c as string, false, true) : undefined),
  trim_prefix: (s, p) => (both(s, p) ? ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s) : undefined),
  trim_suffix: (s, p) => {
    if (!both(s, p)) return undefined;
    const str = s as string;
    const suf = p as string;
    return suf !== '' && str.endsWith(suf) ? str.slice(0, str.length - suf.length) : str;
  },
  trim_space: (s) => (isString(s) ? s.trim() : undefined),
  replace: (s, o, n) => (isString(s) && isString(o) && isString(n) ? s.replaceAll(o, n) : undefined),
  'strings.replace_n': (patterns, s) => {
    if (!isPlainObject(patterns) || !isString(s)) return undefined;
    let out = s;
    for (const k of Object.keys(patterns).sort()) {
      const v = patterns[k];
      if (!isString(v)) return undefined;
      out = out.replaceAll(k, v);
    }
    return out;
  },
  'strings.reverse': (s) => (isString(s) ? codePoints(s).reverse().join('') : undefined),
  indexof: (s, sub) => {
    if (!both(s, sub)) return undefined;
    const unit = (s as string).indexOf(sub as string);
    return unit < 0 ? -1 : codePoints((s as string).slice(0, unit)).length;
  },
  substring: (s, start, len) => {
    if (!isString(s) || !isNumber(start) || !isNumber(len) || !Number.isInteger(start) || !Number.isInteger(len) || start < 0) return undefined;
    // walk code points only as far as needed: payloads (magic_write bytes) can be large
    const from = unitOffset(s, 0, start);
    return len < 0 ? s.slice(from) : s.slice(from, unitOffset(s, from, len));
  },
  sprintf: (f, args) => (isString(f) && Array.isArray(args) ? format(f, args) : undefined),
  format_int: (n, base) => {
    if (!isNumber(n) || !isNumber(base) || ![2, 8, 10, 16].includes(base)) return undefined;
    return Math.trunc(n).toString(base);
  },
};
