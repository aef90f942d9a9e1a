/**
 * String operators: byte-wise, case-sensitive comparisons, except icontains (ASCII case folding).
 * `<`/`>` compare lexicographically (strcmp order). Set membership is a Set lookup.
 */
import type { Operator } from '../condition/ast.js';
import type { Matcher } from './types.js';

export function stringMatcher(op: Operator, rhs: string): Matcher | undefined {
  switch (op) {
    case '=':
    case '==':
      return (v) => v === rhs;
    case '!=':
      return (v) => v !== rhs;
    case 'contains':
      return (v) => (v as string).includes(rhs);
    case 'icontains': {
      const needle = asciiLower(rhs);
      return (v) => includesIgnoringAsciiCase(v as string, needle);
    }
    case 'startswith':
      return (v) => (v as string).startsWith(rhs);
    case 'endswith':
      return (v) => (v as string).endsWith(rhs);
    case '<':
      return (v) => (v as string) < rhs;
    case '<=':
      return (v) => (v as string) <= rhs;
    case '>':
      return (v) => (v as string) > rhs;
    case '>=':
      return (v) => (v as string) >= rhs;
    default:
      return undefined;
  }
}

export function stringSetMatcher(values: readonly string[]): Matcher {
  if (values.length === 1) {
    const only = values[0];
    return (v) => v === only;
  }
  const set = new Set(values);
  return (v) => set.has(v as string);
}

/** Comparison against another field's value of the same type (val() / transformer on the RHS). */
export function stringComparator(op: Operator): ((l: string, r: string) => boolean) | undefined {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (l, r) => l === r;
    case '!=':
      return (l, r) => l !== r;
    case 'contains':
      return (l, r) => l.includes(r);
    case 'icontains':
      return (l, r) => includesIgnoringAsciiCase(l, asciiLower(r));
    case 'startswith':
      return (l, r) => l.startsWith(r);
    case 'endswith':
      return (l, r) => l.endsWith(r);
    case '<':
      return (l, r) => l < r;
    case '<=':
      return (l, r) => l <= r;
    case '>':
      return (l, r) => l > r;
    case '>=':
      return (l, r) => l >= r;
    default:
      return undefined;
  }
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** ASCII-case-insensitive substring test without lower-casing (allocating) the haystack. */
export function includesIgnoringAsciiCase(haystack: string, lowerNeedle: string): boolean {
  const n = lowerNeedle.length;
  const last = haystack.length - n;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < n; j++) {
      let c = haystack.charCodeAt(i + j);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== lowerNeedle.charCodeAt(j)) continue outer;
    }
    return true;
  }
  return false;
}
