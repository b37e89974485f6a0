/**
 * npm run bench:delivery — licensed delivery figures, each phase in its own process (clean peak
 * RSS), written to bench/results/delivery.json:
 *
 * - add-plain:     BENCH_DELIVERY_MB (default 1024) of unique data added to the embedded store
 *                  (throughput, peak RSS; target < 200 MB for 1 GB);
 * - add-encrypted: the same through the file sealer (AES-256-GCM chunks, envelope key) then the
 *                  store: overhead vs plain add (target ≤ 25 %);
 * - serve:         a node:http server (child) decrypting the file on the fly through the delivery
 *                  handler's own decrypt path, read by the parent over 127.0.0.1 and hashed:
 *                  throughput (target ≥ 100 MB/s) and the server's RSS growth (target ≤ 64 MB).
 *
 * The load average is recorded with the results: this machine is shared.
 */
import { fork } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createContentStore, KUBO_CHUNK_SIZE } from "../core/content";
import { FileKeys } from "../server/src/delivery/keys";
import { DeliverySecret, LocalKek, LocalKeyStore } from "../server/src/delivery/keystore";
import { openFile, plaintext } from "../server/src/delivery/handler";
import { ENCRYPTION_SCHEME } from "../core/metadata/access";

const TOTAL_MB = Number(process.env.BENCH_DELIVERY_MB ?? 1024);
const TOTAL = TOTAL_MB * 1024 * 1024;
const PIECE = 1024 * 1024;
const SECRET = "bench delivery secret, at least thirty-two characters";
const TARGETS = { serve_mb_per_s: 100, serve_rss_growth_mb: 64, encryption_overhead_pct: 25, add_peak_rss_mb: 200 };

async function* generate(hash?: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  const base = randomBytes(PIECE);
  let chunkNo = 0;
  for (let at = 0; at < TOTAL; at += PIECE) {
    const piece = Buffer.from(base.subarray(0, Math.min(PIECE, TOTAL - at)));
    for (let o = 0; o < piece.length; o += KUBO_CHUNK_SIZE) piece.writeUInt32BE(chunkNo++, o);
    hash?.update(piece);
    yield piece;
  }
}

const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
const peakRss = () => Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

async function child(phase: string, dir: string): Promise<void> {
  const send = (m: unknown) => process.send!(m);
  const baseline = process.memoryUsage().rss;
  if (phase === "add-plain") {
    const store = await createContentStore({ kind: "embedded", dir: path.join(dir, "plain") });
    const t = process.hrtime.bigint();
    await store.add(generate());
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    send({ mb_per_s: Math.round((TOTAL_MB / s) * 10) / 10, peak_rss_mb: mb(peakRss()), baseline_rss_mb: mb(baseline) });
    await store.close();
    return;
  }
  const secret = new DeliverySecret(SECRET);
  const keys = new FileKeys(await LocalKeyStore.open(path.join(dir, "keys"), secret), new LocalKek(secret));
  const store = await createContentStore({ kind: "embedded", dir: path.join(dir, "enc") });
  if (phase === "add-encrypted") {
    const hash = createHash("sha256");
    const t = process.hrtime.bigint();
    const sealing = keys.seal(generate(hash));
    const { cid, size } = await store.add(sealing.ciphertext);
    await sealing.commit(cid.toString());
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    const info = sealing.info();
    await writeFile(path.join(dir, "file.json"), JSON.stringify({ cid: cid.toString(), size: info.plaintextSize, chunkSize: info.chunkSize, encryptedSize: size, sha256: hash.digest("hex") }));
    send({ mb_per_s: Math.round((TOTAL_MB / s) * 10) / 10, peak_rss_mb: mb(peakRss()) });
    await store.close();
    return;
  }
  // serve
  const f = JSON.parse(readFileSync(path.join(dir, "file.json"), "utf8"));
  const file = { keyPath: ["audio"], cid: f.cid, mimeType: "audio/wav", size: f.size, unlockedBy: ["Download" as const], encryption: { scheme: ENCRYPTION_SCHEME, chunkSize: f.chunkSize, encryptedSize: f.encryptedSize } };
  let peak = 0;
  const server = http.createServer(async (_req, res) => {
    const opened = await openFile({ store, keys }, file);
    res.writeHead(200, { "content-type": "audio/wav", "content-length": String(file.size) });
    for await (const chunk of plaintext({ store }, file.cid, opened, 0, file.size)) {
      if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const before = process.memoryUsage().rss;
  send({ port: (server.address() as AddressInfo).port, sha256: f.sha256 });
  process.on("message", () => {
    clearInterval(sampler);
    send({ rss_before_mb: mb(before), rss_peak_mb: mb(peak), rss_growth_mb: mb(peak - before) });
    server.close();
    store.close().then(() => process.exit(0));
  });
}

function runPhase(phase: string, dir: string, onMessage?: (m: any, c: ReturnType<typeof fork>) => void): Promise<any> {
  return new Promise((resolve, reject) => {
    const c = fork(__filename, [phase, dir], { execArgv: ["-r", "ts-node/register"], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } });
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

async function main() {
  const loadBefore = readFileSync("/proc/loadavg", "utf8").trim();
  const dir = await mkdtemp(path.join(os.tmpdir(), "tantieme-bench-delivery-"));
  try {
    const plain = await runPhase("add-plain", dir);
    await rm(path.join(dir, "plain"), { recursive: true, force: true });
    const enc = await runPhase("add-encrypted", dir);
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
      if (n !== TOTAL || hash.digest("hex") !== m.sha256) throw new Error("served bytes differ from the plaintext");
      serve.mb_per_s = Math.round((TOTAL_MB / s) * 10) / 10;
      c.send("done");
    });
    const round = (x: number) => Math.round(x * 10) / 10;
    const result = {
      size_mb: TOTAL_MB,
      add_plain_mb_per_s: plain.mb_per_s,
      add_plain_peak_rss_mb: plain.peak_rss_mb,
      add_plain_baseline_rss_mb: plain.baseline_rss_mb,
      add_encrypted_mb_per_s: enc.mb_per_s,
      add_encrypted_peak_rss_mb: enc.peak_rss_mb,
      encryption_overhead_pct: round((1 - enc.mb_per_s / plain.mb_per_s) * 100),
      serve_mb_per_s: serve.mb_per_s,
      serve_rss_growth_mb: serve.rss_growth_mb,
      serve_rss_peak_mb: serve.rss_peak_mb,
      loadavg_before: loadBefore,
      loadavg_after: readFileSync("/proc/loadavg", "utf8").trim(),
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
