/**
 * The store for yoga's parse cache (documents and parse errors, keyed by query text): an LRU of at
 * most `maxEntries` entries that never keeps a query longer than `maxKeyLength` characters. A
 * parsed document holds tens of bytes per character of its text (and a parse error holds the text
 * itself), so without the length bound a thousand distinct large queries would pin gigabytes;
 * with it the cache holds at most maxEntries × maxKeyLength characters' worth. Long queries are
 * parsed each time they come (the token limit bounds that work).
 */
export class QueryCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    readonly maxEntries: number,
    readonly maxKeyLength: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    if (this.maxEntries === 0 || key.length > this.maxKeyLength) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
