import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { buildProbeSubgraph } from "../fixtures/build";
import { startIndexer, type Indexer } from "../../../subgraph/runtime/indexer";
import { ChainFollower } from "../../../subgraph/runtime/ingest/follower";
import { ChainRpc } from "../../../subgraph/runtime/ingest/rpc";
import { loadManifest } from "../../../subgraph/runtime/manifest";
import { openStore } from "../../../subgraph/runtime/store";
import { checkFulltextIndexes, dumpDatabase, versionCount } from "./dump";
import { deployProbe, mine, resetChain, startLocalChain, type LocalChain } from "./chain";

const PROBE = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** Waits for `cond`; the bound catches a hang (a busy machine is slow, not stuck). */
async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function gql(indexer: Indexer, query: string): Promise<any> {
  const res = await fetch(indexer.server!.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return res.json();
}

describe("subgraph/ingest", function () {
  let chain: LocalChain;
  let manifest: string;
  let dir: string;
  const open: Indexer[] = [];

  before(async function () {
    this.timeout(600_000); // the probe build, when it is not cached yet
    manifest = buildProbeSubgraph();
    chain = await startLocalChain();
  });
  after(async () => {
    await chain.close();
  });
  beforeEach(async () => {
    await resetChain();
    dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-ingest-"));
  });
  afterEach(async () => {
    for (const i of open.splice(0)) await i.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function index(extra: Partial<Parameters<typeof startIndexer>[0]> = {}): Promise<Indexer> {
    const i = await startIndexer({ rpcUrl: chain.url, subgraph: manifest, dataDir: dir, name: "probe", port: 0, statusPort: null, reorgThreshold: 2, pollIntervalMs: 50, progressIntervalMs: 0, log: () => {}, ...extra });
    open.push(i);
    return i;
  }

  it("default: indexes pings from a real chain and answers through GraphQL", async () => {
    const probe = await deployProbe();
    expect((await probe.getAddress()).toLowerCase()).to.equal(PROBE.toLowerCase());
    const [a, b] = await hre.ethers.getSigners();
    await (await probe.connect(a).ping(1, "héllo", "0x00ff", -1500)).wait();
    await (await probe.connect(b).ping(2n ** 255n, "", "0x", 7)).wait();
    await (await probe.connect(a).pingMany(10, 3)).wait();
    // A second emitter that is not in the manifest: ignored.
    const other = await deployProbe();
    await (await other.ping(99, "ignored", "0x", 0)).wait();
    await mine(5);
    const indexer = await index();
    const head = Number(await hre.network.provider.send("eth_blockNumber", []));
    await waitFor(() => (indexer.store.state().head?.number ?? 0) >= head - 2, "indexing");
    const res = await gql(indexer, `{ counters(orderBy: count) { id count total lastNote } pingEvents(first: 10, orderBy: logIndex) { n note data delta from roundTrip dataHash } }`);
    expect(res.errors).to.equal(undefined);
    expect(res.data.counters).to.deep.equal([
      // graph-ts codegen unsets a nullable field for an empty string (`if (!value)`), as on graph-node.
      { id: b.address.toLowerCase(), count: "1", total: "0.007", lastNote: null },
      { id: a.address.toLowerCase(), count: "4", total: "-1.503", lastNote: "many" },
    ]);
    const ns = res.data.pingEvents.map((p: { n: string }) => p.n).sort();
    expect(ns).to.deep.equal(["1", "10", "11", "12", (2n ** 255n).toString()].sort());
    // @fulltext (probe schema: pingSearch over PingEvent.note, English) through graph-cli's build.
    const found = await gql(indexer, `{ pingSearch(text: "héllo | many") { n note } }`);
    expect(found.errors).to.equal(undefined);
    expect(found.data.pingSearch.map((p: { n: string }) => p.n).sort()).to.deep.equal(["1", "10", "11", "12"]);
    const first = res.data.pingEvents.find((p: { n: string }) => p.n === "1");
    expect(first).to.include({ note: "héllo", data: "0x00ff", delta: "-1500", roundTrip: "1:héllo", dataHash: hre.ethers.keccak256("0x00ff") });
  });

  it("behavior: follows the head, creates template data sources that see their block's later logs", async () => {
    const probe = await deployProbe();
    const indexer = await index();
    await (await probe.ping(1, "x", "0x", 1)).wait();
    const tx = await probe.spawnAndTick("kid", 42);
    const receipt = (await tx.wait())!;
    const child = receipt.logs.map((l) => probe.interface.parseLog(l)).find((p) => p?.name === "Spawned")!.args.child as string;
    const childC = await hre.ethers.getContractAt("ProbeChild", child);
    await (await childC.tick(43)).wait();
    await mine(3);
    const head = Number(await hre.network.provider.send("eth_blockNumber", []));
    await waitFor(() => (indexer.store.state().head?.number ?? 0) >= head - 2, "head following");
    const plural = indexer.manifest.schema.entityTypes.get("Child")!.plural;
    const res = await gql(indexer, `{ ${plural} { id label parent network ticks lastTick spawnGasUsed } }`);
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data[plural]).to.deep.equal([
      { id: child.toLowerCase(), label: "kid", parent: PROBE.toLowerCase(), network: "hardhat", ticks: "2", lastTick: "43", spawnGasUsed: receipt.gasUsed.toString() },
    ]);
    expect(indexer.store.dynamicDataSources().map((d) => d.address)).to.deep.equal([child.toLowerCase()]);
  });

  it("behavior: a reorg (evm_snapshot/evm_revert, then different blocks) reverts to the common ancestor", async () => {
    const probe = await deployProbe();
    const [a] = await hre.ethers.getSigners();
    await (await probe.ping(1, "kept", "0x", 1)).wait();
    const indexer = await index({ statusPort: 0 });
    const snapshot = await hre.network.provider.send("evm_snapshot", []);
    await (await probe.ping(2, "orphaned", "0x", 2)).wait();
    await (await probe.ping(3, "orphaned", "0x", 3)).wait();
    let head = Number(await hre.network.provider.send("eth_blockNumber", []));
    await waitFor(() => (indexer.store.state().head?.number ?? 0) >= head, "indexing the doomed branch");
    expect((await gql(indexer, `{ counters { count lastNote } }`)).data.counters).to.deep.equal([{ count: "3", lastNote: "orphaned" }]);
    await hre.network.provider.send("evm_revert", [snapshot]);
    await (await probe.ping(4, "new", "0x", 4)).wait();
    await mine(3);
    head = Number(await hre.network.provider.send("eth_blockNumber", []));
    const newHash = (await hre.ethers.provider.getBlock(head))!.hash!;
    await waitFor(() => indexer.store.state().head?.hash === newHash.toLowerCase(), "following the new branch");
    const res = await gql(indexer, `{ counters { count lastNote total } pingEvents(orderBy: n) { n note } }`);
    expect(res.data.counters).to.deep.equal([{ count: "2", lastNote: "new", total: "0.005" }]);
    expect(res.data.pingEvents).to.deep.equal([{ n: "1", note: "kept" }, { n: "4", note: "new" }]);
    // @fulltext through the revert (graph-node: the tsvector is a column of each reverted row).
    const search = await gql(indexer, `{ orphans: pingSearch(text: "orphaned") { n } kept: pingSearch(text: "kept | new") { n note } }`);
    expect(search.data.orphans).to.deep.equal([]);
    expect(search.data.kept.map((p: { n: string }) => p.n).sort()).to.deep.equal(["1", "4"]);
    // graph-node reverts one block at a time: two abandoned blocks, two reverts.
    expect(indexer.store.state().reorgCount).to.equal(2);
    expect(a).to.not.equal(undefined);
    // The index-node status API reports the chain head with its hash.
    await waitFor(() => indexer.follower.stats.chainHead === head, "chain head poll");
    const status = await fetch(indexer.server!.statusUrl!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ indexingStatuses { chains { chainHeadBlock { number hash } latestBlock { number hash } } } }" }) }).then((r) => r.json());
    expect(status.data.indexingStatuses[0].chains[0].chainHeadBlock).to.deep.equal({ number: String(head), hash: newHash.toLowerCase() });
    // Every entity version equals a clean index of the new chain.
    const reverted = indexer.store.file;
    await indexer.stop();
    open.splice(open.indexOf(indexer), 1);
    const cleanDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-ingest-clean-"));
    try {
      const clean = await index({ dataDir: cleanDir, statusPort: null });
      await waitFor(() => clean.store.state().head?.hash === newHash.toLowerCase(), "clean index");
      await clean.stop();
      open.splice(open.indexOf(clean), 1);
      expect(checkFulltextIndexes(reverted)).to.have.length(1);
      const got = dumpDatabase(reverted);
      expect(versionCount(got)).to.be.greaterThan(0);
      expect(got).to.deep.equal(dumpDatabase(clean.store.file));
    } finally {
      rmSync(cleanDir, { recursive: true, force: true });
    }
  });

  it("behavior: timeseries points of a real chain roll up into @aggregation buckets when a block enters a later hour; a reorg takes the rollup back", async () => {
    // graph-node: store/postgres/src/relational.rs Layout::rollup (a bucket is written with the first
    // block of a later bucket), relational/rollup.rs (count, sum, max, cumulative count per dimension),
    // docs/aggregations.md (`current: include`).
    const probe = await deployProbe();
    const [a, b] = await hre.ethers.getSigners();
    const latest = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
    const hour0 = (Math.floor(latest / 3600) + 1) * 3600;
    const at = (t: number) => hre.network.provider.send("evm_setNextBlockTimestamp", [t]);
    await at(hour0 + 10);
    await (await probe.connect(a).ping(1, "x", "0x", 5)).wait();
    await at(hour0 + 20);
    await (await probe.connect(b).ping(2, "y", "0x", -2)).wait();
    await at(hour0 + 30);
    await (await probe.connect(a).ping(3, "z", "0x", 7)).wait();
    const indexer = await index();
    const plural = indexer.manifest.schema.aggregations.get("PingStats")!.plural;
    const synced = async (what: string) => {
      const head = Number(await hre.network.provider.send("eth_blockNumber", []));
      const hash = (await hre.ethers.provider.getBlock(head))!.hash!.toLowerCase();
      await waitFor(() => indexer.store.state().head?.hash === hash, what);
    };
    const stats = async (args = "") => {
      const r = await gql(indexer, `{ ${plural}(interval: hour, orderBy: sender${args}) { timestamp sender pings deltaSum deltaMax totalPings } }`);
      expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
      return r.data[plural];
    };
    const ts = String(BigInt(hour0) * 1_000_000n);
    // One row per sender (the dimension), ordered by sender.
    const rows = (...r: Array<[string, number, number, number]>) =>
      r
        .map(([addr, pings, sum, max]) => ({ timestamp: ts, sender: addr.toLowerCase(), pings: String(pings), deltaSum: String(sum), deltaMax: String(max), totalPings: String(pings) }))
        .sort((x, y) => (x.sender < y.sender ? -1 : 1));
    await synced("the first hour");
    expect(await stats()).to.deep.equal([]);
    expect(await stats(", current: include")).to.deep.equal(rows([a.address, 2, 12, 7], [b.address, 1, -2, -2]));
    const snapshot = await hre.network.provider.send("evm_snapshot", []);
    await at(hour0 + 3600 + 5);
    await (await probe.connect(a).ping(4, "w", "0x", 1)).wait();
    await synced("the next hour");
    expect(await stats()).to.deep.equal(rows([a.address, 2, 12, 7], [b.address, 1, -2, -2]));
    // Reorg back into the first hour: the rollup goes with the block that wrote it.
    await hre.network.provider.send("evm_revert", [snapshot]);
    await at(hour0 + 40);
    await (await probe.connect(b).ping(5, "v", "0x", 100)).wait();
    await mine(3);
    await synced("the new branch");
    expect(await stats()).to.deep.equal([]);
    await at(hour0 + 3 * 3600);
    await mine(1);
    await synced("three hours later");
    expect(await stats()).to.deep.equal(rows([a.address, 2, 12, 7], [b.address, 2, 98, 100]));
  });

  it("behavior: catch-up ranges share one store transaction until it holds batchEvents events; other connections see whole groups", async () => {
    const probe = await deployProbe();
    // The follower starts with a one-block range and maxRange keeps it there: one block each.
    const pings: number[] = [];
    for (let i = 0; i < 6; i++) pings.push((await (await probe.ping(i, "x", "0x", 0)).wait())!.blockNumber);
    await mine(5);
    const m = loadManifest(manifest);
    const store = openStore({ dir, schema: m.schema, deploymentId: "probe", network: m.dataSources[0].network, startBlock: Math.min(...m.dataSources.map((d) => d.startBlock)) });
    const rpc = await ChainRpc.connect(chain.url);
    // At each ping's block (one-block ranges): the head another connection sees, i.e. what is committed.
    const committed: Array<number | null> = [];
    const follower = new ChainFollower({
      manifest: m, store, rpc, reorgThreshold: 2, pollIntervalMs: 50, maxRange: 1, batchEvents: 2, batchMaxMs: 600_000,
      onBlock: ({ events }) => {
        if (events > 0) committed.push(dumpDatabase(store.file).head?.number ?? null);
      },
    });
    try {
      void follower.start();
      const head = Number(await hre.network.provider.send("eth_blockNumber", []));
      await waitFor(() => (dumpDatabase(store.file).head?.number ?? 0) >= head - 2, "the catch-up to be committed");
      // Pings 1–2 in the first transaction, 3–4 in the second, 5–6 in the third: each group becomes
      // visible as a whole once its second event's range ends.
      expect(committed).to.have.length(6);
      expect(committed[0]).to.equal(committed[1]);
      expect(committed[0] === null || committed[0] < pings[0]).to.equal(true);
      expect(committed.slice(2)).to.deep.equal([pings[1], pings[1], pings[3], pings[3]]);
    } finally {
      await follower.stop();
      rpc.destroy();
      store.close();
    }
  });

  it("behavior: catch-up starts with a one-block range, at most doubles it, and lets the event loop run between blocks", async () => {
    const probe = await deployProbe();
    for (let i = 0; i < 12; i++) await (await probe.ping(i, "y", "0x", 0)).wait();
    await mine(3);
    const m = loadManifest(manifest);
    const store = openStore({ dir, schema: m.schema, deploymentId: "probe", network: m.dataSources[0].network, startBlock: Math.min(...m.dataSources.map((d) => d.startBlock)) });
    const rpc = await ChainRpc.connect(chain.url);
    const ranges: [number, number][] = [];
    const logs = rpc.logs.bind(rpc);
    rpc.logs = (filter) => {
      if (filter.fromBlock !== undefined) ranges.push([filter.fromBlock, filter.toBlock!]);
      return logs(filter);
    };
    // A macrotask that re-arms itself: it advances only when the follower yields to the event loop.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    const follower = new ChainFollower({ manifest: m, store, rpc, reorgThreshold: 2, pollIntervalMs: 50, onBlock: ({ events }) => events > 0 && seen.push(turns) });
    try {
      void follower.start();
      const head = Number(await hre.network.provider.send("eth_blockNumber", []));
      await waitFor(() => (store.state().head?.number ?? 0) >= head - 2, "the catch-up");
      const sizes = ranges.map(([from, to]) => to - from + 1);
      expect(sizes[0]).to.equal(1);
      for (let i = 1; i < sizes.length; i++) expect(sizes[i], `range ${i}`).to.be.at.most(2 * sizes[i - 1]);
      expect(sizes.some((n) => n > 1), "a range of several blocks").to.equal(true);
      expect(seen.length).to.be.at.least(12);
      for (let i = 1; i < seen.length; i++) expect(seen[i], `event loop turns before block ${i}`).to.be.above(seen[i - 1]);
    } finally {
      ticking = false;
      await follower.stop();
      rpc.destroy();
      store.close();
    }
  });

  it("error: re-inserting an immutable entity in a later block names both blocks, like graph-node", async () => {
    const probe = await deployProbe();
    const first = await (await probe.boom(5)).wait();
    const second = await (await probe.boom(5)).wait();
    await mine(3);
    const indexer = await index();
    await indexer.done;
    const fatal = indexer.store.state().fatalError;
    expect(fatal?.block.number).to.equal(second!.blockNumber);
    expect(fatal?.message).to.equal(
      `entity Fact[boom-once] is immutable; inserting it at block ${second!.blockNumber} is not possible as it was already inserted at block ${first!.blockNumber}`,
    );
    expect(fatal?.deterministic).to.equal(true);
  });

  it("error: a deterministic mapping error fails the subgraph at that block and keeps the state consistent", async () => {
    const probe = await deployProbe();
    await (await probe.ping(1, "before", "0x", 1)).wait();
    const boom = await (await probe.boom(0)).wait();
    await (await probe.ping(2, "after", "0x", 1)).wait();
    await mine(3);
    const indexer = await index();
    await indexer.done;
    const state = indexer.store.state();
    expect(state.fatalError?.block.number).to.equal(boom!.blockNumber);
    expect(state.fatalError?.message).to.match(/Critical error logged in mapping with log message: boom 0 at block/);
    expect(state.fatalError?.deterministic).to.equal(true);
    expect(state.fatalError?.handler).to.equal("handleBoom");
    const res = await gql(indexer, `{ counters { count lastNote } facts { id } _meta { hasIndexingErrors } }`);
    expect(res.errors).to.deep.equal([{ message: "indexing_error" }]);
    const allowed = await gql(indexer, `{ counters(subgraphError: allow) { count lastNote } facts(subgraphError: allow) { id } }`);
    expect(allowed.data).to.deep.equal({ counters: [{ count: "1", lastNote: "before" }], facts: [] });
  });

  // The same probe built by graph-cli with `features: [nonFatalErrors]`. graph-node:
  // runtime/wasm/src/module/instance.rs (the failing handler's changes discarded, the trigger
  // skipped), core/src/subgraph/runner/mod.rs transact_block_state (errors_are_non_fatal: the
  // block's other changes and the error are committed, indexing goes on), graphql/src/store/resolver.rs.
  it("behavior: nonFatalErrors: a failing handler's writes are discarded, the block's other handlers and later blocks are indexed", async () => {
    const nonFatal = buildProbeSubgraph(["nonFatalErrors"]);
    const probe = await deployProbe();
    const [a] = await hre.ethers.getSigners();
    await (await probe.ping(1, "before", "0x", 1)).wait();
    await hre.network.provider.send("evm_setAutomine", [false]);
    let boomBlock: number;
    try {
      const boom = await probe.boom(1); // Fact "boom" saved, then assert(false): the save is discarded
      const same = await probe.ping(2, "same block", "0x", 1);
      await hre.network.provider.send("evm_mine", []);
      const [r1, r2] = await Promise.all([boom.wait(), same.wait()]);
      expect(r1!.blockNumber).to.equal(r2!.blockNumber);
      boomBlock = r1!.blockNumber;
    } finally {
      await hre.network.provider.send("evm_setAutomine", [true]);
    }
    await (await probe.ping(3, "after", "0x", 1)).wait();
    await mine(3);
    const indexer = await index({ subgraph: nonFatal, statusPort: 0 });
    const head = Number(await hre.network.provider.send("eth_blockNumber", []));
    await waitFor(() => (indexer.store.state().head?.number ?? 0) >= head - 2, "indexing past the error");
    const state = indexer.store.state();
    expect(state.fatalError).to.equal(null);
    expect(state.firstErrorBlock).to.equal(boomBlock);
    const [err] = indexer.store.nonFatalErrors();
    expect(err).to.deep.include({ handler: "handleBoom", deterministic: true });
    expect(err!.block.number).to.equal(boomBlock);
    expect(err!.message).to.match(/boom asserted/);
    expect(await gql(indexer, `{ counters { count } }`)).to.deep.equal({ errors: [{ message: "indexing_error" }] });
    expect(await gql(indexer, `{ _meta { hasIndexingErrors } }`)).to.deep.equal({ data: { _meta: { hasIndexingErrors: true } } });
    const allowed = await gql(indexer, `{ counters(subgraphError: allow) { id count lastNote } facts(subgraphError: allow) { id } }`);
    expect(allowed).to.deep.equal({
      data: { counters: [{ id: a.address.toLowerCase(), count: "3", lastNote: "after" }], facts: [] },
      errors: [{ message: "indexing_error" }],
    });
    const before = await gql(indexer, `{ counters(block: { number: ${boomBlock - 1} }) { count } _meta(block: { number: ${boomBlock - 1} }) { hasIndexingErrors } }`);
    expect(before).to.deep.equal({ data: { counters: [{ count: "1" }], _meta: { hasIndexingErrors: false } } });
    const status = await fetch(indexer.server!.statusUrl!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ indexingStatuses { health fatalError { message } nonFatalErrors { handler block { number } } } }` }),
    });
    expect(await status.json()).to.deep.equal({
      data: { indexingStatuses: [{ health: "unhealthy", fatalError: null, nonFatalErrors: [{ handler: "handleBoom", block: { number: String(boomBlock) } }] }] },
    });
  });
});
