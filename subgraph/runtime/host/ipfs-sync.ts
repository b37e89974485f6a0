/**
 * A synchronous `ipfs.cat` over the project's asynchronous content store (core/content).
 *
 * Host imports cannot await, so the store runs in a worker thread (ipfs-sync-worker.ts) opened
 * with the same ContentStoreConfig (embedded directory or Kubo RPC URL). `cat` posts a request and
 * blocks the calling thread on Atomics.wait over a SharedArrayBuffer until the worker answers or
 * `timeoutMs` passes, then takes the answer with receiveMessageOnPort. Like graph-node's ipfs.cat
 * (runtime/wasm/src/module/context.rs), any failure to produce the file (unknown CID, invalid CID,
 * a directory, larger than `maxBytes`, timeout, store error) yields null; only a reader that was
 * closed or whose worker died throws (a non-deterministic error: the block is retried).
 *
 * Accepted paths: `<cid>`, `<cid>/<path inside a directory>`, `/ipfs/<cid>[/<path>]`, `ipfs://<cid>[/<path>]`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { ContentStoreConfig } from "../../../core/content/types";
import type { IpfsReader } from "./module";
import { BaseError } from "../../../core/errors";

export interface SyncIpfsReaderOptions {
  /** Longest a single cat may block, ms (graph-node's GRAPH_IPFS_TIMEOUT default is 60 s). Default 60 000. */
  timeoutMs?: number;
  /** Largest file returned (graph-node's GRAPH_MAX_IPFS_FILE_BYTES default is 25 MiB); larger → null. Default 25 MiB. */
  maxBytes?: number;
  /** Called for every cat that yields null because of an error or a timeout (for logging). */
  onError?: (path: string, error: { code: string; message: string }) => void;
}

export interface SyncIpfsReader {
  /** Blocking read: the file's bytes, or null (see module comment). */
  readonly cat: IpfsReader;
  /** Whether the worker was started (it starts on the first cat, or on warmUp). */
  readonly started: boolean;
  /**
   * Starts the worker now without waiting for it (it boots on its own thread while the caller goes
   * on), so that the first cat does not pay its start-up. A no-op once started or closed.
   */
  warmUp(): void;
  /** Stops the worker and closes its store. Idempotent. */
  close(): Promise<void>;
}

/** Bad reader options, or a reader used after close / whose worker died. */
export class SyncIpfsReaderError extends BaseError<{ field?: string; value?: unknown; reason: string }> {
  override readonly name = "SyncIpfsReaderError" as const;
  readonly code: "INVALID_OPTION" | "READER_CLOSED" | "WORKER_FAILED";
  readonly deterministic = false as const;
  constructor(code: SyncIpfsReaderError["code"], message: string, details: SyncIpfsReaderError["details"], options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

/** Request to the worker. */
export interface CatRequest {
  id: number;
  path: string;
  maxBytes: number;
}

/** Answer from the worker. */
export type CatResponse = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; code: string; message: string };

/**
 * Options of this process a worker must not be given: profiling and debugging, and V8's heap
 * sizing (process-wide flags Node refuses in a worker's execArgv; scripts/indexer-flags.ts).
 */
const NOT_FOR_WORKERS = /^--(cpu-prof|inspect|max-semi-space-size|max-old-space-size|heap-growing-percent)/;

/** Splits `/ipfs/<cid>/a/b`, `ipfs://<cid>/a/b` or `<cid>/a/b` into the CID and the inner path ("" for none). */
export function splitIpfsPath(input: string): { cid: string; path: string } {
  let s = input.trim();
  if (s.startsWith("ipfs://")) s = s.slice("ipfs://".length);
  else if (s.startsWith("/ipfs/")) s = s.slice("/ipfs/".length);
  const parts = s.split("/").filter((p) => p.length > 0);
  return { cid: parts[0] ?? "", path: parts.slice(1).join("/") };
}

function positiveInt(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new SyncIpfsReaderError("INVALID_OPTION", `createSyncIpfsReader: \`${field}\` must be a positive integer, got ${String(value)}`, { field, value, reason: "must be a positive integer" });
  }
  return value;
}

function workerEntry(): { file: string; execArgv: string[] } {
  const js = path.join(__dirname, "ipfs-sync-worker.js");
  if (existsSync(js)) return { file: js, execArgv: [] };
  // Running from TypeScript sources (ts-node): a JavaScript shim registers ts-node in the worker.
  return { file: path.join(__dirname, "ipfs-sync-worker-ts.js"), execArgv: [] };
}

export function createSyncIpfsReader(config: ContentStoreConfig, options: SyncIpfsReaderOptions = {}): SyncIpfsReader {
  const timeoutMs = positiveInt("timeoutMs", options.timeoutMs, 60_000);
  const maxBytes = positiveInt("maxBytes", options.maxBytes, 25 * 2 ** 20);
  const kind = (config as { kind?: unknown } | null)?.kind;
  if (kind !== "embedded" && kind !== "kubo") {
    throw new SyncIpfsReaderError("INVALID_OPTION", `createSyncIpfsReader: \`config.kind\` must be "embedded" or "kubo", got ${String(kind)}`, { field: "config.kind", value: kind, reason: 'must be "embedded" or "kubo"' });
  }
  // [0]: number of answers the worker has posted (the main thread waits for it to change);
  // [1]: 1 once the worker has opened its store (or failed to).
  const control = new Int32Array(new SharedArrayBuffer(8));
  let port: MessagePort | null = null;
  let worker: Worker | null = null;
  let failure: Error | null = null;
  let closed = false;
  let nextId = 0;

  /** The worker (its own V8 isolate + the store: ~100 MB under ts-node) starts on the first cat only, or on warmUp(). */
  const spawnWorker = (): MessagePort => {
    if (port) return port;
    const channel = new MessageChannel();
    const entry = workerEntry();
    worker = new Worker(entry.file, {
      execArgv: [...process.execArgv.filter((a) => !NOT_FOR_WORKERS.test(a)), ...entry.execArgv],
      workerData: { config, control: control.buffer, port: channel.port2 },
      transferList: [channel.port2 as unknown as MessagePort],
    });
    worker.unref();
    worker.on("error", (err) => {
      failure = err;
    });
    worker.on("exit", (code) => {
      if (!closed) failure ??= new Error(`IPFS reader worker exited with code ${code}`);
    });
    port = channel.port1;
    return port;
  };
  const start = (): MessagePort => {
    const port = spawnWorker();
    // Start-up (loading the store's modules) is not charged to the first request's timeout.
    const bootDeadline = Date.now() + Math.max(timeoutMs, 60_000);
    while (Atomics.load(control, 1) === 0 && !failure && Date.now() < bootDeadline) Atomics.wait(control, 1, 0, 200);
    return port;
  };

  const cat: IpfsReader = (link: string) => {
    if (closed) throw new SyncIpfsReaderError("READER_CLOSED", `ipfs.cat(${link}): the IPFS reader is closed`, { reason: "closed" });
    if (failure) throw new SyncIpfsReaderError("WORKER_FAILED", `ipfs.cat(${link}): the IPFS reader worker failed: ${(failure as Error).message}`, { reason: (failure as Error).message }, { cause: failure });
    const port = start();
    const id = ++nextId;
    const request: CatRequest = { id, path: link, maxBytes };
    port.postMessage(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(control, 0);
      // Drain answers: earlier (timed-out) requests' late answers are dropped.
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const res = m.message as CatResponse;
        if (res.id !== id) continue;
        if (res.ok) return res.bytes;
        options.onError?.(link, { code: res.code, message: res.message });
        return null;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        options.onError?.(link, { code: "IPFS_TIMEOUT", message: `ipfs.cat(${link}) timed out after ${timeoutMs} ms` });
        return null;
      }
      if (failure) throw new SyncIpfsReaderError("WORKER_FAILED", `ipfs.cat(${link}): the IPFS reader worker failed: ${(failure as Error).message}`, { reason: (failure as Error).message }, { cause: failure });
      // Wakes when the worker posts any answer (the counter changes) or after `left` ms; short
      // slices let a dead worker be noticed.
      Atomics.wait(control, 0, seen, Math.min(left, 1000));
    }
  };

  return {
    cat,
    get started() {
      return worker !== null;
    },
    warmUp() {
      if (!closed && !failure) spawnWorker();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!worker || !port) return;
      const w = worker;
      const exited = new Promise<void>((resolve) => (w.threadId === -1 ? resolve() : w.once("exit", () => resolve())));
      port.postMessage({ close: true });
      const timer = setTimeout(() => void w.terminate(), 5000);
      await exited;
      clearTimeout(timer);
      port.close();
    },
  };
}
