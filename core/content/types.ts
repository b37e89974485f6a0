import type { CID } from "multiformats/cid";

/** Progress of an `add`: bytes of the source consumed so far. */
export interface AddProgress {
  bytes: number;
}

export interface AddOptions {
  /** Pin the result (default true, like `ipfs add`). */
  pin?: boolean;
  onProgress?: (progress: AddProgress) => void;
  signal?: AbortSignal;
}

export interface AddResult {
  /** CIDv0, identical to a default Kubo `ipfs add` of the same bytes. */
  cid: CID;
  /** File size in bytes. */
  size: number;
  /** True when this call created the pin (it was not pinned before); false if not pinning. */
  newlyPinned: boolean;
}

export interface CatOptions {
  /** First byte to read (default 0). */
  offset?: number;
  /** Number of bytes to read (default: to the end). */
  length?: number;
  signal?: AbortSignal;
}

export interface ContentStat {
  cid: CID;
  /** File size in bytes (the content, not the DAG). */
  size: number;
  /** UnixFS node type of the root. */
  type: "file" | "directory" | "raw";
  /** Number of blocks in the DAG (root included, repeated blocks counted each time). */
  blocks: number;
  /** Sum of the sizes of all blocks (Kubo's CumulativeSize). */
  dagSize: number;
}

export interface PinInfo {
  cid: CID;
  /** ISO-8601 time the pin was recorded, when the store knows it. */
  pinnedAt?: string;
}

/** The one interface the API, the CLI and the subgraph runtime use to reach IPFS. */
export interface ContentStore {
  readonly kind: "embedded" | "kubo";
  /** Adds a file from bytes or a byte stream; never holds more than a few chunks in memory. */
  add(content: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: AddOptions): Promise<AddResult>;
  /** Streams a file (or a slice of it). Throws ContentNotFoundError / NotAFileError / InvalidRangeError. */
  cat(cid: CID | string, options?: CatOptions): AsyncIterable<Uint8Array>;
  /** Reads a whole small file into memory; refuses files larger than `maxBytes` before reading. */
  catBytes(cid: CID | string, maxBytes: number, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Walks the whole DAG (reads every block): prefer `size` when only the size is needed. */
  stat(cid: CID | string, options?: { signal?: AbortSignal }): Promise<ContentStat>;
  /** File size from the root block alone. Throws ContentNotFoundError / NotAFileError. */
  size(cid: CID | string, options?: { signal?: AbortSignal }): Promise<number>;
  /** True when the root block is stored locally (no network lookup). */
  has(cid: CID | string): Promise<boolean>;
  /** Pins recursively; every block of the DAG must be present. Idempotent. */
  pin(cid: CID | string): Promise<void>;
  /** Removes a recursive pin; unpinning something not pinned is a no-op. */
  unpin(cid: CID | string): Promise<void>;
  isPinned(cid: CID | string): Promise<boolean>;
  listPins(): Promise<PinInfo[]>;
  close(): Promise<void>;
}

export type ContentStoreConfig =
  | { kind: "embedded"; dir: string }
  | {
      kind: "kubo";
      /** Kubo RPC API URL, e.g. http://127.0.0.1:5001 (IPFS_API_URL). */
      url: string;
      /** Per-request timeout in milliseconds for reads (default 60 000). */
      timeoutMs?: number;
      /** Ask Kubo not to go to the network for reads (default false). */
      offline?: boolean;
    };
