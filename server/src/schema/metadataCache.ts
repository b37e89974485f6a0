import type { Logger } from "pino";
import type { ContentStore } from "../../../core/content/types";

const MAX_METADATA_BYTES = 1 << 20;

/**
 * Work metadata read from IPFS and cached by CID (a CID's content never changes). Shared by all
 * requests; LRU-bounded. A CID that cannot be read or parsed resolves to null (and is not cached).
 */
export class MetadataCache {
  private readonly entries = new Map<string, Promise<unknown | null>>();

  constructor(
    private readonly store: ContentStore,
    private readonly maxEntries: number,
    private readonly logger?: Logger,
  ) {}

  get(cid: string): Promise<unknown | null> {
    const hit = this.entries.get(cid);
    if (hit) {
      this.entries.delete(cid);
      this.entries.set(cid, hit);
      return hit;
    }
    const p = this.load(cid);
    if (this.maxEntries > 0) {
      this.entries.set(cid, p);
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      p.then((v) => {
        if (v === null) this.entries.delete(cid);
      });
    }
    return p;
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(cid: string): Promise<unknown | null> {
    try {
      const bytes = await this.store.catBytes(cid, MAX_METADATA_BYTES);
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (err) {
      this.logger?.warn({ cid, err: (err as Error).message }, "work metadata unreadable");
      return null;
    }
  }
}
