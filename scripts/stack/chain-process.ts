/**
 * The local chain as a process of its own (started by scripts/stack/chain.ts): Hardhat's network
 * (EDR) in this process, the journal replayed into it, and the JSON-RPC endpoint of chain-rpc.ts.
 *
 *   node -r ts-node/register/transpile-only scripts/stack/chain-process.ts \
 *     --data <dir> --port <n> [--host 127.0.0.1] [--allow-origin <origin,…>] [--repair] [--lock-wait-ms <ms>]
 *
 * It holds `<dir>/.lock` while it runs (waiting a little for a previous chain process that is
 * still exiting). Started with an IPC channel, it reports {event: "ready" | "log" | "error"}
 * there and exits when its parent goes away, even if the parent was killed with SIGKILL.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ChainRpc, type Eip1193 } from "./chain-rpc";
import { isCall, JournalWriter, readJournal, truncateJournalFile, type JournalContents } from "./journal";
import { lockFolder } from "./lock";
import { BaseError } from "../../core/errors";

export interface ChainProcessArgs {
  data: string;
  host: string;
  port: number;
  allowOrigins: string[];
  repair: boolean;
  /** How long to wait for the folder's lock while another live process holds it (--lock-wait-ms). */
  lockWaitMs: number;
}

export type ChainProcessMessage =
  | { event: "ready"; url: string; fresh: boolean; replayed: number; head: number; repaired: { keptEntries: number; discardedFile: string | null; reason: string } | null }
  | { event: "log"; line: string }
  | { event: "error"; code: string; message: string };

export class ChainReplayError extends BaseError<{ blockNumber: number; expectedHash: string; actualHash: string }> {
  override readonly name = "ChainReplayError" as const;
  readonly code = "CHAIN_REPLAY_MISMATCH" as const;
  constructor(
    readonly blockNumber: number,
    readonly expectedHash: string,
    readonly actualHash: string,
  ) {
    super(
      `replaying the chain journal produced block ${blockNumber} with hash ${actualHash}, expected ${expectedHash}; ` +
        `start with --repair to keep the blocks before it and re-index, or --reset to begin a new local chain`,
      { blockNumber, expectedHash, actualHash },
    );
  }
}

const send = (message: ChainProcessMessage) => {
  if (process.send) process.send(message);
  else process.stdout.write(JSON.stringify(message) + "\n");
};
const log = (line: string) => send({ event: "log", line });

function parseArgs(argv: string[]): ChainProcessArgs {
  const out: ChainProcessArgs = { data: "", host: "127.0.0.1", port: 8545, allowOrigins: [], repair: false, lockWaitMs: 15_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--data") out.data = value();
    else if (a === "--host") out.host = value();
    else if (a === "--port") out.port = Number(value());
    else if (a === "--allow-origin") out.allowOrigins.push(...value().split(",").map((s) => s.trim()).filter(Boolean));
    else if (a === "--repair") out.repair = true;
    else if (a === "--lock-wait-ms") out.lockWaitMs = Number(value());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!out.data) throw new Error("--data <dir> is required");
  if (!Number.isInteger(out.lockWaitMs) || out.lockWaitMs < 0) throw new Error(`--lock-wait-ms must be a whole number of milliseconds, got ${out.lockWaitMs}`);
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`--port must be a port number, got ${out.port}`);
  return out;
}

/** Replays entries into the node; returns the index of the first entry that does not replay, or null. */
async function replayEntries(provider: Eip1193, contents: JournalContents, upTo: number): Promise<{ failedAt: number; error: Error } | null> {
  if (upTo === 0) return null;
  await provider.request({ method: "evm_setAutomine", params: [false] });
  const started = Date.now();
  try {
    for (let i = 0; i < upTo; i++) {
      const entry = contents.entries[i]!;
      try {
        if (isCall(entry)) {
          await provider.request({ method: entry.call.method, params: entry.call.params });
          continue;
        }
        for (const raw of entry.txs) await provider.request({ method: "eth_sendRawTransaction", params: [raw] });
        await provider.request({ method: "evm_mine", params: [entry.timestamp] });
        const mined = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { hash: string };
        if (mined.hash !== entry.hash) return { failedAt: i, error: new ChainReplayError(entry.number, entry.hash, mined.hash) };
      } catch (err) {
        return { failedAt: i, error: new Error(`replaying journal entry ${i + 1} failed: ${(err as Error).message}`) };
      }
      if ((i + 1) % 500 === 0) log(`chain: replayed ${i + 1}/${upTo} journal entries (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  } finally {
    await provider.request({ method: "evm_setAutomine", params: [true] });
  }
  return null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // The parent (the stack) went away, however it died: stop at once. Every acknowledged block is
  // already in the journal.
  if (process.send) process.on("disconnect", () => process.exit(0));
  fs.mkdirSync(args.data, { recursive: true });
  const lock = await lockFolder(args.data, { purpose: "the local chain", waitMs: args.lockWaitMs });
  process.on("exit", () => lock.release());
  if (lock.tookOverFrom) log(`chain: took over the lock of a chain process that is gone (pid ${lock.tookOverFrom.pid})`);

  const genesisFile = path.join(args.data, "genesis.json");
  const journalFile = path.join(args.data, "journal.ndjson");
  const fresh = !fs.existsSync(genesisFile);
  if (fresh) {
    // Whole seconds: the genesis date must survive a round trip through the config unchanged.
    const initialDate = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    fs.writeFileSync(journalFile, "");
    const tmp = `${genesisFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ initialDate }, null, 2) + "\n");
    fs.renameSync(tmp, genesisFile);
  }
  const { initialDate } = JSON.parse(fs.readFileSync(genesisFile, "utf8")) as { initialDate: string };

  // Hardhat's network, configured by hardhat.config.ts with the pinned genesis date.
  process.env.TANTIEME_CHAIN_INITIAL_DATE = initialDate;
  process.env.HARDHAT_NETWORK = "hardhat";
  process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = "true";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hre = require("hardhat") as { network: { provider: Eip1193 } };
  const provider = hre.network.provider;

  let contents = readJournal(journalFile);
  if (contents.tornBytes > 0) {
    // A crash while an entry was being written: it was never acknowledged.
    truncateJournalFile(journalFile, contents.offsets[contents.offsets.length - 1]!);
    log(`chain: dropped a torn last journal line (${contents.tornBytes} bytes, never acknowledged)`);
  }
  let repaired: Extract<ChainProcessMessage, { event: "ready" }>["repaired"] = null;
  if (contents.corrupt && !args.repair) {
    throw Object.assign(new Error(`${contents.corrupt.message}; start with --repair to keep the ${contents.entries.length} entries before it and re-index, or --reset to begin a new local chain`), { code: contents.corrupt.code });
  }
  const failure = await replayEntries(provider, contents, contents.entries.length);
  let keep = contents.entries.length;
  if (failure) {
    if (!args.repair) throw failure.error;
    keep = failure.failedAt;
    repaired = { keptEntries: keep, discardedFile: null, reason: failure.error.message };
  } else if (contents.corrupt) {
    repaired = { keptEntries: keep, discardedFile: null, reason: contents.corrupt.message };
  }
  if (repaired) {
    repaired.discardedFile = truncateJournalFile(journalFile, contents.offsets[keep]!);
    log(`chain: repair: kept ${keep} journal entries; the rest (${repaired.reason}) is saved in ${repaired.discardedFile}`);
    if (failure) {
      // The node holds the entry that failed: start it afresh and replay what is kept.
      await provider.request({ method: "hardhat_reset", params: [] });
      contents = readJournal(journalFile);
      const again = await replayEntries(provider, contents, contents.entries.length);
      if (again) throw again.error;
    }
  }
  const replayed = contents.entries.filter((e) => !isCall(e)).length;
  if (replayed > 0) log(`chain: replayed ${replayed} blocks from the journal`);

  // Bring the chain clock to wall-clock time: the node's clock started at the genesis date.
  const latest = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; timestamp: string };
  const lag = Math.floor(Date.now() / 1000) - Number(latest.timestamp);
  if (lag > 0) await provider.request({ method: "evm_increaseTime", params: [lag] });
  const head = Number(latest.number);

  const journal = new JournalWriter(journalFile);
  const hosts = [args.host, "127.0.0.1", "localhost", "[::1]"].map((h) => `${h}:${args.port}`.toLowerCase());
  let server: http.Server | null = null;
  const rpc: ChainRpc = new ChainRpc({
    provider,
    journal,
    journaledHead: head,
    hosts,
    allowOrigins: args.allowOrigins,
    log,
    onJournalFailure: (err) => {
      send({ event: "error", code: "CHAIN_JOURNAL_WRITE_FAILED", message: `could not write the chain journal: ${err.message}` });
      setTimeout(() => process.exit(1), 100);
    },
  });
  server = http.createServer(rpc.handle);
  // Longer than clients keep idle connections (undici: 4 s), so a client never reuses a socket the
  // server is closing at that very moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server!.once("error", reject);
    server!.listen(args.port, args.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  // The port may have been 0 (tests): answer to it too.
  hosts.push(...[args.host, "127.0.0.1", "localhost", "[::1]"].map((h) => `${h}:${port}`.toLowerCase()));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server!.close();
    server!.closeIdleConnections();
    await rpc.drain();
    journal.close();
    lock.release();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  send({ event: "ready", url: `http://${args.host}:${port}`, fresh, replayed, head, repaired });
}

if (require.main === module) {
  main().catch((err: Error & { code?: string }) => {
    send({ event: "error", code: err.code ?? "CHAIN_START_FAILED", message: err.message });
    process.exitCode = 1;
    // Let the IPC message go out before exiting.
    setTimeout(() => process.exit(1), 100);
  });
}
