/**
 * A map with a fixed capacity that forgets its least recently used entry first: the zone caches hold names
 * tenants send, so they must not grow with them.
 */

/** A least-recently-used cache of at most `capacity` entries. */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** @throws {RangeError} if `capacity` is not a positive integer. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting moves the key to the most recent end.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recently used, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  /** How many entries it holds (never more than `capacity`). */
  get size(): number {
    return this.entries.size;
  }
}
