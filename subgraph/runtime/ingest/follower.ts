/**
 * Follows a chain over JSON-RPC (graph-node's polling block stream,
 * chain/ethereum/src/polling_block_stream.rs): from the stored head (or min(startBlock) − 1),
 * eth_getLogs over adaptive ranges up to head − reorgThreshold, then block by block near the head,
 * checking each block's parentHash against the stored head hash and reverting to the common
 * ancestor on a mismatch. Every block commits atomically with its pointer, so a restart (or a
 * kill -9) resumes exactly where the store stopped. RPC failures retry with backoff.
 */
import type { IpfsReader, MappingLogger } from "../host/module";
import type { Manifest } from "../manifest";
import type { BlockPtr, EntityStore } from "../store/types";
import { BlockProcessor, blockPtr, staticDataSource, templateDataSource, type ActiveDataSource } from "./processor";
import type { ChainRpc, RpcBlock, RpcLog } from "./rpc";

export interface FollowerOptions {
  manifest: Manifest;
  store: EntityStore;
  rpc: ChainRpc;
  /** Blocks behind the chain head below which ranges are scanned with eth_getLogs. Default 250 (use ~2 for local chains). */
  reorgThreshold?: number;
  /** Head polling interval, ms. Default 1000 (200 for local chains). */
  pollIntervalMs?: number;
  /** Largest eth_getLogs range. Default 2000. */
  maxRange?: number;
  /** Target triggers per range (range size adapts toward it). Default 500. */
  targetTriggersPerRange?: number;
  /**
   * While catching up, consecutive ranges share one store transaction until it holds this many
   * events (or `batchMaxMs` passed). Default 10,000. Each block stays all-or-nothing with its pointer.
   */
  batchEvents?: number;
  /** Longest a catch-up store transaction stays open, ms. Default 2000. */
  batchMaxMs?: number;
  ipfsCat?: IpfsReader | null;
  log?: (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
  /** Called after every committed block. */
  onBlock?: (info: { ptr: BlockPtr; events: number; chainHead: number }) => void;
}

export interface FollowerStats {
  blocks: number;
  events: number;
  chainHead: number;
  /** Hash of the latest chain head seen (null before the first poll). */
  chainHeadHash: string | null;
  head: number | null;
  reorgs: number;
  retries: number;
  /** Milliseconds spent waiting for range data (eth_getLogs + blocks) not already prefetched. */
  rpcWaitMs: number;
}

interface RangeData {
  from: number;
  to: number;
  /** Block numbers with matching logs, ascending. */
  numbers: number[];
  byBlock: Map<number, RpcLog[]>;
  /** The blocks of `numbers` (with transactions) and `to` (header only when it has no logs). */
  blocks: Map<number, RpcBlock>;
  logCount: number;
}

type Prefetch = { from: number; to: number; key: string; data: Promise<{ ok: true; value: RangeData } | { ok: false; error: unknown }> };

export class ChainFollower {
  readonly stats: FollowerStats = { blocks: 0, events: 0, chainHead: 0, chainHeadHash: null, head: null, reorgs: 0, retries: 0, rpcWaitMs: 0 };
  private readonly processor: BlockProcessor;
  private stopped = false;
  private running: Promise<void> | null = null;
  /**
   * Blocks in the next eth_getLogs range. A slow start, as graph-node's block stream: one block
   * first, then at most twice the last range and about targetTriggersPerRange logs, so the first
   * request of a dense backlog does not hold all of its logs in memory at once.
   */
  private range = 1;
  private prefetched: Prefetch | null = null;
  private wake: (() => void) | null = null;
  /** The open catch-up store transaction (see FollowerOptions.batchEvents), or null. */
  private batch: { events: number; started: number } | null = null;
  private readonly log: NonNullable<FollowerOptions["log"]>;

  constructor(private readonly opts: FollowerOptions) {
    this.log = opts.log ?? (() => {});
    const active: ActiveDataSource[] = opts.manifest.dataSources.map(staticDataSource);
    for (const d of opts.store.dynamicDataSources()) {
      const t = opts.manifest.templates.find((x) => x.name === d.template);
      if (t) active.push(templateDataSource(t, d));
    }
    const mappingLog: MappingLogger = (level, message, fields) => this.log(level === "critical" ? "error" : level === "warning" ? "warn" : level, message, fields);
    this.processor = new BlockProcessor(opts.manifest, opts.store, active, {
      log: mappingLog,
      ipfsCat: opts.ipfsCat ?? null,
      fetchLogs: (blockHash, addresses, topics) => opts.rpc.logs({ blockHash, address: addresses, topics: [topics] }),
      fetchReceipt: (hash) => opts.rpc.receipt(hash),
    });
  }

  get startBlock(): number {
    return Math.min(...this.opts.manifest.dataSources.map((d) => d.startBlock));
  }

  /** Start following in the background; resolves when stopped or failed. */
  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    try {
      await this.running;
    } finally {
      this.closeBatch();
    }
  }

  /** Commits the open catch-up transaction, if any. */
  private closeBatch(): void {
    if (!this.batch) return;
    this.batch = null;
    this.opts.store.endBatch();
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = null;
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      if (this.opts.store.state().fatalError) {
        this.log("error", "subgraph failed; indexing stopped", { error: this.opts.store.state().fatalError });
        return;
      }
      try {
        const progressed = await this.step();
        backoff = 100;
        if (!progressed) {
          this.closeBatch();
          await this.pause(this.opts.pollIntervalMs ?? 1000);
        }
      } catch (err) {
        this.closeBatch();
        if ((err as { deterministic?: boolean }).deterministic === true) throw err;
        this.stats.retries++;
        this.log("warn", `retrying after error: ${(err as Error).message}`, { backoffMs: backoff });
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private filter(): { address?: string[]; topics: string[][] } {
    const f = this.processor.filter();
    return f.addresses === null ? { topics: [f.topics] } : { address: f.addresses, topics: [f.topics] };
  }

  /** One unit of work; false when caught up (nothing to do until the next poll). */
  async step(): Promise<boolean> {
    const store = this.opts.store;
    const latest = await this.opts.rpc.latestBlock();
    const chainHead = Number(latest.number);
    this.stats.chainHead = chainHead;
    this.stats.chainHeadHash = latest.hash.toLowerCase();
    const head = store.state().head;
    const headNumber = head?.number ?? this.startBlock - 1;
    const threshold = this.opts.reorgThreshold ?? 250;
    if (headNumber >= chainHead) {
      if (head) await this.checkMainChain(head);
      return false;
    }
    if (chainHead - headNumber > threshold) {
      if (head && !(await this.checkMainChain(head))) return true;
      return this.scanRange(headNumber + 1, chainHead - threshold, chainHead);
    }
    return this.nextBlock(head, headNumber + 1, chainHead);
  }

  /** Whether `head` is still on the main chain; if not, reverts to the common ancestor. */
  private async checkMainChain(head: BlockPtr): Promise<boolean> {
    const b = await this.opts.rpc.block(head.number, false);
    if (b && b.hash.toLowerCase() === head.hash) return true;
    await this.revertToAncestor(head);
    return false;
  }

  /**
   * Finds the common ancestor of the stored chain and the node's chain, then reverts one block at a
   * time like graph-node (Revert(parent(ptr)) per block: each step is its own transaction and bumps
   * the reorg count), dropping the data sources created in each reverted block.
   */
  private async revertToAncestor(head: BlockPtr): Promise<void> {
    this.closeBatch();
    const store = this.opts.store;
    let n = head.number - 1;
    let ancestor: RpcBlock | null = null;
    while (n >= this.startBlock - 1 && n >= 0) {
      const onChain = await this.opts.rpc.block(n, false);
      const stored = store.blockHash(n);
      if (onChain && (stored === null ? n < this.startBlock : onChain.hash.toLowerCase() === stored)) {
        ancestor = onChain;
        break;
      }
      n--;
    }
    if (!ancestor) throw new Error(`no common ancestor found below block ${head.number}`);
    const to = blockPtr(ancestor);
    this.prefetched = null;
    this.log("warn", `reorg: reverting from block ${head.number} to ${to.number}`, { from: head.hash, to: to.hash });
    for (let b = head.number - 1; b >= to.number; b--) {
      // The parent of the current head: stored (it may be on the abandoned branch too) or, at the ancestor, the chain's.
      const parent = b === to.number ? to : (this.storedPtr(b) ?? to);
      store.revertTo(parent);
      this.stats.reorgs++;
      const keep = this.processor.dataSources.filter((d) => d.template === null || d.startBlock <= parent.number);
      this.processor.dataSources.splice(0, this.processor.dataSources.length, ...keep);
      if (parent === to) break;
    }
    this.stats.head = to.number;
  }

  private storedPtr(n: number): BlockPtr | null {
    return this.opts.store.blockByNumber(n);
  }

  /** eth_getLogs over [from, to], then the blocks with matching logs (and `to`) in one JSON-RPC batch. */
  private async fetchRange(from: number, to: number, filter: { address?: string[]; topics: string[][] }): Promise<RangeData> {
    const logs = (await this.opts.rpc.logs({ fromBlock: from, toBlock: to, ...filter })).filter((l) => !l.removed);
    const byBlock = new Map<number, RpcLog[]>();
    for (const l of logs) {
      const n = Number(l.blockNumber);
      let list = byBlock.get(n);
      if (!list) byBlock.set(n, (list = []));
      list.push(l);
    }
    const numbers = [...byBlock.keys()].sort((a, b) => a - b);
    const hex = (n: number) => `0x${n.toString(16)}`;
    const requests = numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), true] }));
    if (!byBlock.has(to)) requests.push({ method: "eth_getBlockByNumber", params: [hex(to), false] });
    const fetched = await this.opts.rpc.batch<RpcBlock | null>(requests);
    const blocks = new Map<number, RpcBlock>();
    for (let i = 0; i < requests.length; i++) {
      const n = i < numbers.length ? numbers[i] : to;
      const b = fetched[i];
      if (!b) throw new Error(`block ${n} not found during the scan of [${from}, ${to}]`);
      blocks.set(n, b);
    }
    return { from, to, numbers, byBlock, blocks, logCount: logs.length };
  }

  private filterKey(filter: { address?: string[]; topics: string[][] }): string {
    return JSON.stringify(filter);
  }

  private startPrefetch(from: number, to: number, filter: { address?: string[]; topics: string[][] }): void {
    const data = this.fetchRange(from, to, filter).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    this.prefetched = { from, to, key: this.filterKey(filter), data };
  }

  private async scanRange(from: number, limit: number, chainHead: number): Promise<boolean> {
    const maxRange = this.opts.maxRange ?? 2000;
    const filter = this.filter();
    const key = this.filterKey(filter);
    let to = Math.min(limit, from + this.range - 1);
    let range: RangeData;
    const waitStart = performance.now();
    try {
      const pre = this.prefetched;
      this.prefetched = null;
      if (pre && pre.from === from && pre.key === key && pre.to <= limit) {
        to = pre.to;
        const r = await pre.data;
        if (!r.ok) throw r.error;
        range = r.value;
      } else {
        range = await this.fetchRange(from, to, filter);
      }
    } catch (err) {
      if (to > from) {
        // "too many logs" and similar: retry with a tenth of the range.
        this.range = Math.max(1, Math.floor((to - from + 1) / 10));
        this.log("warn", `eth_getLogs [${from}, ${to}] failed; shrinking range to ${this.range}`, { error: (err as Error).message });
        return true;
      }
      throw err;
    }
    this.stats.rpcWaitMs += performance.now() - waitStart;
    const target = this.opts.targetTriggersPerRange ?? 500;
    const size = to - from + 1;
    // At most double the range: after sparse blocks a tenfold jump (graph-node's) can land a dense
    // backlog's ~100 blocks of logs in one response, all of it in memory at once.
    this.range = Math.max(1, Math.min(maxRange, size * 2, Math.floor((size * target) / Math.max(1, range.logCount))));
    // Fetch the next range while this one is processed (RPC latency overlaps WASM and SQLite work).
    if (to < limit) this.startPrefetch(to + 1, Math.min(limit, to + this.range), filter);
    // Consecutive ranges commit in one store transaction (each block still all-or-nothing with its
    // pointer, a savepoint inside it; a crash rolls back to the block before the transaction) until
    // it holds batchEvents events or is batchMaxMs old: at ~1 block per range near a large backlog,
    // a COMMIT (and WAL checkpoint) per range cost more than the blocks' own writes.
    const store = this.opts.store;
    if (!this.batch) {
      store.beginBatch();
      this.batch = { events: 0, started: performance.now() };
    }
    let keepOpen = false;
    try {
      for (const n of range.numbers) {
        if (this.stopped) return true;
        const block = range.blocks.get(n)!;
        const list = range.byBlock.get(n)!;
        if (list.some((l) => l.blockHash.toLowerCase() !== block.hash.toLowerCase())) {
          this.prefetched = null;
          throw new Error(`block ${n} changed during the scan (reorg); rescanning`);
        }
        const result = await this.commit(block, list, chainHead);
        this.batch.events += list.length;
        // Let the event loop run between blocks: a range already fetched resolves in microtasks
        // only, and without this queries, the status API and progress logs wait for the whole range.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (result === "stop") return true;
        if (result === "created") {
          // New data sources: rescan from the next block with the wider filter.
          this.prefetched = null;
          return true;
        }
      }
      // Move the pointer to the end of the range (empty tail blocks), so a restart does not rescan it.
      const head = this.opts.store.state().head;
      if (!head || head.number < to) await this.commit(range.blocks.get(to)!, [], chainHead);
      keepOpen =
        to < limit && this.batch.events < (this.opts.batchEvents ?? 10_000) && performance.now() - this.batch.started < (this.opts.batchMaxMs ?? 2000);
      return true;
    } finally {
      // Blocks that committed stay committed, also when a later one failed.
      if (!keepOpen) this.closeBatch();
    }
  }

  private async nextBlock(head: BlockPtr | null, n: number, chainHead: number): Promise<boolean> {
    this.closeBatch();
    const block = await this.opts.rpc.block(n, true);
    if (!block) return false;
    if (head && block.parentHash.toLowerCase() !== head.hash) {
      await this.revertToAncestor(head);
      return true;
    }
    const logs = await this.opts.rpc.logs({ blockHash: block.hash, ...this.filter() });
    await this.commit(block, logs.filter((l) => !l.removed), chainHead);
    return true;
  }

  private async commit(block: RpcBlock, logs: RpcLog[], chainHead: number): Promise<"ok" | "created" | "stop"> {
    const result = await this.processor.process({ block, logs });
    this.stats.blocks++;
    this.stats.events += result.events;
    this.stats.head = result.ptr.number;
    if (result.failed) {
      this.log("error", `deterministic error at block ${result.ptr.number} in ${result.failed.handler}: ${result.failed.message}`);
      this.stopped = true;
      return "stop";
    }
    for (const e of result.errors) this.log("error", `non-fatal error at block ${result.ptr.number} in ${e.handler}: ${e.message} (handler skipped)`);
    if (chainHead - result.ptr.number <= 10 && this.opts.store.state().syncedAt === null) this.opts.store.markSynced(result.ptr.number);
    this.opts.onBlock?.({ ptr: result.ptr, events: result.events, chainHead });
    return result.created.length ? "created" : "ok";
  }
}
