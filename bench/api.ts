/**
 * `npm run bench:api` — the rights API under load, against the real stack (scripts/start.ts's
 * startStack: the chain, the subgraph runtime and the API in child processes, Ignition deployment,
 * embedded IPFS), on free ports and a temporary data directory.
 *
 * 1. A catalogue of ≥ 10,000 licences, for real: works uploaded and registered and offers created
 *    through the API (signed by a demo account, sent back with submitTransaction); then real
 *    Licensing.purchase calls for 1,000 licensees, 80 per block through a BatchBuyer helper
 *    contract, across the works' offers (mixed rights and territories), some on a 20-second offer
 *    (expired by the time of the load), a few revoked through prepareRevocation.
 * 2. Waits until the index has every block.
 * 3. autocannon (in a child process, so it does not share the server's event loop) at 50
 *    connections: a bare graphql-yoga server answering `{ ok }` (this machine's ceiling), then
 *    `licenceStatus` with requests varied over licensees × works (id or ISRC) × rights × territories.
 * 4. `checkLicences` of 1,000 varied requests, BATCH_RUNS times; the median.
 * Writes bench/results/api.json: status_rps, status_p50_ms, status_p99_ms, batch1000_ms, bare_yoga_rps.
 *
 * Environment: BENCH_LICENCES (10000), BENCH_DURATION_S (10), BENCH_CONNECTIONS (50),
 * BENCH_LOG_LEVEL (the API's LOG_LEVEL during the bench; default warn), BENCH_KEEP (keep the data dir).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { ethers } from "ethers";
import { createSchema, createYoga } from "graphql-yoga";
import { readDeploymentFile } from "../core/deployment";
import { demoAccounts } from "../scripts/stack/seed";
import { renderPng, renderWav, wavDurationMs } from "../scripts/stack/demo-media";
import { LICENCE_DECISION } from "../server/src/subgraph/fragments";
import { freePort, median, rpcBatch as rpc, runBench } from "./helpers";
import { startBenchStack } from "./stack";

const LICENCES = Number(process.env.BENCH_LICENCES ?? 10_000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BATCH_RUNS = 7;
const LICENSEES = 1000;
const RIGHTS = ["Streaming", "Download", "Sync", "Broadcast", "PublicPerformance"];
const TERRITORIES = ["FR", "DE", "US", "GB", "JP", "BR", "NG", "IN"];

const say = (line: string) => process.stdout.write(`${line}\n`);

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/**
 * autocannon in a child process (its own event loop and core share, not the server's; inside a
 * worker thread autocannon returns raw, unaggregated results), each request's body picked at
 * random from `bodies`.
 */
function load(url: string, bodies: string[], headers: Record<string, string>, durationS: number): Promise<LoadResult> {
  const input = path.join(os.tmpdir(), `tantieme-bench-api-load-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(input, JSON.stringify({ autocannon: require.resolve("autocannon"), url, bodies, connections: CONNECTIONS, duration: durationS, headers: { "content-type": "application/json", ...headers } }));
  const code = `
    const w = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const autocannon = require(w.autocannon);
    const { bodies } = w;
    autocannon({
      url: w.url, connections: w.connections, duration: w.duration, method: "POST", headers: w.headers,
      requests: [{ setupRequest: (req) => { req.body = bodies[(Math.random() * bodies.length) | 0]; return req; } }],
    }, (err, r) => {
      if (err) { console.error(err); process.exit(1); }
      process.stdout.write(JSON.stringify({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, errors: r.errors + r.timeouts, non2xx: r.non2xx }));
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

/** bench/contracts/BatchBuyer.sol compiled with the npm solc (offline): its creation bytecode. */
function compileBatchBuyer(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  const output = JSON.parse(solc.compile(JSON.stringify({
    language: "Solidity",
    sources: { "BatchBuyer.sol": { content: fs.readFileSync(path.join(__dirname, "contracts", "BatchBuyer.sol"), "utf8") } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "osaka", outputSelection: { "*": { BatchBuyer: ["evm.bytecode.object"] } } },
  })));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(`BatchBuyer.sol: ${errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n")}`);
  return "0x" + output.contracts["BatchBuyer.sol"].BatchBuyer.evm.bytecode.object;
}

async function main(): Promise<void> {
  const { data, rpcUrl, api, subgraph: sub, auth, stop } = await startBenchStack("api");
  const barePort = await freePort();
  let bare: http.Server | undefined;
  try {
    const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
      const res = await fetch(api, { method: "POST", signal: AbortSignal.timeout(180_000), headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`API errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const accounts = demoAccounts().map((a) => new ethers.Wallet(a.privateKey));
    const owner = accounts[1]!;
    const fees = (await rpc(rpcUrl, [{ method: "eth_gasPrice", params: [] }]))[0] as string;
    const maxFeePerGas = BigInt(fees) * 4n;
    const nextNonce = new Map<string, number>();
    const nonceOf = async (address: string) => {
      let n = nextNonce.get(address);
      if (n === undefined) n = Number((await rpc(rpcUrl, [{ method: "eth_getTransactionCount", params: [address, "latest"] }]))[0]);
      nextNonce.set(address, n + 1);
      return n;
    };
    // Signed here (the server never holds keys), sent back through submitTransaction.
    const submit = async (w: ethers.Wallet, tx: { to: string; data: string; value: string; chainId: number; gas?: string | null }) => {
      const raw = await w.signTransaction({ to: tx.to, data: tx.data, value: BigInt(tx.value), chainId: tx.chainId, nonce: await nonceOf(w.address), gasLimit: tx.gas ? (BigInt(tx.gas) * 12n) / 10n : 3_000_000n, maxFeePerGas, maxPriorityFeePerGas: 1n, type: 2 });
      const r = await gql(`mutation($tx: String!) { submitTransaction(signedTx: $tx) { status indexed work { id } offer { id } } }`, { tx: raw });
      if (r.submitTransaction.status !== "SUCCESS") throw new Error(`transaction failed: ${JSON.stringify(r)}`);
      return r.submitTransaction;
    };

    // 1a. Works (uploaded through the API: real files on IPFS) and offers.
    const t0 = performance.now();
    const works: { id: string; isrc: string }[] = [];
    const tune = { notes: [60, 64, 67], beatMs: 80 };
    for (let i = 0; i < 5; i++) {
      const isrc = `GBBEN26${String(10000 + i).padStart(5, "0")}`;
      const metadata = { schemaVersion: "1.0.0", kind: "sound-recording", title: `Bench Track ${i + 1}`, artists: [{ name: "Bench Orchestra" }], isrc, durationMs: wavDurationMs(tune), audio: { path: "master.wav", mimeType: "audio/wav" }, artwork: { path: "cover.png", mimeType: "image/png" } };
      const form = new FormData();
      form.append("operations", JSON.stringify({ query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { transaction { to data value chainId gas } } }`, variables: { input: { from: owner.address, metadata: JSON.stringify(metadata), files: [null, null], split: [{ account: owner.address, shareBps: 10000 }] } } }));
      form.append("map", JSON.stringify({ 0: ["variables.input.files.0"], 1: ["variables.input.files.1"] }));
      form.append("0", new Blob([renderWav(tune)], { type: "audio/wav" }), "master.wav");
      form.append("1", new Blob([renderPng(32, 32, 40 * i)], { type: "image/png" }), "cover.png");
      const res = await fetch(api, { method: "POST", headers: auth, body: form });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(`uploadWork: ${JSON.stringify(body.errors)}`);
      const sub = await submit(owner, body.data.uploadWork.transaction);
      works.push({ id: sub.work.id, isrc });
    }
    // Revocable for breach, without notice: a few licences are revoked below.
    const offerSpecs = [
      { rights: ["Streaming", "Download"], territory: { mode: "Worldwide" }, duration: String(365 * 86400) },
      { rights: ["Sync", "Broadcast"], territory: { mode: "Include", countries: ["FR", "DE", "GB", "US"] }, duration: "0" },
      { rights: ["PublicPerformance", "Streaming"], territory: { mode: "Exclude", countries: ["US", "CN"] }, duration: String(30 * 86400) },
      // Expires 20 s after each purchase: those licences are Expired during the load.
      { rights: ["Streaming"], territory: { mode: "Worldwide" }, duration: "20" },
    ];
    const offers: string[] = [];
    for (const w of works) {
      for (const spec of offerSpecs) {
        const p = await gql(`mutation($i: OfferInput!) { prepareOffer(input: $i) { transactions { to data value chainId gas } } }`, { i: { from: owner.address, work: w.id, price: "1000000000000", revocation: { revocableFor: ["Breach"] }, ...spec } });
        offers.push((await submit(owner, p.prepareOffer.transactions[0])).offer.id);
      }
    }
    say(`  ✓ ${works.length} works (uploaded) and ${offers.length} offers through the API (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // 1b. Licences: real Licensing.purchase calls, PER_TX per transaction through a BatchBuyer helper
    // contract (bench/contracts/BatchBuyer.sol, compiled with the npm solc), one transaction per
    // automined block. Signed individually, ten thousand purchases in Hardhat's mempool are slow:
    // every pending transaction is re-executed as the block is assembled (see bench/index.ts).
    const licensees = Array.from({ length: LICENSEES }, (_, i) => ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0xbe000000 + i), 20)));
    const buyer = accounts[0]!; // the deployer: no other transaction of the bench uses it
    const licensing = readDeploymentFile(path.join(data, "ignition", "deployments", "chain-31337", "deployed_addresses.json")).licensing.address;
    const t1 = performance.now();
    const send = async (tx: { to?: string; data: string; value?: bigint; gasLimit: bigint }) => {
      const raw = await buyer.signTransaction({ to: tx.to, data: tx.data, value: tx.value ?? 0n, chainId: 31337, nonce: await nonceOf(buyer.address), gasLimit: tx.gasLimit, maxFeePerGas, maxPriorityFeePerGas: 1n, type: 2 });
      const [hash] = (await rpc(rpcUrl, [{ method: "eth_sendRawTransaction", params: [raw] }])) as string[];
      const [receipt] = (await rpc(rpcUrl, [{ method: "eth_getTransactionReceipt", params: [hash] }])) as ({ status: string; contractAddress: string | null } | null)[];
      if (!receipt || receipt.status !== "0x1") throw new Error(`bench transaction ${hash} ${receipt ? "reverted" : "was not mined"}`);
      return receipt;
    };
    const batchBuyer = (await send({ data: compileBatchBuyer(), gasLimit: 2_000_000n })).contractAddress!;
    const buyIface = new ethers.Interface(["function buy(address licensing, uint256[] offerIds, address[] licensees, uint256 price) payable"]);
    const PRICE = 1_000_000_000_000n;
    const PER_TX = 80;
    let sent = 0;
    let blocks = 0;
    while (sent < LICENCES) {
      const n = Math.min(PER_TX, LICENCES - sent);
      // Offer i % offers.length for licensee i: mixed rights, territories and terms per licensee.
      const batchOffers = Array.from({ length: offers.length }, (_, k) => offers[(sent + k) % offers.length]!);
      const batchLicensees = Array.from({ length: n }, (_, k) => licensees[((sent + k) * 31) % LICENSEES]!);
      await send({ to: batchBuyer, data: buyIface.encodeFunctionData("buy", [licensing, batchOffers, batchLicensees, PRICE]), value: PRICE * BigInt(n), gasLimit: 16_000_000n });
      sent += n;
      blocks++;
      if (blocks % 10 === 0 || sent === LICENCES) process.stdout.write(`\r  … ${sent} purchases mined in ${blocks} blocks`);
    }
    process.stdout.write("\n");
    // A few revocations (licences 1, 101, 201, …), through prepareRevocation.
    const REVOKE = 10;
    for (let k = 0; k < REVOKE; k++) {
      const p = await gql(`mutation { prepareRevocation(licence: "${1 + k * 100}", reason: Breach, from: "${owner.address}") { transactions { to data value chainId gas } } }`);
      await submit(owner, p.prepareRevocation.transactions[0]);
    }
    say(`  ✓ ${LICENCES} purchases in ${blocks} blocks (BatchBuyer, ${PER_TX} per block) for ${LICENSEES} licensees, ${REVOKE} revoked (${((performance.now() - t1) / 1000).toFixed(1)} s)`);

    // 2. The index has it all.
    const t2 = performance.now();
    for (;;) {
      const s = (await gql(`{ indexingStatus { latestBlock rpcHead synced } }`)).indexingStatus;
      if (s.latestBlock >= s.rpcHead) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const count = (await gql(`{ works(first: 10) { licenceCount } }`)).works.reduce((a: number, w: { licenceCount: number }) => a + w.licenceCount, 0);
    if (count < LICENCES) throw new Error(`the index counts ${count} licences, expected ≥ ${LICENCES} (did purchases revert?)`);
    say(`  ✓ index has ${count} licences (waited ${((performance.now() - t2) / 1000).toFixed(1)} s)`);
    // Let the 20-second licences expire.
    await new Promise((r) => setTimeout(r, 1000));

    // 3a. The ceiling: bare graphql-yoga answering a constant, in a Node process like the API's.
    const yoga = createYoga({ schema: createSchema({ typeDefs: "type Query { ok: Boolean! }", resolvers: { Query: { ok: () => true } } }), logging: false, landingPage: false, graphiql: false });
    bare = http.createServer(yoga);
    await new Promise<void>((r) => bare!.listen(barePort, "127.0.0.1", r));
    await load(`http://127.0.0.1:${barePort}/graphql`, [JSON.stringify({ query: "{ ok }" })], {}, 2);
    const bareRes = await load(`http://127.0.0.1:${barePort}/graphql`, [JSON.stringify({ query: "{ ok }" })], {}, DURATION_S);
    say(`  bare yoga { ok }: ${bareRes.rps.toFixed(0)} req/s, p50 ${bareRes.p50} ms, p99 ${bareRes.p99} ms (${bareRes.requests} requests, ${bareRes.errors} errors, ${bareRes.non2xx} non-2xx)`);
    await new Promise<void>((r) => bare!.close(() => r()));
    bare = undefined;

    // 3b. licenceStatus, varied.
    const STATUS = `query($w: String!, $l: String!, $r: Right!, $t: String!) { licenceStatus(work: $w, licensee: $l, right: $r, territory: $t) { allowed reasons evidence { licenceId txHash blockNumber timestamp } } }`;
    const statusBodies = Array.from({ length: 5000 }, (_, i) => {
      const w = works[i % works.length]!;
      return JSON.stringify({ query: STATUS, variables: { w: i % 2 ? w.isrc : w.id, l: licensees[(i * 7919) % LICENSEES], r: RIGHTS[i % RIGHTS.length], t: TERRITORIES[(i * 13) % TERRITORIES.length] } });
    });
    // Sanity: the answers vary (allowed and refused, several reasons).
    const sample = await Promise.all(statusBodies.slice(0, 200).map(async (b) => (await fetch(api, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: b }).then((r) => r.json())) as any));
    const allowed = sample.filter((s) => s.data?.licenceStatus?.allowed).length;
    const reasons = new Set(sample.flatMap((s) => s.data?.licenceStatus?.reasons ?? []));
    if (sample.some((s) => s.errors)) throw new Error(`licenceStatus errors: ${JSON.stringify(sample.find((s) => s.errors).errors)}`);
    say(`  sample of 200 licenceStatus answers: ${allowed} allowed, reasons seen ${[...reasons].join(", ")}`);
    await load(api, statusBodies, auth, 2);
    const status = await load(api, statusBodies, auth, DURATION_S);
    say(`  licenceStatus: ${status.rps.toFixed(0)} req/s, p50 ${status.p50} ms, p99 ${status.p99} ms (${status.requests} requests, ${status.errors} errors, ${status.non2xx} non-2xx)`);
    if (status.errors > 0 || status.non2xx > 0) throw new Error("licenceStatus load had errors");

    // 4. checkLicences of 1,000.
    const CHECK = `query($r: [LicenceCheckInput!]!) { checkLicences(requests: $r) { allowed reasons evidence { licenceId txHash blockNumber } } }`;
    const times: number[] = [];
    for (let run = 0; run < BATCH_RUNS; run++) {
      const requests = Array.from({ length: 1000 }, (_, i) => {
        const k = i + run * 1000;
        const w = works[k % works.length]!;
        return { work: k % 3 ? w.id : w.isrc, licensee: licensees[(k * 104729) % LICENSEES], right: RIGHTS[(k * 3) % RIGHTS.length], territory: TERRITORIES[k % TERRITORIES.length] };
      });
      const started = performance.now();
      const r = await gql(CHECK, { r: requests });
      times.push(performance.now() - started);
      if (r.checkLicences.length !== 1000) throw new Error("checkLicences answered the wrong number of results");
    }
    const batchMs = median(times);
    say(`  checkLicences(1000): median ${batchMs.toFixed(0)} ms over ${BATCH_RUNS} runs (${times.map((t) => t.toFixed(0)).join(", ")})`);

    // Where checkLicences' time goes: the same licences pages straight from the subgraph endpoint.
    const pageTimes: number[] = [];
    let pages = 0;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      let after = "0x";
      pages = 0;
      for (;;) {
        const res = await fetch(sub, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `query($w: [String!]!, $a: Bytes!) { page: licences(where: { work_in: $w, id_gt: $a }, first: 1000, orderBy: id, orderDirection: asc) ${LICENCE_DECISION} }`, variables: { w: works.map((w) => ethers.zeroPadValue(ethers.toBeHex(BigInt(w.id)), 32)), a: after } }) });
        const page = ((await res.json()) as { data: { page: { id: string }[] } }).data.page;
        pages++;
        if (page.length < 1000) break;
        after = page[page.length - 1]!.id;
      }
      pageTimes.push(performance.now() - started);
    }
    say(`  (diagnostic) every licence of the 5 works straight from the subgraph, ${pages} pages of 1,000: median ${median(pageTimes).toFixed(0)} ms`);

    const result = {
      status_rps: Math.round(status.rps),
      status_p50_ms: status.p50,
      status_p99_ms: status.p99,
      batch1000_ms: Math.round(batchMs),
      bare_yoga_rps: Math.round(bareRes.rps),
    };
    fs.mkdirSync(path.join(__dirname, "results"), { recursive: true });
    fs.writeFileSync(path.join(__dirname, "results", "api.json"), JSON.stringify(result, null, 2) + "\n");
    say("");
    say(JSON.stringify(result, null, 2));
    say(`targets: status_rps ≥ 0.5 × bare (${(status.rps / bareRes.rps).toFixed(2)}×) ${status.rps >= 0.5 * bareRes.rps ? "met" : "NOT met"}; status_p99_ms ≤ 50 ${status.p99 <= 50 ? "met" : "NOT met"}; batch1000_ms ≤ 250 ${batchMs <= 250 ? "met" : "NOT met"}`);
  } finally {
    if (bare) await new Promise<void>((r) => bare!.close(() => r()));
    await stop();
  }
}

runBench(main);
