import { isNumber, type BuiltinImpl } from './impl.js';

export const ARRAYS: Record<string, BuiltinImpl> = {
  'array.concat': (a, b) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : undefined),
  'array.slice': (a, start, stop) => {
    if (!Array.isArray(a) || !isNumber(start) || !isNumber(stop)) return undefined;
    const s = Math.max(0, Math.trunc(start));
    const e = Math.min(a.length, Math.trunc(stop));
    return s >= e ? [] : a.slice(s, e);
  },
  'array.reverse': (a) => (Array.isArray(a) ? a.slice().reverse() : undefined),
};
