/**
 * `npm run bench:runtime` — throughput, memory and head lag of the embedded indexer on the probe
 * subgraph (test/subgraph/fixtures/probe), RPC included:
 *  1. a separate Hardhat process produces BENCH_BLOCKS × BENCH_TX_PER_BLOCK × BENCH_EVENTS_PER_TX
 *     Ping events (default 500 × 2 × 20 = 20,000);
 *  2. the indexer (in this process) indexes them from scratch: events/s, blocks/s, peak RSS;
 *  3. head following: BENCH_LAG_SAMPLES single-ping transactions, each timed from its block being
 *     mined (eth_sendTransaction returning under automine) to the entity being visible through
 *     the GraphQL API: p50/p95.
 * Prints a JSON report (also written to BENCH_OUT when set). Run with `node --cpu-prof` to profile.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Interface } from "ethers";
import { buildProbeSubgraph } from "../../fixtures/build";
import { startIndexer } from "../../../../subgraph/runtime/indexer";

const ROOT = path.resolve(__dirname, "../../../..");

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main(): Promise<void> {
  const manifest = buildProbeSubgraph();
  const t0 = Date.now();
  const chain = spawn(path.join(ROOT, "node_modules/.bin/hardhat"), ["run", "test/subgraph/ingest/bench/chain.ts"], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"], env: process.env });
  const info = await new Promise<{ url: string; probe: string; head: number; events: number }>((resolve, reject) => {
    const lines = createInterface({ input: chain.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("{")) resolve(JSON.parse(line));
    });
    chain.once("exit", (code) => reject(new Error(`bench chain exited with ${code}`)));
  });
  console.error(`chain ready in ${Date.now() - t0} ms: head ${info.head}, ${info.events} events`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-bench-"));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    const start = performance.now();
    const hrStart = process.hrtime.bigint() / 1000n;
    const cpuStart = process.cpuUsage();
    let startupMs = 0;
    const indexer = await startIndexer({
      rpcUrl: info.url, subgraph: manifest, dataDir: dir, name: "probe", port: 0, statusPort: null,
      reorgThreshold: Number(process.env.BENCH_REORG_THRESHOLD ?? 2), pollIntervalMs: Number(process.env.BENCH_POLL_MS ?? 100), progressIntervalMs: 0, log: () => {},
    });
    startupMs = Math.round(performance.now() - start);
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if ((indexer.store.state().head?.number ?? -1) >= info.head) {
          clearInterval(check);
          resolve();
        }
        if (indexer.store.state().fatalError) reject(new Error(JSON.stringify(indexer.store.state().fatalError)));
      }, 5);
    });
    const seconds = (performance.now() - start) / 1000;
    // Catch-up window in the CPU profile's clock (µs), for `node --cpu-prof` runs.
    console.error(JSON.stringify({ profileWindowUs: [hrStart.toString(), (process.hrtime.bigint() / 1000n).toString()] }));
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const stats = { ...indexer.follower.stats };
    const catchUp = {
      events: stats.events, blocks: info.head, seconds: Number(seconds.toFixed(2)),
      eventsPerSec: Math.round(stats.events / seconds), blocksPerSec: Math.round(info.head / seconds),
      peakRssMb: Math.round(peakRss / 2 ** 20), startupMs, rpcWaitMs: Math.round(stats.rpcWaitMs),
      eventsPerSecAfterStartup: Math.round(stats.events / (seconds - startupMs / 1000)),
      // The machine may be shared: CPU time of the indexer process is the stable figure.
      indexerCpuSeconds: Number(cpuSeconds.toFixed(2)), eventsPerIndexerCpuSec: Math.round(stats.events / cpuSeconds),
    };
    console.error(JSON.stringify({ catchUp }));

    // Head lag: block mined → entity visible through GraphQL.
    const iface = new Interface(["function ping(uint256 n, string note, bytes data, int256 delta)"]);
    const [from] = await rpc<string[]>(info.url, "eth_accounts", []);
    const samples = Number(process.env.BENCH_LAG_SAMPLES ?? 40);
    const lags: number[] = [];
    for (let i = 0; i < samples; i++) {
      const n = 10_000_000 + i;
      await rpc(info.url, "eth_sendTransaction", [{ from, to: info.probe, data: iface.encodeFunctionData("ping", [n, "lag", "0x", 1]), gas: "0x30000" }]);
      const mined = performance.now();
      const query = JSON.stringify({ query: `{ pingEvents(where: { n: "${n}" }) { id } }` });
      for (;;) {
        const res = (await (await fetch(indexer.server!.url, { method: "POST", headers: { "content-type": "application/json" }, body: query })).json()) as { data?: { pingEvents: unknown[] } };
        if (res.data && res.data.pingEvents.length === 1) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      lags.push(performance.now() - mined);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
    const headLag = { samples, pollIntervalMs: Number(process.env.BENCH_POLL_MS ?? 100), p50Ms: Math.round(pct(lags, 50)), p95Ms: Math.round(pct(lags, 95)), maxMs: Math.round(Math.max(...lags)) };
    const report = {
      date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
      workload: { blocks: Number(process.env.BENCH_BLOCKS ?? 500), txPerBlock: Number(process.env.BENCH_TX_PER_BLOCK ?? 2), eventsPerTx: Number(process.env.BENCH_EVENTS_PER_TX ?? 20) },
      catchUp, headLag, peakRssMb: Math.round(peakRss / 2 ** 20),
    };
    console.log(JSON.stringify(report, null, 2));
    if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(report, null, 2) + "\n");
    await indexer.stop();
  } finally {
    clearInterval(sampler);
    chain.stdin!.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Only as a script: `npx hardhat test` loads every .ts file under test/.
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
