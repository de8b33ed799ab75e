/**
 * A map bounded by the bytes its values hold, least recently used dropped first: the caches that
 * keep per-feature work between the SNR points of a sweep (baselines/separate/scheme.ts,
 * baselines/ideal.ts). A value's size is given by the caller and may grow after it was stored
 * (an entry that later keeps its decode too).
 */
export class ByteLru<V> {
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`cache bound ${maxBytes} is not allowed: use bytes >= 0`);
  }

  get size(): number {
    return this.map.size;
  }

  /** Bytes held now (<= maxBytes). */
  get bytes(): number {
    return this.total;
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** True when `key` holds exactly `value` (not dropped since it was stored). */
  holds(key: string, value: V): boolean {
    return this.map.get(key)?.value === value;
  }

  /** Stores `value` as the most recently used, then drops the oldest entries over the bound (it too, if it alone is over). */
  set(key: string, value: V, bytes: number): void {
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.total -= old.bytes;
    }
    this.map.set(key, { value, bytes });
    this.total += bytes;
    this.evict();
  }

  /** Adds `bytes` to a present entry's size (no effect when absent), then drops the oldest over the bound. */
  grow(key: string, bytes: number): void {
    const e = this.map.get(key);
    if (!e) return;
    e.bytes += bytes;
    this.total += bytes;
    this.evict();
  }

  private evict(): void {
    while (this.total > this.maxBytes && this.map.size > 0) {
      const [k, e] = this.map.entries().next().value!;
      this.map.delete(k);
      this.total -= e.bytes;
    }
  }
}
