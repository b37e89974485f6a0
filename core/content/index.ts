import { EmbeddedContentStore } from "./embedded";
import { InvalidStoreConfigError } from "./errors";
import { KuboContentStore } from "./kubo";
import type { ContentStore, ContentStoreConfig } from "./types";

export * from "./types";
export * from "./errors";
export { parseCid, cidKey } from "./cid";
export { kuboCompatibleImportOptions, KUBO_CHUNK_SIZE, KUBO_MAX_LINKS } from "./importer";
export { EmbeddedContentStore } from "./embedded";
export { KuboContentStore } from "./kubo";

/** Opens the store the configuration names: embedded (a directory) or a Kubo RPC endpoint. */
export async function createContentStore(config: ContentStoreConfig): Promise<ContentStore> {
  const kind = (config as { kind?: unknown } | undefined)?.kind;
  if (kind === "embedded") {
    const dir = (config as { dir?: unknown }).dir;
    if (typeof dir !== "string" || dir.length === 0) {
      throw new InvalidStoreConfigError({ field: "dir", value: dir, reason: "must be a non-empty directory path" });
    }
    return EmbeddedContentStore.open(dir);
  }
  if (kind === "kubo") {
    const c = config as Extract<ContentStoreConfig, { kind: "kubo" }>;
    return new KuboContentStore({ url: c.url, timeoutMs: c.timeoutMs, offline: c.offline });
  }
  throw new InvalidStoreConfigError({ field: "kind", value: kind, reason: 'must be "embedded" or "kubo"' });
}
