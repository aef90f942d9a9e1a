/**
 * glob / iglob: POSIX fnmatch over the whole value without FNM_PATHNAME or FNM_PERIOD, so `*` and
 * `?` also match `/` and leading dots. `[...]` classes (with `!` or `^` negation, ranges and
 * [:class:] names) and backslash escapes are supported; an unterminated `[` is a literal. iglob
 * folds ASCII case.
 *
 * The pattern is compiled once into tokens and matched with the classic single-backtrack wildcard
 * algorithm (on a mismatch, retry from the last `*` one character further): O(value × pattern) in
 * the worst case, never exponential, and far cheaper per event than a linear-engine regex.
 */
import type { Matcher } from './types.js';

type Token =
  | { kind: 'char'; code: number }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negate: boolean; ranges: number[] }; // [from, to, from, to, …]

const POSIX_CLASSES: Record<string, number[]> = {
  alpha: [65, 90, 97, 122],
  digit: [48, 57],
  alnum: [48, 57, 65, 90, 97, 122],
  upper: [65, 90],
  lower: [97, 122],
  space: [9, 13, 32, 32],
  blank: [9, 9, 32, 32],
  punct: [33, 47, 58, 64, 91, 96, 123, 126],
  xdigit: [48, 57, 65, 70, 97, 102],
  cntrl: [0, 31, 127, 127],
  print: [32, 126],
  graph: [33, 126],
};

export function compileGlob(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 /* * */) {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === 63 /* ? */) {
      tokens.push({ kind: 'any' });
    } else if (c === 92 /* \ */ && i + 1 < pattern.length) {
      tokens.push({ kind: 'char', code: pattern.charCodeAt(++i) });
    } else if (c === 91 /* [ */) {
      const cls = bracketClass(pattern, i);
      if (cls) {
        tokens.push(cls.token);
        i = cls.end - 1;
      } else {
        tokens.push({ kind: 'char', code: c });
      }
    } else {
      tokens.push({ kind: 'char', code: c });
    }
  }
  return tokens;
}

/** The bracket expression starting at `open`, or undefined if it is not closed. */
function bracketClass(pattern: string, open: number): { token: Token; end: number } | undefined {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: number[] = [];
  let first = true;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === ']' && !first) return { token: { kind: 'class', negate, ranges }, end: i + 1 };
    first = false;
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const named = close === -1 ? undefined : POSIX_CLASSES[pattern.slice(i + 2, close)];
      if (named) {
        ranges.push(...named);
        i = close + 2;
        continue;
      }
    }
    let from = pattern.charCodeAt(i);
    if (c === '\\' && i + 1 < pattern.length) from = pattern.charCodeAt(++i);
    let to = from;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      to = pattern.charCodeAt(i + 2);
      i += 2;
    }
    ranges.push(from, to);
    i++;
  }
  return undefined;
}

const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

function tokenMatches(token: Token, c: number, caseInsensitive: boolean): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return caseInsensitive ? fold(token.code) === fold(c) : token.code === c;
    case 'class': {
      let hit = inRanges(token.ranges, c);
      if (!hit && caseInsensitive) {
        const other = c >= 65 && c <= 90 ? c + 32 : c >= 97 && c <= 122 ? c - 32 : c;
        hit = other !== c && inRanges(token.ranges, other);
      }
      return hit !== token.negate;
    }
    case 'star':
      return false;
  }
}

function inRanges(ranges: readonly number[], c: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (c >= ranges[i]! && c <= ranges[i + 1]!) return true;
  return false;
}

export function matchGlob(tokens: readonly Token[], value: string, caseInsensitive: boolean): boolean {
  let t = 0;
  let v = 0;
  let starT = -1;
  let starV = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind === 'star') {
      starT = t++;
      starV = v;
    } else if (token !== undefined && tokenMatches(token, value.charCodeAt(v), caseInsensitive)) {
      t++;
      v++;
    } else if (starT !== -1) {
      t = starT + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t]!.kind === 'star') t++;
  return t === tokens.length;
}

export function globMatcher(pattern: string, caseInsensitive: boolean): Matcher {
  const tokens = compileGlob(pattern);
  return (v) => matchGlob(tokens, v as string, caseInsensitive);
}

/** Glob against a pattern that is only known per event (RHS field); the last pattern is cached. */
export function dynamicGlob(caseInsensitive: boolean): (value: string, pattern: string) => boolean {
  let lastPattern: string | undefined;
  let lastTokens: Token[] = [];
  return (value, pattern) => {
    if (pattern !== lastPattern) {
      lastPattern = pattern;
      lastTokens = compileGlob(pattern);
    }
    return matchGlob(lastTokens, value, caseInsensitive);
  };
}
