/**
 * npm run bench:ipfs — add and cat 200 MB through the embedded content store (Kubo-compatible
 * CIDv0 layout), then write bench/results/ipfs.json. The data is generated on the fly (unique
 * 256 KiB chunks, so no block is deduplicated) and never held in memory; a SHA-256 of what went
 * in and of what came out proves the round trip (its cost is included in both figures).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createContentStore, KUBO_CHUNK_SIZE } from "../core/content";

const TOTAL_MB = Number(process.env.BENCH_IPFS_MB ?? 200);
const TOTAL = TOTAL_MB * 1024 * 1024;
const PIECE = 1024 * 1024;
const TARGETS = { add_mb_per_s: 100, cat_mb_per_s: 100, peak_rss_mb: 300 };

async function* generate(hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  const base = randomBytes(PIECE);
  let chunkNo = 0;
  for (let at = 0; at < TOTAL; at += PIECE) {
    const piece = Buffer.from(base.subarray(0, Math.min(PIECE, TOTAL - at)));
    for (let o = 0; o < piece.length; o += KUBO_CHUNK_SIZE) piece.writeUInt32BE(chunkNo++, o);
    hash.update(piece);
    yield piece;
  }
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tantieme-bench-ipfs-"));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const store = await createContentStore({ kind: "embedded", dir });
  try {
    const inHash = createHash("sha256");
    let t = process.hrtime.bigint();
    const { cid, size } = await store.add(generate(inHash));
    const addS = Number(process.hrtime.bigint() - t) / 1e9;
    if (size !== TOTAL) throw new Error(`added ${size} bytes, expected ${TOTAL}`);

    const outHash = createHash("sha256");
    let read = 0;
    t = process.hrtime.bigint();
    for await (const chunk of store.cat(cid)) {
      outHash.update(chunk);
      read += chunk.byteLength;
    }
    const catS = Number(process.hrtime.bigint() - t) / 1e9;
    if (read !== TOTAL || inHash.digest("hex") !== outHash.digest("hex")) throw new Error("cat did not return the added bytes");
    const st = await store.stat(cid);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

    const round = (x: number) => Math.round(x * 10) / 10;
    const result = {
      add_mb_per_s: round(TOTAL_MB / addS),
      cat_mb_per_s: round(TOTAL_MB / catS),
      peak_rss_mb: round(peakRss / 1024 / 1024),
      size_mb: TOTAL_MB,
      cid: cid.toString(),
      blocks: st.blocks,
      dag_size: st.dagSize,
      add_s: round(addS * 100) / 100,
      cat_s: round(catS * 100) / 100,
      node: process.version,
      cpus: os.cpus().length,
      measured_at: new Date().toISOString(),
      targets: TARGETS,
    };
    console.log(JSON.stringify(result, null, 2));
    const failed = (["add_mb_per_s", "cat_mb_per_s"] as const).filter((k) => result[k] < TARGETS[k]);
    if (result.peak_rss_mb > TARGETS.peak_rss_mb) failed.push("peak_rss_mb" as never);
    if (failed.length) console.warn(`below target: ${failed.join(", ")}`);
    await mkdir(path.join(__dirname, "results"), { recursive: true });
    await writeFile(path.join(__dirname, "results", "ipfs.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    clearInterval(sampler);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
