/**
 * `npm run bench:search` — the catalogue's fulltext search through the rights API, over a
 * catalogue of 10,000 works, against the real stack (scripts/start.ts's startStack: the chain, the
 * subgraph runtime and the API in child processes), on free ports and a temporary data directory.
 *
 * 1. 10,000 works, for real: each work's metadata (a title and one to three artists, drawn from
 *    a fixed vocabulary so that searches match from a handful to thousands of works) is added to
 *    the stack's embedded IPFS store, and `Works.register` is signed here and sent to the chain
 *    in JSON-RPC batches (one block each, automine). The subgraph reads every work's metadata
 *    while indexing, into the `workSearch` fulltext index (title, creators, identifier).
 * 2. Waits until the index has every block.
 * 3. `works(search: …, first: 20)` through the API, one request at a time (latency, not load):
 *    WARMUP requests, then QUERIES timed ones cycling through single words, two words and
 *    prefixes; p50, p90, p99 and the mean, and the number of works each kind of search matched.
 * Writes bench/results/search.json with the machine's load average before and after.
 *
 * Environment: BENCH_WORKS (10000), BENCH_QUERIES (600), BENCH_KEEP (keep the data dir).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "ethers";
import { createContentStore } from "../core/content";
import { readDeploymentFile } from "../core/deployment";
import { WORK_KIND_NAMES } from "../core/domain";
import { demoAccounts } from "../scripts/stack/seed";
import { Works__factory } from "../typechain-types";
import { percentile, rpcBatch as rpc, runBench } from "./helpers";
import { startBenchStack } from "./stack";

const WORKS = Number(process.env.BENCH_WORKS ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 600);
const WARMUP = 50;
const PER_BATCH = 100;
const TARGET_P50_MS = 20;

const ADJECTIVES = ["midnight", "silver", "quiet", "electric", "golden", "northern", "velvet", "broken", "distant", "hollow", "bright", "wild", "slow", "paper", "iron", "glass", "summer", "winter", "lonely", "secret"];
const NOUNS = ["ferry", "harbour", "river", "garden", "signal", "engine", "lantern", "mirror", "station", "orchard", "meadow", "tower", "window", "bridge", "forest", "canal", "market", "island", "valley", "street"];
const FIRST = ["Ada", "Jonas", "Mira", "Paul", "Lena", "Karl", "Ines", "Theo", "Greta", "Emil", "Rosa", "Felix", "Nora", "Otto", "Clara"];
const LAST = ["Marlowe", "Krause", "Vogel", "Brandt", "Lindner", "Sommer", "Richter", "Hoffmann", "Keller", "Winter", "Busch", "Haas"];
/** Searches as a user types them: a word, two words, a prefix, a name. */
const SEARCHES = ["ferry", "midnight ferry", "harb", "silver river", "lindner", "ada marlowe", "electric", "gold", "quiet garden 62", "orchard"];

const say = (line: string) => process.stdout.write(`${line}\n`);
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map(round1);
  const { data, rpcUrl, api, auth, stop } = await startBenchStack("search");
  const store = await createContentStore({ kind: "embedded", dir: path.join(data, "ipfs") });
  try {
    const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
      const res = await fetch(api, { method: "POST", signal: AbortSignal.timeout(60_000), headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`API errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    };

    // 1. The catalogue: metadata on IPFS, registrations signed here and sent in JSON-RPC batches.
    const deployment = readDeploymentFile(path.join(data, "ignition", "deployments", "chain-31337", "deployed_addresses.json"));
    const works = Works__factory.createInterface();
    const owner = new ethers.Wallet(demoAccounts()[1]!.privateKey);
    const chainId = 31337;
    const fees = BigInt((await rpc(rpcUrl, [{ method: "eth_gasPrice", params: [] }]))[0] as string) * 4n;
    let nonce = Number((await rpc(rpcUrl, [{ method: "eth_getTransactionCount", params: [owner.address, "latest"] }]))[0]);
    const t0 = performance.now();
    for (let from = 0; from < WORKS; from += PER_BATCH) {
      const raws: string[] = [];
      for (let i = from; i < Math.min(WORKS, from + PER_BATCH); i++) {
        const artists = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ name: `${pick(FIRST, i + k * 7)} ${pick(LAST, Math.floor(i / 3) + k)}` }));
        const metadata = { schemaVersion: "1.0.0", kind: "sound-recording", title: `${pick(ADJECTIVES, i)} ${pick(NOUNS, Math.floor(i / ADJECTIVES.length))} ${i % 100}`, artists };
        const { cid } = await store.add(Buffer.from(JSON.stringify(metadata)));
        const data = works.encodeFunctionData("register", [WORK_KIND_NAMES.indexOf("SoundRecording"), cid.bytes, "0x" + "00".repeat(12), { recipients: [owner.address], shares: [10_000] }]);
        raws.push(await owner.signTransaction({ to: deployment.works.address, data, chainId, nonce: nonce++, gasLimit: 400_000n, maxFeePerGas: fees, maxPriorityFeePerGas: 1n, type: 2 }));
      }
      await rpc(rpcUrl, raws.map((raw) => ({ method: "eth_sendRawTransaction", params: [raw] })));
      if ((from / PER_BATCH) % 10 === 9 || from + PER_BATCH >= WORKS) say(`  ${Math.min(WORKS, from + PER_BATCH)} works registered (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const registerS = (performance.now() - t0) / 1000;

    // 2. The index catches up (every work's metadata read on the way).
    const head = Number((await rpc(rpcUrl, [{ method: "eth_blockNumber", params: [] }]))[0]);
    const t1 = performance.now();
    for (let last = -1; ; ) {
      const s = (await gql(`{ indexingStatus { latestBlock } }`)).indexingStatus;
      if (s.latestBlock >= head) break;
      if (s.latestBlock !== last && s.latestBlock % 1000 < 50) say(`  indexed block ${s.latestBlock} of ${head}`);
      last = s.latestBlock;
      await new Promise((r) => setTimeout(r, 500));
    }
    const indexS = (performance.now() - t1) / 1000;
    const count = (await gql(`{ works(search: "ferry", first: 100) { id } }`)).works.length;
    say(`  ✓ ${WORKS} works registered in ${registerS.toFixed(1)} s, indexed in ${indexS.toFixed(1)} s ("ferry" matches ${count}${count === 100 ? "+" : ""})`);

    // 3. Searches through the API, one at a time.
    const QUERY = `query($s: String!) { works(search: $s, first: 20) { id title creators } }`;
    const matches: Record<string, number> = {};
    for (const s of SEARCHES) matches[s] = (await gql(`query($s: String!) { works(search: $s, first: 100) { id } }`, { s })).works.length;
    for (let i = 0; i < WARMUP; i++) await gql(QUERY, { s: pick(SEARCHES, i) });
    const ms: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const started = performance.now();
      const r = await gql(QUERY, { s: pick(SEARCHES, i) });
      ms.push(performance.now() - started);
      if (r.works.length === 0) throw new Error(`"${pick(SEARCHES, i)}" matched nothing`);
    }
    ms.sort((a, b) => a - b);
    const result = {
      works: WORKS,
      queries: QUERIES,
      search_p50_ms: round1(percentile(ms, 50)),
      search_p90_ms: round1(percentile(ms, 90)),
      search_p99_ms: round1(percentile(ms, 99)),
      search_mean_ms: round1(ms.reduce((a, b) => a + b, 0) / ms.length),
      matches_first_100: matches,
      register_s: round1(registerS),
      index_s: round1(indexS),
      machine: `${os.cpus().length} cores, Node ${process.versions.node}`,
      load_average_at_start: loadBefore,
      load_average_at_end: os.loadavg().map(round1),
      measured_at: new Date().toISOString(),
      targets: { search_p50_ms: TARGET_P50_MS },
    };
    const out = process.env.BENCH_OUT ?? path.join(__dirname, "results", "search.json");
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    say(`  search p50 ${result.search_p50_ms} ms (target ≤ ${TARGET_P50_MS}), p90 ${result.search_p90_ms} ms, p99 ${result.search_p99_ms} ms over ${QUERIES} requests; load ${result.load_average_at_start.join(" ")} → ${result.load_average_at_end.join(" ")}`);
    say(`  → ${path.relative(process.cwd(), out)}`);
  } finally {
    await store.close();
    await stop();
  }
}

runBench(main);
