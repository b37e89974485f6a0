/**
 * `npm run bench:web`: builds the web app and measures what a first visit loads: the scripts and
 * module preloads index.html names, gzipped (level 9, as a server would send them), against the
 * 300 kB target. Writes bench/results/web.json.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { ensureWebBuild } from "./ensure-build";

const ROOT = path.resolve(__dirname, "..", "..");
const dist = path.join(ROOT, "web", "dist");
ensureWebBuild();
const html = fs.readFileSync(path.join(dist, "index.html"), "utf8");
const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]!);
const files = refs.map((ref) => {
  const body = fs.readFileSync(path.join(dist, ref.replace(/^\//, "")));
  return { file: ref, bytes: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length };
});
const total = files.reduce((n, f) => n + f.gzip, 0);
const result = { first_load_js_gzip_kb: Math.round(total / 10.24) / 100, target_kb: 300, met: total <= 300 * 1024, files, measured_at: new Date().toISOString() };
fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
fs.writeFileSync(path.join(ROOT, "bench", "results", "web.json"), JSON.stringify(result, null, 2) + "\n");
process.stdout.write(`first load: ${result.first_load_js_gzip_kb} kB of JavaScript gzipped (target ≤ 300 kB: ${result.met ? "met" : "NOT met"})\n`);
