/**
 * What every benchmark script needs: a free port on 127.0.0.1, JSON-RPC batches to a chain, a
 * process's memory and CPU time, percentiles and medians of timings, the process's exit code from
 * its `main`, and the indexer process the indexing benchmarks start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** A port on 127.0.0.1 that was free a moment ago (the benchmark binds it next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** One JSON-RPC batch; the results in the order of `calls`; the first error thrown, naming its method. */
export async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[], timeoutMs = 120_000): Promise<unknown[]> {
  const res = await fetch(url, {
    method: "POST",
    signal: AbortSignal.timeout(timeoutMs),
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: i, ...c }))),
  });
  const out = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  out.sort((a, b) => a.id - b.id);
  for (const r of out) if (r.error) throw new Error(`${calls[r.id]!.method}: ${r.error.message}`);
  return out.map((r) => r.result);
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Runs a benchmark's main: exit 0 when it resolves, the error and exit 1 when it throws. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** A process's resident memory from /proc (Linux), in MB with one decimal: now (VmRSS) and its peak so far (VmHWM). */
export function processMemoryMb(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (key: string) => Math.round((Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024) * 10) / 10;
  return { rssMb: mb("VmRSS"), hwmMb: mb("VmHWM") };
}

/** A process's CPU time so far (user + system, Linux /proc), in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** An indexer process started by a benchmark (`scripts/indexer.ts` of `checkout`). */
export interface BenchIndexer {
  child: ChildProcess;
  /** When its chain follower started (Date.now()) and the process's CPU seconds then; 0 before. */
  readonly following: { at: number; cpuSeconds: number };
  readonly exited: boolean;
}

/** The Node flags `checkout` starts its indexer with (its scripts/indexer-flags.ts; none before that file existed). */
function indexerNodeFlags(checkout: string): readonly string[] {
  const file = path.join(path.resolve(checkout), "scripts", "indexer-flags.ts");
  return fs.existsSync(file) ? (require(file) as { INDEXER_NODE_FLAGS: readonly string[] }).INDEXER_NODE_FLAGS : [];
}

/**
 * Starts `scripts/indexer.ts` of `checkout` on an empty data folder, as bench:index and
 * bench:index:replay do. The indexer logs "serving <url>" once its server listens, right before its
 * chain follower starts: `following` is set then. For both benchmarks, BENCH_CPU_PROF=<dir> makes
 * the indexer write a V8 CPU profile there when it stops, and BENCH_VERBOSE=1 prints its log with
 * a progress line every second.
 */
export function spawnBenchIndexer(o: {
  checkout: string;
  rpc: string;
  subgraph: string;
  ipfsDir: string;
  dataDir: string;
  port: number;
  statusPort?: number;
}): BenchIndexer {
  const prof = process.env.BENCH_CPU_PROF;
  const verbose = Boolean(process.env.BENCH_VERBOSE);
  const child = spawn(process.execPath, [
    ...indexerNodeFlags(o.checkout), ...(prof ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(prof)] : []),
    "-r", "ts-node/register/transpile-only", path.join(o.checkout, "scripts/indexer.ts"),
    "--rpc", o.rpc, "--subgraph", o.subgraph, "--data", o.dataDir, "--ipfs-dir", o.ipfsDir, "--name", "tantieme", "--port", String(o.port),
    ...(o.statusPort === undefined ? [] : ["--status-port", String(o.statusPort)]), "--reorg-threshold", "2",
    "--poll-interval", "20", "--progress-interval", verbose ? "1000" : "0",
  ], { cwd: o.checkout, stdio: ["ignore", "pipe", "inherit"] });
  const indexer = { child, following: { at: 0, cpuSeconds: 0 }, exited: false };
  child.on("exit", () => (indexer.exited = true));
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffered.indexOf("\n")) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (indexer.following.at === 0 && line.includes('"msg":"serving ')) indexer.following = { at: Date.now(), cpuSeconds: cpuSeconds(child.pid!) };
      if (verbose) console.log(line);
    }
  });
  return indexer;
}

/** The block an indexer's GraphQL endpoint (`url`) has indexed, or -1 while it cannot answer. */
export async function indexedBlock(url: string): Promise<number> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ _meta { block { number } } }" }) });
    const body = (await res.json()) as { data?: { _meta: { block: { number: number } } } };
    return body.data?._meta.block.number ?? -1;
  } catch {
    return -1;
  }
}
