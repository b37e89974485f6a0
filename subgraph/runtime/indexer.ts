/**
 * The embedded indexer: manifest + SQLite entity store + chain follower + GraphQL query server,
 * wired together. `startIndexer` is what `npm run indexer` runs; tests call it in-process.
 */
import path from "node:path";
import type { ContentStoreConfig } from "../../core/content/types";
import { createSyncIpfsReader, type SyncIpfsReader, type SyncIpfsReaderOptions } from "./host/ipfs-sync";
import type { IpfsReader } from "./host/module";
import { ChainFollower } from "./ingest/follower";
import { ChainRpc } from "./ingest/rpc";
import { loadManifest, type Manifest } from "./manifest";
import { startQueryServer, type QueryServer } from "./http";
import { openStore, type SqliteEntityStore } from "./store";

export interface IndexerOptions {
  rpcUrl: string;
  /** Subgraph directory (with build/subgraph.yaml) or a built manifest file. */
  subgraph: string;
  /** Data directory (the SQLite database lives here). */
  dataDir: string;
  /** Subgraph name served at /subgraphs/name/<name>. Default: the subgraph directory's name. */
  name?: string;
  /** GraphQL port (0 = any free port, null = no server). Default 8000. */
  port?: number | null;
  /** Index-node status port. Default 8030 (null = none). */
  statusPort?: number | null;
  reorgThreshold?: number;
  pollIntervalMs?: number;
  maxRange?: number;
  /** Synchronous IPFS reader for ipfs.cat: bytes of a CID (or CID/path), null if unknown. */
  ipfsCat?: IpfsReader | null;
  /**
   * Content store to read ipfs.cat from when `ipfsCat` is not given: a worker-backed synchronous
   * reader (createSyncIpfsReader) is opened on it and closed by stop().
   */
  ipfs?: ContentStoreConfig | null;
  ipfsOptions?: SyncIpfsReaderOptions;
  /** Progress log interval, ms (0 = none). Default 5000. */
  progressIntervalMs?: number;
  log?: (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
}

export interface Indexer {
  manifest: Manifest;
  store: SqliteEntityStore;
  follower: ChainFollower;
  server: QueryServer | null;
  /** Resolves when the follower stops (stop() or a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startIndexer(opts: IndexerOptions): Promise<Indexer> {
  const log = opts.log ?? ((level, message, fields) => console.log(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })));
  const manifest = loadManifest(opts.subgraph);
  const network = manifest.dataSources[0].network;
  const startBlock = Math.min(...manifest.dataSources.map((d) => d.startBlock));
  const name = opts.name ?? path.basename(path.resolve(opts.subgraph).replace(/\/build\/subgraph\.yaml$|\/subgraph\.yaml$/, ""));
  const store = openStore({ dir: opts.dataDir, schema: manifest.schema, deploymentId: name, network, startBlock });
  let rpc: ChainRpc;
  try {
    rpc = await ChainRpc.connect(opts.rpcUrl);
  } catch (err) {
    store.close();
    throw err;
  }
  const ipfsReader: SyncIpfsReader | null =
    !opts.ipfsCat && opts.ipfs
      ? createSyncIpfsReader(opts.ipfs, {
          ...opts.ipfsOptions,
          onError: opts.ipfsOptions?.onError ?? ((p, e) => log("info", "Failed ipfs.cat, returning `null`", { link: p, error: e.message, code: e.code })),
        })
      : null;
  // When a mapping calls ipfs.cat, its worker boots now on its own thread (overlapping the rest of
  // the start-up) instead of blocking the first handler that reads a file.
  const mapped = [...manifest.dataSources, ...manifest.templates];
  if (ipfsReader && mapped.some((d) => d.mapping.module.importsHostFunction("ipfs.cat"))) {
    ipfsReader.warmUp();
  }
  for (const d of mapped) {
    if (d.mapping.module.restorable) continue;
    log("warn", `the mapping of \`${d.name}\` gets a new WebAssembly instance for every call: its instance cannot be restored between calls (asc/snapshot.ts: the allocator is not AssemblyScript's stub runtime, which graph-cli builds with), so indexing is slower`, {
      dataSource: d.name,
      file: d.mapping.module.file,
    });
  }
  const follower = new ChainFollower({
    manifest,
    store,
    rpc,
    reorgThreshold: opts.reorgThreshold,
    pollIntervalMs: opts.pollIntervalMs,
    maxRange: opts.maxRange,
    ipfsCat: opts.ipfsCat ?? ipfsReader?.cat ?? null,
    log,
  });
  const server =
    opts.port === null
      ? null
      : await startQueryServer({
          store,
          name,
          port: opts.port ?? 8000,
          statusPort: opts.statusPort === null ? undefined : (opts.statusPort ?? 8030),
          chainHead: () => (follower.stats.chainHeadHash === null ? null : { number: follower.stats.chainHead, hash: follower.stats.chainHeadHash }),
        });
  if (server) log("info", `serving ${server.url}`, { statusUrl: server.statusUrl });

  let last = { t: Date.now(), blocks: 0, events: 0 };
  const interval = opts.progressIntervalMs ?? 5000;
  const timer = interval > 0
    ? setInterval(() => {
        const now = Date.now();
        const s = follower.stats;
        const dt = (now - last.t) / 1000;
        log("info", "progress", {
          head: s.head,
          chainHead: s.chainHead,
          headDistance: s.head === null ? null : s.chainHead - s.head,
          blocksPerSec: Number(((s.blocks - last.blocks) / dt).toFixed(1)),
          eventsPerSec: Number(((s.events - last.events) / dt).toFixed(1)),
          rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
          reorgs: s.reorgs,
          retries: s.retries,
        });
        last = { t: now, blocks: s.blocks, events: s.events };
      }, interval)
    : null;
  timer?.unref();

  const done = follower.start();
  let stopped = false;
  return {
    manifest,
    store,
    follower,
    server,
    done,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      await follower.stop();
      await server?.close();
      rpc.destroy();
      await ipfsReader?.close();
      store.close();
    },
  };
}
