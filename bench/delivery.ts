/**
 * npm run bench:delivery — licensed delivery figures, written to bench/results/delivery.json.
 * Every phase runs in its own child process started with bench/lean-register.js, which loads the
 * source transpiled beforehand by this process (no ts-node, TypeScript or swc in the child), so
 * a peak RSS is node's, the store's and the phase's, not a compiler's:
 *
 * - add-plain:     BENCH_DELIVERY_MB (default 1024) of unique data added to the embedded store
 *                  (throughput; the process's peak RSS, target < 200 MB for 1 GB);
 * - add-encrypted: the same bytes through the file sealer (AES-256-GCM chunks, envelope key) then
 *                  the store: overhead vs the plain add (target ≤ 25 %);
 * - serve:         a node:http server (child) decrypting the file on the fly through the delivery
 *                  handler's own decrypt path, read by the parent over 127.0.0.1 and hashed:
 *                  throughput (target ≥ 100 MB/s) and the server's RSS growth (target ≤ 64 MB).
 *
 * The machine may be shared: plain and encrypted adds alternate for BENCH_DELIVERY_ROUNDS rounds
 * (default 3; the order flips every round) so both see the same load, the medians are reported
 * with every round's figure, and each figure carries the load average read when it was taken.
 * Every phase starts after `sync`, so the kernel's write-back of the previous phase's files does
 * not run inside it.
 * The plaintext is a seeded stream, so its SHA-256 (to check the served bytes) is computed apart,
 * outside every timed phase.
 */
import { execFileSync, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
// Phase modules are required inside the phase that needs them: a plain add's process holds the
// content store only, not the delivery handler and everything it imports.
type Content = typeof import("../core/content");
type Keys = typeof import("../server/src/delivery/keys");
type KeyStores = typeof import("../server/src/delivery/keystore");
type Handler = typeof import("../server/src/delivery/handler");
type Access = typeof import("../core/metadata/access");

const TOTAL_MB = Number(process.env.BENCH_DELIVERY_MB ?? 1024);
const ROUNDS = Math.max(1, Number(process.env.BENCH_DELIVERY_ROUNDS ?? 3));
const TOTAL = TOTAL_MB * 1024 * 1024;
const PIECE = 1024 * 1024;
const LEAF = 262_144; // KUBO_CHUNK_SIZE: a counter in every leaf keeps the blocks unique
const SECRET = "bench delivery secret, at least thirty-two characters";
const TARGETS = { serve_mb_per_s: 100, serve_rss_growth_mb: 64, encryption_overhead_pct: 25, add_peak_rss_mb: 200 };

/** The plaintext: a seeded 1 MiB pattern with a counter in every 256 KiB chunk (no dedup), in 1 MiB pieces. */
async function* generate(seed = "tantieme bench:delivery"): AsyncGenerator<Uint8Array> {
  const base = Buffer.allocUnsafe(PIECE);
  let block = createHash("sha256").update(seed).digest();
  for (let o = 0; o < PIECE; o += 32) {
    block.copy(base, o);
    block = createHash("sha256").update(block).digest();
  }
  let chunkNo = 0;
  for (let at = 0; at < TOTAL; at += PIECE) {
    const piece = Buffer.from(base.subarray(0, Math.min(PIECE, TOTAL - at)));
    for (let o = 0; o < piece.length; o += LEAF) piece.writeUInt32BE(chunkNo++, o);
    yield piece;
  }
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").trim();
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
/** User + system CPU seconds of this process since `since` (its own threads: main, thread pool). */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return Math.round((d.user + d.system) / 1e4) / 100;
};
const peakRss = () => Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

async function child(phase: string, dir: string): Promise<void> {
  const send = (m: unknown) => process.send!(m);
  const { createContentStore } = require("../core/content") as Content;
  const baseline = process.memoryUsage().rss;
  if (phase === "add-plain") {
    const store = await createContentStore({ kind: "embedded", dir: path.join(dir, "plain") });
    const t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await store.add(generate());
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    send({ mb_per_s: Math.round((TOTAL_MB / s) * 10) / 10, cpu_s: cpuSeconds(cpu), peak_rss_mb: mb(peakRss()), baseline_rss_mb: mb(baseline), loadavg: loadavg() });
    await store.close();
    return;
  }
  const { FileKeys } = require("../server/src/delivery/keys") as Keys;
  const { DeliverySecret, LocalKek, LocalKeyStore } = require("../server/src/delivery/keystore") as KeyStores;
  const secret = new DeliverySecret(SECRET);
  const keys = new FileKeys(await LocalKeyStore.open(path.join(dir, "keys"), secret), new LocalKek(secret));
  const store = await createContentStore({ kind: "embedded", dir: path.join(dir, "enc") });
  if (phase === "add-encrypted") {
    const t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const sealing = keys.seal(generate());
    const { cid, size } = await store.add(sealing.ciphertext);
    await sealing.commit(cid.toString());
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    const info = sealing.info();
    await writeFile(path.join(dir, "file.json"), JSON.stringify({ cid: cid.toString(), size: info.plaintextSize, chunkSize: info.chunkSize, encryptedSize: size }));
    send({ mb_per_s: Math.round((TOTAL_MB / s) * 10) / 10, cpu_s: cpuSeconds(cpu), peak_rss_mb: mb(peakRss()), baseline_rss_mb: mb(baseline), chunk_size: info.chunkSize, loadavg: loadavg() });
    await store.close();
    return;
  }
  // serve
  const { openFile, plaintext } = require("../server/src/delivery/handler") as Handler;
  const { ENCRYPTION_SCHEME } = require("../core/metadata/access") as Access;
  const f = JSON.parse(readFileSync(path.join(dir, "file.json"), "utf8"));
  const file = { keyPath: ["audio"], cid: f.cid, mimeType: "audio/wav", size: f.size, unlockedBy: ["Download" as const], encryption: { scheme: ENCRYPTION_SCHEME, chunkSize: f.chunkSize, encryptedSize: f.encryptedSize } };
  let peak = 0;
  let atPeak = process.memoryUsage();
  const server = http.createServer(async (_req, res) => {
    const opened = await openFile({ store, keys }, file);
    res.writeHead(200, { "content-type": "audio/wav", "content-length": String(file.size) });
    for await (const chunk of plaintext({ store }, file.cid, opened, 0, file.size)) {
      if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      atPeak = m;
    }
  }, 20);
  const before = process.memoryUsage().rss;
  send({ port: (server.address() as AddressInfo).port });
  process.on("message", () => {
    clearInterval(sampler);
    send({
      rss_before_mb: mb(before),
      rss_peak_mb: mb(peak),
      rss_growth_mb: mb(peak - before),
      at_peak: { heap_used_mb: mb(atPeak.heapUsed), external_mb: mb(atPeak.external), array_buffers_mb: mb(atPeak.arrayBuffers) },
      loadavg: loadavg(),
    });
    server.close();
    store.close().then(() => process.exit(0));
  });
}

/**
 * Flushes dirty pages to disk before a phase starts: the previous phase's gigabyte (and the
 * removal of the one before it, on a disk mounted with `discard`) is otherwise written back by
 * the kernel during the next phase, on the same two cores, and lands on whichever phase runs
 * next (rounds differed by ±30 % without it).
 */
function settle(): void {
  execFileSync("sync");
}

function runPhase(phase: string, dir: string, onMessage?: (m: any, c: ReturnType<typeof fork>) => void): Promise<any> {
  settle();
  return new Promise((resolve, reject) => {
    const c = fork(__filename, [phase, dir], {
      execArgv: ["-r", path.join(__dirname, "lean-register.js")],
      env: { ...process.env, LEAN_TS_CACHE: path.join(dir, "lean") },
    });
    let last: unknown;
    c.on("message", (m) => {
      last = m;
      if (onMessage) onMessage(m, c);
      else resolve(m);
    });
    c.on("error", reject);
    c.on("exit", (code) => (code === 0 || last ? resolve(last) : reject(new Error(`${phase} exited with ${code}`))));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round(((s[m - 1]! + s[m]!) / 2) * 10) / 10;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

async function main() {
  const loadBefore = loadavg();
  const dir = await mkdtemp(path.join(os.tmpdir(), "tantieme-bench-delivery-"));
  try {
    // The children load this transpiled source (bench/lean-register.js).
    (require("./lean-register.js") as { precompile(folders: string[], cacheDir: string): number }).precompile(["bench", "core", "server/src"], path.join(dir, "lean"));
    // The served bytes are checked against this (computed here, outside every timed phase).
    const expected = createHash("sha256");
    for await (const piece of generate()) expected.update(piece);
    const sha256 = expected.digest("hex");

    const plain: any[] = [];
    const enc: any[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ["add-plain", "add-encrypted"] : ["add-encrypted", "add-plain"];
      for (const phase of order) {
        if (phase === "add-plain") {
          plain.push(await runPhase("add-plain", dir));
          await rm(path.join(dir, "plain"), { recursive: true, force: true });
        } else {
          // Each round seals into a fresh store and key store; the last one is served below.
          await rm(path.join(dir, "enc"), { recursive: true, force: true });
          await rm(path.join(dir, "keys"), { recursive: true, force: true });
          enc.push(await runPhase("add-encrypted", dir));
        }
        console.error(`${phase}: ${JSON.stringify((phase === "add-plain" ? plain : enc).at(-1))}`);
      }
    }
    let serve: any = {};
    await runPhase("serve", dir, async (m, c) => {
      if (m.port === undefined) {
        serve = { ...serve, ...m };
        return;
      }
      const hash = createHash("sha256");
      let n = 0;
      const t = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${m.port}/`);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        n += chunk.byteLength;
      }
      const s = Number(process.hrtime.bigint() - t) / 1e9;
      if (n !== TOTAL || hash.digest("hex") !== sha256) throw new Error("served bytes differ from the plaintext");
      serve.mb_per_s = Math.round((TOTAL_MB / s) * 10) / 10;
      c.send("done");
    });
    const plainMedian = median(plain.map((p) => p.mb_per_s));
    const encMedian = median(enc.map((p) => p.mb_per_s));
    const result = {
      size_mb: TOTAL_MB,
      rounds: ROUNDS,
      runner: "each phase in a child process under bench/lean-register.js (source transpiled beforehand; no ts-node, TypeScript or swc in the child); adds alternate plain/encrypted, order flipped every round",
      add_plain_mb_per_s: plainMedian,
      add_plain_peak_rss_mb: Math.max(...plain.map((p) => p.peak_rss_mb)),
      add_plain_baseline_rss_mb: median(plain.map((p) => p.baseline_rss_mb)),
      add_encrypted_mb_per_s: encMedian,
      add_encrypted_peak_rss_mb: Math.max(...enc.map((p) => p.peak_rss_mb)),
      encryption_chunk_size: enc[0].chunk_size,
      encryption_overhead_pct: round1((1 - encMedian / plainMedian) * 100),
      encryption_overhead_pct_by_round: plain.map((p, i) => round1((1 - enc[i].mb_per_s / p.mb_per_s) * 100)),
      // The same cost as CPU time of the adding process (less sensitive to the disk than wall time).
      add_plain_cpu_s: median(plain.map((p) => p.cpu_s)),
      add_encrypted_cpu_s: median(enc.map((p) => p.cpu_s)),
      encryption_cpu_overhead_pct: round1((median(enc.map((p) => p.cpu_s)) / median(plain.map((p) => p.cpu_s)) - 1) * 100),
      serve_mb_per_s: serve.mb_per_s,
      serve_rss_growth_mb: serve.rss_growth_mb,
      serve_rss_peak_mb: serve.rss_peak_mb,
      serve_rss_before_mb: serve.rss_before_mb,
      serve_at_peak: serve.at_peak,
      serve_loadavg: serve.loadavg,
      rounds_add_plain: plain,
      rounds_add_encrypted: enc,
      loadavg_before: loadBefore,
      loadavg_after: loadavg(),
      node: process.version,
      cpus: os.cpus().length,
      measured_at: new Date().toISOString(),
      targets: TARGETS,
    };
    console.log(JSON.stringify(result, null, 2));
    const below: string[] = [];
    if (result.serve_mb_per_s < TARGETS.serve_mb_per_s) below.push("serve_mb_per_s");
    if (result.serve_rss_growth_mb > TARGETS.serve_rss_growth_mb) below.push("serve_rss_growth_mb");
    if (result.encryption_overhead_pct > TARGETS.encryption_overhead_pct) below.push("encryption_overhead_pct");
    if (result.add_plain_peak_rss_mb > TARGETS.add_peak_rss_mb) below.push("add_plain_peak_rss_mb");
    if (below.length) console.warn(`outside target: ${below.join(", ")}`);
    await mkdir(path.join(__dirname, "results"), { recursive: true });
    await writeFile(path.join(__dirname, "results", "delivery.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] && process.send) {
  child(process.argv[2], process.argv[3]!).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
