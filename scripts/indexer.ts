/**
 * `npm run indexer -- --rpc <url> --subgraph <dir> --data <dir> --port 8000`
 * Runs the embedded graph-node-compatible indexer until SIGINT/SIGTERM. Start it with the Node
 * flags of scripts/indexer-flags.ts (npm run indexer and the stack do).
 */
import { Command, InvalidArgumentError } from "commander";
import { contentStoreConfigOf } from "../core/content/config";
import { startIndexer } from "../subgraph/runtime/indexer";
import { lockFolder } from "./stack/lock";

function int(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got \`${v}\``);
    return n;
  };
}

async function main(): Promise<void> {
  const program = new Command()
    .name("indexer")
    .description("Index a built subgraph from a JSON-RPC endpoint and serve graph-node's GraphQL API")
    .requiredOption("--rpc <url>", "JSON-RPC endpoint")
    .requiredOption("--subgraph <dir>", "subgraph directory (with build/subgraph.yaml) or built manifest")
    .requiredOption("--data <dir>", "data directory")
    .option("--name <name>", "subgraph name (served at /subgraphs/name/<name>)")
    .option("--port <n>", "GraphQL port", int("--port"), 8000)
    .option("--status-port <n>", "index-node status port", int("--status-port"), 8030)
    .option("--reorg-threshold <n>", "blocks behind the head scanned by range (250 on public chains; 2 suits local chains)", int("--reorg-threshold"), 250)
    .option("--poll-interval <ms>", "chain head polling interval", int("--poll-interval"), 1000)
    .option("--max-range <n>", "largest eth_getLogs range", int("--max-range"), 2000)
    .option("--ipfs-dir <dir>", "embedded IPFS content store directory for ipfs.cat (default: $IPFS_DIR)")
    .option("--ipfs-url <url>", "Kubo RPC API URL for ipfs.cat (default: $IPFS_API_URL)")
    .option("--ipfs-timeout <ms>", "longest ipfs.cat may block before returning null", int("--ipfs-timeout"), 60_000)
    .option("--progress-interval <ms>", "progress log interval (0 = off)", int("--progress-interval"), 5000)
    .parse(process.argv);
  const o = program.opts<{ rpc: string; subgraph: string; data: string; name?: string; port: number; statusPort: number; reorgThreshold: number; pollInterval: number; maxRange: number; progressInterval: number; ipfsDir?: string; ipfsUrl?: string; ipfsTimeout: number }>();
  if (o.ipfsDir && o.ipfsUrl) program.error("error: --ipfs-dir and --ipfs-url are mutually exclusive");
  const ipfsUrl = o.ipfsUrl ?? (o.ipfsDir ? undefined : process.env.IPFS_API_URL?.trim() || undefined);
  const ipfsDir = o.ipfsDir ?? (ipfsUrl ? undefined : process.env.IPFS_DIR?.trim() || undefined);
  const ipfs = contentStoreConfigOf({ url: ipfsUrl, dir: ipfsDir, timeoutMs: o.ipfsTimeout });
  // Started by the stack with an IPC channel: stop when the stack goes away, however it died.
  let onParentGone: () => void = () => process.exit(0);
  if (process.send) process.once("disconnect", () => onParentGone());
  // One indexer per data folder (a previous one that is still exiting gets a moment to finish).
  const lock = await lockFolder(o.data, { purpose: "the subgraph runtime", waitMs: 15_000 });
  process.on("exit", () => lock.release());
  const indexer = await startIndexer({
    rpcUrl: o.rpc,
    subgraph: o.subgraph,
    dataDir: o.data,
    name: o.name,
    port: o.port,
    statusPort: o.statusPort,
    reorgThreshold: o.reorgThreshold,
    pollIntervalMs: o.pollInterval,
    maxRange: o.maxRange,
    progressIntervalMs: o.progressInterval,
    ipfs,
    ipfsOptions: { timeoutMs: o.ipfsTimeout },
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await indexer.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  onParentGone = () => void shutdown();
  await indexer.done;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
