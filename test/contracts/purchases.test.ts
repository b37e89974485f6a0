import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ETH, Mode, PERPETUAL, Right, cc, offerTerms, rightsMask , governanceOf } from "./helpers/fixture";
import { ERC5192_ID, MAX_UINT40, PRICE, Status, YEAR, allowedToken, baseFixture, nextTimestamp } from "./helpers/setup";

describe("Purchases", () => {
  it("default: mints the licence to the licensee, records it, credits the bucket and emits LicencePurchased with everything", async () => {
    const { licensing, buyer, other } = await loadFixture(baseFixture);
    const t = await nextTimestamp();
    const tx = licensing.connect(other).purchase(1, buyer.address, { value: PRICE });
    await expect(tx).to.emit(licensing, "LicencePurchased").withArgs(
      1, 1, buyer.address,
      [1, 1, rightsMask(Right.Streaming, Right.Download), t, t + BigInt(YEAR), false, true, 1],
      [other.address, ETH, PRICE, 0, 1],
    );
    await expect(tx).to.emit(licensing, "Transfer").withArgs(ethers.ZeroAddress, buyer.address, 1);
    await expect(tx).not.to.emit(licensing, "Locked");
    await expect(tx).to.changeEtherBalances([other, licensing], [-PRICE, PRICE]);
    const l = await licensing.licence(1);
    expect([l.workId, l.offerId, l.start, l.end, l.rights, l.exclusive, l.transferable, l.territoryMode, l.metadataVersion])
      .to.deep.equal([1n, 1n, t, t + BigInt(YEAR), BigInt(rightsMask(Right.Streaming, Right.Download)), false, true, 0n, 1n]);
    expect(await licensing.ownerOf(1)).to.equal(buyer.address);
    expect(await licensing.revenue(1, 1, ETH)).to.deep.equal([PRICE, PRICE]);
    expect(await licensing.counts()).to.deep.equal([1n, 1n]);
    expect((await licensing.offer(1)).sold).to.equal(0); // uncapped offers do not count sales
    expect(await licensing.locked(1)).to.equal(false);
  });

  it("behavior: a transferable licence moves; a non-transferable one is locked (ERC-5192) and cannot", async () => {
    const { licensing, owner, buyer, other } = await loadFixture(baseFixture);
    await licensing.purchase(1, buyer.address, { value: PRICE });
    await expect(licensing.connect(buyer).transferFrom(buyer.address, other.address, 1)).to.emit(licensing, "Transfer").withArgs(buyer.address, other.address, 1);
    await licensing.connect(owner).createOffer(offerTerms(1, { transferable: false }));
    await expect(licensing.purchase(2, buyer.address, { value: PRICE })).to.emit(licensing, "Locked").withArgs(2);
    expect(await licensing.locked(2)).to.equal(true);
    await expect(licensing.connect(buyer).transferFrom(buyer.address, other.address, 2)).to.be.revertedWithCustomError(licensing, "LicensingLicenceLocked").withArgs(2);
    await expect(licensing.connect(buyer)["safeTransferFrom(address,address,uint256)"](buyer.address, other.address, 2)).to.be.revertedWithCustomError(licensing, "LicensingLicenceLocked").withArgs(2);
    await expect(licensing.locked(3)).to.be.revertedWithCustomError(licensing, "ERC721NonexistentToken").withArgs(3);
  });

  it("behavior: supportsInterface — ERC-165, ERC-721, ERC-5192; nothing else (roles live in Governance); no token URI", async () => {
    const { licensing, buyer } = await loadFixture(baseFixture);
    for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", ERC5192_ID]) expect(await licensing.supportsInterface(id)).to.equal(true);
    for (const id of ["0xffffffff", "0x7965db0b"]) expect(await licensing.supportsInterface(id)).to.equal(false);
    await licensing.purchase(1, buyer.address, { value: PRICE });
    expect(await licensing.tokenURI(1)).to.equal("");
    await expect(licensing.tokenURI(2)).to.be.revertedWithCustomError(licensing, "ERC721NonexistentToken").withArgs(2);
    expect(await licensing.name()).to.equal("tantieme Licences");
    expect(await licensing.symbol()).to.equal("LIC");
  });

  it("behavior: a start date in the future makes a scheduled licence; duration 0 is perpetual", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    const start = BigInt(await time.latest()) + 1000n;
    await licensing.connect(owner).createOffer(offerTerms(1, { startDate: start, duration: 500 }));
    await licensing.connect(owner).createOffer(offerTerms(1, { duration: 0, startDate: 1 }));
    await licensing.purchase(2, buyer.address, { value: PRICE });
    const l = await licensing.licence(1);
    expect([l.start, l.end]).to.deep.equal([start, start + 500n]);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Scheduled);
    const t = await nextTimestamp();
    await licensing.purchase(3, buyer.address, { value: PRICE });
    const p = await licensing.licence(2);
    expect([p.start, p.end]).to.deep.equal([t, PERPETUAL]); // a past start date means now
    await time.increaseTo(start + 500n);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Expired);
    expect(await licensing.licenceStatus(2)).to.equal(Status.Active);
  });

  it("behavior: a capped offer counts sales and sells out with LicensingSoldOut(offerId, cap)", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    await licensing.connect(owner).createOffer(offerTerms(1, { cap: 2 }));
    await licensing.purchase(2, buyer.address, { value: PRICE });
    await licensing.purchase(2, buyer.address, { value: PRICE });
    expect((await licensing.offer(2)).sold).to.equal(2);
    await expect(licensing.purchase(2, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingSoldOut").withArgs(2, 2);
  });

  it("behavior: the protocol fee goes to the treasury's balance and the rest to the bucket", async () => {
    const { licensing, admin, treasury, buyer } = await loadFixture(baseFixture);
    await (await governanceOf(licensing)).connect(admin).setProtocolFee(250);
    await time.increase(7 * 24 * 3600); // the fee applies FEE_DELAY after the change
    const fee = PRICE * 250n / 10_000n;
    await expect(licensing.connect(buyer).purchase(1, buyer.address, { value: PRICE }))
      .to.emit(licensing, "LicencePurchased").withArgs(1, 1, buyer.address, (terms: unknown[]) => terms.length === 8, [buyer.address, ETH, PRICE, fee, 1]);
    expect(await licensing.withdrawable(treasury.address, ETH)).to.equal(fee);
    expect(await licensing.revenue(1, 1, ETH)).to.deep.equal([PRICE - fee, PRICE - fee]);
  });

  it("behavior: free offers (ETH and ERC-20) issue licences without moving money", async () => {
    const { licensing, owner, admin, buyer } = await loadFixture(baseFixture);
    const token = await allowedToken(licensing, admin, []);
    await licensing.connect(owner).createOffer(offerTerms(1, { price: 0 }));
    await licensing.connect(owner).createOffer(offerTerms(1, { price: 0, currency: await token.getAddress() }));
    await expect(licensing.connect(buyer).purchase(2, buyer.address)).to.emit(licensing, "LicencePurchased");
    await expect(licensing.connect(buyer).purchase(3, buyer.address)).to.emit(licensing, "LicencePurchased");
    expect(await licensing.revenue(1, 1, ETH)).to.deep.equal([0n, 0n]);
  });

  it("behavior: ERC-20 purchase pulls the exact price with transferFrom", async () => {
    const { licensing, owner, admin, buyer, other } = await loadFixture(baseFixture);
    const token = await allowedToken(licensing, admin, [buyer]);
    const tAddr = await token.getAddress();
    await licensing.connect(owner).createOffer(offerTerms(1, { currency: tAddr, price: 25_000_000n }));
    const tx = licensing.connect(buyer).purchase(2, other.address);
    await expect(tx).to.emit(licensing, "LicencePurchased").withArgs(1, 2, other.address, (x: unknown[]) => x.length === 8, [buyer.address, tAddr, 25_000_000n, 0, 1]);
    await expect(tx).to.changeTokenBalances(token, [buyer, licensing], [-25_000_000n, 25_000_000n]);
    expect(await licensing.revenue(1, 1, tAddr)).to.deep.equal([25_000_000n, 25_000_000n]);
    expect(await licensing.ownerOf(1)).to.equal(other.address);
  });

  it("behavior: delisting a token stops new offers in it; existing offers keep selling (documented)", async () => {
    const { licensing, owner, admin, buyer } = await loadFixture(baseFixture);
    const token = await allowedToken(licensing, admin, [buyer]);
    const tAddr = await token.getAddress();
    await licensing.connect(owner).createOffer(offerTerms(1, { currency: tAddr, price: 5n }));
    await (await governanceOf(licensing)).connect(admin).setCurrencyAllowed(tAddr, false);
    await expect(licensing.connect(owner).createOffer(offerTerms(1, { currency: tAddr }))).to.be.revertedWithCustomError(licensing, "LicensingUnsupportedCurrency").withArgs(tAddr);
    await expect(licensing.connect(buyer).purchase(2, buyer.address)).to.emit(licensing, "LicencePurchased");
  });

  it("error: wrong ETH amount, ETH sent to an ERC-20 offer, zero licensee, unknown offer", async () => {
    const { licensing, owner, admin, buyer } = await loadFixture(baseFixture);
    await expect(licensing.purchase(1, buyer.address, { value: PRICE - 1n })).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(PRICE, PRICE - 1n);
    await expect(licensing.purchase(1, buyer.address, { value: PRICE + 1n })).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(PRICE, PRICE + 1n);
    await expect(licensing.purchase(1, buyer.address)).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(PRICE, 0);
    const token = await allowedToken(licensing, admin, [buyer]);
    await licensing.connect(owner).createOffer(offerTerms(1, { currency: await token.getAddress(), price: 5n }));
    await expect(licensing.connect(buyer).purchase(2, buyer.address, { value: 1n })).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(0, 1n);
    await expect(licensing.purchase(1, ethers.ZeroAddress, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingZeroLicensee");
    await expect(licensing.purchase(0, buyer.address)).to.be.revertedWithCustomError(licensing, "LicensingUnknownOffer").withArgs(0);
    await expect(licensing.purchase(3, buyer.address)).to.be.revertedWithCustomError(licensing, "LicensingUnknownOffer").withArgs(3);
  });

  it("error: paused and retired offers revert LicensingOfferNotActive(offerId, status)", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    await licensing.connect(owner).pauseOffer(1);
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingOfferNotActive").withArgs(1, 1);
    await licensing.connect(owner).resumeOffer(1);
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.emit(licensing, "LicencePurchased");
    await licensing.connect(owner).retireOffer(1);
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingOfferNotActive").withArgs(1, 2);
  });

  it("error: a term that no longer fits uint40 at purchase time reverts LicensingInvalidTerm", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    const created = await nextTimestamp();
    const duration = MAX_UINT40 - created - 5n;
    await licensing.connect(owner).createOffer(offerTerms(1, { duration }));
    const t = await nextTimestamp(10);
    await expect(licensing.purchase(2, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidTerm").withArgs(t, duration);
  });

  it("error: the paused contract refuses purchases (EnforcedPause)", async () => {
    const { licensing, admin, buyer } = await loadFixture(baseFixture);
    await (await governanceOf(licensing)).connect(admin).pause();
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "EnforcedPause");
  });

  it("behavior: territory and rights of an offer apply to its licences (isLicensed)", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    await licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Exclude, countries: cc("US"), rights: rightsMask(Right.AITraining) }));
    await licensing.purchase(2, buyer.address, { value: PRICE });
    const now = await time.latest();
    expect(await licensing.isLicensed(1, Right.AITraining, cc("DE")[0], now)).to.equal(true);
    expect(await licensing.isLicensed(1, Right.AITraining, cc("US")[0], now)).to.equal(false);
    expect(await licensing.isLicensed(1, Right.Streaming, cc("DE")[0], now)).to.equal(false);
    expect(await licensing.licenceTerritory(1)).to.deep.equal([BigInt(Mode.Exclude), await licensing.offerTerritory(2).then((r) => r[1])]);
  });
});
