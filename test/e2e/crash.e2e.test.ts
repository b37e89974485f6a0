/**
 * The crash suite: a workload of real transactions (purchases, new offers, distributions and
 * withdrawals), sent through the API's submitTransaction and straight to the chain's JSON-RPC,
 * while the whole `npm start` process group is killed with SIGKILL at random moments — during the
 * workload or while the stack is still starting — and restarted on the same data folder each time.
 *
 * After every restart, every acknowledged transaction (its hash came back) is on the chain in the
 * same block; the killed stack leaves no process listening; at the end the index equals a clean
 * re-index of the same chain.
 *
 * TANTIEME_CRASH_KILLS (default 10) sets the number of kills; TANTIEME_CRASH_SEED replays a run
 * (the seed is printed).
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "ethers";
import { Licensing__factory } from "../../typechain-types";
import { demoAccounts } from "../../scripts/stack/seed";
import { startIndexerProcess } from "../../scripts/stack/indexer-process";
import { freePort, launchStackProcess, startStackProcess, waitPortsClosed, type LaunchedStack } from "./helpers/stack";
import { rpcProvider } from "../../core/chain";
import { indexedBlock } from "../../bench/helpers";

const KILLS = Number(process.env.TANTIEME_CRASH_KILLS ?? 10);
const SEED = Number(process.env.TANTIEME_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ack {
  hash: string;
  what: string;
  via: "api" | "rpc";
  /** The block hash seen right after the acknowledgement, when the stack lived long enough to read it. */
  blockHash: string | null;
}

const accounts = demoAccounts();
const SUBMIT = `mutation($tx: String!) { submitTransaction(signedTx: $tx) { hash status blockNumber } }`;

/** Dumps every entity the subgraph serves (scalar fields, and the id of referenced entities), sorted by id. */
async function dumpIndex(url: string): Promise<Record<string, unknown[]>> {
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };
  type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };
  const unwrap = (t: TypeRef): TypeRef => (t.ofType ? unwrap(t.ofType) : t);
  const isList = (t: TypeRef): boolean => t.kind === "LIST" || (t.ofType !== null && isList(t.ofType));
  const schema = (await post(`{ __schema { queryType { fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
    types { name kind fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`)) as {
    __schema: { queryType: { fields: { name: string; args: { name: string }[]; type: TypeRef }[] }; types: { name: string; kind: string; fields: { name: string; type: TypeRef }[] | null }[] };
  };
  const types = new Map(schema.__schema.types.map((t) => [t.name, t]));
  const out: Record<string, unknown[]> = {};
  for (const field of schema.__schema.queryType.fields) {
    if (field.name.startsWith("_") || !isList(field.type) || !field.args.some((a) => a.name === "where")) continue;
    // A fulltext field (`text:`) searches entities dumped under their own collection field.
    if (field.args.some((a) => a.name === "text")) continue;
    const type = types.get(unwrap(field.type).name!)!;
    if (type.kind !== "OBJECT") continue;
    const selection = type.fields!
      .filter((f) => !isList(f.type))
      .map((f) => (unwrap(f.type).kind === "OBJECT" ? `${f.name} { id }` : f.name))
      .join(" ");
    // An aggregation (`interval:`): its rolled-up rows per interval, in one page (a crash run makes
    // far fewer than 1,000 buckets), in the field's own order (timestamp, then id).
    if (field.args.some((a) => a.name === "interval")) {
      for (const interval of ["hour", "day"]) {
        const rows = (await post(`{ rows: ${field.name}(interval: ${interval}, first: 1000) { ${selection} } }`)).rows as unknown[];
        if (rows.length === 1000) throw new Error(`${field.name}(interval: ${interval}) has more than one page`);
        out[`${field.name}@${interval}`] = rows;
      }
      continue;
    }
    const rows: { id: string }[] = [];
    for (;;) {
      const last = rows.length > 0 ? rows[rows.length - 1]!.id : "";
      const where = last ? `, where: { id_gt: "${last}" }` : "";
      const page = (await post(`{ rows: ${field.name}(first: 1000, orderBy: id, orderDirection: asc${where}) { ${selection} } }`)).rows as { id: string }[];
      rows.push(...page);
      if (page.length < 1000) break;
    }
    out[field.name] = rows;
  }
  return out;
}

async function waitIndexed(url: string, head: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await indexedBlock(url)) < head) {
    if (Date.now() > deadline) throw new Error(`${url} did not index block ${head} within ${timeoutMs} ms (at ${await indexedBlock(url)})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe("e2e: crash suite (kill -9 of npm start at random moments)", function () {
  this.timeout(KILLS * 180_000 + 600_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-crash-"));
  const acks: Ack[] = [];
  /** Answers that are wrong whatever the kills (a relayed transaction that did not succeed). */
  const problems: string[] = [];
  /** Why client requests failed (expected around each kill), by message. */
  const failures = new Map<string, number>();
  let workId = 0n;
  let offerId = 0n;
  let offerPrice = 0n;

  after(() => {
    if (process.env.TANTIEME_KEEP_DATA !== "1") fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs clients until `signal` aborts; every acknowledged transaction is recorded in `acks`. */
  async function workload(stack: LaunchedStack, apiKey: string, rand: () => number, signal: AbortSignal): Promise<void> {
    const provider = rpcProvider(stack.rpcUrl, 31337, { batchMaxCount: 1 });
    const licensingAddress = (JSON.parse(fs.readFileSync(path.join(dataDir, "ignition", "deployments", "chain-31337", "deployed_addresses.json"), "utf8")) as Record<string, string>)[
      Object.keys(JSON.parse(fs.readFileSync(path.join(dataDir, "ignition", "deployments", "chain-31337", "deployed_addresses.json"), "utf8")) as Record<string, string>).find((k) => k.endsWith("#Licensing"))!
    ]!;
    const licensing = Licensing__factory.connect(licensingAddress, provider);
    const split = [accounts[1]!.address, accounts[2]!.address, accounts[3]!.address]
      .map((a, i) => [a, [5000, 3000, 2000][i]!] as const)
      .sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));

    const send = async (signer: ethers.Wallet, nonce: number, what: string, populated: ethers.ContractTransaction, value = 0n): Promise<boolean> => {
      let gas: bigint;
      try {
        gas = await provider.estimateGas({ ...populated, from: signer.address, value });
      } catch {
        return false; // would revert (e.g. nothing to withdraw yet): not sent
      }
      const fees = await provider.getBlock("latest");
      const signed = await signer.signTransaction({ ...populated, type: 2, chainId: 31337, nonce, value, gasLimit: (gas * 12n) / 10n, maxFeePerGas: fees!.baseFeePerGas! * 2n + 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n });
      const viaApi = rand() < 0.3;
      let hash: string;
      if (viaApi) {
        const res = await fetch(stack.apiUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query: SUBMIT, variables: { tx: signed } }), signal });
        const body = (await res.json()) as { data?: { submitTransaction: { hash: string; status: string } }; errors?: unknown };
        if (!body.data) throw new Error(`submitTransaction: ${JSON.stringify(body.errors)}`);
        if (body.data.submitTransaction.status !== "SUCCESS") problems.push(`${what} ${body.data.submitTransaction.hash}: ${body.data.submitTransaction.status}`);
        hash = body.data.submitTransaction.hash;
      } else {
        hash = (await provider.send("eth_sendRawTransaction", [signed])) as string;
      }
      const ack: Ack = { hash, what, via: viaApi ? "api" : "rpc", blockHash: null };
      acks.push(ack);
      const receipt = await provider.getTransactionReceipt(hash).catch(() => null);
      if (receipt) ack.blockHash = receipt.blockHash;
      return true;
    };

    const client = async (index: number, step: (signer: ethers.Wallet, nonce: number) => Promise<boolean>) => {
      const signer = new ethers.Wallet(accounts[index]!.privateKey, provider);
      let nonce = await provider.getTransactionCount(signer.address, "latest");
      while (!signal.aborted) {
        if (await step(signer, nonce)) nonce++;
        else await new Promise((r) => setTimeout(r, 100));
      }
    };
    const clients = [
      // A platform and a café buy licences.
      client(5, (s, n) => send(s, n, "purchase", { to: licensingAddress, data: licensing.interface.encodeFunctionData("purchase", [offerId, accounts[6]!.address]) } as ethers.ContractTransaction, offerPrice)),
      client(6, (s, n) => send(s, n, "purchase", { to: licensingAddress, data: licensing.interface.encodeFunctionData("purchase", [offerId, s.address]) } as ethers.ContractTransaction, offerPrice)),
      // The musician publishes offers.
      client(1, (s, n) =>
        send(s, n, "offer", {
          to: licensingAddress,
          data: licensing.interface.encodeFunctionData("createOffer", [
            { workId, rights: 1, territoryMode: 0, countries: [], duration: 86_400, startDate: 0, price: 10n ** 15n, currency: ethers.ZeroAddress, cap: 0, exclusive: false, transferable: false, revocableFor: 0, noticePeriod: 0, uri: "ipfs://QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH" },
          ]),
        } as ethers.ContractTransaction),
      ),
      // The co-writer distributes the revenue and withdraws.
      client(2, async (s, n) =>
        (await send(s, n, "distribute", { to: licensingAddress, data: licensing.interface.encodeFunctionData("distribute", [workId, 1, { recipients: split.map(([a]) => a), shares: split.map(([, b]) => b) }, ethers.ZeroAddress]) } as ethers.ContractTransaction)) ||
        send(s, n, "withdraw", { to: licensingAddress, data: licensing.interface.encodeFunctionData("withdraw", [s.address, ethers.ZeroAddress]) } as ethers.ContractTransaction),
      ),
    ];
    // A killed stack makes the clients fail: that is the point; only acknowledged work counts.
    for (const r of await Promise.allSettled(clients)) {
      if (r.status === "rejected") {
        const message = String((r.reason as Error)?.message ?? r.reason).slice(0, 80);
        failures.set(message, (failures.get(message) ?? 0) + 1);
      }
    }
    provider.destroy();
  }

  async function verifyAcks(rpcUrl: string): Promise<{ lost: Ack[]; moved: Ack[] }> {
    const provider = rpcProvider(rpcUrl, 31337);
    const lost: Ack[] = [];
    const moved: Ack[] = [];
    // Sixteen receipts in flight at a time: a thousand acknowledgements are checked in about a second.
    let next = 0;
    const worker = async () => {
      while (next < acks.length) {
        const ack = acks[next++]!;
        const receipt = await provider.getTransactionReceipt(ack.hash);
        if (!receipt) lost.push(ack);
        else if (ack.blockHash && receipt.blockHash !== ack.blockHash) moved.push(ack);
        else ack.blockHash = receipt.blockHash;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    provider.destroy();
    return { lost, moved };
  }

  it("behavior: every acknowledged transaction survives ≥ 10 kill -9 of the stack, and the index equals a clean re-index", async () => {
    console.log(`    crash suite: seed ${SEED} (TANTIEME_CRASH_SEED=${SEED} replays it), ${KILLS} kills, data in ${dataDir}`);
    const rand = prng(SEED);
    // The first start seeds the catalogue and is not killed: the workload buys from its offers.
    const first = await startStackProcess({ dataDir, seed: true });
    const seedOffer = first.output.map((l) => /seed: offer (\d+) on work (\d+)/.exec(l)).find((m) => m !== null)!;
    offerId = BigInt(seedOffer[1]!);
    workId = BigInt(seedOffer[2]!);
    offerPrice = ethers.parseEther("0.01");
    let kills = 0;
    let killedStarting = 0;
    let stack: LaunchedStack = first as unknown as LaunchedStack;
    let apiKey = first.apiKey;
    let isReady = true;
    for (;;) {
      // Let it run (or start) for a random while, with the workload on once it is ready, then kill -9.
      const duringStart = !isReady;
      const aborter = new AbortController();
      const runFor = duringStart ? 2_000 + rand() * 25_000 : 3_000 + rand() * 9_000;
      let load: Promise<void> = Promise.resolve();
      const killAt = new Promise<void>((r) => setTimeout(r, runFor));
      if (isReady) load = workload(stack, apiKey, rand, aborter.signal);
      else {
        // Killed while starting — or, if it gets ready before the moment comes, under load.
        void stack.ready.then((key) => {
          if (aborter.signal.aborted) return;
          apiKey = key;
          load = workload(stack, key, rand, aborter.signal);
        }, () => undefined);
      }
      await killAt;
      const phase = stack.output.some((l) => l.startsWith("Ctrl-C stops everything")) ? "running" : "starting";
      await stack.kill9();
      aborter.abort();
      await load;
      kills++;
      if (phase === "starting") killedStarting++;
      // Nothing of the killed stack keeps listening (its chain and indexer exit with it).
      const open = await waitPortsClosed([stack.ports.rpc, stack.ports.graph, stack.ports.status, stack.ports.api]);
      expect(open, `ports still open after kill ${kills}`).to.deep.equal([]);
      console.log(`    kill ${kills} while ${phase} after ${(runFor / 1000).toFixed(1)} s: ${acks.length} acknowledged so far`);

      // Restart on the same folder; every acknowledged transaction must be there.
      if (kills >= KILLS) break;
      const restartedAt = Date.now();
      stack = await launchStackProcess({ dataDir, seed: true });
      isReady = rand() < 0.7;
      if (isReady) {
        apiKey = await stack.ready;
        const readyAt = Date.now();
        const { lost, moved } = await verifyAcks(stack.rpcUrl);
        console.log(`    restart ${kills}: ready in ${((readyAt - restartedAt) / 1000).toFixed(1)} s, ${acks.length} acknowledgements checked in ${((Date.now() - readyAt) / 1000).toFixed(1)} s`);
        expect(lost, `lost after kill ${kills}`).to.deep.equal([]);
        expect(moved, `moved after kill ${kills}`).to.deep.equal([]);
      }
    }

    // The last restart: every acknowledged transaction, then the index against a clean re-index.
    const final = await startStackProcess({ dataDir, seed: true });
    try {
      const { lost, moved } = await verifyAcks(final.rpcUrl);
      const byKind = acks.reduce<Record<string, number>>((m, a) => ({ ...m, [a.what]: (m[a.what] ?? 0) + 1 }), {});
      console.log(`    kills: ${kills} (${killedStarting} while starting), acknowledged: ${acks.length} (${JSON.stringify(byKind)}; ${acks.filter((a) => a.via === "api").length} via the API), lost: ${lost.length}, moved: ${moved.length}`);
      console.log(`    client requests cut by the kills: ${JSON.stringify(Object.fromEntries(failures))}`);
      expect(problems).to.deep.equal([]);
      expect(kills).to.be.greaterThanOrEqual(KILLS);
      expect(lost).to.deep.equal([]);
      expect(moved).to.deep.equal([]);
      expect(acks.length).to.be.greaterThan(0);

      const provider = rpcProvider(final.rpcUrl, 31337);
      const head = await provider.getBlockNumber();
      provider.destroy();
      await waitIndexed(final.graphUrl, head);
      const cleanDir = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-reindex-"));
      const clean = await startIndexerProcess({
        rpcUrl: final.rpcUrl,
        subgraphDir: path.join(dataDir, "subgraph-src"),
        dataDir: cleanDir,
        ipfsDir: path.join(dataDir, "ipfs"),
        name: "tantieme",
        port: await freePort(),
        statusPort: await freePort(),
        log: () => undefined,
      });
      try {
        await waitIndexed(clean.url, head);
        const [kept, rebuilt] = [await dumpIndex(final.graphUrl), await dumpIndex(clean.url)];
        expect(Object.keys(kept).length).to.be.greaterThan(5);
        expect(kept).to.deep.equal(rebuilt);
      } finally {
        await clean.stop();
        fs.rmSync(cleanDir, { recursive: true, force: true });
      }
    } finally {
      await final.stop();
    }
  });
});
