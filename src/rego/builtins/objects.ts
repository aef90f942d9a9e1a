import type { BuiltinImpl } from './impl.js';
import { listOf } from './aggregates.js';
import { ObjectBuilder, RegoSet, isPlainObject, objectEntries, objectGet, type PlainObject, type RegoObject, type Value } from '../runtime/value.js';
import { index, isObject } from '../runtime/ops.js';

function merge(a: PlainObject | RegoObject, b: PlainObject | RegoObject): Value {
  const out = new ObjectBuilder();
  for (const [k, v] of objectEntries(a)) out.set(k, v);
  for (const [k, v] of objectEntries(b)) {
    const prev = objectGet(a, k);
    out.set(k, prev !== undefined && isObject(prev) && isObject(v) ? merge(prev, v) : v);
  }
  return out.done();
}

export const OBJECTS: Record<string, BuiltinImpl> = {
  'object.get': (o, key, dflt) => {
    if (!isObject(o)) return undefined;
    if (Array.isArray(key)) {
      let v: Value | undefined = o;
      for (const k of key) if (v !== undefined) v = index(v, k);
      return v ?? dflt;
    }
    return objectGet(o, key) ?? dflt;
  },
  'object.keys': (o) => (isObject(o) ? RegoSet.of(objectEntries(o).map(([k]) => k)) : undefined),
  'object.remove': (o, keys) => {
    if (!isObject(o)) return undefined;
    const drop = isPlainObject(keys) ? Object.keys(keys) : listOf(keys);
    if (!drop) return undefined;
    const gone = RegoSet.of(drop);
    const out = new ObjectBuilder();
    for (const [k, v] of objectEntries(o)) if (!gone.has(k)) out.set(k, v);
    return out.done();
  },
  'object.union': (a, b) => (isObject(a) && isObject(b) ? merge(a, b) : undefined),
};
