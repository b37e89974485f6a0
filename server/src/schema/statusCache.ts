import type { IndexedHead, SubgraphClient } from "../subgraph/client";
import { workLicences, type WorkLicences } from "../subgraph/reads";
import { workRefKey, type WorkRef } from "../../../core/domain";

/**
 * licenceStatus's reads — a work and the licences one licensee holds for it — cached per
 * (work reference, licensee) and keyed by the indexed block they were read at (number and hash).
 * An entry answers only while the index is still at that block, as observed at most `maxAgeMs`
 * ago (one `_meta` query per window, shared by every request, or any fresher read's `_meta`): a
 * new block, or a reorg at the same height, invalidates every entry at once. The decision itself
 * (status at `at`, right, territory) is recomputed per request. `maxAgeMs` = 0 disables the cache.
 */
export class StatusCache {
  private readonly entries = new Map<string, { head: IndexedHead; value: WorkLicences }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly subgraph: SubgraphClient,
    readonly maxAgeMs: number,
    private readonly maxEntries: number,
  ) {}

  async get(ref: WorkRef, licensee: string): Promise<WorkLicences> {
    if (this.maxAgeMs <= 0 || this.maxEntries <= 0) {
      return workLicences(this.subgraph, ref, licensee);
    }
    const key = `${workRefKey(ref)}|${licensee.toLowerCase()}`;
    const head = await this.subgraph.headWithin(this.maxAgeMs);
    const hit = this.entries.get(key);
    if (hit && hit.head === head) {
      this.hits++;
      return hit.value;
    }
    this.misses++;
    const value = await workLicences(this.subgraph, ref, licensee);
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest insertions (Map keeps insertion order).
      const drop = Math.max(1, this.maxEntries >> 4);
      let i = 0;
      for (const k of this.entries.keys()) {
        if (i++ >= drop) break;
        this.entries.delete(k);
      }
    }
    this.entries.delete(key);
    this.entries.set(key, { head: `${value.block.number}:${value.block.hash ?? ""}`, value });
    return value;
  }
}
