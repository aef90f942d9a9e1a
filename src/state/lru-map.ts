/**
 * A Map bounded to `max` entries that evicts the least recently used one, for the state tables'
 * per-event lookups. It keeps recency in the Map's insertion order (a read moves the key to the end),
 * so it allocates nothing up front — lru-cache preallocates arrays of `max` slots per table, which a
 * worker pays again for every fresh table — and a run of reads of the same key costs one Map lookup.
 */
export type RemovalReason = 'evict' | 'set' | 'delete';

export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  /** The key last read or written: already at the end of `map`, so reading it again moves nothing. */
  private newest: K | undefined;

  private readonly max: number;

  constructor(
    max: number,
    /** Called when a value leaves: evicted, replaced by another value, or deleted. */
    private readonly onRemove: (value: V, key: K, reason: RemovalReason) => void,
  ) {
    this.max = Math.max(1, max);
  }

  get size(): number {
    return this.map.size;
  }

  /** The value, marked as most recently used. */
  get(key: K): V | undefined {
    const map = this.map;
    const value = map.get(key);
    if (value !== undefined && key !== this.newest) {
      map.delete(key);
      map.set(key, value);
      this.newest = key;
    }
    return value;
  }

  /** The value, recency unchanged. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    const map = this.map;
    const old = map.get(key);
    if (old !== undefined) {
      map.delete(key);
      if (old !== value) this.onRemove(old, key, 'set');
    } else if (map.size >= this.max) {
      const oldest = map.entries().next().value as [K, V];
      map.delete(oldest[0]);
      this.onRemove(oldest[1], oldest[0], 'evict');
    }
    map.set(key, value);
    this.newest = key;
  }

  delete(key: K): boolean {
    const value = this.map.get(key);
    if (value === undefined) return false;
    this.map.delete(key);
    if (key === this.newest) this.newest = undefined;
    this.onRemove(value, key, 'delete');
    return true;
  }

  /** Values, least recently used first. */
  values(): IterableIterator<V> {
    return this.map.values();
  }
}
