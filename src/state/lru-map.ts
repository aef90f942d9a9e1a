/**
 * A Map bounded to `max` entries that evicts the least recently used one, for the state tables'
 * per-event lookups. Recency is the Map's insertion order. Moving a key to the end on every read
 * (delete + set) churns the Map's hash table, so a read moves only entries in the older half of the
 * order (more moves since theirs than half the size): those are the ones eviction could reach soon,
 * while a read of a recent entry costs one lookup. Nothing is allocated up front (lru-cache
 * preallocates arrays of `max` slots per table, paid again by every fresh table).
 */
export type RemovalReason = 'evict' | 'set' | 'delete';

interface Slot<V> {
  value: V;
  /** `moves` when the slot last went to the end of the order. */
  movedAt: number;
}

export class LruMap<K, V> {
  private readonly map = new Map<K, Slot<V>>();
  private readonly max: number;
  private moves = 0;

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

  /** The value, marked as recently used. */
  get(key: K): V | undefined {
    const map = this.map;
    const slot = map.get(key);
    if (slot === undefined) return undefined;
    if (this.moves - slot.movedAt > map.size >> 1) {
      map.delete(key);
      map.set(key, slot);
      slot.movedAt = ++this.moves;
    }
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
      slot.movedAt = ++this.moves;
      if (old !== value) this.onRemove(old, key, 'set');
      return;
    }
    if (map.size >= this.max) {
      const [oldestKey, oldest] = map.entries().next().value as [K, Slot<V>];
      map.delete(oldestKey);
      this.onRemove(oldest.value, oldestKey, 'evict');
    }
    map.set(key, { value, movedAt: ++this.moves });
  }

  delete(key: K): boolean {
    const slot = this.map.get(key);
    if (slot === undefined) return false;
    this.map.delete(key);
    this.onRemove(slot.value, key, 'delete');
    return true;
  }

  /** Values, least recently used first. */
  *values(): IterableIterator<V> {
    for (const slot of this.map.values()) yield slot.value;
  }
}
