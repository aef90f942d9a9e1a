/**
 * Rego values at run time. Scalars, arrays and string-keyed objects are plain JS values so `input`
 * is read as is, without conversion; sets are `RegoSet`, and objects with a non-string key are `RegoObject`.
 * Both key their members by the value itself for scalars and by a canonical string for composites,
 * kept in separate maps so a string can never collide with a composite's key.
 */
export type Value = null | boolean | number | string | Value[] | RegoSet | RegoObject | PlainObject;
export interface PlainObject {
  [key: string]: Value;
}

type Scalar = null | boolean | number | string;

/** Base of the two collection classes, so one `instanceof` tells plain JSON values apart. */
export class Keyed<T> {
  protected readonly scalars = new Map<Scalar, T>();
  protected readonly composites = new Map<string, T>();

  get size(): number {
    return this.scalars.size + this.composites.size;
  }

  protected slot(key: Value): [Map<Scalar, T> | Map<string, T>, Scalar] {
    return key !== null && typeof key === 'object' ? [this.composites, hashKey(key)] : [this.scalars, key];
  }

  protected lookup(key: Value): T | undefined {
    return key !== null && typeof key === 'object' ? this.composites.get(hashKey(key)) : this.scalars.get(key);
  }

  protected store(key: Value, item: T): void {
    if (key !== null && typeof key === 'object') this.composites.set(hashKey(key), item);
    else this.scalars.set(key, item);
  }
}

export class RegoSet extends Keyed<Value> {
  private sortedCache: Value[] | null = null;

  static of(items: Iterable<Value>): RegoSet {
    const s = new RegoSet();
    for (const v of items) s.add(v);
    return s;
  }

  add(v: Value): void {
    if (this.lookup(v) === undefined) {
      this.store(v, v);
      this.sortedCache = null;
    }
  }

  has(v: Value): boolean {
    return this.lookup(v) !== undefined;
  }

  /** Members in Rego's order (OPA iterates sets sorted). */
  members(): Value[] {
    if (!this.sortedCache) this.sortedCache = [...this.scalars.values(), ...this.composites.values()].sort(compare);
    return this.sortedCache;
  }
}

export class RegoObject extends Keyed<[Value, Value]> {
  set(k: Value, v: Value): void {
    this.store(k, [k, v]);
  }

  get(k: Value): Value | undefined {
    return this.lookup(k)?.[1];
  }

  entries(): [Value, Value][] {
    return [...this.scalars.values(), ...this.composites.values()];
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }
}

export const isPlainObject = (v: unknown): v is PlainObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegoSet) && !(v instanceof RegoObject);

/** Sets a key on a plain object, safely for `__proto__`. */
export function setKey(o: PlainObject, k: string, v: Value): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Builds an object: plain while every key is a string, a RegoObject once one is not. */
export class ObjectBuilder {
  private plain: PlainObject | null = {};
  private general: RegoObject | null = null;

  get(k: Value): Value | undefined {
    if (this.general) return this.general.get(k);
    return typeof k === 'string' && Object.hasOwn(this.plain!, k) ? this.plain![k] : undefined;
  }

  set(k: Value, v: Value): void {
    if (this.plain && typeof k === 'string') return setKey(this.plain, k, v);
    if (!this.general) {
      this.general = new RegoObject();
      for (const key of Object.keys(this.plain!)) this.general.set(key, this.plain![key]!);
      this.plain = null;
    }
    this.general.set(k, v);
  }

  done(): Value {
    return this.general ?? this.plain!;
  }
}

const TYPE_ORDER: Record<string, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

export function typeName(v: Value | undefined): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof RegoSet) return 'set';
  return 'object';
}

export function objectEntries(o: PlainObject | RegoObject): [Value, Value][] {
  return o instanceof RegoObject ? o.entries() : Object.keys(o).map((k) => [k, o[k]!]);
}

export function objectSize(o: PlainObject | RegoObject): number {
  return o instanceof RegoObject ? o.size : Object.keys(o).length;
}

export function objectGet(o: PlainObject | RegoObject, k: Value): Value | undefined {
  if (o instanceof RegoObject) return o.get(k);
  return typeof k === 'string' && Object.hasOwn(o, k) ? o[k] : undefined;
}

/** Structural equality; values of different types are simply unequal. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof RegoSet) {
    if (!(b instanceof RegoSet) || a.size !== b.size) return false;
    for (const m of a.members()) if (!b.has(m)) return false;
    return true;
  }
  if (b instanceof RegoSet) return false;
  if (objectSize(a) !== objectSize(b)) return false;
  for (const [k, v] of objectEntries(a)) {
    const w = objectGet(b, k);
    if (w === undefined || !equal(v, w)) return false;
  }
  return true;
}

/** Rego's total order: null < booleans < numbers < strings < arrays < objects < sets. */
export function compare(a: Value, b: Value): number {
  const ta = TYPE_ORDER[typeName(a)]!;
  const tb = TYPE_ORDER[typeName(b)]!;
  if (ta !== tb) return ta - tb;
  if (a === b) return 0;
  switch (typeof a) {
    case 'boolean':
      return a ? 1 : -1;
    case 'number':
      return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
    case 'string':
      return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  }
  if (Array.isArray(a)) return compareLists(a, b as Value[]);
  if (a instanceof RegoSet) return compareLists(a.members(), (b as RegoSet).members());
  const ea = sortedEntries(a as PlainObject | RegoObject);
  const eb = sortedEntries(b as PlainObject | RegoObject);
  for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
    const c = compare(ea[i]![0], eb[i]![0]) || compare(ea[i]![1], eb[i]![1]);
    if (c !== 0) return c;
  }
  return ea.length - eb.length;
}

function compareLists(a: Value[], b: Value[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function sortedEntries(o: PlainObject | RegoObject): [Value, Value][] {
  return objectEntries(o).sort((x, y) => compare(x[0], y[0]));
}

/** Canonical text of a value: equal values, and only they, have equal keys. */
export function hashKey(v: Value): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'boolean':
      return v ? 't' : 'f';
    case 'number':
      return `#${v}`;
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(hashKey).join(',')}]`;
  if (v instanceof RegoSet) return `<${v.members().map(hashKey).join(',')}>`;
  return `{${sortedEntries(v).map(([k, x]) => `${hashKey(k)}:${hashKey(x)}`).join(',')}}`;
}

/** Converts a Rego value to plain JS (JSON-compatible unless sets are kept as Sets). */
export function toJS(v: Value, sets: 'array' | 'set' = 'array'): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => toJS(x, sets));
  if (v instanceof RegoSet) {
    const items = v.members().map((x) => toJS(x, sets));
    return sets === 'set' ? new Set(items) : items;
  }
  const out: Record<string, unknown> = {};
  if (!(v instanceof RegoObject)) {
    // plain objects (what object literals with string keys build): no entry pairs allocated
    for (const k of Object.keys(v)) setKey(out as PlainObject, k, toJS(v[k]!, sets) as Value);
    return out;
  }
  for (const [k, x] of objectEntries(v)) {
    const key = typeof k === 'string' ? k : JSON.stringify(toJS(k, 'array'));
    if (key === '__proto__') Object.defineProperty(out, key, { value: toJS(x, sets), enumerable: true, writable: true, configurable: true });
    else out[key] = toJS(x, sets);
  }
  return out;
}

/** Reads a JSON text into a Rego value (objects with string keys, as JSON has). */
export function fromJSON(text: string): Value {
  return JSON.parse(text) as Value;
}

/** Rego's JSON form of a value (sets become arrays, sorted; non-string keys are serialised). */
export function toJSON(v: Value): string {
  return JSON.stringify(toJS(v, 'array'), (_key, x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}
