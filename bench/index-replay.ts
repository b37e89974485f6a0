/**
 * Indexes the same events again and again, to compare checkouts of the runtime on equal terms.
 *
 *   BENCH_HOLD=/tmp/chain.json npm run bench:index        (builds the chain and keeps serving it)
 *   npm run bench:index:replay -- /tmp/chain.json . ../other-checkout   (RUNS=3 by default;
 *                                   BENCH_CPU_PROF=<dir> for a CPU profile of every run;
 *                                   BENCH_VERBOSE=1 to print the indexer's log)
 *
 * Each run starts `scripts/indexer.ts` of one checkout (its own code, the held chain's subgraph
 * build and IPFS folder) on an empty data folder, and stops it once `_meta.block.number` reaches
 * the head. Checkouts take turns (A B A B …), so a drift of the machine hits both alike. Reported
 * per run and as medians: wall seconds and events/s from the follower's start (as bench:index),
 * CPU seconds of the indexer process over the same span, its peak RSS, the 1-minute load average.
 *
 * Two runs of the same code differ by ±10–15 % CPU here (2 cores, the chain's process beside
 * the indexer): a change is only worth keeping when its medians move by more than that.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuSeconds, freePort, indexedBlock, median, processMemoryMb, runBench, spawnBenchIndexer } from "./helpers";

interface Held {
  rpc: string;
  subgraph: string;
  ipfsDir: string;
  head: number;
  events: number;
}

interface Run {
  checkout: string;
  wallS: number;
  eventsPerS: number;
  cpuS: number;
  peakRssMb: number;
  load1: number;
}

async function indexOnce(checkout: string, held: Held): Promise<Run> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-replay-"));
  const port = await freePort();
  // Its own status port too: the default (8030) may belong to a running stack.
  const statusPort = await freePort();
  const indexer = spawnBenchIndexer({ checkout, rpc: held.rpc, subgraph: held.subgraph, ipfsDir: held.ipfsDir, dataDir, port, statusPort });
  const child = indexer.child;
  const url = `http://127.0.0.1:${port}/subgraphs/name/tantieme`;
  try {
    for (;;) {
      if (indexer.exited) throw new Error(`the indexer of ${checkout} exited`);
      await new Promise((r) => setTimeout(r, 20));
      if (indexer.following.at && (await indexedBlock(url)) >= held.head) break;
    }
    const wallS = (Date.now() - indexer.following.at) / 1000;
    const cpuS = cpuSeconds(child.pid!) - indexer.following.cpuSeconds;
    return {
      checkout, wallS, eventsPerS: Math.round(held.events / wallS), cpuS: Math.round(cpuS * 100) / 100,
      peakRssMb: processMemoryMb(child.pid!).hwmMb, load1: Math.round(os.loadavg()[0] * 100) / 100,
    };
  } finally {
    child.kill("SIGINT");
    if (!indexer.exited) await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [holdFile, ...given] = process.argv.slice(2);
  if (!holdFile || given.length === 0) throw new Error("usage: npm run bench:index:replay -- <BENCH_HOLD file> <checkout> [<checkout> …]");
  const held = JSON.parse(readFileSync(holdFile, "utf8")) as Held;
  const checkouts = given.map((c) => path.resolve(c));
  const runs = Number(process.env.RUNS ?? 3);
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    for (const checkout of checkouts) {
      const run = await indexOnce(checkout, held);
      results.push(run);
      console.log(JSON.stringify(run));
    }
  }
  const summary = checkouts.map((checkout) => {
    const mine = results.filter((r) => r.checkout === checkout);
    return {
      checkout, runs: mine.length, events: held.events,
      median_events_per_s: median(mine.map((r) => r.eventsPerS)),
      median_cpu_s: median(mine.map((r) => r.cpuS)),
      cpu_s_range: [Math.min(...mine.map((r) => r.cpuS)), Math.max(...mine.map((r) => r.cpuS))],
      median_peak_rss_mb: median(mine.map((r) => r.peakRssMb)),
    };
  });
  console.log(JSON.stringify({ machine: `${os.cpus().length} cores, Node ${process.versions.node}`, summary }, null, 2));
}

runBench(main);
