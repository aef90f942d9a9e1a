/**
 * The helpers generated code calls. Each takes values that are never `undefined` (codegen guards)
 * and returns `undefined` for "undefined in Rego".
 */
import { RegoEvalError, type EvalLocation } from './eval-error.js';
import { Keyed, ObjectBuilder, RegoObject, RegoSet, compare, equal, objectEntries, setKey, type PlainObject, type Value } from './value.js';

export { equal, RegoSet, ObjectBuilder };

/** Property names a plain object inherits; a `.name` lookup of these must check own properties. */
export const INHERITED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

/** `o.k` for a constant key that no plain object inherits. */
export function dot(o: Value, k: string): Value | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  if (o instanceof Keyed) return o instanceof RegoSet ? (o.has(k) ? k : undefined) : (o as RegoObject).get(k);
  return o[k];
}

/** `o[k]` for any key. */
export function index(o: Value, k: Value): Value | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  if (Array.isArray(o)) return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < o.length ? o[k] : undefined;
  if (o instanceof RegoSet) return o.has(k) ? k : undefined;
  if (o instanceof RegoObject) return o.get(k);
  return typeof k === 'string' && Object.hasOwn(o, k) ? o[k] : undefined;
}

/** Keys of a non-array collection (set members are their own keys), in Rego's order for sets. */
export function keysOf(c: RegoSet | RegoObject | PlainObject): Value[] {
  if (c instanceof RegoSet) return c.members();
  if (c instanceof RegoObject) return c.keys();
  return Object.keys(c);
}

export function valueAt(c: RegoSet | RegoObject | PlainObject, k: Value): Value | undefined {
  if (c instanceof RegoSet) return k;
  if (c instanceof RegoObject) return c.get(k);
  return c[k as string];
}

export function isCollection(v: Value): boolean {
  return typeof v === 'object' && v !== null;
}

export function isObject(v: Value): v is PlainObject | RegoObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegoSet);
}

export function objectSize(v: PlainObject | RegoObject): number {
  return v instanceof RegoObject ? v.size : Object.keys(v).length;
}

export function setOf(items: Value[]): RegoSet {
  return RegoSet.of(items);
}

export function objectOf(entries: [Value, Value][]): Value {
  const b = new ObjectBuilder();
  for (const [k, v] of entries) b.set(k, v);
  return b.done();
}

export const lt = (a: Value, b: Value): boolean => (typeof a === 'number' && typeof b === 'number' ? a < b : compare(a, b) < 0);
export const lte = (a: Value, b: Value): boolean => (typeof a === 'number' && typeof b === 'number' ? a <= b : compare(a, b) <= 0);
export const gt = (a: Value, b: Value): boolean => (typeof a === 'number' && typeof b === 'number' ? a > b : compare(a, b) > 0);
export const gte = (a: Value, b: Value): boolean => (typeof a === 'number' && typeof b === 'number' ? a >= b : compare(a, b) >= 0);

export function plus(a: Value, b: Value): Value | undefined {
  return typeof a === 'number' && typeof b === 'number' ? a + b : undefined;
}

export function minus(a: Value, b: Value): Value | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof RegoSet && b instanceof RegoSet) return RegoSet.of(a.members().filter((m) => !b.has(m)));
  return undefined;
}

export function times(a: Value, b: Value): Value | undefined {
  return typeof a === 'number' && typeof b === 'number' ? a * b : undefined;
}

export function divide(a: Value, b: Value): Value | undefined {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : undefined;
}

export function remainder(a: Value, b: Value): Value | undefined {
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0 || !Number.isInteger(a) || !Number.isInteger(b)) return undefined;
  return a % b;
}

export function union(a: Value, b: Value): Value | undefined {
  if (!(a instanceof RegoSet) || !(b instanceof RegoSet)) return undefined;
  return RegoSet.of([...a.members(), ...b.members()]);
}

export function intersect(a: Value, b: Value): Value | undefined {
  if (!(a instanceof RegoSet) || !(b instanceof RegoSet)) return undefined;
  return RegoSet.of(a.members().filter((m) => b.has(m)));
}

/** `x in c` */
export function member(x: Value, c: Value): boolean {
  if (Array.isArray(c)) return c.some((v) => equal(v, x));
  if (c instanceof RegoSet) return c.has(x);
  if (isObject(c)) return objectEntries(c).some(([, v]) => equal(v, x));
  return false;
}

/** `k, v in c` */
export function memberKV(k: Value, v: Value, c: Value): boolean {
  if (c instanceof RegoSet) return equal(k, v) && c.has(v);
  const found = index(c, k);
  return found !== undefined && equal(found, v);
}

/** A copy of `input` with the value at `path` replaced (`with input.a.b as v`). */
export function patchInput(input: Value | undefined, path: string[], v: Value): Value {
  if (path.length === 0) return v;
  const base: PlainObject = input !== undefined && isObject(input) && !(input instanceof RegoObject) ? { ...input } : {};
  setKey(base, path[0]!, patchInput(base[path[0]!], path.slice(1), v));
  return base;
}

export interface Override {
  path: string[];
  value: Value;
}

export const NO_OVERRIDE = Symbol('no override');

/** The value `with data.… as` gives at `path`, or NO_OVERRIDE. */
export function overrideAt(ov: Override[], path: string[]): Value | undefined | typeof NO_OVERRIDE {
  for (let i = ov.length - 1; i >= 0; i--) {
    const o = ov[i]!;
    if (o.path.length <= path.length && o.path.every((s, j) => s === path[j])) {
      let v: Value | undefined = o.value;
      for (let j = o.path.length; j < path.length && v !== undefined; j++) v = index(v, path[j]!);
      return v;
    }
  }
  return NO_OVERRIDE;
}

/** Looks `path` up in the base data document. */
export function dataAt(data: Value | undefined, path: string[]): Value | undefined {
  let v = data;
  for (let i = 0; i < path.length && v !== undefined; i++) v = index(v, path[i]!);
  return v;
}

export function conflict(message: string, location: EvalLocation): RegoEvalError {
  return new RegoEvalError('eval_conflict_error', message, location);
}

/** Object builder used by partial object rules and object comprehensions: a key may not get two values. */
export function putUnique(b: ObjectBuilder, k: Value, v: Value, message: string, location: EvalLocation): void {
  const prev = b.get(k);
  if (prev === undefined) b.set(k, v);
  else if (!equal(prev, v)) throw conflict(message, location);
}
