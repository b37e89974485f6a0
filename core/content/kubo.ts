import { create, type KuboRPCClient } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import { cidKey, parseCid } from "./cid";
import {
  ContentNotFoundError,
  ContentTooLargeError,
  InvalidRangeError,
  InvalidStoreConfigError,
  IpfsError,
  NotAFileError,
  StoreClosedError,
  StoreOperationError,
} from "./errors";
import { KUBO_CHUNK_SIZE } from "./importer";
import { checkRange, collect, countingSource } from "./util";
import type { AddOptions, AddResult, CatOptions, ContentStat, ContentStore, PinInfo } from "./types";

export interface KuboContentStoreOptions {
  url: string;
  timeoutMs?: number;
  offline?: boolean;
}

/**
 * The Kubo RPC adapter (kubo-rpc-client against IPFS_API_URL). Adds pass every import option
 * explicitly so a node with other Import.* defaults still returns the default-Kubo CIDv0; the one
 * setting the RPC cannot override is Import.UnixFSFileMaxLinks (174 unless changed on the node).
 */
export class KuboContentStore implements ContentStore {
  readonly kind = "kubo" as const;
  readonly url: string;
  readonly #client: KuboRPCClient;
  readonly #timeoutMs: number;
  readonly #offline: boolean;
  #closed = false;

  constructor(options: KuboContentStoreOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (cause) {
      throw new InvalidStoreConfigError({ field: "url", value: options.url, reason: "is not a URL" }, { cause });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new InvalidStoreConfigError({ field: "url", value: options.url, reason: "must be an http(s) URL" });
    }
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidStoreConfigError({ field: "timeoutMs", value: options.timeoutMs, reason: "must be a positive integer" });
    }
    this.url = url.toString();
    this.#client = create({ url });
    this.#timeoutMs = timeoutMs;
    this.#offline = options.offline ?? false;
  }

  async add(content: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: AddOptions = {}): Promise<AddResult> {
    this.#assertOpen("add");
    const counter = countingSource(content, options.onProgress);
    let cid: CID;
    try {
      const result = await this.#client.add(counter.source, {
        cidVersion: 0,
        rawLeaves: false,
        chunker: `size-${KUBO_CHUNK_SIZE}`,
        trickle: false,
        hashAlg: "sha2-256",
        wrapWithDirectory: false,
        // Pinned below, so that we know whether this call created the pin.
        pin: false,
        signal: options.signal,
      });
      cid = parseCid(result.cid.toString(), "kubo add result");
    } catch (cause) {
      throw this.#wrap(cause, "add");
    }
    let newlyPinned = false;
    if (options.pin !== false && !(await this.isPinned(cid))) {
      await this.pin(cid);
      newlyPinned = true;
    }
    return { cid, size: counter.bytes(), newlyPinned };
  }

  async *cat(cidLike: CID | string, options: CatOptions = {}): AsyncIterable<Uint8Array> {
    this.#assertOpen("cat");
    const cid = parseCid(cidLike);
    const { size } = await this.#fileInfo(cid, options.signal);
    const { offset, length } = checkRange(options, size);
    if (length === 0) return;
    try {
      yield* this.#client.cat(cid, { offset, length, ...this.#readOptions(options.signal) });
    } catch (cause) {
      throw this.#wrap(cause, "cat", cid);
    }
  }

  async catBytes(cidLike: CID | string, maxBytes: number, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    this.#assertOpen("catBytes");
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new InvalidRangeError({ field: "maxBytes", value: maxBytes, reason: "must be a non-negative integer" });
    }
    const cid = parseCid(cidLike);
    const { size } = await this.#fileInfo(cid, options.signal);
    if (size > maxBytes) throw new ContentTooLargeError({ cid: cid.toString(), size, maxBytes });
    return collect(this.cat(cid, { signal: options.signal }), size);
  }

  async stat(cidLike: CID | string, options: { signal?: AbortSignal } = {}): Promise<ContentStat> {
    this.#assertOpen("stat");
    const cid = parseCid(cidLike);
    try {
      const st = await this.#client.files.stat(`/ipfs/${cid.toString()}`, this.#readOptions(options.signal));
      // files.stat's `blocks` is the root's link count; count the DAG like Kubo's `refs -r`
      // (not unique), plus the root.
      let blocks = 1;
      for await (const ref of this.#client.refs(cid, { recursive: true, ...this.#readOptions(options.signal) })) {
        if (ref.err) throw new Error(String(ref.err));
        blocks += 1;
      }
      return { cid, size: st.size, type: st.type, blocks, dagSize: st.cumulativeSize };
    } catch (cause) {
      throw this.#wrap(cause, "stat", cid);
    }
  }

  async size(cidLike: CID | string, options: { signal?: AbortSignal } = {}): Promise<number> {
    this.#assertOpen("size");
    return (await this.#fileInfo(parseCid(cidLike), options.signal)).size;
  }

  async has(cidLike: CID | string): Promise<boolean> {
    this.#assertOpen("has");
    const cid = parseCid(cidLike);
    try {
      await this.#client.block.stat(cid, {
        timeout: this.#timeoutMs,
        searchParams: new URLSearchParams({ offline: "true" }),
      });
      return true;
    } catch (cause) {
      if (isNotFound(cause)) return false;
      throw this.#wrap(cause, "has", cid);
    }
  }

  async pin(cidLike: CID | string): Promise<void> {
    this.#assertOpen("pin");
    const cid = parseCid(cidLike);
    try {
      await this.#client.pin.add(cid, { recursive: true, ...this.#readOptions() });
    } catch (cause) {
      throw this.#wrap(cause, "pin", cid);
    }
  }

  async unpin(cidLike: CID | string): Promise<void> {
    this.#assertOpen("unpin");
    const cid = parseCid(cidLike);
    try {
      await this.#client.pin.rm(cid, { recursive: true });
    } catch (cause) {
      if (/not pinned/i.test((cause as Error).message ?? "")) return;
      throw this.#wrap(cause, "unpin", cid);
    }
  }

  async isPinned(cidLike: CID | string): Promise<boolean> {
    this.#assertOpen("isPinned");
    const cid = parseCid(cidLike);
    try {
      for await (const pin of this.#client.pin.ls({ paths: [cid], type: "recursive" })) {
        if (cidKey(pin.cid) === cidKey(cid)) return true;
      }
      return false;
    } catch (cause) {
      if (/not pinned/i.test((cause as Error).message ?? "")) return false;
      throw this.#wrap(cause, "isPinned", cid);
    }
  }

  async listPins(): Promise<PinInfo[]> {
    this.#assertOpen("listPins");
    const pins: PinInfo[] = [];
    try {
      for await (const pin of this.#client.pin.ls({ type: "recursive" })) {
        pins.push({ cid: parseCid(pin.cid.toString(), "pin.ls") });
      }
    } catch (cause) {
      throw this.#wrap(cause, "listPins");
    }
    return pins.sort((a, b) => (cidKey(a.cid) < cidKey(b.cid) ? -1 : 1));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  // ---------------------------------------------------------------- internal

  #assertOpen(operation: string): void {
    if (this.#closed) throw new StoreClosedError({ operation });
  }

  #readOptions(signal?: AbortSignal) {
    return {
      timeout: this.#timeoutMs,
      signal,
      ...(this.#offline ? { searchParams: new URLSearchParams({ offline: "true" }) } : {}),
    };
  }

  async #fileInfo(cid: CID, signal?: AbortSignal): Promise<{ size: number }> {
    let st;
    try {
      st = await this.#client.files.stat(`/ipfs/${cid.toString()}`, this.#readOptions(signal));
    } catch (cause) {
      throw this.#wrap(cause, "stat", cid);
    }
    if (st.type !== "file") throw new NotAFileError({ cid: cid.toString(), type: st.type });
    return { size: st.size };
  }

  #wrap(cause: unknown, operation: string, cid?: CID): Error {
    if (cause instanceof IpfsError) return cause;
    if (cid && isNotFound(cause)) {
      return new ContentNotFoundError({ cid: cid.toString(), reason: `the Kubo node does not have it (${(cause as Error).message})` }, { cause });
    }
    return new StoreOperationError(
      { operation: `kubo ${operation}`, cid: cid?.toString(), reason: (cause as Error)?.message ?? String(cause) },
      { cause },
    );
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | undefined;
  if (!e) return false;
  return (
    e.name === "TimeoutError" ||
    /not found|block was not found|no link named|could not resolve|ERR_NOT_FOUND|request timed out|blockstore: block not found/i.test(e.message ?? "")
  );
}
