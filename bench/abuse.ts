/**
 * `npm run bench:abuse` — the API beside an abusive anonymous client, against the real stack
 * (scripts/start.ts's startStack, as bench:api: the chain, the subgraph runtime and the API each in
 * its own process, Ignition deployment, the demo seed, embedded IPFS), on free ports and a
 * temporary data directory.
 *
 * For BENCH_DURATION_S (30) two autocannon clients run at once, each in its own child process:
 * - the abuser, anonymous, BENCH_ABUSE_CONNECTIONS (8) connections looping over the probe's attacks:
 *   a fragment bomb (9 fragments, each spreading the next ten times), an alias bomb (1,000 aliased
 *   licenceStatus), 30 aliased licenceStatus (just under the alias limit: real work), one field
 *   repeated 20,000 times, and distinct ~700 KB queries (a fresh default value each time, for the
 *   parse cache). The anonymous rate limit is lifted for the run, so the query limits alone stand
 *   between it and the event loop (with the default limits it would mostly get 429);
 * - a keyed client, BENCH_CONNECTIONS (10) connections, licenceStatus over the seeded works.
 * The API process's RSS is sampled every 250 ms, and its peak (VmHWM) read at the end; a restart of
 * the API during the run (it died) fails the benchmark.
 * Writes bench/results/abuse.json: keyed p50/p99, requests, the abuser's status counts, peak RSS,
 * and the machine's load before and after. Targets: keyed p99 ≤ 100 ms, RSS ≤ 500 MB.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { startStack } from "../scripts/start";
import { freePort, median, processMemoryMb, runBench } from "./helpers";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ABUSE_CONNECTIONS = Number(process.env.BENCH_ABUSE_CONNECTIONS ?? 8);
const say = (line: string) => process.stdout.write(`${line}\n`);

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
}

/**
 * autocannon in a child process. Each request's body is one of `bodies` at random; a body that
 * contains `@@N@@` gets a fresh number there each time (distinct query texts).
 */
function load(url: string, bodies: string[], headers: Record<string, string>, connections: number, durationS: number): Promise<LoadResult> {
  const input = path.join(os.tmpdir(), `tantieme-bench-abuse-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(input, JSON.stringify({ autocannon: require.resolve("autocannon"), url, bodies, connections, duration: durationS, headers: { "content-type": "application/json", ...headers } }));
  const code = `
    const w = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const autocannon = require(w.autocannon);
    let n = 0;
    autocannon({
      url: w.url, connections: w.connections, duration: w.duration, method: "POST", headers: w.headers, timeout: 60,
      requests: [{ setupRequest: (req) => { const b = w.bodies[(Math.random() * w.bodies.length) | 0]; req.body = b.includes("@@N@@") ? b.split("@@N@@").join(String(n++)) : b; return req; } }],
    }, (err, r) => {
      if (err) { console.error(err); process.exit(1); }
      const statuses = Object.fromEntries(Object.entries(r.statusCodeStats || {}).map(([k, v]) => [k, v.count]));
      process.stdout.write(JSON.stringify({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, errors: r.errors + r.timeouts, statuses }));
    });
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", code, input], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      fs.rmSync(input, { force: true });
      if (err) return reject(new Error(`autocannon: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

function fragmentBomb(n: number, fan: number): string {
  const frags: string[] = [];
  for (let i = 0; i < n; i++) frags.push(`fragment F${i} on IndexingStatus { ${i === n - 1 ? "health latestBlock" : Array.from({ length: fan }, () => `...F${i + 1}`).join(" ")} }`);
  return `{ indexingStatus { ...F0 } } ${frags.join(" ")}`;
}

async function main(): Promise<void> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-bench-abuse-"));
  const [rpcPort, graphPort, statusPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  process.env.RATE_LIMIT_KEY_PER_MIN = "10000000";
  process.env.RATE_LIMIT_KEY_BURST = "1000000";
  process.env.RATE_LIMIT_ANON_PER_MIN = "10000000";
  process.env.RATE_LIMIT_ANON_BURST = "1000000";
  process.env.NODE_ENV = "production";
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";
  const stack = await startStack({ data, seed: true, reset: true, rpcPort, graphPort, statusPort, apiPort });
  const api = `http://127.0.0.1:${apiPort}/graphql`;
  const auth = { authorization: `Bearer ${stack.apiKey}` };
  try {
    const seed = stack.seed!;
    const licensees = [...new Set(seed.licences.map((l) => l.licensee))];
    const RIGHTS = ["Streaming", "Download", "Sync", "Broadcast"];
    const TERRITORIES = ["FR", "DE", "US", "GB", "JP"];
    const STATUS = `query($w: String!, $l: String!, $r: Right!, $t: String!) { licenceStatus(work: $w, licensee: $l, right: $r, territory: $t) { allowed reasons evidence { licenceId } } }`;
    const keyed = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({ query: STATUS, variables: { w: String(seed.works[i % seed.works.length]!.id), l: licensees[i % licensees.length] ?? "0x0000000000000000000000000000000000000001", r: RIGHTS[i % RIGHTS.length], t: TERRITORIES[(i * 7) % TERRITORIES.length] } }),
    );
    const check = (await (await fetch(api, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: keyed[0] })).json()) as { errors?: unknown };
    if (check.errors) throw new Error(`licenceStatus: ${JSON.stringify(check.errors)}`);

    const lic = licensees[0] ?? "0x0000000000000000000000000000000000000001";
    const statusField = (a: string) => `${a}: licenceStatus(work: "1", licensee: "${lic}", right: Sync, territory: "FR") { allowed }`;
    const abusive = [
      JSON.stringify({ query: fragmentBomb(9, 10) }),
      JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => statusField(`a${i}`)).join(" ")} }` }),
      JSON.stringify({ query: `{ ${Array.from({ length: 30 }, (_, i) => statusField(`a${i}`)).join(" ")} }` }),
      JSON.stringify({ query: `{ indexingStatus { ${"health ".repeat(20_000)} } }` }),
      // ~700 KB, distinct every time (@@N@@ is replaced by a counter).
      JSON.stringify({ query: `query Q@@N@@($x: [Int] = [@@N@@,${Array.from({ length: 100_000 }, (_, k) => (k * 7) % 100000).join(",")}]) { indexingStatus { health } }` }),
    ];
    say(`  abusive bodies: ${abusive.map((b) => `${(b.length / 1024).toFixed(1)} KB`).join(", ")}`);

    const apiPid = () => stack.supervisor.status().find((p) => p.name === "API")?.pid ?? null;
    const pid = apiPid();
    if (pid === null) throw new Error("the stack's API process is not running");
    const loadBefore = os.loadavg();
    const baseRss = processMemoryMb(pid).rssMb;
    const rssSamples: number[] = [];
    const sampler = setInterval(() => {
      if (apiPid() === pid) rssSamples.push(processMemoryMb(pid).rssMb);
    }, 250);
    say(`  load before: ${loadBefore.map((x) => x.toFixed(2)).join(" ")} (${os.cpus().length} cores); ${DURATION_S} s: abuser ${ABUSE_CONNECTIONS} connections, keyed client ${CONNECTIONS}`);
    const [abuse, status] = await Promise.all([load(api, abusive, {}, ABUSE_CONNECTIONS, DURATION_S), load(api, keyed, auth, CONNECTIONS, DURATION_S)]);
    clearInterval(sampler);
    if (apiPid() !== pid) throw new Error(`the API process (pid ${pid}) died during the run: ${JSON.stringify(stack.supervisor.status())}`);
    const peakRss = processMemoryMb(pid).hwmMb;
    const loadAfter = os.loadavg();
    say(`  abuser: ${abuse.requests} requests (${abuse.rps.toFixed(0)}/s), statuses ${JSON.stringify(abuse.statuses)}, ${abuse.errors} errors/timeouts`);
    say(`  keyed licenceStatus: ${status.rps.toFixed(0)} req/s, p50 ${status.p50} ms, p99 ${status.p99} ms (${status.requests} requests, statuses ${JSON.stringify(status.statuses)}, ${status.errors} errors)`);
    const medianRss = rssSamples.length ? median(rssSamples) : baseRss;
    say(`  API process (pid ${pid}) RSS: ${baseRss} MB before, median ${medianRss} MB during the run, peak ${peakRss} MB; load after ${loadAfter.map((x) => x.toFixed(2)).join(" ")}`);
    say(`  targets: keyed p99 ≤ 100 ms → ${status.p99 <= 100 ? "met" : "MISSED"}; RSS ≤ 500 MB → ${peakRss <= 500 ? "met" : "MISSED"}`);
    const out = path.join(__dirname, "results", "abuse.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          duration_s: DURATION_S,
          keyed_connections: CONNECTIONS,
          abuse_connections: ABUSE_CONNECTIONS,
          keyed_rps: Math.round(status.rps),
          keyed_p50_ms: status.p50,
          keyed_p99_ms: status.p99,
          keyed_requests: status.requests,
          keyed_statuses: status.statuses,
          keyed_errors: status.errors,
          abuse_requests: abuse.requests,
          abuse_statuses: abuse.statuses,
          abuse_errors: abuse.errors,
          api_rss_base_mb: baseRss,
          api_rss_median_mb: medianRss,
          api_rss_peak_mb: peakRss,
          loadavg_before: loadBefore,
          loadavg_after: loadAfter,
          cores: os.cpus().length,
          node: process.version,
        },
        null,
        2,
      ) + "\n",
    );
    say(`  wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await stack.stop();
    if (!process.env.BENCH_KEEP) fs.rmSync(data, { recursive: true, force: true });
  }
}

runBench(main);
