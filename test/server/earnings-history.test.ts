/**
 * Revenue and earnings series end to end: real Works and Licensing contracts on Hardhat's network
 * (block times set across an hour boundary), the compiled tantieme subgraph on the embedded indexer
 * (timeseries RevenuePoint/EarningPoint rolled up into the WorkRevenueStat, CurrencyRevenueStat and
 * AccountEarningStat aggregations as graph-node does: docs/aggregations.md,
 * store/postgres/src/relational/rollup.rs), and the API's `earningsHistory` over yoga.fetch.
 */
import { expect } from "chai";
import hre from "hardhat";
import { parseEther, type ContractTransactionResponse } from "ethers";
import type { App } from "../../server/src/app";
import { buildTantiemeSubgraph } from "../subgraph/mappings/helpers/build";
import { appOnStack, stackConfig } from "./helpers/apiStack";
import { KIND, RIGHT, TERRITORY, ZERO, cidBytes, deployTantieme, index, lower, mask, openIpfs, split, startChain, type Deployment, type Ipfs, type LocalChain, type Running } from "../subgraph/mappings/helpers/tantieme";

const HOUR = 3600;
const us = (s: number) => String(BigInt(s) * 1_000_000n);

describe("server/earningsHistory (real chain, compiled subgraph, aggregations)", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  let app: App;
  let hour0: number;
  /** Lower-case addresses (subgraph ids) and checksummed ones (API arguments). */
  const who: Record<string, string> = {};
  const addr: Record<string, string> = {};
  const NET = parseEther("0.975"); // 1 ETH less the 2.5 % protocol fee
  const ALICE_1 = (NET * 7000n) / 10000n;
  const BOB_1 = (NET * 3000n) / 10000n;

  const at = (t: number) => hre.network.provider.send("evm_setNextBlockTimestamp", [t]);
  const mined = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!;

  async function api(query: string): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }> }> {
    const res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    return res.json();
  }

  before(async function () {
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    d = await deployTantieme();
    const [admin, alice, bob, , dave, erin, frank] = d.signers;
    for (const [k, s] of Object.entries({ alice, bob, dave, erin })) {
      addr[k] = await s.getAddress();
      who[k] = lower(addr[k]);
    }
    const { works, licensing } = d;
    // The protocol fee is scheduled through Governance and applies FEE_DELAY (7 days) later.
    const governance = await hre.ethers.getContractAt("Governance", await licensing.governance());
    await mined(governance.connect(admin).setProtocolFee(250));
    await hre.network.provider.send("evm_increaseTime", [7 * 86400]);
    await hre.network.provider.send("evm_mine", []);
    // Three hours into the next day: both hours below are in one day.
    const latest = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
    hour0 = (Math.floor(latest / 86400) + 1) * 86400 + 3 * HOUR;

    const cid = await ipfs.addJson({ title: "Night Drive", artists: [{ name: "Ada" }] });
    const s1 = split([who.alice, 7000], [who.bob, 3000]);
    await mined(works.connect(alice).register(KIND.SoundRecording, cidBytes(cid), "0x" + "00".repeat(12), s1));
    await mined(licensing.connect(alice).createOffer({
      workId: 1, rights: mask(RIGHT.Streaming), territoryMode: TERRITORY.Worldwide, countries: [],
      duration: 0, startDate: 0, price: parseEther("1"), currency: ZERO, cap: 0, exclusive: false, transferable: false, revocableFor: 0, noticePeriod: 0, uri: "",
    }));
    // Hour 0: a sale and its distribution.
    await at(hour0 + 10);
    await mined(licensing.connect(erin).purchase(1, who.dave, { value: parseEther("1") }));
    await at(hour0 + 20);
    await mined(licensing.connect(frank).distribute(1, 1, s1, ZERO));
    // Hour 1 (the first block in it rolls hour 0 up): another sale and distribution.
    await at(hour0 + HOUR + 5);
    await mined(licensing.connect(dave).purchase(1, who.erin, { value: parseEther("1") }));
    await at(hour0 + HOUR + 10);
    await mined(licensing.connect(frank).distribute(1, 1, s1, ZERO));

    run = await index(chain, ipfs, manifest);
    await run.synced();
    const parts = { chain, ipfs, run };
    app = appOnStack(parts, stackConfig(parts, { NODE_ENV: "test", API_KEYS: "[]" }));
  });

  after(async () => {
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
  });

  it("default: the subgraph rolls revenue per work and per currency, and royalties per account, up by the hour", async () => {
    const work = "0x" + (1).toString(16).padStart(64, "0");
    const r = await run.gql(`{
      workRevenueStats(interval: hour) { timestamp work { id } currency { id } gross net licences totalGross }
      currencyRevenueStats(interval: hour, current: include) { timestamp gross licences totalGross }
      accountEarningStats(interval: hour, current: include, where: { account: "${who.bob}" }) { timestamp amount credits total }
    }`);
    expect(r.workRevenueStats).to.deep.equal([
      { timestamp: us(hour0), work: { id: work }, currency: { id: ZERO }, gross: parseEther("1").toString(), net: NET.toString(), licences: "1", totalGross: parseEther("1").toString() },
    ]);
    expect(r.currencyRevenueStats).to.deep.equal([
      { timestamp: us(hour0 + HOUR), gross: parseEther("1").toString(), licences: "1", totalGross: parseEther("2").toString() },
      { timestamp: us(hour0), gross: parseEther("1").toString(), licences: "1", totalGross: parseEther("1").toString() },
    ]);
    expect(r.accountEarningStats).to.deep.equal([
      { timestamp: us(hour0 + HOUR), amount: BOB_1.toString(), credits: "1", total: (2n * BOB_1).toString() },
      { timestamp: us(hour0), amount: BOB_1.toString(), credits: "1", total: BOB_1.toString() },
    ]);
  });

  it("default: earningsHistory is the account's series, oldest first, the current bucket included", async () => {
    const r = await api(`{ hourly: earningsHistory(account: "${addr.alice}", interval: HOUR) { timestamp currency native amount credits total }
      daily: earningsHistory(account: "${addr.alice}") { timestamp amount credits total } }`);
    expect(r.errors).to.equal(undefined);
    expect(r.data.hourly).to.deep.equal([
      { timestamp: String(hour0), currency: ZERO, native: true, amount: ALICE_1.toString(), credits: 1, total: ALICE_1.toString() },
      { timestamp: String(hour0 + HOUR), currency: ZERO, native: true, amount: ALICE_1.toString(), credits: 1, total: (2n * ALICE_1).toString() },
    ]);
    // Both hours are in one day, which has not ended: its bucket is the current one.
    expect(r.data.daily).to.deep.equal([{ timestamp: String(hour0 - 3 * HOUR), amount: (2n * ALICE_1).toString(), credits: 2, total: (2n * ALICE_1).toString() }]);
  });

  it("args: currency and first narrow the series; an account without credits has an empty one", async () => {
    const r = await api(`{ eth: earningsHistory(account: "${addr.bob}", interval: HOUR, currency: "${ZERO}", first: 1) { timestamp amount }
      other: earningsHistory(account: "${addr.bob}", interval: HOUR, currency: "0x00000000000000000000000000000000000000e2") { timestamp }
      none: earningsHistory(account: "${addr.dave}") { timestamp } }`);
    expect(r.errors).to.equal(undefined);
    expect(r.data).to.deep.equal({ eth: [{ timestamp: String(hour0 + HOUR), amount: BOB_1.toString() }], other: [], none: [] });
  });

  it("error: a bad account, currency or first names the argument", async () => {
    const r1 = await api(`{ earningsHistory(account: "0x12") { timestamp } }`);
    expect(r1.errors![0]!.extensions).to.include({ code: "BAD_USER_INPUT", field: "account" });
    const r2 = await api(`{ earningsHistory(account: "${addr.alice}", currency: "eth") { timestamp } }`);
    expect(r2.errors![0]!.extensions).to.include({ code: "BAD_USER_INPUT", field: "currency" });
    const r3 = await api(`{ earningsHistory(account: "${addr.alice}", first: 0) { timestamp } }`);
    expect(r3.errors![0]!.extensions).to.include({ code: "BAD_USER_INPUT", field: "first" });
  });
});
