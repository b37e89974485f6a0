import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { buildProbeSubgraph } from "../fixtures/build";
import { startIndexer, type Indexer } from "../../../subgraph/runtime/indexer";
import { dumpDatabase, versionCount } from "./dump";
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
      const got = dumpDatabase(reverted);
      expect(versionCount(got)).to.be.greaterThan(0);
      expect(got).to.deep.equal(dumpDatabase(clean.store.file));
    } finally {
      rmSync(cleanDir, { recursive: true, force: true });
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
});
