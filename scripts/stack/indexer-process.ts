/**
 * The embedded subgraph runtime as a child process of the stack (`scripts/indexer.ts`): it gets
 * a core of its own, and its WASM handlers and SQLite queries never hold up the API's event loop.
 * Warnings and errors it logs are passed on; SIGINT stops it cleanly (each block is atomic anyway).
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { INDEXER_NODE_FLAGS } from "../indexer-flags";
import { startChildPart, type ChildPart } from "./child";

export interface IndexerProcessOptions {
  rpcUrl: string;
  subgraphDir: string;
  dataDir: string;
  ipfsDir: string;
  name: string;
  port: number;
  statusPort: number;
  log: (line: string) => void;
  /** Called with the child as soon as it is spawned, before anything can fail. */
  track?: (child: ChildProcess) => void;
  /** How long to wait for the GraphQL endpoint to answer. */
  readyTimeoutMs?: number;
}

export type IndexerProcess = ChildPart;

export async function startIndexerProcess(o: IndexerProcessOptions): Promise<IndexerProcess> {
  const root = path.resolve(__dirname, "..", "..");
  const url = `http://127.0.0.1:${o.port}/subgraphs/name/${o.name}`;
  return startChildPart({
    part: "subgraph runtime",
    script: path.join(root, "scripts", "indexer.ts"),
    nodeFlags: INDEXER_NODE_FLAGS,
    args: [
      "--rpc", o.rpcUrl,
      "--subgraph", o.subgraphDir,
      "--data", o.dataDir,
      "--name", o.name,
      "--port", String(o.port),
      "--status-port", String(o.statusPort),
      "--reorg-threshold", "2",
      "--poll-interval", "200",
      "--ipfs-dir", o.ipfsDir,
      "--ipfs-timeout", "10000",
      "--progress-interval", "0",
    ],
    cwd: root,
    url,
    ready: async (signal) =>
      (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ _meta { block { number } } }" }), signal })).ok,
    onLine: (line) => {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        if (entry.level === "warn" || entry.level === "error") o.log(`indexer ${entry.level}: ${entry.msg}`);
      } catch {
        o.log(`indexer: ${line}`);
      }
    },
    track: o.track,
    readyTimeoutMs: o.readyTimeoutMs,
  });
}
