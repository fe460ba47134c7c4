/**
 * A bounded least-recently-used map (a Map keeps insertion order; a hit is moved to the end).
 * For caches of derived work: documents, plans, authorization results, key records.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** The value without marking it as recently used. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** The least recently used key. */
  oldestKey(): K | undefined {
    return this.map.keys().next().value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
