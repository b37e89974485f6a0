import { EmbeddedContentStore } from "./embedded";
import { parseContentStoreConfig } from "./config";
import { KuboContentStore } from "./kubo";
import type { ContentStore, ContentStoreConfig } from "./types";

export * from "./types";
export { ContentStoreConfigSchema, contentStoreConfigOf, parseContentStoreConfig } from "./config";
export * from "./errors";
export { parseCid, cidKey } from "./cid";
export { kuboCompatibleImportOptions, KUBO_CHUNK_SIZE, KUBO_MAX_LINKS } from "./importer";
export { EmbeddedContentStore } from "./embedded";
export { KuboContentStore } from "./kubo";

/** Opens the store the configuration names: embedded (a directory) or a Kubo RPC endpoint. */
export async function createContentStore(input: ContentStoreConfig): Promise<ContentStore> {
  const config = parseContentStoreConfig(input);
  if (config.kind === "embedded") return EmbeddedContentStore.open(config.dir);
  return new KuboContentStore({ url: config.url, timeoutMs: config.timeoutMs, offline: config.offline });
}
