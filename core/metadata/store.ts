import type { CID } from "multiformats/cid";
import type { ContentStore } from "../content/types";
import { canonicalJsonBytes } from "./canonical";
import { MetadataValidationError } from "./errors";
import type { WorkMetadata } from "./schemas";
import { validateWorkMetadata } from "./validate";

/** Validates, canonicalises and adds (pinned) work metadata; equal metadata ⇒ equal CID. */
export async function storeWorkMetadata(
  store: ContentStore,
  metadata: unknown,
  options: { pin?: boolean; signal?: AbortSignal } = {},
): Promise<{ cid: CID; size: number; metadata: WorkMetadata; bytes: Uint8Array }> {
  const parsed = validateWorkMetadata(metadata);
  const bytes = canonicalJsonBytes(parsed);
  const { cid, size } = await store.add(bytes, { pin: options.pin, signal: options.signal });
  return { cid, size, metadata: parsed, bytes };
}

/** Reads and validates work metadata stored by `storeWorkMetadata` (at most `maxBytes`). */
export async function loadWorkMetadata(store: ContentStore, cid: CID | string, maxBytes = 1_048_576): Promise<WorkMetadata> {
  const bytes = await store.catBytes(cid, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new MetadataValidationError([{ path: "$", reason: `is not UTF-8 JSON: ${(cause as Error).message}` }], { cause, source: String(cid) });
  }
  return validateWorkMetadata(json, { source: String(cid) });
}
