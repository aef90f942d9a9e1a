/**
 * glob / iglob: POSIX fnmatch over the whole value without FNM_PATHNAME or FNM_PERIOD, so `*` and
 * `?` also match `/` and leading dots. `[...]` classes (with `!` or `^` negation, ranges and
 * [:class:] names) and backslash escapes are supported; an unterminated `[` is a literal. The
 * pattern becomes a linear-time regex once, at compile time; iglob folds ASCII case inside it.
 */
import { escapeRegExp, linearRegExp } from '../../regex/linear.js';
import type { Matcher } from './types.js';

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9a-fA-F',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
};

export function globToRegExpSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRegExp(pattern.charAt(++i));
    else if (c === '[') {
      const cls = bracketClass(pattern, i);
      if (cls) {
        out += cls.source;
        i = cls.end - 1;
      } else {
        out += '\\[';
      }
    } else out += escapeRegExp(c);
  }
  return `^(?:${out})$`;
}

/** Translate the bracket expression starting at `open`, or undefined if it is not closed. */
function bracketClass(pattern: string, open: number): { source: string; end: number } | undefined {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i + 1 };
    first = false;
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close === -1 ? undefined : POSIX_CLASSES[pattern.slice(i + 2, close)];
      if (name !== undefined) {
        body += name;
        i = close + 2;
        continue;
      }
    }
    if (c === '\\' && i + 1 < pattern.length) {
      body += escapeClassChar(pattern.charAt(i + 1));
      i += 2;
      continue;
    }
    body += c === '-' ? '-' : escapeClassChar(c);
    i++;
  }
  return undefined;
}

function escapeClassChar(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c;
}

/**
 * ASCII case folding of a regex source for the linear engine, which has no `i` flag: letters
 * outside classes become [xX], and classes get the other case of their letters and letter ranges.
 */
export function caseFoldedSource(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      const body = source.slice(i + 1, j);
      out += `[${body}${otherCase(body)}]`;
      i = j;
    } else if (/[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/** The other-case letters and ranges contained in a class body (escapes left out). */
function otherCase(body: string): string {
  let extra = '';
  const inner = body.startsWith('^') ? body.slice(1) : body;
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charAt(i);
    if (c === '\\') {
      i++;
      continue;
    }
    if (inner[i + 1] === '-' && i + 2 < inner.length && /[a-zA-Z]/.test(c) && /[a-zA-Z]/.test(inner.charAt(i + 2))) {
      extra += `${swapCase(c)}-${swapCase(inner.charAt(i + 2))}`;
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) {
      extra += swapCase(c);
    }
  }
  return extra;
}

function swapCase(c: string): string {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}

export function globMatcher(pattern: string, caseInsensitive: boolean): Matcher {
  const source = globToRegExpSource(pattern);
  const re = linearRegExp(caseInsensitive ? caseFoldedSource(source) : source);
  return (v) => re.test(v as string);
}

/** Glob against a pattern that is only known per event (RHS field); the last pattern is cached. */
export function dynamicGlob(caseInsensitive: boolean): (value: string, pattern: string) => boolean {
  let lastPattern: string | undefined;
  let lastMatcher: Matcher = () => false;
  return (value, pattern) => {
    if (pattern !== lastPattern) {
      lastPattern = pattern;
      lastMatcher = globMatcher(pattern, caseInsensitive);
    }
    return lastMatcher(value);
  };
}
