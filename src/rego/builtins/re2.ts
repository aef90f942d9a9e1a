/**
 * RE2 (Go regexp) patterns run on V8's linear-time engine, so a hostile pattern cannot hang the engine.
 * That engine takes no `i` or `u` flag, so case folding is spelled out (`a` → `[aA]`) and `.` is made
 * explicit; group flags `(?i)`, `(?s)`, `(?i:…)` are tracked per group. What RE2 lacks (backreferences,
 * lookaround) and what the linear engine cannot run (`\pL`) is rejected: the pattern is invalid.
 *
 * Speed: V8's linear engine interprets, ~50x slower than the backtracking one on ordinary patterns
 * (4 µs vs 80 ns for TRC-3's `/proc/(?:\d.+|self)/mem`). So a pattern is *checked* with the `l` flag
 * (proving the linear engine can run it) and executed without it, with V8 told to switch to the linear
 * engine once a match backtracks too much: ordinary matches stay fast and a hostile one still ends in
 * linear time. The linear-engine check is the shared `src/regex/linear.ts`.
 */
import v8 from 'node:v8';
import { linearRegExp } from '../../regex/linear.js';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

export class RegexSyntaxError extends Error {}

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: '\\t\\n\\v\\f\\r ',
  punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', word: '0-9A-Za-z_', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~', graph: '!-~', ascii: '\\x00-\\x7f',
};
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/-'.split(''));
const SIMPLE_ESCAPES = new Set('dDwWsSbBnrtfv'.split(''));

interface Flags {
  i: boolean;
  s: boolean;
}

/** Translates an RE2 pattern to the source of an equivalent JS RegExp and its flags. */
export function translateRE2(pattern: string): { source: string; flags: string } {
  let out = '';
  let multiline = false;
  let textAnchors = false;
  const stack: Flags[] = [{ i: false, s: false }];
  const top = (): Flags => stack[stack.length - 1]!;
  let i = 0;
  const fail = (why: string): never => {
    throw new RegexSyntaxError(`error parsing regexp: ${why}: \`${pattern}\``);
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (pattern[i + 1] === 'A' || pattern[i + 1] === 'z') textAnchors = true;
      const [text, next] = escape(pattern, i, false, top().i, fail);
      out += text;
      i = next;
    } else if (c === '[') {
      const [text, next] = charClass(pattern, i, top().i, fail);
      out += text;
      i = next;
    } else if (c === '(') {
      if (pattern[i + 1] !== '?') {
        stack.push({ ...top() });
        out += '(';
        i++;
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
      if (named) {
        stack.push({ ...top() });
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      const flagGroup = /^\(\?([a-zA-Z-]*)(:|\))/.exec(pattern.slice(i));
      if (!flagGroup) fail('invalid or unsupported Perl syntax');
      const flags = { ...top() };
      let on = true;
      for (const f of flagGroup![1]!) {
        if (f === '-') on = false;
        else if (f === 'i') flags.i = on;
        else if (f === 's') flags.s = on;
        else if (f === 'm') multiline = on || multiline;
        else if (f !== 'U' || on) fail('invalid or unsupported Perl syntax');
      }
      if (flagGroup![2] === ':') {
        stack.push(flags);
        out += '(?:';
      } else stack[stack.length - 1] = flags;
      i += flagGroup![0].length;
    } else if (c === ')') {
      if (stack.length === 1) fail('unexpected )');
      stack.pop();
      out += ')';
      i++;
    } else if (c === '.') {
      out += top().s ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else {
      out += top().i ? foldChar(c) : c;
      i++;
    }
  }
  if (stack.length !== 1) fail('missing closing )');
  if (multiline && textAnchors) fail('\\A and \\z with (?m) are not supported by the linear-time engine');
  return { source: out, flags: multiline ? 'm' : '' };
}

function foldChar(c: string): string {
  const lo = c.toLowerCase();
  const up = c.toUpperCase();
  return lo !== up && lo.length === 1 && up.length === 1 ? `[${lo}${up}]` : c;
}

function escape(p: string, i: number, inClass: boolean, fold: boolean, fail: (why: string) => never): [string, number] {
  const c = p[i + 1];
  if (c === undefined) fail('trailing backslash at end of expression');
  if (c === 'Q') {
    const end = p.indexOf('\\E', i + 2);
    const lit = p.slice(i + 2, end < 0 ? p.length : end);
    const text = [...lit].map((ch) => (JS_SYNTAX.has(ch) ? `\\${ch}` : fold && !inClass ? foldChar(ch) : ch)).join('');
    return [text, end < 0 ? p.length : end + 2];
  }
  // \A and \z are ^ and $ as long as no (?m) is in force (checked by the caller)
  if (c === 'z') return inClass ? fail('invalid escape sequence') : ['$', i + 2];
  if (c === 'A') return inClass ? fail('invalid escape sequence') : ['^', i + 2];
  if (c === 'x') {
    const m = /^\\x(?:\{([0-9A-Fa-f]{1,4})\}|([0-9A-Fa-f]{2}))/.exec(p.slice(i));
    if (!m) fail('invalid escape sequence');
    return [`\\u${(m![1] ?? m![2]!).padStart(4, '0')}`, i + m![0].length];
  }
  if (c === 'a') return ['\\x07', i + 2];
  if (SIMPLE_ESCAPES.has(c!)) return [`\\${c}`, i + 2];
  if (/[0-9A-Za-z]/.test(c!)) fail(`invalid escape sequence: \\${c}`);
  return [JS_SYNTAX.has(c!) || inClass ? `\\${c}` : c!, i + 2];
}

function charClass(p: string, start: number, fold: boolean, fail: (why: string) => never): [string, number] {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  const extra: string[] = [];
  while (i < p.length && (p[i] !== ']' || first)) {
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
    if (posix) {
      const set = POSIX[posix[2]!];
      if (!set || posix[1]) fail('invalid character class range');
      out += set;
      i += posix[0].length;
      continue;
    }
    if (p[i] === '\\') {
      const [text, next] = escape(p, i, true, false, fail);
      out += text;
      i = next;
      continue;
    }
    const ch = p[i]!;
    if (fold && p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      const hi = p[i + 2]!;
      out += `${ch}-${hi}`;
      extra.push(...foldRange(ch, hi));
      i += 3;
      continue;
    }
    out += ch === '[' ? '\\[' : ch;
    if (fold && ch.toLowerCase() !== ch.toUpperCase()) extra.push(ch.toLowerCase(), ch.toUpperCase());
    i++;
  }
  if (i >= p.length) fail('missing closing ]');
  return [`${out}${extra.join('')}]`, i + 1];
}

/** The other-case letters of a range, as class items. */
function foldRange(lo: string, hi: string): string[] {
  const out: string[] = [];
  const a = lo.charCodeAt(0);
  const b = hi.charCodeAt(0);
  const clampA = (x: number, y: number, base: number, shift: number): void => {
    const s = Math.max(x, base);
    const e = Math.min(y, base + 25);
    if (s <= e) out.push(`${String.fromCharCode(s + shift)}-${String.fromCharCode(e + shift)}`);
  };
  clampA(a, b, 97, -32);
  clampA(a, b, 65, 32);
  return out;
}

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

/** A compiled linear-time RegExp for an RE2 pattern; throws RegexSyntaxError when invalid. */
export function compileRE2(pattern: string, global = false): RegExp {
  const key = global ? `g:${pattern}` : pattern;
  let re = cache.get(key);
  if (!re) {
    const { source, flags } = translateRE2(pattern);
    try {
      linearRegExp(source, flags); // throws unless the linear engine can run it
      re = new RegExp(source, `${flags}${global ? 'g' : ''}`);
    } catch (e) {
      throw new RegexSyntaxError(`error parsing regexp: ${(e as Error).message}`);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, re);
  }
  return re;
}
