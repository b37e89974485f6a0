/**
 * Mapping tests: real transactions against the real Works and Licensing contracts on Hardhat's
 * network; their ABI-encoded logs are fetched over JSON-RPC by the embedded runtime and fed to the
 * WASM that `graph build` produced; every handler's entities are then read back through the
 * runtime's GraphQL API and compared field by field with what the transactions did.
 */
import { expect } from "chai";
import hre from "hardhat";
import { Interface, parseEther, type ContractTransactionResponse, type Log, type TransactionReceipt } from "ethers";
import { buildTantiemeSubgraph } from "./helpers/build";
import {
  KIND, PERPETUAL, RIGHT, TERRITORY, ZERO, cidBytes, country, deployTantieme, eventId, index, lower, mask, openIpfs,
  signDigest, split, splitId, startChain, uintId, type Deployment, type Ipfs, type LocalChain, type Running,
} from "./helpers/tantieme";

const YEAR = 365 * 24 * 3600;
const ISRC = "USRC17607839";
const ISWC = "T0345246801";

function bytes12(text: string): string {
  return "0x" + Buffer.from(text, "ascii").toString("hex").padEnd(24, "0");
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  return (await (await tx).wait())!;
}

describe("subgraph/mappings", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  const iface = new Interface([
    ...JSON.parse(JSON.stringify((hre.artifacts.readArtifactSync("Works")).abi)),
    ...hre.artifacts.readArtifactSync("Licensing").abi.filter((f: { type: string; name?: string }) => !(f.type === "event" && f.name === "Transfer")),
  ].filter((f: { type: string }) => f.type === "event"));
  const r: Record<string, TransactionReceipt> = {};
  const who: Record<string, string> = {};
  const cids: Record<string, string> = {};
  let token: string;

  /** The log of `event` in receipt `name` (the n-th one). */
  function logOf(name: string, event: string, n = 0): Log {
    const logs = r[name].logs.filter((l) => iface.parseLog(l)?.name === event);
    expect(logs.length, `${event} in ${name}`).to.be.greaterThan(n);
    return logs[n];
  }
  function idOf(name: string, event: string, n = 0): string {
    const log = logOf(name, event, n);
    return eventId(log.transactionHash, log.index);
  }
  async function timeOf(name: string): Promise<string> {
    return String((await hre.ethers.provider.getBlock(r[name].blockNumber))!.timestamp);
  }

  before(async function () {
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    d = await deployTantieme();
    const [admin, alice, bob, carol, dave, erin, frank] = d.signers;
    for (const [k, s] of Object.entries({ admin, alice, bob, carol, dave, erin, frank })) who[k] = lower(await s.getAddress());
    who.treasury = lower(d.treasury);
    token = lower("0x00000000000000000000000000000000000000e2");
    const { works, licensing } = d;

    cids.w1 = await ipfs.addJson({ schema: "tantieme/sound-recording@1", title: "Night Drive", artists: [{ name: "Ada Lovelace" }, { name: "Bo" }] });
    cids.w1b = await ipfs.addJson({ title: "  Night Drive (Remastered) ", artists: [{ name: "Ada Lovelace" }, "Bo", { role: "x" }, { name: "" }] });
    cids.w2 = await ipfs.addJson({ title: "Carol's Song", writers: [{ name: "Carol King" }], publishers: [{ name: "ignored" }] });
    cids.w3 = (await ipfs.store.add(new TextEncoder().encode("not json"))).cid.toString();

    const governance = await hre.ethers.getContractAt("Governance", await licensing.governance());
    r.fee = await mined(governance.connect(admin).setProtocolFee(250));
    await hre.network.provider.send("evm_increaseTime", [7 * 24 * 3600]); // the fee applies FEE_DELAY later
    const s1 = split([who.alice, 7000], [who.bob, 3000]);
    r.w1 = await mined(works.connect(alice).register(KIND.SoundRecording, cidBytes(cids.w1), bytes12(ISRC), s1));
    r.w2 = await mined(works.connect(carol).register(KIND.Composition, cidBytes(cids.w2), bytes12(ISWC), split([who.carol, 10000])));
    r.w3 = await mined(works.connect(frank).register(KIND.Design, cidBytes(cids.w3), bytes12(""), split([who.frank, 10000])));
    r.meta = await mined(works.connect(alice).updateMetadata(1, cidBytes(cids.w1b)));
    r.o1 = await mined(licensing.connect(alice).createOffer({
      workId: 1, rights: mask(RIGHT.Streaming, RIGHT.Sync), territoryMode: TERRITORY.Include, countries: [country("FR"), country("DE")],
      duration: YEAR, startDate: 0, price: parseEther("1"), currency: ZERO, cap: 0, exclusive: false, transferable: true, revocableFor: 15, noticePeriod: 0, uri: "ipfs://terms-1",
    }));
    r.o2 = await mined(licensing.connect(carol).createOffer({
      workId: 2, rights: mask(RIGHT.Print, RIGHT.AITraining), territoryMode: TERRITORY.Worldwide, countries: [],
      duration: 0, startDate: 0, price: parseEther("0.5"), currency: ZERO, cap: 5, exclusive: false, transferable: false, revocableFor: 15, noticePeriod: 0, uri: "",
    }));
    r.l1 = await mined(licensing.connect(erin).purchase(1, who.dave, { value: parseEther("1") }));
    r.l2 = await mined(licensing.connect(dave).purchase(2, who.dave, { value: parseEther("0.5") }));
    r.move = await mined(licensing.connect(dave).transferFrom(who.dave, who.frank, 1));
    r.pause = await mined(licensing.connect(alice).pauseOffer(1));
    r.resume = await mined(licensing.connect(alice).resumeOffer(1));
    r.retire = await mined(licensing.connect(carol).retireOffer(2));
    r.revoke = await mined(licensing.connect(alice).revoke(1, 0 /* Breach */, 0));
    r.surrender = await mined(licensing.connect(dave).surrender(2));

    const deal = {
      workId: 1, licensee: who.dave, payer: who.erin, rights: mask(RIGHT.Broadcast), territoryMode: TERRITORY.Exclude, countries: [country("US")],
      start: 0, duration: 30 * 24 * 3600, price: parseEther("0.2"), currency: ZERO, exclusive: true, transferable: false,
      revocableFor: 0, noticePeriod: 0, uri: "ipfs://deal-1", ownershipEpoch: 0, nonce: 7, deadline: 2n ** 40n,
    };
    r.deal = await mined(licensing.connect(erin).redeemDeal(deal, signDigest(1, await licensing.dealDigest(deal)), { value: parseEther("0.2") }));
    r.nonces = await mined(licensing.connect(alice).invalidateNonces(1, 0, 0b1010));

    const s2 = split([who.alice, 5000], [who.bob, 2000], [who.carol, 3000]);
    const s2hash = await works.hashSplit(s2);
    const deadline = 2n ** 40n;
    const digest = await works.consentDigest(1, 1, s2hash, deadline);
    // Consents in the order of the current split's recipients.
    const consents = s1.recipients.map((a) => signDigest(a === who.alice ? 1 : 2, digest));
    r.split = await mined(works.connect(alice).changeSplit(1, s1, s2, deadline, consents));
    r.distribute = await mined(licensing.connect(frank).distribute(1, 1, s1, ZERO));
    r.withdraw = await mined(licensing.connect(frank).withdraw(who.bob, ZERO));
    r.withdrawFee = await mined(licensing.connect(frank).withdraw(who.treasury, ZERO));
    r.allow = await mined(governance.connect(admin).setCurrencyAllowed(token, true));
    r.disallow = await mined(governance.connect(admin).setCurrencyAllowed(token, false));
    r.treasury = await mined(governance.connect(admin).setTreasury(who.frank));
    r.workMove = await mined(works.connect(carol).transferFrom(who.carol, who.erin, 2));

    run = await index(chain, ipfs, manifest);
  });

  after(async () => {
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
  });

  describe("Works", () => {
    it("default: handleWorkRegistered stores the work, its kind, identifier, first owner and the metadata read from IPFS", async () => {
      const { works } = await run.gql(`{ works(orderBy: tokenId) { id tokenId kind owner { id } registrant { id } metadataCid title creators
        identifier isrc iswc currentSplit { id version } registeredAt registeredAtBlock registrationTx revenue { licences } } }`);
      expect(works).to.have.length(3);
      // A work's licence count is the sum of its per-currency revenue totals (the Work itself is not
      // saved again for every licence).
      const licenceCount = (w: { revenue: { licences: number }[] }) => w.revenue.reduce((n, r) => n + r.licences, 0);
      expect(works.map(licenceCount)).to.deep.equal([2, 1, 0]);
      for (const w of works) delete w.revenue;
      expect(works[0]).to.deep.equal({
        id: uintId(1), tokenId: "1", kind: "SoundRecording", owner: { id: who.alice }, registrant: { id: who.alice },
        metadataCid: cids.w1b, title: "Night Drive (Remastered)", creators: ["Ada Lovelace", "Bo"], identifier: ISRC, isrc: ISRC, iswc: null,
        currentSplit: { id: splitId(1, 2), version: 2 }, registeredAt: await timeOf("w1"),
        registeredAtBlock: String(r.w1.blockNumber), registrationTx: r.w1.hash,
      });
      expect(works[1]).to.deep.include({
        kind: "Composition", owner: { id: who.erin }, registrant: { id: who.carol }, metadataCid: cids.w2, title: "Carol's Song",
        creators: ["Carol King"], identifier: ISWC, isrc: null, iswc: ISWC, currentSplit: { id: splitId(2, 1), version: 1 },
      });
      expect(works[2]).to.deep.include({ kind: "Design", metadataCid: cids.w3, title: null, creators: [], identifier: null, isrc: null, iswc: null });
    });

    it("default: handleTransfer records the mint and every change of owner", async () => {
      const { workTransfers } = await run.gql(`{ workTransfers(first: 10, orderBy: blockNumber) { id work { id } from to { id } blockNumber timestamp txHash } }`);
      expect(workTransfers.map((t: { work: { id: string } }) => t.work.id)).to.deep.equal([uintId(1), uintId(2), uintId(3), uintId(2)]);
      expect(workTransfers[0]).to.deep.equal({
        id: idOf("w1", "Transfer"), work: { id: uintId(1) }, from: ZERO, to: { id: who.alice },
        blockNumber: String(r.w1.blockNumber), timestamp: await timeOf("w1"), txHash: r.w1.hash,
      });
      expect(workTransfers[3]).to.deep.include({ from: who.carol, to: { id: who.erin }, txHash: r.workMove.hash });
    });

    it("default: handleMetadataUpdated records the change and re-reads title and creators", async () => {
      const { metadataUpdates } = await run.gql(`{ metadataUpdates { id work { id metadataCid } updater { id } oldCid newCid blockNumber txHash } }`);
      expect(metadataUpdates).to.deep.equal([{
        id: idOf("meta", "MetadataUpdated"), work: { id: uintId(1), metadataCid: cids.w1b }, updater: { id: who.alice },
        oldCid: cids.w1, newCid: cids.w1b, blockNumber: String(r.meta.blockNumber), txHash: r.meta.hash,
      }]);
    });

    it("default: handleSplitUpdated stores each version with its shares and moves the work's current split", async () => {
      const { splitVersions } = await run.gql(`{ splitVersions(where: { work: "${uintId(1)}" }, orderBy: version) { id version splitHash recipients sharesBps
        createdAtBlock txHash shares(orderBy: index) { id recipient { id } shareBps index work { id } } } }`);
      const s1 = split([who.alice, 7000], [who.bob, 3000]);
      const s2 = split([who.alice, 5000], [who.bob, 2000], [who.carol, 3000]);
      expect(splitVersions).to.have.length(2);
      expect(splitVersions[0]).to.deep.include({
        id: splitId(1, 1), version: 1, splitHash: await d.works.hashSplit(s1), recipients: s1.recipients, sharesBps: s1.shares,
        createdAtBlock: String(r.w1.blockNumber), txHash: r.w1.hash,
      });
      expect(splitVersions[0].shares).to.deep.equal(s1.recipients.map((a, i) => ({
        id: splitId(1, 1) + a.slice(2), recipient: { id: a }, shareBps: s1.shares[i], index: i, work: { id: uintId(1) },
      })));
      expect(splitVersions[1]).to.deep.include({ id: splitId(1, 2), version: 2, recipients: s2.recipients, sharesBps: s2.shares, txHash: r.split.hash });
      expect(splitVersions[1].shares.map((s: { shareBps: number }) => s.shareBps)).to.deep.equal(s2.shares);
    });

    it("default: handleSplitConsentUsed records each consent against the version it replaced", async () => {
      const { splitConsents } = await run.gql(`{ splitConsents(orderBy: id) { id work { id } fromSplit { id } recipient { id } txHash } }`);
      const expected = [0, 1].map((n) => ({
        id: idOf("split", "SplitConsentUsed", n), work: { id: uintId(1) }, fromSplit: { id: splitId(1, 1) },
        recipient: { id: lower(iface.parseLog(logOf("split", "SplitConsentUsed", n))!.args.recipient) }, txHash: r.split.hash,
      }));
      expect(splitConsents).to.deep.equal(expected.sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(expected.map((c) => c.recipient.id).sort()).to.deep.equal([who.alice, who.bob].sort());
    });
  });

  describe("Licensing", () => {
    it("default: handleOfferCreated stores every term of the offer", async () => {
      const { offers } = await run.gql(`{ offers(orderBy: offerId) { id offerId work { id } creator { id } rights rightsMask territoryMode countries
        duration startDate price currency { id native allowed } cap exclusive transferable uri status sales { id offer { id } sold grossRevenue } createdAtBlock txHash } }`);
      expect(offers[0]).to.deep.equal({
        id: uintId(1), offerId: "1", work: { id: uintId(1) }, creator: { id: who.alice }, rights: ["Streaming", "Sync"],
        rightsMask: mask(RIGHT.Streaming, RIGHT.Sync), territoryMode: "Include", countries: ["FR", "DE"], duration: String(YEAR),
        startDate: "0", price: parseEther("1").toString(), currency: { id: ZERO, native: true, allowed: true }, cap: 0, exclusive: false,
        transferable: true, uri: "ipfs://terms-1", status: "Active",
        sales: { id: uintId(1), offer: { id: uintId(1) }, sold: 1, grossRevenue: parseEther("1").toString() },
        createdAtBlock: String(r.o1.blockNumber), txHash: r.o1.hash,
      });
      expect(offers[1]).to.deep.include({
        rights: ["Print", "AITraining"], territoryMode: "Worldwide", countries: [], duration: "0", cap: 5, transferable: false, uri: "",
        status: "Retired", sales: { id: uintId(2), offer: { id: uintId(2) }, sold: 1, grossRevenue: parseEther("0.5").toString() },
      });
    });

    it("default: handleOfferStatusChanged records pause, resume and retire", async () => {
      const { offerStatusChanges } = await run.gql(`{ offerStatusChanges(orderBy: blockNumber) { id offer { id } by { id } status txHash } }`);
      expect(offerStatusChanges).to.deep.equal([
        { id: idOf("pause", "OfferStatusChanged"), offer: { id: uintId(1) }, by: { id: who.alice }, status: "Paused", txHash: r.pause.hash },
        { id: idOf("resume", "OfferStatusChanged"), offer: { id: uintId(1) }, by: { id: who.alice }, status: "Active", txHash: r.resume.hash },
        { id: idOf("retire", "OfferStatusChanged"), offer: { id: uintId(2) }, by: { id: who.carol }, status: "Retired", txHash: r.retire.hash },
      ]);
    });

    it("default: handleLicencePurchased issues the licence with the offer's territory and uri, its payment (price, fee, net) and the running totals", async () => {
      const { licence } = await run.gql(`{ licence(id: "${uintId(1)}") { id licenceId work { id } offer { id } source licensee { id } originalLicensee { id }
        payer { id } rights rightsMask territoryMode countries start end perpetual exclusive transferable uri price fee currency { id }
        net split { id } dealSigner dealNonce timestamp blockNumber txHash logIndex } }`);
      const log = logOf("l1", "LicencePurchased");
      const terms = iface.parseLog(log)!.args.terms;
      expect(licence).to.deep.equal({
        id: uintId(1), licenceId: "1", work: { id: uintId(1) }, offer: { id: uintId(1) }, source: "Offer", licensee: { id: who.frank },
        originalLicensee: { id: who.dave }, payer: { id: who.erin }, rights: ["Streaming", "Sync"], rightsMask: 5, territoryMode: "Include",
        countries: ["FR", "DE"], start: terms.start.toString(), end: (terms.start + BigInt(YEAR)).toString(), perpetual: false,
        exclusive: false, transferable: true, uri: "ipfs://terms-1", price: parseEther("1").toString(), fee: parseEther("0.025").toString(),
        net: parseEther("0.975").toString(), currency: { id: ZERO }, split: { id: splitId(1, 1) }, dealSigner: null, dealNonce: null,
        timestamp: await timeOf("l1"), blockNumber: String(r.l1.blockNumber), txHash: r.l1.hash, logIndex: String(log.index),
      });
      const { l2 } = await run.gql(`{ l2: licence(id: "${uintId(2)}") { end perpetual transferable territoryMode countries uri } }`);
      expect(l2).to.deep.equal({ end: null, perpetual: true, transferable: false, territoryMode: "Worldwide", countries: [], uri: "" });
      expect(iface.parseLog(logOf("l2", "LicencePurchased"))!.args.terms.end).to.equal(PERPETUAL);
    });

    it("default: handleDealRedeemed issues a licence with the deal's own territory, uri, signer and nonce", async () => {
      const { licence } = await run.gql(`{ licence(id: "${uintId(3)}") { offer { id } source licensee { id } payer { id } rights territoryMode countries
        exclusive transferable uri price fee net dealSigner dealNonce split { id } } }`);
      expect(licence).to.deep.equal({
        offer: null, source: "SignedDeal", licensee: { id: who.dave }, payer: { id: who.erin }, rights: ["Broadcast"], territoryMode: "Exclude",
        countries: ["US"], exclusive: true, transferable: false, uri: "ipfs://deal-1", price: parseEther("0.2").toString(),
        fee: parseEther("0.005").toString(), net: parseEther("0.195").toString(), dealSigner: who.alice, dealNonce: "7", split: { id: splitId(1, 1) },
      });
    });

    it("default: handleLicenceRevoked and handleLicenceSurrendered record the revocation on the licence", async () => {
      const { revocations } = await run.gql(`{ revocations(orderBy: blockNumber) { id licence { id revokedFrom revocation { id } } work { id } by { id } reason effectiveAt txHash } }`);
      expect(revocations).to.deep.equal([
        { id: idOf("revoke", "LicenceRevoked"), licence: { id: uintId(1), revokedFrom: await timeOf("revoke"), revocation: { id: idOf("revoke", "LicenceRevoked") } },
          work: { id: uintId(1) }, by: { id: who.alice }, reason: "Breach", effectiveAt: await timeOf("revoke"), txHash: r.revoke.hash },
        { id: idOf("surrender", "LicenceSurrendered"), licence: { id: uintId(2), revokedFrom: await timeOf("surrender"), revocation: { id: idOf("surrender", "LicenceSurrendered") } },
          work: { id: uintId(2) }, by: { id: who.dave }, reason: "Surrendered", effectiveAt: await timeOf("surrender"), txHash: r.surrender.hash },
      ]);
    });

    it("default: handleTransfer records licence mints and transfers and moves the holder", async () => {
      const { licenceTransfers } = await run.gql(`{ licenceTransfers(orderBy: blockNumber) { licence { id } from to { id } txHash } }`);
      expect(licenceTransfers).to.deep.equal([
        { licence: { id: uintId(1) }, from: ZERO, to: { id: who.dave }, txHash: r.l1.hash },
        { licence: { id: uintId(2) }, from: ZERO, to: { id: who.dave }, txHash: r.l2.hash },
        { licence: { id: uintId(1) }, from: who.dave, to: { id: who.frank }, txHash: r.move.hash },
        { licence: { id: uintId(3) }, from: ZERO, to: { id: who.dave }, txHash: r.deal.hash },
      ]);
      const { account } = await run.gql(`{ account(id: "${who.dave}") { licences(orderBy: licenceId) { id } licencesReceived licencesPaid } }`);
      expect(account).to.deep.equal({ licences: [{ id: uintId(2) }, { id: uintId(3) }], licencesReceived: 3, licencesPaid: 1 });
      const { erin } = await run.gql(`{ erin: account(id: "${who.erin}") { licencesReceived licencesPaid payments(orderBy: licenceId) { id net } } }`);
      expect(erin).to.deep.include({ licencesReceived: 0, licencesPaid: 2 });
      // An account's payments are the licences it paid for.
      expect(erin.payments.map((l: { id: string }) => l.id)).to.deep.equal([uintId(1), uintId(3)]);
    });

    it("default: handleDistributed moves the bucket into balances; the treasury's fees are credited at purchase", async () => {
      const { distributions } = await run.gql(`{ distributions { id bucket { id credited distributed undistributed } work { id } split { id } currency { id }
        caller amount remainder final txHash credits(orderBy: amount) { id account { id } amount currency { id } work { id } } } }`);
      const net = parseEther("0.975") + parseEther("0.195");
      const id = idOf("distribute", "Distributed");
      const alice = (net * 7000n) / 10000n;
      const bob = (net * 3000n) / 10000n;
      expect(distributions).to.deep.equal([{
        id, bucket: { id: splitId(1, 1) + ZERO.slice(2), credited: net.toString(), distributed: net.toString(), undistributed: "0" },
        work: { id: uintId(1) }, split: { id: splitId(1, 1) }, currency: { id: ZERO }, caller: who.frank, amount: net.toString(),
        remainder: "0", final: true, txHash: r.distribute.hash,
        credits: [
          { id: id + who.bob.slice(2), account: { id: who.bob }, amount: bob.toString(), currency: { id: ZERO }, work: { id: uintId(1) } },
          { id: id + who.alice.slice(2), account: { id: who.alice }, amount: alice.toString(), currency: { id: ZERO }, work: { id: uintId(1) } },
        ],
      }]);
      const { revenueBuckets } = await run.gql(`{ revenueBuckets(orderBy: id) { id credited distributed undistributed } }`);
      expect(revenueBuckets).to.deep.equal([
        { id: splitId(1, 1) + ZERO.slice(2), credited: net.toString(), distributed: net.toString(), undistributed: "0" },
        { id: splitId(2, 1) + ZERO.slice(2), credited: parseEther("0.4875").toString(), distributed: "0", undistributed: parseEther("0.4875").toString() },
      ]);
    });

    it("default: handleWithdrawn records the payout and lowers the balance", async () => {
      const { withdrawals, accountBalances } = await run.gql(`{ withdrawals(orderBy: blockNumber) { id account { id } currency { id } caller amount txHash }
        accountBalances(orderBy: id) { id account { id } currency { id } credited withdrawn balance } }`);
      const net = parseEther("1.17");
      const fees = parseEther("0.025") + parseEther("0.005") + parseEther("0.0125");
      expect(withdrawals).to.deep.equal([
        { id: idOf("withdraw", "Withdrawn"), account: { id: who.bob }, currency: { id: ZERO }, caller: who.frank, amount: ((net * 3000n) / 10000n).toString(), txHash: r.withdraw.hash },
        { id: idOf("withdrawFee", "Withdrawn"), account: { id: who.treasury }, currency: { id: ZERO }, caller: who.frank, amount: fees.toString(), txHash: r.withdrawFee.hash },
      ]);
      const byAccount = Object.fromEntries(accountBalances.map((b: { account: { id: string } }) => [b.account.id, b]));
      expect(Object.keys(byAccount).sort()).to.deep.equal([who.alice, who.bob, who.treasury].sort());
      expect(byAccount[who.alice]).to.deep.include({ credited: ((net * 7000n) / 10000n).toString(), withdrawn: "0", balance: ((net * 7000n) / 10000n).toString() });
      expect(byAccount[who.bob]).to.deep.include({ withdrawn: ((net * 3000n) / 10000n).toString(), balance: "0" });
      expect(byAccount[who.treasury]).to.deep.include({ id: who.treasury + ZERO.slice(2), credited: fees.toString(), withdrawn: fees.toString(), balance: "0" });
      for (const account of [who.alice, who.bob, who.treasury]) {
        expect(byAccount[account].balance).to.equal((await d.licensing.withdrawable(account, ZERO)).toString());
      }
    });

    it("default: handleNonceInvalidated records the cancelled nonce word", async () => {
      const { nonceInvalidations } = await run.gql(`{ nonceInvalidations { id signer wordPos mask blockNumber txHash } }`);
      expect(nonceInvalidations).to.deep.equal([
        { id: idOf("nonces", "NonceInvalidated"), signer: who.alice, wordPos: "0", mask: "10", blockNumber: String(r.nonces.blockNumber), txHash: r.nonces.hash },
      ]);
    });

    it("default: handleCurrencyAllowed, handleProtocolFeeUpdated and handleTreasuryUpdated keep the protocol settings", async () => {
      const { currencies, protocols } = await run.gql(`{ currencies(orderBy: id) { id allowed native } protocols { id works feeBps scheduledFeeBps treasury workCount offerCount licenceCount } }`);
      expect(currencies).to.deep.equal([{ id: ZERO, allowed: true, native: true }, { id: token, allowed: false, native: false }]);
      expect(protocols).to.deep.equal([{ id: lower(d.licensing.target as string), works: lower(d.works.target as string), feeBps: 0, scheduledFeeBps: 250,
        treasury: who.frank, workCount: 3, offerCount: 2, licenceCount: 3 }]);
    });

    it("default: the work's revenue totals add up its licences per currency", async () => {
      const { workRevenues } = await run.gql(`{ workRevenues(orderBy: id) { id work { id } currency { id } gross fees net licences } }`);
      expect(workRevenues).to.deep.equal([
        { id: uintId(1) + ZERO.slice(2), work: { id: uintId(1) }, currency: { id: ZERO }, gross: parseEther("1.2").toString(),
          fees: parseEther("0.03").toString(), net: parseEther("1.17").toString(), licences: 2 },
        { id: uintId(2) + ZERO.slice(2), work: { id: uintId(2) }, currency: { id: ZERO }, gross: parseEther("0.5").toString(),
          fees: parseEther("0.0125").toString(), net: parseEther("0.4875").toString(), licences: 1 },
      ]);
    });
  });
});
