import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Right, cc, offerTerms, governanceOf } from "./helpers/fixture";
import { PRICE, Reason, Status, YEAR, baseFixture, nextTimestamp, termsTuple } from "./helpers/setup";

async function sold() {
  const f = await baseFixture();
  await f.licensing.purchase(1, f.buyer.address, { value: PRICE });
  await f.licensing.purchase(1, f.buyer.address, { value: PRICE });
  return f;
}

describe("Revocation and status", () => {
  it("default: the owner revokes now (effectiveAt 0) with a reason; LicenceRevoked; status Revoked", async () => {
    const { licensing, owner } = await loadFixture(sold);
    const t = await nextTimestamp();
    await expect(licensing.connect(owner).revoke(1, Reason.NonPayment, 0)).to.emit(licensing, "LicenceRevoked").withArgs(1, 1, owner.address, Reason.NonPayment, t);
    expect(await licensing.revocation(1)).to.deep.equal([t, BigInt(Reason.NonPayment)]);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Revoked);
    expect(await licensing.isLicensed(1, Right.Streaming, cc("DE")[0], t)).to.equal(false);
    expect(await licensing.isLicensed(1, Right.Streaming, cc("DE")[0], t - 1n)).to.equal(true);
    expect(await licensing.revocation(2)).to.deep.equal([0n, 0n]);
  });

  it("behavior: a scheduled revocation takes effect at effectiveAt; an approved operator may revoke; every reason", async () => {
    const { licensing, works, owner, operator } = await loadFixture(sold);
    const at = BigInt(await time.latest()) + 100n;
    await works.connect(owner).setApprovalForAll(operator.address, true);
    await expect(licensing.connect(operator).revoke(1, Reason.Dispute, at)).to.emit(licensing, "LicenceRevoked").withArgs(1, 1, operator.address, Reason.Dispute, at);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Active);
    expect(await licensing.licenceStatusAt(1, at - 1n)).to.equal(Status.Active);
    expect(await licensing.licenceStatusAt(1, at)).to.equal(Status.Revoked);
    await time.increaseTo(at);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Revoked);
    for (const reason of [Reason.Breach, Reason.Other]) {
      await licensing.purchase(1, operator.address, { value: PRICE });
      const id = (await licensing.counts())[1];
      await expect(licensing.connect(owner).revoke(id, reason, 0)).to.emit(licensing, "LicenceRevoked").withArgs(id, 1, owner.address, reason, (x: bigint) => x > 0n);
    }
  });

  it("behavior: revoke and surrender work while the contract is paused", async () => {
    const { licensing, owner, admin, buyer } = await loadFixture(sold);
    await (await governanceOf(licensing)).connect(admin).pause();
    await expect(licensing.connect(owner).revoke(1, Reason.Breach, 0)).to.emit(licensing, "LicenceRevoked");
    await expect(licensing.connect(buyer).surrender(2)).to.emit(licensing, "LicenceSurrendered").withArgs(2, 1, buyer.address);
  });

  it("error: revoke — unknown licence, unauthorized, Surrendered reason, already revoked, effective time in the past", async () => {
    const { licensing, owner, other, buyer } = await loadFixture(sold);
    await expect(licensing.connect(owner).revoke(9, Reason.Breach, 0)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(9);
    await expect(licensing.connect(other).revoke(1, Reason.Breach, 0)).to.be.revertedWithCustomError(licensing, "LicensingUnauthorized").withArgs(other.address, 1);
    await expect(licensing.connect(buyer).revoke(1, Reason.Breach, 0)).to.be.revertedWithCustomError(licensing, "LicensingUnauthorized").withArgs(buyer.address, 1);
    await expect(licensing.connect(owner).revoke(1, Reason.Surrendered, 0)).to.be.revertedWithCustomError(licensing, "LicensingInvalidReason").withArgs(Reason.Surrendered);
    const t = await nextTimestamp();
    await expect(licensing.connect(owner).revoke(1, Reason.Breach, t - 1n)).to.be.revertedWithCustomError(licensing, "LicensingNoticeTooShort").withArgs(1, t - 1n, t);
    await licensing.connect(owner).revoke(1, Reason.Breach, BigInt(await time.latest()) + 50n);
    await expect(licensing.connect(owner).revoke(1, Reason.Other, 0)).to.be.revertedWithCustomError(licensing, "LicensingAlreadyRevoked").withArgs(1);
    await expect(licensing.connect(buyer).surrender(1)).to.be.revertedWithCustomError(licensing, "LicensingAlreadyRevoked").withArgs(1);
  });

  it("default: the licensee surrenders (effective now, reason Surrendered); errors: not the holder, unknown, already surrendered", async () => {
    const { licensing, owner, buyer, other } = await loadFixture(sold);
    await expect(licensing.connect(owner).surrender(2)).to.be.revertedWithCustomError(licensing, "LicensingNotLicensee").withArgs(owner.address, 2);
    await expect(licensing.connect(other).surrender(5)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(5);
    const t = await nextTimestamp();
    await expect(licensing.connect(buyer).surrender(2)).to.emit(licensing, "LicenceSurrendered").withArgs(2, 1, buyer.address);
    expect(await licensing.revocation(2)).to.deep.equal([t, BigInt(Reason.Surrendered)]);
    expect(await licensing.licenceStatus(2)).to.equal(Status.Revoked);
    await expect(licensing.connect(buyer).surrender(2)).to.be.revertedWithCustomError(licensing, "LicensingAlreadyRevoked").withArgs(2);
    await expect(licensing.connect(owner).revoke(2, Reason.Breach, 0)).to.be.revertedWithCustomError(licensing, "LicensingAlreadyRevoked").withArgs(2);
  });

  it("behavior: status at any time — Scheduled before start, Active, Expired at end; isLicensed follows", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    const start = BigInt(await time.latest()) + 1000n;
    await licensing.connect(owner).createOffer(offerTerms(1, { startDate: start, duration: YEAR }));
    await licensing.purchase(2, buyer.address, { value: PRICE });
    const end = start + BigInt(YEAR);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Scheduled);
    expect(await licensing.licenceStatusAt(1, start - 1n)).to.equal(Status.Scheduled);
    expect(await licensing.licenceStatusAt(1, start)).to.equal(Status.Active);
    expect(await licensing.licenceStatusAt(1, end - 1n)).to.equal(Status.Active);
    expect(await licensing.licenceStatusAt(1, end)).to.equal(Status.Expired);
    const de = cc("DE")[0];
    expect(await licensing.isLicensed(1, Right.Streaming, de, start - 1n)).to.equal(false);
    expect(await licensing.isLicensed(1, Right.Streaming, de, start)).to.equal(true);
    expect(await licensing.isLicensed(1, Right.Download, de, end - 1n)).to.equal(true);
    expect(await licensing.isLicensed(1, Right.Sync, de, start)).to.equal(false);
    expect(await licensing.isLicensed(1, Right.Streaming, de, end)).to.equal(false);
  });

  it("error: views of an unknown licence revert LicensingUnknownLicence; an invalid country reverts TerritoryInvalidCountry", async () => {
    const { licensing } = await loadFixture(sold);
    await expect(licensing.licence(3)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(3);
    await expect(licensing.licenceTerritory(3)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(3);
    await expect(licensing.revocation(3)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(3);
    await expect(licensing.licenceStatus(0)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(0);
    await expect(licensing.licenceStatusAt(3, 1)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(3);
    await expect(licensing.isLicensed(3, Right.Streaming, cc("DE")[0], 1)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(3);
    for (const bad of ["XX", "aa", "1A"]) {
      await expect(licensing.isLicensed(1, Right.Streaming, cc(bad)[0], 1)).to.be.revertedWithCustomError(licensing, "TerritoryInvalidCountry").withArgs(cc(bad)[0]);
    }
  });

  it("default (L-3): an offer without a revocation policy sells licences nobody can revoke — owner, operator or a later owner", async () => {
    const { licensing, works, owner, operator, other, buyer } = await loadFixture(baseFixture);
    await licensing.connect(owner).createOffer(offerTerms(1));
    await licensing.purchase(2, buyer.address, { value: PRICE });
    expect(await licensing.revocationTerms(1)).to.deep.equal([0n, 0n]);
    await works.connect(owner).setApprovalForAll(operator.address, true);
    for (const [who, reason] of [[owner, Reason.Breach], [operator, Reason.Other]] as const) {
      await expect(licensing.connect(who).revoke(1, reason, 0)).to.be.revertedWithCustomError(licensing, "LicensingNotRevocable").withArgs(1, reason, 0);
    }
    await works.connect(owner).transferFrom(owner.address, other.address, 1);
    await expect(licensing.connect(other).revoke(1, Reason.Dispute, 0)).to.be.revertedWithCustomError(licensing, "LicensingNotRevocable").withArgs(1, Reason.Dispute, 0);
    await expect(licensing.connect(buyer).surrender(1)).to.emit(licensing, "LicenceSurrendered"); // the licensee may always give it up
  });

  it("behavior (L-3): revocable for named reasons after a notice period — the policy binds the owner, its operators and a new owner", async () => {
    const { licensing, works, owner, operator, other, buyer } = await loadFixture(baseFixture);
    const NOTICE = 30 * 24 * 3600;
    const terms = offerTerms(1, { revocableFor: (1 << Reason.Breach) | (1 << Reason.NonPayment), noticePeriod: NOTICE });
    await expect(licensing.connect(owner).createOffer(terms)).to.emit(licensing, "OfferCreated").withArgs(2, 1, owner.address, termsTuple(terms));
    await licensing.purchase(2, buyer.address, { value: PRICE });
    expect(await licensing.revocationTerms(1)).to.deep.equal([3n, BigInt(NOTICE)]);
    await works.connect(owner).setApprovalForAll(operator.address, true);
    await expect(licensing.connect(operator).revoke(1, Reason.Other, 0)).to.be.revertedWithCustomError(licensing, "LicensingNotRevocable").withArgs(1, Reason.Other, 3);
    const t = await nextTimestamp();
    await expect(licensing.connect(operator).revoke(1, Reason.Breach, t + 5n)).to.be.revertedWithCustomError(licensing, "LicensingNoticeTooShort").withArgs(1, t + 5n, t + BigInt(NOTICE));
    await works.connect(owner).transferFrom(owner.address, other.address, 1);
    const t2 = await nextTimestamp();
    await expect(licensing.connect(other).revoke(1, Reason.NonPayment, 0)).to.emit(licensing, "LicenceRevoked").withArgs(1, 1, other.address, Reason.NonPayment, t2 + BigInt(NOTICE));
    expect(await licensing.licenceStatus(1)).to.equal(Status.Active);
    expect(await licensing.licenceStatusAt(1, t2 + BigInt(NOTICE))).to.equal(Status.Revoked);
  });

  it("error: an offer's revocation policy names only Breach..Other, and a notice needs a reason", async () => {
    const { licensing, owner } = await loadFixture(baseFixture);
    await expect(licensing.connect(owner).createOffer(offerTerms(1, { revocableFor: 1 << Reason.Surrendered }))).to.be.revertedWithCustomError(licensing, "LicensingInvalidRevocationTerms").withArgs(16, 0);
    await expect(licensing.connect(owner).createOffer(offerTerms(1, { noticePeriod: 60 }))).to.be.revertedWithCustomError(licensing, "LicensingInvalidRevocationTerms").withArgs(0, 60);
  });
});
