/**
 * A bounded least-recently-used map (a Map keeps insertion order; a hit is moved to the end).
 * For caches of derived work: documents, plans, authorization results, key records.
 *
 * Bounded by entries (`capacity`) and, when `maxWeight` is given, by the sum of the entries'
 * weights (e.g. bytes): a few huge values cannot keep more than `maxWeight` alive. A value
 * heavier than `maxWeight` on its own is not kept.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private readonly weights = new Map<K, number>();
  private total = 0;

  constructor(
    readonly capacity: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
    private readonly weigh: (value: V, key: K) => number = () => 0,
  ) {}

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
    this.delete(key);
    const weight = this.weigh(value, key);
    if (weight > this.maxWeight) return;
    this.map.set(key, value);
    this.weights.set(key, weight);
    this.total += weight;
    this.evict();
  }

  /** Adds to the weight of an entry whose value grew after it was stored (a cache of work). */
  grow(key: K, by: number): void {
    const w = this.weights.get(key);
    if (w === undefined) return;
    this.weights.set(key, w + by);
    this.total += by;
    this.evict();
  }

  delete(key: K): void {
    if (!this.map.delete(key)) return;
    this.total -= this.weights.get(key) ?? 0;
    this.weights.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.weights.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** The sum of the entries' weights. */
  get weight(): number {
    return this.total;
  }

  private evict(): void {
    while (this.map.size > this.capacity || this.total > this.maxWeight) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }
}
