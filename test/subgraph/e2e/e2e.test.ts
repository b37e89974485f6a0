/**
 * End to end: Hardhat JSON-RPC → contracts deployed by the Ignition module → the embedded runtime
 * following the chain while a scenario runs (registrations with metadata on IPFS, offers and
 * purchases in ETH and an ERC-20, a split change, distributions, a revocation, a surrender,
 * withdrawals) → GraphQL answers what the contracts hold.
 */
import { expect } from "chai";
import hre from "hardhat";
import { parseEther, parseUnits, type ContractTransactionResponse } from "ethers";
import type { MockERC20 } from "../../../typechain-types";
import { buildTantiemeSubgraph } from "../mappings/helpers/build";
import {
  KIND, RIGHT, TERRITORY, ZERO, cidBytes, deployTantieme, index, lower, mask, openIpfs, signDigest, split, splitId, startChain, uintId,
  type Deployment, type Ipfs, type LocalChain, type Running,
} from "../mappings/helpers/tantieme";

async function mined(tx: Promise<ContractTransactionResponse>) {
  return (await (await tx).wait())!;
}

describe("subgraph/e2e", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  let usd: MockERC20;
  const who: Record<string, string> = {};

  before(async () => {
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    d = await deployTantieme();
    // The indexer starts on the bare deployment and follows the head from here on.
    run = await index(chain, ipfs, manifest);
  });

  after(async () => {
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
  });

  it("default: a catalogue's whole life is answered by the subgraph while it follows the chain", async () => {
    const [admin, label, singer, producer, designer, agency, cafe] = d.signers;
    for (const [k, s] of Object.entries({ admin, label, singer, producer, designer, agency, cafe })) who[k] = lower(await s.getAddress());
    const { works, licensing } = d;
    usd = (await (await hre.ethers.getContractFactory("MockERC20", admin)).deploy("US Dollar", "USD")) as unknown as MockERC20;
    await usd.waitForDeployment();
    const usdAddress = lower(await usd.getAddress());
    const governance = await hre.ethers.getContractAt("Governance", await licensing.governance());
    await mined(governance.connect(admin).setCurrencyAllowed(usdAddress, true));
    await mined(governance.connect(admin).setProtocolFee(100)); // applies FEE_DELAY later
    await hre.network.provider.send("evm_increaseTime", [7 * 24 * 3600]); // the sales below pay it

    // Registrations: a recording owned by a label, a design.
    const track = await ipfs.addJson({ title: "Harbour Lights", artists: [{ name: "Mara Quinn" }], contributors: [{ name: "Not a creator" }] });
    const poster = await ipfs.addJson({ title: "Harbour Poster", creators: [{ name: "Ines Duarte" }] });
    const s1 = split([who.label, 6000], [who.singer, 4000]);
    await mined(works.connect(label).register(KIND.SoundRecording, cidBytes(track), "0x" + "00".repeat(12), s1));
    await mined(works.connect(designer).register(KIND.Design, cidBytes(poster), "0x" + "00".repeat(12), split([who.designer, 10000])));

    // Offers: streaming in ETH worldwide; sync in USD for Europe; print in USD, non-transferable.
    const offer = (workId: number, rights: number, mode: number, countries: string[], price: bigint, currency: string, transferable: boolean) =>
      mined(licensing.connect(workId === 1 ? label : designer).createOffer({
        workId, rights, territoryMode: mode, countries: countries.map((c) => "0x" + Buffer.from(c).toString("hex")), duration: 30 * 86400,
        startDate: 0, price, currency, cap: 0, exclusive: false, transferable,
        // The designer's print licences may be revoked in a dispute, after an hour's notice; the label's are not revocable.
        revocableFor: workId === 2 ? 0b100 : 0, noticePeriod: workId === 2 ? 3600 : 0, uri: `ipfs://offer-${rights}`,
      }));
    await offer(1, mask(RIGHT.Streaming), TERRITORY.Worldwide, [], parseEther("0.01"), ZERO, true);
    await offer(1, mask(RIGHT.Sync), TERRITORY.Include, ["FR", "DE", "ES"], parseUnits("500", 6), usdAddress, true);
    await offer(2, mask(RIGHT.Print, RIGHT.Merchandise), TERRITORY.Exclude, ["US"], parseUnits("80", 6), usdAddress, false);

    // Purchases.
    await mined(usd.mint(who.agency, parseUnits("10000", 6)));
    await mined(usd.connect(agency).approve(await licensing.getAddress(), parseUnits("10000", 6)));
    await mined(licensing.connect(cafe).purchase(1, who.cafe, { value: parseEther("0.01") }));
    await mined(licensing.connect(agency).purchase(1, who.agency, { value: parseEther("0.01") }));
    await mined(licensing.connect(agency).purchase(2, who.agency));
    await mined(licensing.connect(agency).purchase(3, who.agency));

    // The label brings the producer in: the singer consents to a smaller share.
    const s2 = split([who.label, 5000], [who.singer, 3000], [who.producer, 2000]);
    const deadline = 2n ** 40n;
    const digest = await works.consentDigest(1, 1, await works.hashSplit(s2), deadline);
    const labelIndex = 1;
    const singerIndex = 2;
    const consents = s1.recipients.map((a) => signDigest(a === who.label ? labelIndex : singerIndex, digest));
    await mined(works.connect(label).changeSplit(1, s1, s2, deadline, consents));
    // A sale under the new split, then distributions of both versions in both currencies.
    await mined(licensing.connect(cafe).purchase(1, who.cafe, { value: parseEther("0.01") }));
    await mined(licensing.connect(singer).distribute(1, 1, s1, ZERO));
    await mined(licensing.connect(singer).distribute(1, 1, s1, usdAddress));
    await mined(licensing.connect(singer).distribute(1, 2, s2, ZERO));

    // The cafe gives up its first licence; the designer revokes the agency's print licence later on.
    await mined(licensing.connect(cafe).surrender(1));
    const later = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp) + 86400n;
    await mined(licensing.connect(designer).revoke(4, 2 /* Dispute */, later));
    // Withdrawals.
    await mined(licensing.connect(singer).withdraw(who.singer, usdAddress));
    await mined(licensing.connect(singer).withdraw(who.singer, ZERO));

    await run.synced();
    const data = await run.gql(`{
      works(orderBy: tokenId) { title creators kind owner { id } currentSplit { version recipients sharesBps }
        revenue(orderBy: id) { currency { id } gross fees net licences } }
      licences(orderBy: licenceId) { licenceId licensee { id } currency { id } price fee rights territoryMode countries transferable
        split { version } revocation { reason effectiveAt by { id } } revokedFrom }
      offers(orderBy: offerId) { offerId sales { sold grossRevenue } currency { id } }
      revenueBuckets(orderBy: id) { work { tokenId } split { version } currency { id } credited distributed undistributed }
      singer: account(id: "${who.singer}") { balances(orderBy: id) { currency { id } credited withdrawn balance } withdrawals(orderBy: amount) { amount currency { id } } }
      protocols { feeBps scheduledFeeBps workCount offerCount licenceCount treasury }
      currencies(orderBy: id) { id allowed native }
      _meta { hasIndexingErrors block { number } }
    }`);
    expect(data._meta.hasIndexingErrors).to.equal(false);
    const streaming = parseEther("0.01");
    const sync = parseUnits("500", 6);
    const print = parseUnits("80", 6);
    const fee = (p: bigint) => (p * 100n) / 10000n;
    expect(data.works).to.deep.equal([
      { title: "Harbour Lights", creators: ["Mara Quinn"], kind: "SoundRecording", owner: { id: who.label },
        currentSplit: { version: 2, recipients: s2.recipients, sharesBps: s2.shares },
        revenue: [
          { currency: { id: ZERO }, gross: (streaming * 3n).toString(), fees: (fee(streaming) * 3n).toString(), net: ((streaming - fee(streaming)) * 3n).toString(), licences: 3 },
          { currency: { id: usdAddress }, gross: sync.toString(), fees: fee(sync).toString(), net: (sync - fee(sync)).toString(), licences: 1 },
        ].sort((a, b) => (uintId(1) + a.currency.id.slice(2) < uintId(1) + b.currency.id.slice(2) ? -1 : 1)) },
      { title: "Harbour Poster", creators: ["Ines Duarte"], kind: "Design", owner: { id: who.designer },
        currentSplit: { version: 1, recipients: [who.designer], sharesBps: [10000] },
        revenue: [{ currency: { id: usdAddress }, gross: print.toString(), fees: fee(print).toString(), net: (print - fee(print)).toString(), licences: 1 }] },
    ]);
    expect(data.licences.map((l: { licensee: { id: string } }) => l.licensee.id)).to.deep.equal([who.cafe, who.agency, who.agency, who.agency, who.cafe]);
    expect(data.licences[0].revocation).to.deep.include({ reason: "Surrendered", by: { id: who.cafe } });
    expect(data.licences[3]).to.deep.include({ rights: ["Print", "Merchandise"], territoryMode: "Exclude", countries: ["US"], transferable: false,
      currency: { id: usdAddress }, price: print.toString(), fee: fee(print).toString(), split: { version: 1 }, revokedFrom: later.toString() });
    expect(data.licences[3].revocation).to.deep.equal({ reason: "Dispute", effectiveAt: later.toString(), by: { id: who.designer } });
    expect(data.licences[4]).to.deep.include({ split: { version: 2 }, revocation: null, revokedFrom: null });
    expect(data.licences[2]).to.deep.include({ territoryMode: "Include", countries: ["FR", "DE", "ES"] });
    expect(data.offers).to.deep.equal([
      { offerId: "1", sales: { sold: 3, grossRevenue: (streaming * 3n).toString() }, currency: { id: ZERO } },
      { offerId: "2", sales: { sold: 1, grossRevenue: sync.toString() }, currency: { id: usdAddress } },
      { offerId: "3", sales: { sold: 1, grossRevenue: print.toString() }, currency: { id: usdAddress } },
    ]);
    // Every bucket agrees with the ledger on-chain.
    for (const b of data.revenueBuckets) {
      const [undistributed, credited] = await licensing.revenue(b.work.tokenId, b.split.version, b.currency.id);
      expect({ credited: b.credited, undistributed: b.undistributed }).to.deep.equal({ credited: credited.toString(), undistributed: undistributed.toString() });
      expect(BigInt(b.distributed)).to.equal(BigInt(b.credited) - BigInt(b.undistributed));
    }
    expect(data.revenueBuckets).to.have.length(4);
    // The singer's balances and withdrawals agree with the contract.
    for (const b of data.singer.balances) {
      expect(b.balance).to.equal((await licensing.withdrawable(who.singer, b.currency.id)).toString());
      expect(BigInt(b.credited) - BigInt(b.withdrawn)).to.equal(BigInt(b.balance));
    }
    expect(data.singer.withdrawals).to.have.length(2);
    expect(data.singer.balances.every((b: { balance: string }) => b.balance === "0")).to.equal(true);
    // feeBps is the fee before the scheduled change; the sales above came after its effective time.
    expect(data.protocols).to.deep.equal([{ feeBps: 0, scheduledFeeBps: 100, workCount: 2, offerCount: 3, licenceCount: 5, treasury: lower(d.treasury) }]);
    expect(data.currencies).to.deep.equal([
      { id: ZERO, allowed: true, native: true },
      { id: usdAddress, allowed: true, native: false },
    ].sort((a, b) => (a.id < b.id ? -1 : 1)));
    // The treasury's fee balance in both currencies equals what the ledger holds.
    const { treasury } = await run.gql(`{ treasury: account(id: "${lower(d.treasury)}") { balances { currency { id } balance } } }`);
    for (const b of treasury.balances) expect(b.balance).to.equal((await licensing.withdrawable(d.treasury, b.currency.id)).toString());
    expect(treasury.balances).to.have.length(2);
  });
});
