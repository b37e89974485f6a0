/**
 * The local chain of the demo stack: Hardhat's network on 127.0.0.1, made durable.
 *
 * Hardhat keeps its chain in memory only. The stack runs it in a process of its own
 * (chain-process.ts) behind a JSON-RPC endpoint (chain-rpc.ts) that appends every block — timestamp
 * and raw signed transactions — to a journal and fsyncs it before the call that mined it is
 * answered: what a client was told is done survives a crash. The next start replays the journal
 * into a node with the same genesis date; Hardhat is deterministic, so the replayed blocks have the
 * same hashes (checked block by block) and the on-disk index stays valid.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ChainProcessMessage } from "./chain-process";

export { ChainReplayError } from "./chain-process";
export { rawTransaction } from "./chain-rpc";
export type { JournalBlock } from "./journal";

export interface LocalChainOptions {
  /** Folder for the genesis date, the block journal and the chain's lock. */
  dataDir: string;
  host?: string;
  port: number;
  /** Web origins allowed to call the RPC (none by default: browsers are refused). */
  allowOrigins?: string[];
  /** Keep what replays of a broken journal and cut the rest (saved aside) instead of refusing to start. */
  repair?: boolean;
  /** Log lines go here (progress of the replay, repairs). */
  log?: (line: string) => void;
  /** Called with the child as soon as it is spawned, before anything can fail. */
  track?: (child: ChildProcess) => void;
  readyTimeoutMs?: number;
  /** How long to wait for the folder's lock while another live chain holds it (default 15 s: a restarting stack's old chain may still be exiting). */
  lockWaitMs?: number;
}

export interface ChainStartError extends Error {
  code: string;
}

export interface RunningChain {
  url: string;
  pid: number;
  fresh: boolean;
  replayed: number;
  head: number;
  repaired: Extract<ChainProcessMessage, { event: "ready" }>["repaired"];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the chain (SIGINT: it finishes the call in progress, closes the journal), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Starts the chain process and waits until it serves JSON-RPC (the journal replayed). */
export async function startLocalChain(o: LocalChainOptions): Promise<RunningChain> {
  const root = path.resolve(__dirname, "..", "..");
  const host = o.host ?? "127.0.0.1";
  const args = ["--data", o.dataDir, "--host", host, "--port", String(o.port)];
  if (o.allowOrigins && o.allowOrigins.length > 0) args.push("--allow-origin", o.allowOrigins.join(","));
  if (o.repair) args.push("--repair");
  if (o.lockWaitMs !== undefined) args.push("--lock-wait-ms", String(o.lockWaitMs));
  const child = fork(path.join(__dirname, "chain-process.ts"), args, {
    cwd: root,
    execArgv: ["-r", "ts-node/register/transpile-only"],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", TS_NODE_TRANSPILE_ONLY: "true" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // Its own process group: a terminal's Ctrl-C reaches the stack, which stops the parts in
    // order. It exits by itself when the stack goes away (the IPC channel closes).
    detached: true,
  });
  o.track?.(child);
  const log = o.log ?? (() => undefined);
  const stderr: string[] = [];
  child.stdout!.on("data", () => undefined);
  child.stderr!.on("data", (d: Buffer) => {
    stderr.push(String(d));
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const timeoutMs = o.readyTimeoutMs ?? 600_000;
  try {
    const ready = await new Promise<Extract<ChainProcessMessage, { event: "ready" }>>((resolve, reject) => {
      let lastError: { code: string; message: string } | null = null;
      const timer = setTimeout(() => reject(Object.assign(new Error(`the local chain did not start within ${timeoutMs} ms`), { code: "CHAIN_START_TIMEOUT" })), timeoutMs);
      child.on("message", (m: ChainProcessMessage) => {
        if (m.event === "log") log(m.line);
        else if (m.event === "error") {
          lastError = m;
          log(`chain: ${m.message}`);
        } else if (m.event === "ready") {
          clearTimeout(timer);
          resolve(m);
        }
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        const err = lastError as { code: string; message: string } | null;
        reject(
          Object.assign(new Error(err ? err.message : `the local chain exited (code ${code}, signal ${signal}) before serving: ${stderr.join("").trim()}`), {
            code: err ? err.code : "CHAIN_START_FAILED",
          }),
        );
      });
    });
    return { url: ready.url, pid: child.pid!, fresh: ready.fresh, replayed: ready.replayed, head: ready.head, repaired: ready.repaired, exited, stop };
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    throw err;
  }
}
