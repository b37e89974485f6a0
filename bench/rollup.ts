/**
 * npm run bench:rollup — the cost of rolling up one busy bucket of a timeseries.
 *
 * Writes BENCH_ROLLUP_POINTS (default 200,000) timeseries points in blocks of 1,000, all inside one
 * hour and one day, through the runtime's entity cache and SQLite store (the same path a mapping's
 * `point.save()` takes); then one block a day later, whose commit rolls up the hour and the day
 * (Layout::rollup, store/rollup.ts). It reports that commit's wall time and the process's peak RSS
 * against its RSS before the commit, and writes bench/results/rollup.json.
 *
 * Why: a 200k-event bench:index run peaked at 697.6 MB while following the head (2026-11-30): the
 * first block of a new hour rolled up the 100,000 revenue points of the catch-up, and the rollup
 * read every point of the bucket into memory before aggregating. It now streams them.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ValueKind, type Entity, type Value } from "../subgraph/runtime/entity";
import { EntityCache } from "../subgraph/runtime/host/entity-cache";
import { parseSchema } from "../subgraph/runtime/schema";
import { openStore, type BlockPtr } from "../subgraph/runtime/store";
import { processMemoryMb, runBench } from "./helpers";

const POINTS = Number(process.env.BENCH_ROLLUP_POINTS ?? 200_000);
const PER_BLOCK = 1_000;
/** The commit's RSS growth must stay far below the points' size in JS objects (~2.7 KB per point before). */
const TARGET_GROWTH_MB = 64;

// The shape of tantieme's RevenuePoint / WorkRevenueStat (schema.graphql): bytes dimensions,
// BigInt sums, a count and a cumulative total.
const SCHEMA = `
type Point @entity(timeseries: true) { id: Int8! timestamp: Timestamp! work: Bytes! currency: Bytes! gross: BigInt! net: BigInt! }
type Stat @aggregation(intervals: ["hour", "day"], source: "Point") {
  id: Int8! timestamp: Timestamp! work: Bytes! currency: Bytes!
  gross: BigInt! @aggregate(fn: "sum", arg: "gross")
  net: BigInt! @aggregate(fn: "sum", arg: "net")
  licences: Int8! @aggregate(fn: "count")
  totalGross: BigInt! @aggregate(fn: "sum", arg: "gross", cumulative: true)
}`;

/** 2023-11-15T00:00:00Z: the points fall in its first hour. */
const DAY = 1_700_006_400;
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const ptr = (n: number, time: number): BlockPtr => ({ number: n, hash: hash(n), parentHash: hash(n - 1), timestamp: time });
const bytes = (hex: string): Value => ({ kind: ValueKind.BYTES, value: Buffer.from(hex, "hex") });

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-bench-rollup-"));
  const store = openStore({ dir, schema: parseSchema(SCHEMA), deploymentId: "QmBenchRollup", network: "hardhat", startBlock: 1 });
  try {
    const works = [1, 2, 3, 4].map((w) => bytes(w.toString(16).padStart(64, "0")));
    const eth = bytes("00".repeat(20));
    let n = 0;
    const t0 = performance.now();
    for (let written = 0; written < POINTS; written += PER_BLOCK) {
      n++;
      const cache = new EntityCache(store, store.model, n, { rejectUndefinedFields: true, blockTimestamp: DAY + n });
      for (let i = 0; i < Math.min(PER_BLOCK, POINTS - written); i++) {
        const price = 10n ** 16n + BigInt(i);
        cache.set("Point", "auto", new Map<string, Value>([
          ["work", works[i % works.length]!], ["currency", eth],
          ["gross", { kind: ValueKind.BIGINT, value: price }], ["net", { kind: ValueKind.BIGINT, value: price - price / 100n }],
        ]) as Entity);
      }
      cache.commitHandler();
      store.transactBlock(ptr(n, DAY + n), cache.modifications(), []);
      if (n % 50 === 0) console.log(`  ${n * PER_BLOCK} points written (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    global.gc?.();
    const rssBefore = process.memoryUsage().rss / 1048576;
    // Reset the kernel's peak-RSS mark (Linux: clear_refs 5), so VmHWM is the rollup's own peak.
    writeFileSync("/proc/self/clear_refs", "5");
    // The next block is a day later: the hour and the day holding every point are rolled up now.
    n++;
    const t1 = performance.now();
    store.transactBlock(ptr(n, DAY + 25 * 3600), [], []);
    const rollupMs = performance.now() - t1;
    const peak = processMemoryMb(process.pid).hwmMb;
    const result = {
      points: POINTS,
      rollup_ms: Math.round(rollupMs),
      rss_before_mb: Math.round(rssBefore * 10) / 10,
      peak_rss_mb: peak,
      rss_growth_mb: Math.round(Math.max(0, peak - rssBefore) * 10) / 10,
      machine: `${os.cpus().length} cores, Node ${process.versions.node}`,
      load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`  ${result.rss_growth_mb <= TARGET_GROWTH_MB ? "met" : "MISSED"}: the rollup's RSS growth ≤ ${TARGET_GROWTH_MB} MB`);
    writeFileSync(process.env.BENCH_OUT ?? "bench/results/rollup.json", `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
