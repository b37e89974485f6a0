/**
 * A licence's status "now" is never taken before the block the licence was read at. On a chain
 * whose block time runs ahead of the server's clock (a dev chain mining several blocks a second,
 * or here a block an hour ahead), a licence bought in the latest block is Active at once — in
 * `licence`, in `licences(status:)` and in `licenceStatus` — even when the API's last view of the
 * index is older than the purchase: every licence read carries the head it was answered at, and
 * the subgraph client observes it (server/src/subgraph/client.ts). No status cache (the purchase
 * goes straight to the chain, as another wallet's would).
 */
import hre from "hardhat";
import { expect } from "chai";
import type { App } from "../../server/src/app";
import { gql, startStack, type Body, type Stack } from "./helpers/apiStack";
import { KIND, ZERO, cidBytes, mask, RIGHT, split, TERRITORY, wallet } from "../subgraph/mappings/helpers/tantieme";

describe("server/api: licence status now follows the head the licence was read at", function () {
  this.timeout(300_000);
  let stack: Stack;
  let app: App;
  const licensee = wallet(4).address;

  async function ok(query: string): Promise<any> {
    const r: Body = (await gql(app, query, {}, { "x-api-key": stack.reader.key })).body;
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data;
  }
  const STATUS = `{ licenceStatus(work: "1", licensee: "${licensee}", right: Streaming, territory: "DE") { allowed reasons } }`;

  before(async function () {
    stack = await startStack();
    app = stack.makeApp({ STATUS_CACHE_MS: "0" });
    const { d, ipfs, run } = stack;
    const owner = d.signers[1]!;
    const cid = await ipfs.addJson({ title: "Ahead of the clock" });
    await (await d.works.connect(owner).register(KIND.SoundRecording, cidBytes(cid), "0x" + "00".repeat(12), split([await owner.getAddress(), 10000]))).wait();
    await (await d.licensing.connect(owner).createOffer({
      workId: 1, rights: mask(RIGHT.Streaming), territoryMode: TERRITORY.Worldwide, countries: [], duration: 0, startDate: 0, price: 0, currency: ZERO,
      cap: 0, exclusive: false, transferable: false, revocableFor: 0, noticePeriod: 0, uri: "",
    })).wait();
    await run.synced();
  });

  after(async function () {
    await stack?.close();
  });

  it("behavior: a licence bought in a block an hour ahead of the clock is Active in every read", async function () {
    // The API sees the index before the purchase (its last head is behind the licence's block).
    expect((await ok(STATUS)).licenceStatus).to.deep.equal({ allowed: false, reasons: ["NO_LICENCE"] });

    const ahead = Math.floor(Date.now() / 1000) + 3600;
    await hre.network.provider.send("evm_setNextBlockTimestamp", [ahead]);
    await (await stack.d.licensing.connect(stack.d.signers[4]!).purchase(1, licensee)).wait();
    await stack.run.synced();

    // Read first by id, then filtered by status, then by the decision: each is Active at once.
    expect((await ok(`{ licence(id: "1") { start status } }`)).licence).to.deep.equal({ start: String(ahead), status: "Active" });
    expect((await ok(`{ licences(licensee: "${licensee}", status: Active) { id status } }`)).licences).to.deep.equal([{ id: "1", status: "Active" }]);
    expect((await ok(`{ licences(licensee: "${licensee}", status: Scheduled) { id } }`)).licences).to.deep.equal([]);
    expect((await ok(STATUS)).licenceStatus).to.deep.equal({ allowed: true, reasons: [] });
  });

  it("behavior: a fresh app whose first read is the status filter takes the index's head before filtering", async function () {
    const fresh = stack.makeApp({ STATUS_CACHE_MS: "0" });
    const r: Body = (await gql(fresh, `{ licences(licensee: "${licensee}", status: Active) { id status } }`, {}, { "x-api-key": stack.reader.key })).body;
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    expect(r.data.licences).to.deep.equal([{ id: "1", status: "Active" }]);
  });
});
