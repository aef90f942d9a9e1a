/**
 * Byte-buffer operators. bcontains/bstartswith take a hex string (`bcontains 7f454c46`) decoded to
 * bytes at compile time; the other operators take text, compared as its UTF-8 bytes.
 */
import type { Operator } from '../condition/ast.js';
import type { Matcher, MatcherOrError } from './types.js';

export function parseHex(text: string): Uint8Array | string {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return `${text} is not a valid hex string`;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  const last = haystack.length - needle.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function startsWithBytes(haystack: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > haystack.length) return false;
  for (let j = 0; j < needle.length; j++) if (haystack[at + j] !== needle[j]) return false;
  return true;
}

const encoder = new TextEncoder();

export function bytesMatcher(op: Operator, rhs: string): MatcherOrError | undefined {
  if (op === 'bcontains' || op === 'bstartswith') {
    const needle = parseHex(rhs);
    if (typeof needle === 'string') return needle;
    return op === 'bcontains' ? (v) => indexOfBytes(v as Uint8Array, needle) !== -1 : (v) => startsWithBytes(v as Uint8Array, needle, 0);
  }
  const bytes = encoder.encode(rhs);
  const equal: Matcher = (v) => (v as Uint8Array).length === bytes.length && startsWithBytes(v as Uint8Array, bytes, 0);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return equal;
    case '!=':
      return (v) => !equal(v);
    case 'contains':
      return (v) => indexOfBytes(v as Uint8Array, bytes) !== -1;
    case 'startswith':
      return (v) => startsWithBytes(v as Uint8Array, bytes, 0);
    case 'endswith':
      return (v) => startsWithBytes(v as Uint8Array, bytes, (v as Uint8Array).length - bytes.length);
    default:
      return undefined;
  }
}
