import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ALL_RIGHTS, ETH, Mode, Right, cc, offerTerms, rightsMask , governanceOf } from "./helpers/fixture";
import { ISO3166_ALPHA2 } from "./helpers/iso3166";
import { MAX_UINT40, OfferStatus, PRICE, YEAR, allowedToken, baseFixture, termsTuple } from "./helpers/setup";

/** The 3-word territory bitmap of a list of codes, as Territory.sol builds it. */
function bitmapOf(codes: string[]): bigint[] {
  const words = [0n, 0n, 0n];
  for (const code of codes) {
    const i = (code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65);
    words[i >> 8] |= 1n << BigInt(i & 255);
  }
  return words;
}

describe("Offers", () => {
  describe("createOffer", () => {
    it("default: stores the terms, emits OfferCreated with every term (countries, mode, URI)", async () => {
      const { licensing, owner } = await loadFixture(baseFixture);
      const t = offerTerms(1, {
        rights: rightsMask(Right.Sync, Right.Broadcast), territoryMode: Mode.Include, countries: cc("DE", "FR", "JP"),
        duration: YEAR, startDate: 2_000_000_000, price: 123n, cap: 5, exclusive: true, transferable: false, uri: "ipfs://legal",
      });
      await expect(licensing.connect(owner).createOffer(t)).to.emit(licensing, "OfferCreated").withArgs(2, 1, owner.address, termsTuple(t));
      const o = await licensing.offer(2);
      expect([o.workId, o.rights, o.status, o.territoryMode, o.exclusive, o.transferable, o.duration, o.startDate, o.cap, o.sold, o.currency, o.price])
        .to.deep.equal([1n, BigInt(t.rights), 0n, 1n, true, false, BigInt(YEAR), 2_000_000_000n, 5n, 0n, ETH, 123n]);
      const [mode, bitmap] = await licensing.offerTerritory(2);
      expect(mode).to.equal(Mode.Include);
      expect(bitmap).to.deep.equal(bitmapOf(["DE", "FR", "JP"]));
      expect(await licensing.counts()).to.deep.equal([2n, 0n]);
    });

    it("behavior: worldwide and exclude territories; every assigned ISO 3166-1 code is accepted", async () => {
      const { licensing, owner } = await loadFixture(baseFixture);
      expect(await licensing.offerTerritory(1)).to.deep.equal([BigInt(Mode.Worldwide), [0n, 0n, 0n]]);
      const all = ISO3166_ALPHA2.slice(0, ISO3166_ALPHA2.length - 1); // everything but ZW
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Exclude, countries: cc(...all) }))).to.emit(licensing, "OfferCreated");
      expect((await licensing.offerTerritory(2))[1]).to.deep.equal(bitmapOf(all));
      await licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Include, countries: cc("ZW") }));
      expect((await licensing.offerTerritory(3))[1]).to.deep.equal(bitmapOf(["ZW"]));
    });

    it("behavior: an approved operator and an approved address may create offers; ERC-20 offers need an allowlisted token", async () => {
      const { works, licensing, owner, operator, other, admin } = await loadFixture(baseFixture);
      await works.connect(owner).setApprovalForAll(operator.address, true);
      await expect(licensing.connect(operator).createOffer(offerTerms(1))).to.emit(licensing, "OfferCreated").withArgs(2, 1, operator.address, termsTuple(offerTerms(1)));
      await works.connect(owner).approve(other.address, 1);
      await expect(licensing.connect(other).createOffer(offerTerms(1))).to.emit(licensing, "OfferCreated");
      const token = await allowedToken(licensing, admin, []);
      const t = offerTerms(1, { currency: await token.getAddress(), price: 10n ** 6n });
      await expect(licensing.connect(owner).createOffer(t)).to.emit(licensing, "OfferCreated").withArgs(4, 1, owner.address, termsTuple(t));
    });

    it("error: unauthorized caller, unknown work, work id over uint64", async () => {
      const { works, licensing, other, owner } = await loadFixture(baseFixture);
      await expect(licensing.connect(other).createOffer(offerTerms(1))).to.be.revertedWithCustomError(licensing, "LicensingUnauthorized").withArgs(other.address, 1);
      await expect(licensing.connect(owner).createOffer(offerTerms(2))).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(2);
      await expect(licensing.connect(owner).createOffer(offerTerms(2n ** 64n))).to.be.revertedWithCustomError(licensing, "LicensingWorkIdTooLarge").withArgs(2n ** 64n);
    });

    it("error: rights, term, currency", async () => {
      const { licensing, owner, other } = await loadFixture(baseFixture);
      for (const rights of [0, 0x800, 0xffff]) {
        await expect(licensing.connect(owner).createOffer(offerTerms(1, { rights }))).to.be.revertedWithCustomError(licensing, "LicensingInvalidRights").withArgs(rights);
      }
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { rights: ALL_RIGHTS }))).to.emit(licensing, "OfferCreated");
      const start = MAX_UINT40 - 100n;
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { startDate: start, duration: 100 })))
        .to.be.revertedWithCustomError(licensing, "LicensingInvalidTerm").withArgs(start, 100);
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      const duration = MAX_UINT40 - now;
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { duration })))
        .to.be.revertedWithCustomError(licensing, "LicensingInvalidTerm").withArgs(now, duration);
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { currency: other.address })))
        .to.be.revertedWithCustomError(licensing, "LicensingUnsupportedCurrency").withArgs(other.address);
    });

    it("error: territory — invalid codes, duplicates, empty include, exclude-everything, worldwide with a list", async () => {
      const { licensing, owner } = await loadFixture(baseFixture);
      const create = (territoryMode: number, countries: string[]) => licensing.connect(owner).createOffer(offerTerms(1, { territoryMode, countries }));
      for (const bad of ["ZZ", "XK", "UK", "de", "D1", "@A", "A[", "EU"]) {
        const code = cc(bad)[0];
        await expect(create(Mode.Include, cc("DE").concat([code]))).to.be.revertedWithCustomError(licensing, "TerritoryInvalidCountry").withArgs(code);
      }
      await expect(create(Mode.Include, ["0x0000"])).to.be.revertedWithCustomError(licensing, "TerritoryInvalidCountry").withArgs("0x0000");
      await expect(create(Mode.Exclude, cc("FR", "DE", "FR"))).to.be.revertedWithCustomError(licensing, "TerritoryDuplicateCountry").withArgs(cc("FR")[0]);
      await expect(create(Mode.Include, [])).to.be.revertedWithCustomError(licensing, "TerritoryEmpty").withArgs(Mode.Include);
      await expect(create(Mode.Exclude, cc(...ISO3166_ALPHA2))).to.be.revertedWithCustomError(licensing, "TerritoryEmpty").withArgs(Mode.Exclude);
      await expect(create(Mode.Worldwide, cc("DE", "FR"))).to.be.revertedWithCustomError(licensing, "TerritoryUnexpectedCountries").withArgs(2);
      await expect(create(Mode.Exclude, [])).to.emit(licensing, "OfferCreated"); // exclude nothing = everywhere
    });

    it("error: paused contract refuses new offers (EnforcedPause)", async () => {
      const { licensing, owner, admin } = await loadFixture(baseFixture);
      await (await governanceOf(licensing)).connect(admin).pause();
      await expect(licensing.connect(owner).createOffer(offerTerms(1))).to.be.revertedWithCustomError(licensing, "EnforcedPause");
      await (await governanceOf(licensing)).connect(admin).unpause();
      await expect(licensing.connect(owner).createOffer(offerTerms(1))).to.emit(licensing, "OfferCreated");
    });
  });

  describe("pauseOffer / resumeOffer / retireOffer", () => {
    it("default: Active ⇄ Paused → Retired, each with OfferStatusChanged; allowed while the contract is paused", async () => {
      const { licensing, owner, admin, operator, works } = await loadFixture(baseFixture);
      await (await governanceOf(licensing)).connect(admin).pause();
      await expect(licensing.connect(owner).pauseOffer(1)).to.emit(licensing, "OfferStatusChanged").withArgs(1, 1, owner.address, OfferStatus.Paused);
      expect((await licensing.offer(1)).status).to.equal(OfferStatus.Paused);
      await expect(licensing.connect(owner).resumeOffer(1)).to.emit(licensing, "OfferStatusChanged").withArgs(1, 1, owner.address, OfferStatus.Active);
      await works.connect(owner).setApprovalForAll(operator.address, true);
      await expect(licensing.connect(operator).retireOffer(1)).to.emit(licensing, "OfferStatusChanged").withArgs(1, 1, operator.address, OfferStatus.Retired);
      expect((await licensing.offer(1)).status).to.equal(OfferStatus.Retired);
    });

    it("behavior: a paused offer can be retired", async () => {
      const { licensing, owner } = await loadFixture(baseFixture);
      await licensing.connect(owner).pauseOffer(1);
      await expect(licensing.connect(owner).retireOffer(1)).to.emit(licensing, "OfferStatusChanged").withArgs(1, 1, owner.address, OfferStatus.Retired);
    });

    it("error: invalid transitions, unknown offers, unauthorized callers", async () => {
      const { licensing, owner, other } = await loadFixture(baseFixture);
      await expect(licensing.connect(owner).resumeOffer(1)).to.be.revertedWithCustomError(licensing, "LicensingInvalidStatusTransition").withArgs(1, OfferStatus.Active, OfferStatus.Active);
      await licensing.connect(owner).pauseOffer(1);
      await expect(licensing.connect(owner).pauseOffer(1)).to.be.revertedWithCustomError(licensing, "LicensingInvalidStatusTransition").withArgs(1, OfferStatus.Paused, OfferStatus.Paused);
      await licensing.connect(owner).retireOffer(1);
      await expect(licensing.connect(owner).retireOffer(1)).to.be.revertedWithCustomError(licensing, "LicensingInvalidStatusTransition").withArgs(1, OfferStatus.Retired, OfferStatus.Retired);
      await expect(licensing.connect(owner).resumeOffer(1)).to.be.revertedWithCustomError(licensing, "LicensingInvalidStatusTransition").withArgs(1, OfferStatus.Retired, OfferStatus.Active);
      await expect(licensing.connect(owner).pauseOffer(1)).to.be.revertedWithCustomError(licensing, "LicensingInvalidStatusTransition").withArgs(1, OfferStatus.Retired, OfferStatus.Paused);
      for (const fn of ["pauseOffer", "resumeOffer", "retireOffer"] as const) {
        await expect(licensing.connect(owner)[fn](9)).to.be.revertedWithCustomError(licensing, "LicensingUnknownOffer").withArgs(9);
      }
      await licensing.connect(owner).createOffer(offerTerms(1));
      for (const fn of ["pauseOffer", "resumeOffer", "retireOffer"] as const) {
        await expect(licensing.connect(other)[fn](2)).to.be.revertedWithCustomError(licensing, "LicensingUnauthorized").withArgs(other.address, 1);
      }
      await expect(licensing.offer(9)).to.be.revertedWithCustomError(licensing, "LicensingUnknownOffer").withArgs(9);
      await expect(licensing.offerTerritory(0)).to.be.revertedWithCustomError(licensing, "LicensingUnknownOffer").withArgs(0);
    });

    it("behavior: licences already sold are untouched when their offer is retired", async () => {
      const { licensing, owner, buyer } = await loadFixture(baseFixture);
      await licensing.purchase(1, buyer.address, { value: PRICE });
      await licensing.connect(owner).retireOffer(1);
      expect(await licensing.licenceStatus(1)).to.equal(0);
      expect(await licensing.isLicensed(1, Right.Streaming, cc("DE")[0], await time.latest())).to.equal(true);
    });
  });
});
