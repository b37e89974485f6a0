/**
 * Collects the keys asked for in one tick and loads them with one call (per request: create one
 * loader per GraphQL context). Keeps N fields of a list from becoming N subgraph queries.
 */
export class BatchLoader<K, V> {
  private pending: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  private readonly cache = new Map<K, Promise<V>>();
  private scheduled = false;

  constructor(private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>, private readonly fallback: (key: K) => V) {}

  load(key: K): Promise<V> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const p = new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => void this.flush());
      }
    });
    this.cache.set(key, p);
    return p;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      const result = await this.loadMany([...new Set(batch.map((b) => b.key))]);
      for (const b of batch) b.resolve(result.has(b.key) ? result.get(b.key)! : this.fallback(b.key));
    } catch (err) {
      for (const b of batch) {
        this.cache.delete(b.key);
        b.reject(err);
      }
    }
  }
}
