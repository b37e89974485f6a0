/**
 * Writes a catch-up batch's blocks on a second thread while the indexer runs the next blocks'
 * handlers (graph-node store/postgres/src/writable.rs: the WritableStore queues a block's
 * modifications and a background writer commits them; `block_ptr()` already reports the queued
 * block). The SQLite writes of a block take about a fifth of the indexer's CPU, so on two cores
 * they overlap with the mappings instead of following them.
 *
 * The thread (block-writer-worker.ts) has its own connection to the store's file and runs the
 * batch in one transaction, like the store's own connection did (each block in a savepoint). The
 * calling thread posts requests and does not wait, except at `commit` and `sync`, where it blocks
 * on Atomics.wait until the thread has handled every request posted before, and then takes the
 * answer with receiveMessageOnPort. Until a batch commits, readers of other connections (GraphQL
 * queries included) see the store as before the batch; the indexer reads the batch's writes from
 * PendingWrites (pending.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { StoreError } from "./errors";
import type { BlockPtr, DynamicDataSource, EntityModification, FatalError, SubgraphError } from "./types";

/** What the writer thread is asked to do. */
export type WriterCommand =
  | { t: "begin" }
  | { t: "block"; block: BlockPtr; mods: EntityModification[]; dataSources: DynamicDataSource[]; errors: SubgraphError[] }
  | { t: "markSynced"; block: number }
  | { t: "fail"; block: BlockPtr; error: FatalError }
  | { t: "commit" }
  | { t: "sync" }
  | { t: "close" };
/** A command with its sequence number (one more per request). */
export type WriterRequest = WriterCommand & { seq: number };

/** The answer to `commit` and `sync`: the batch's first error (its block and every later request were not written). */
export interface WriterReply {
  seq: number;
  error: { name: string; code: string; message: string; details: Record<string, unknown> } | null;
}

/** A request the writer thread has not finished after this long means it is gone. */
const STALL_MS = 120_000;

function workerEntry(): string {
  const js = path.join(__dirname, "block-writer-worker.js");
  // Running from TypeScript sources (ts-node): a JavaScript shim registers ts-node in the worker.
  return existsSync(js) ? js : path.join(__dirname, "block-writer-worker-ts.js");
}

export class BlockWriter {
  /** [0]: seq of the last request the thread handled. */
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private seq = 0;
  private failure: Error | null = null;
  private closed = false;

  constructor(file: string, schemaSource: string, cacheKiB: number) {
    const channel = new MessageChannel();
    this.worker = new Worker(workerEntry(), {
      execArgv: process.execArgv.filter((a) => !a.startsWith("--cpu-prof") && !a.startsWith("--inspect")),
      workerData: { file, schemaSource, cacheKiB, control: this.control.buffer, port: channel.port2 },
      transferList: [channel.port2 as unknown as MessagePort],
    });
    this.worker.unref();
    this.worker.on("error", (err) => (this.failure = err));
    this.worker.on("exit", (code) => {
      if (!this.closed) this.failure ??= new Error(`the block writer thread exited with code ${code}`);
    });
    this.port = channel.port1;
  }

  private post(request: WriterCommand): number {
    if (this.closed) throw new StoreError("CLOSED", "the block writer is closed");
    this.check();
    const seq = ++this.seq;
    this.port.postMessage({ ...request, seq } as WriterRequest);
    return seq;
  }

  private check(): void {
    if (this.failure) throw new StoreError("WRITER_FAILED", `the block writer thread failed: ${this.failure.message}`, {}, { cause: this.failure });
  }

  /**
   * Blocks until request `seq` is answered; throws the batch's error as a StoreError. A blocked
   * thread gets no 'exit' event, so a writer that stops making progress for `STALL_MS` counts as
   * dead.
   */
  private wait(seq: number): void {
    let progress = Atomics.load(this.control, 0);
    let since = Date.now();
    for (;;) {
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const reply = m.message as WriterReply;
        if (reply.seq !== seq) continue;
        const e = reply.error;
        if (e) {
          // The store's own errors keep their code; anything else (SQLite's) is the writer's failure.
          if (e.name === "StoreError") throw new StoreError(e.code as StoreError["code"], e.message, e.details);
          throw new StoreError("WRITER_FAILED", `writing the batch failed: ${e.message}`, { ...e.details, code: e.code });
        }
        return;
      }
      this.check();
      const seen = Atomics.load(this.control, 0);
      if (seen !== progress) {
        progress = seen;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        this.failure = new Error(`no answer for ${STALL_MS / 1000} s`);
        this.check();
      }
      // Wakes when the thread finishes a request.
      if (seen < seq) Atomics.wait(this.control, 0, seen, 1000);
    }
  }

  begin(): void {
    this.post({ t: "begin" });
  }

  block(block: BlockPtr, mods: EntityModification[], dataSources: DynamicDataSource[], errors: SubgraphError[]): void {
    this.post({ t: "block", block, mods, dataSources, errors });
  }

  markSynced(block: number): void {
    this.post({ t: "markSynced", block });
  }

  fail(block: BlockPtr, error: FatalError): void {
    this.post({ t: "fail", block, error });
  }

  /** Waits until every request so far is written (in the open transaction); throws the batch's error. */
  sync(): void {
    this.wait(this.post({ t: "sync" }));
  }

  /** Commits the batch: the blocks before its first error, which is then thrown. */
  commit(): void {
    this.wait(this.post({ t: "commit" }));
  }

  /** Commits what is open and stops the thread. */
  close(): void {
    if (this.closed) return;
    if (!this.failure) {
      try {
        this.wait(this.post({ t: "close" }));
      } catch {
        // closing anyway; an error of the open batch was reported by its commit
      }
    }
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}
