import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Mode, Right, cc, equalSplit, offerTerms, rightsMask } from "./helpers/fixture";
import { ISO3166_ALPHA2 } from "./helpers/iso3166";
import { PRICE, REVOCABLE_ANY, Reason, YEAR, baseFixture, makeDeal, registerWork, signed } from "./helpers/setup";

const SYNC = rightsMask(Right.Sync);

/** Work 1 with an exclusive licence (id 1) bought from offer 2 with the given territory / term. */
async function withExclusive(territoryMode: number, countries: string[], over: Partial<Parameters<typeof offerTerms>[1]> = {}) {
  const f = await loadFixture(exclusiveFixtureBase);
  await f.licensing.connect(f.owner).createOffer(offerTerms(1, {
    exclusive: true, rights: SYNC, territoryMode, countries: cc(...countries), duration: YEAR, revocableFor: REVOCABLE_ANY, ...over,
  }));
  await f.licensing.purchase(2, f.buyer.address, { value: PRICE });
  return f;
}
async function exclusiveFixtureBase() {
  return baseFixture();
}

describe("Exclusivity", () => {
  it("behavior: an exclusive licence blocks overlapping sales (rights ∩ territory ∩ term) naming itself", async () => {
    const { licensing, owner, other } = await withExclusive(Mode.Include, ["DE", "FR"]);
    expect(await licensing.exclusivesOf(1)).to.deep.equal([1n]);
    const cases: Array<[number, string[], boolean]> = [
      [Mode.Include, ["FR", "IT"], true], // include ∩ include
      [Mode.Include, ["IT"], false],
      [Mode.Exclude, ["DE"], true], // include \ exclude ≠ ∅ (FR)
      [Mode.Exclude, ["DE", "FR"], false],
      [Mode.Worldwide, [], true],
    ];
    let offerId = 3;
    for (const [mode, countries, conflict] of cases) {
      await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC | rightsMask(Right.Print), territoryMode: mode, countries: cc(...countries) }));
      const p = licensing.purchase(offerId, other.address, { value: PRICE });
      if (conflict) await expect(p).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
      else await expect(p).to.emit(licensing, "LicencePurchased");
      offerId++;
    }
    // no rights overlap: offer 1 (streaming + download) sells worldwide
    await expect(licensing.purchase(1, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
  });

  it("behavior: exclude-list exclusives — exclude/exclude overlaps unless together they exclude every country", async () => {
    const { licensing, owner, other } = await withExclusive(Mode.Exclude, ["US"]);
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC, territoryMode: Mode.Exclude, countries: cc("DE") }));
    await expect(licensing.purchase(3, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
    const allButUs = ISO3166_ALPHA2.filter((c) => c !== "US");
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC, territoryMode: Mode.Exclude, countries: cc(...allButUs) })); // = US only
    await expect(licensing.purchase(4, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC, territoryMode: Mode.Include, countries: cc("US") }));
    await expect(licensing.purchase(5, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC, territoryMode: Mode.Include, countries: cc("US", "CA") }));
    await expect(licensing.purchase(6, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
  });

  it("behavior: terms that do not overlap in time do not conflict (licence ending before a scheduled exclusive)", async () => {
    const f = await loadFixture(exclusiveFixtureBase);
    const start = BigInt(await time.latest()) + 10_000n;
    await f.licensing.connect(f.owner).createOffer(offerTerms(1, { exclusive: true, rights: SYNC, startDate: start, duration: 1000 }));
    await f.licensing.purchase(2, f.buyer.address, { value: PRICE });
    await f.licensing.connect(f.owner).createOffer(offerTerms(1, { rights: SYNC, duration: 1000 })); // ends long before `start`
    await expect(f.licensing.purchase(3, f.other.address, { value: PRICE })).to.emit(f.licensing, "LicencePurchased");
    await f.licensing.connect(f.owner).createOffer(offerTerms(1, { rights: SYNC, startDate: start + 1000n })); // starts when it ends
    await expect(f.licensing.purchase(4, f.other.address, { value: PRICE })).to.emit(f.licensing, "LicencePurchased");
    await f.licensing.connect(f.owner).createOffer(offerTerms(1, { rights: SYNC, duration: 20_000 }));
    await expect(f.licensing.purchase(5, f.other.address, { value: PRICE })).to.be.revertedWithCustomError(f.licensing, "LicensingExclusivityConflict").withArgs(1);
  });

  it("behavior: expired and revoked exclusives stop blocking and are pruned from exclusivesOf", async () => {
    const { licensing, owner, other, buyer } = await withExclusive(Mode.Worldwide, []);
    await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, rights: rightsMask(Right.Print), duration: 0, revocableFor: REVOCABLE_ANY }));
    await licensing.purchase(3, buyer.address, { value: PRICE }); // licence 2, perpetual
    expect(await licensing.exclusivesOf(1)).to.deep.equal([1n, 2n]);
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC | rightsMask(Right.Print) }));
    await expect(licensing.purchase(4, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
    const at = BigInt(await time.latest()) + 100n;
    await licensing.connect(owner).revoke(2, Reason.Breach, at); // scheduled: still blocks until `at`
    await time.increase(YEAR + 1);
    // 1 expired (pruned), 2 revoked (pruned): the sale goes through
    await expect(licensing.purchase(4, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    expect(await licensing.exclusivesOf(1)).to.deep.equal([]);
  });

  it("behavior: a revocation scheduled after the exclusive's end keeps the natural end", async () => {
    const { licensing, owner, other } = await withExclusive(Mode.Worldwide, [], { duration: 1000 });
    await licensing.connect(owner).revoke(1, Reason.Other, BigInt(await time.latest()) + 5000n);
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC }));
    await expect(licensing.purchase(3, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
    await time.increase(1001);
    await expect(licensing.purchase(3, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
  });

  it("behavior: exclusive deals block offers and exclusive offers block deals; a later exclusive sale checks earlier ones", async () => {
    const f = await loadFixture(exclusiveFixtureBase);
    const { licensing, owner, buyer, other } = f;
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { exclusive: true, rights: SYNC, territoryMode: Mode.Include, countries: cc("JP") }));
    await licensing.redeemDeal(deal, sig, { value: PRICE });
    await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, rights: SYNC, territoryMode: Mode.Include, countries: cc("JP", "KR") }));
    await expect(licensing.purchase(2, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
    const [d2, s2] = await signed(owner, licensing, await makeDeal(1, other.address, { nonce: 2, rights: SYNC, territoryMode: Mode.Exclude, countries: cc("JP") }));
    await expect(licensing.redeemDeal(d2, s2, { value: PRICE })).to.emit(licensing, "DealRedeemed"); // everywhere but JP
    const [d3, s3] = await signed(owner, licensing, await makeDeal(1, other.address, { nonce: 3, rights: SYNC }));
    await expect(licensing.redeemDeal(d3, s3, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
  });

  it("behavior: licences sold before an exclusive one stay valid (documented)", async () => {
    const { licensing, owner, other, buyer } = await loadFixture(exclusiveFixtureBase);
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC }));
    await licensing.purchase(2, other.address, { value: PRICE }); // licence 1, non-exclusive
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC, exclusive: true, duration: YEAR }));
    await expect(licensing.purchase(3, buyer.address, { value: PRICE })).to.emit(licensing, "LicencePurchased"); // licence 2
    expect(await licensing.isLicensed(1, Right.Sync, cc("DE")[0], await time.latest())).to.equal(true);
    await expect(licensing.purchase(2, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(2);
  });

  it("behavior: exclusivity is per work", async () => {
    const { licensing, works, owner, other, a } = await withExclusive(Mode.Worldwide, []);
    const w2 = await registerWork(works, owner, equalSplit([a.address]), "w2");
    await licensing.connect(owner).createOffer(offerTerms(w2, { rights: SYNC }));
    await expect(licensing.purchase(3, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    expect(await licensing.exclusivesOf(w2)).to.deep.equal([]);
  });

  it("behavior (L-2): an exclusive licence revoked before it ever starts does not block (and is pruned)", async () => {
    const { licensing, owner, other, buyer } = await loadFixture(exclusiveFixtureBase);
    const start = BigInt(await time.latest()) + 10_000n;
    await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, rights: SYNC, startDate: start, duration: YEAR, revocableFor: REVOCABLE_ANY }));
    await licensing.purchase(2, buyer.address, { value: PRICE }); // licence 1, scheduled
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC, startDate: start, duration: YEAR }));
    await expect(licensing.purchase(3, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
    await licensing.connect(owner).revoke(1, Reason.Breach, BigInt(await time.latest()) + 100n); // effective before `start`
    await expect(licensing.purchase(3, other.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    expect(await licensing.exclusivesOf(1)).to.deep.equal([]);
  });

  it("behavior (I-5): a work holds at most MAX_LIVE_EXCLUSIVES live exclusive licences; an expired one frees a place", async () => {
    const { licensing, owner, buyer } = await loadFixture(exclusiveFixtureBase);
    const max = Number(await licensing.MAX_LIVE_EXCLUSIVES());
    for (let i = 0; i < max; i++) {
      await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, rights: 1 << i, duration: i === 0 ? 100 : YEAR }));
      await licensing.purchase(i + 2, buyer.address, { value: PRICE });
    }
    expect((await licensing.exclusivesOf(1)).length).to.equal(max);
    await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, rights: 1 << max, duration: YEAR }));
    const next = max + 2;
    await expect(licensing.purchase(next, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingTooManyExclusives").withArgs(1, max);
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: 1 << max }));
    await expect(licensing.purchase(next + 1, buyer.address, { value: PRICE })).to.emit(licensing, "LicencePurchased"); // non-exclusive: no cap
    await time.increase(101);
    await expect(licensing.purchase(next, buyer.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    expect((await licensing.exclusivesOf(1)).length).to.equal(max);
  });

  it("behavior (I-1): purchaseGuarded reverts if any licence was issued since the buyer looked (front-running)", async () => {
    const { licensing, owner, other, buyer } = await loadFixture(exclusiveFixtureBase);
    await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, rights: SYNC, duration: YEAR }));
    const seen = (await licensing.counts())[1];
    await licensing.connect(owner).createOffer(offerTerms(1, { rights: SYNC }));
    await licensing.purchase(3, other.address, { value: PRICE }); // the front-runner's non-exclusive sale
    await expect(licensing.connect(buyer).purchaseGuarded(2, buyer.address, seen, { value: PRICE }))
      .to.be.revertedWithCustomError(licensing, "LicensingStateChanged").withArgs(seen, seen + 1n);
    await expect(licensing.connect(buyer).purchaseGuarded(2, buyer.address, seen + 1n, { value: PRICE })).to.emit(licensing, "LicencePurchased");
  });
});
