/**
 * The embedded subgraph runtime as a child process of the stack (`scripts/indexer.ts`): it gets
 * a core of its own, and its WASM handlers and SQLite queries never hold up the API's event loop.
 * Warnings and errors it logs are passed on; SIGINT stops it cleanly (each block is atomic anyway).
 * It exits by itself when the stack goes away (its IPC channel closes), however the stack died.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { StackProcessError } from "./errors";

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

export interface IndexerProcess {
  url: string;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export async function startIndexerProcess(o: IndexerProcessOptions): Promise<IndexerProcess> {
  const root = path.resolve(__dirname, "..", "..");
  const child: ChildProcess = fork(
    path.join(root, "scripts", "indexer.ts"),
    [
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
    // Its own process group: a terminal's Ctrl-C reaches the stack, which stops it in order.
    { cwd: root, execArgv: ["-r", "ts-node/register/transpile-only"], stdio: ["ignore", "pipe", "pipe", "ipc"], detached: true },
  );
  o.track?.(child);
  const forward = (line: string) => {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if (entry.level === "warn" || entry.level === "error") o.log(`indexer ${entry.level}: ${entry.msg}`);
    } catch {
      if (line.trim() !== "") o.log(`indexer: ${line}`);
    }
  };
  readline.createInterface({ input: child.stdout! }).on("line", forward);
  readline.createInterface({ input: child.stderr! }).on("line", forward);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${o.port}/subgraphs/name/${o.name}`;
  const stop = async () => {
    if (gone()) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const timeoutMs = o.readyTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone()) throw new StackProcessError("subgraph runtime", url, "exited", `the subgraph runtime exited (code ${child.exitCode}, signal ${child.signalCode}) before serving ${url}`);
    try {
      // Bounded: whatever else holds the port may never answer.
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ _meta { block { number } } }" }), signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new StackProcessError("subgraph runtime", url, "timeout", `the subgraph runtime did not serve ${url} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid!, exited, stop };
}
