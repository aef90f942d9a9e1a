/**
 * A Map bounded to `max` entries that evicts a least recently used one, for the state tables'
 * per-event lookups. Order is the Map's insertion order; a read only marks its entry as used (moving
 * keys on every read, a Map delete + set, churned the hash table), and eviction gives used entries a
 * second chance — moved to the end, mark cleared — until it meets one unused since it was last
 * moved: the CLOCK approximation of LRU. Nothing is allocated up front (lru-cache preallocates
 * arrays of `max` slots per table, paid again by every fresh table).
 */
export type RemovalReason = 'evict' | 'set' | 'delete';

interface Slot<V> {
  value: V;
  /** Read since the slot last went to the end of the order. */
  used: boolean;
}

export class LruMap<K, V> {
  private readonly map = new Map<K, Slot<V>>();
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

  /** The value, marked as used. */
  get(key: K): V | undefined {
    const map = this.map;
    const slot = map.get(key);
    if (slot === undefined) return undefined;
    slot.used = true;
    return slot.value;
  }

  /** The value, recency unchanged. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    const map = this.map;
    const slot = map.get(key);
    if (slot !== undefined) {
      const old = slot.value;
      map.delete(key);
      map.set(key, slot);
      slot.value = value;
      slot.used = false;
      if (old !== value) this.onRemove(old, key, 'set');
      return;
    }
    if (map.size >= this.max) this.evictOne();
    map.set(key, { value, used: false });
  }

  private evictOne(): void {
    const map = this.map;
    for (;;) {
      const [key, slot] = map.entries().next().value as [K, Slot<V>];
      map.delete(key);
      if (slot.used) {
        slot.used = false;
        map.set(key, slot);
        continue;
      }
      this.onRemove(slot.value, key, 'evict');
      return;
    }
  }

  delete(key: K): boolean {
    const slot = this.map.get(key);
    if (slot === undefined) return false;
    this.map.delete(key);
    this.onRemove(slot.value, key, 'delete');
    return true;
  }

  /** Values, oldest in the eviction order first. */
  *values(): IterableIterator<V> {
    for (const slot of this.map.values()) yield slot.value;
  }
}
