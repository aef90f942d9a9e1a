import { codePoints, type BuiltinImpl } from './impl.js';
import { RegoObject, RegoSet, compare, isPlainObject, type Value } from '../runtime/value.js';

/** Members of an array or set, else undefined. */
export function listOf(c: Value): Value[] | undefined {
  return Array.isArray(c) ? c : c instanceof RegoSet ? c.members() : undefined;
}

function numbers(c: Value): number[] | undefined {
  const items = listOf(c);
  return items && items.every((x) => typeof x === 'number') ? (items as number[]) : undefined;
}

export const AGGREGATES: Record<string, BuiltinImpl> = {
  count: (c) => {
    if (typeof c === 'string') return codePoints(c).length;
    if (Array.isArray(c)) return c.length;
    if (c instanceof RegoSet || c instanceof RegoObject) return c.size;
    if (isPlainObject(c)) return Object.keys(c).length;
    return undefined;
  },
  sum: (c) => numbers(c)?.reduce((a, b) => a + b, 0),
  product: (c) => numbers(c)?.reduce((a, b) => a * b, 1),
  max: (c) => {
    const items = listOf(c);
    return items && items.length > 0 ? items.reduce((a, b) => (compare(a, b) >= 0 ? a : b)) : undefined;
  },
  min: (c) => {
    const items = listOf(c);
    return items && items.length > 0 ? items.reduce((a, b) => (compare(a, b) <= 0 ? a : b)) : undefined;
  },
  sort: (c) => listOf(c)?.slice().sort(compare),
  all: (c) => listOf(c)?.every((x) => x === true),
  any: (c) => listOf(c)?.some((x) => x === true),
};
