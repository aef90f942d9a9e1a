import { isNumber, isString, type BuiltinImpl } from './impl.js';
import { compileRE2 } from './re2.js';

function tryCompile(pattern: string, global = false): RegExp | undefined {
  try {
    return compileRE2(pattern, global);
  } catch {
    return undefined;
  }
}

export const REGEX: Record<string, BuiltinImpl> = {
  'regex.match': (p, s) => {
    if (!isString(p) || !isString(s)) return undefined;
    return tryCompile(p)?.test(s);
  },
  'regex.is_valid': (p) => isString(p) && tryCompile(p) !== undefined,
  'regex.find_n': (p, s, n) => {
    if (!isString(p) || !isString(s) || !isNumber(n)) return undefined;
    const re = tryCompile(p, true);
    if (!re) return undefined;
    const out: string[] = [];
    re.lastIndex = 0;
    for (const m of s.matchAll(re)) {
      if (n >= 0 && out.length >= n) break;
      out.push(m[0]);
    }
    return out;
  },
  'regex.split': (p, s) => {
    if (!isString(p) || !isString(s)) return undefined;
    const re = tryCompile(p, true);
    return re ? s.split(re) : undefined;
  },
};
