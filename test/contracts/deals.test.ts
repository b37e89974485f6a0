import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ALL_RIGHTS, DEAL_TYPES, ETH, Mode, PERPETUAL, Right, cc, domain, rightsMask, signDeal , governanceOf } from "./helpers/fixture";
import { PRICE, Status, allowedToken, baseFixture, makeDeal, nextTimestamp, signed } from "./helpers/setup";

describe("Signed deals", () => {
  it("default: redeems a deal signed by the work owner; DealRedeemed carries terms, territory, uri, signer, nonce, payment", async () => {
    const { licensing, owner, buyer, other } = await loadFixture(baseFixture);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, {
      rights: rightsMask(Right.Sync), territoryMode: Mode.Include, countries: cc("JP", "KR"), duration: 1000, nonce: 42,
      payer: other.address, revocableFor: 0x01, noticePeriod: 3600,
    }));
    const t = await nextTimestamp();
    const tx = licensing.connect(other).redeemDeal(deal, sig, { value: PRICE });
    await expect(tx).to.emit(licensing, "DealRedeemed").withArgs(
      1, 1, buyer.address, owner.address, 42,
      [1, 0, rightsMask(Right.Sync), t, t + 1000n, false, false, 1],
      Mode.Include, cc("JP", "KR"), "ipfs://deal-terms", [0x01, 3600],
      [other.address, ETH, PRICE, 0, 1],
    );
    await expect(tx).to.emit(licensing, "Locked").withArgs(1);
    await expect(tx).to.changeEtherBalances([other, licensing], [-PRICE, PRICE]);
    const l = await licensing.licence(1);
    expect([l.offerId, l.start, l.end, l.territoryMode]).to.deep.equal([0n, t, t + 1000n, BigInt(Mode.Include)]);
    const [mode, bitmap] = await licensing.licenceTerritory(1);
    expect(mode).to.equal(Mode.Include);
    expect(bitmap[0] | bitmap[1] | bitmap[2]).to.not.equal(0n);
    expect(await licensing.isLicensed(1, Right.Sync, cc("JP")[0], t)).to.equal(true);
    expect(await licensing.isLicensed(1, Right.Sync, cc("US")[0], t)).to.equal(false);
    expect(await licensing.nonceBitmap(1, 0)).to.equal(1n << 42n);
    expect(await licensing.revocationTerms(1)).to.deep.equal([0x01n, 3600n]);
    expect(await licensing.revenue(1, 1, ETH)).to.deep.equal([PRICE, PRICE]);
  });

  it("default: dealDigest and DEAL_TYPEHASH match EIP-712 as computed off-chain", async () => {
    const { licensing, buyer } = await loadFixture(baseFixture);
    const deal = await makeDeal(1, buyer.address, { territoryMode: Mode.Exclude, countries: cc("US", "CA"), uri: "x".repeat(100), nonce: 2n ** 255n, exclusive: true, transferable: true, start: 5, duration: 7 });
    const d = await domain("tantieme Licensing", await licensing.getAddress());
    expect(await licensing.dealDigest(deal)).to.equal(ethers.TypedDataEncoder.hash(d, DEAL_TYPES, deal));
    expect(await licensing.DEAL_TYPEHASH()).to.equal(ethers.id(ethers.TypedDataEncoder.from(DEAL_TYPES).encodeType("Deal")));
  });

  it("behavior: exclude-list and transferable deals, start date, ERC-20 payment and the protocol fee", async () => {
    const { licensing, owner, admin, treasury, buyer } = await loadFixture(baseFixture);
    const token = await allowedToken(licensing, admin, [buyer]);
    const tAddr = await token.getAddress();
    await (await governanceOf(licensing)).connect(admin).setProtocolFee(1000);
    await time.increase(7 * 24 * 3600); // the fee applies FEE_DELAY after the change
    const start = BigInt(await time.latest()) + 5000n;
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, {
      territoryMode: Mode.Exclude, countries: cc("US"), transferable: true, start, price: 1000n, currency: tAddr,
    }));
    const tx = licensing.connect(buyer).redeemDeal(deal, sig);
    await expect(tx).to.emit(licensing, "DealRedeemed").withArgs(1, 1, buyer.address, owner.address, 1,
      [1, 0, ALL_RIGHTS, start, PERPETUAL, false, true, 1], Mode.Exclude, cc("US"), "ipfs://deal-terms", [0x0f, 0],
      [buyer.address, tAddr, 1000n, 100n, 1]);
    await expect(tx).not.to.emit(licensing, "Locked");
    await expect(tx).to.changeTokenBalances(token, [buyer, licensing], [-1000n, 1000n]);
    expect(await licensing.withdrawable(treasury.address, tAddr)).to.equal(100n);
    expect(await licensing.licenceStatus(1)).to.equal(Status.Scheduled);
    expect(await licensing.isLicensed(1, Right.Print, cc("FR")[0], start)).to.equal(true);
    expect(await licensing.isLicensed(1, Right.Print, cc("US")[0], start)).to.equal(false);
  });

  it("behavior: a work held by an EIP-1271 wallet signs deals through the wallet", async () => {
    const { works, licensing, owner, b, buyer } = await loadFixture(baseFixture);
    const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(b.address);
    const wAddr = await wallet.getAddress();
    await works.connect(owner).transferFrom(owner.address, wAddr, 1);
    const [deal, sig] = await signed(b, licensing, await makeDeal(1, buyer.address, { ownershipEpoch: 1 }));
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.emit(licensing, "DealRedeemed").withArgs(1, 1, buyer.address, wAddr, 1, (x: unknown[]) => x.length === 8, 0, [], "ipfs://deal-terms", [0x0f, 0], (x: unknown[]) => x.length === 5);
    const [deal2, sig2] = await signed(owner, licensing, await makeDeal(1, buyer.address, { nonce: 2, ownershipEpoch: 1 }));
    await expect(licensing.redeemDeal(deal2, sig2, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(wAddr);
  });

  it("behavior: a deal dies with a transfer of the work (the signer must be the current owner)", async () => {
    const { works, licensing, owner, other, buyer } = await loadFixture(baseFixture);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address));
    await works.connect(owner).transferFrom(owner.address, other.address, 1);
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingStaleDeal").withArgs(1, 0, 1);
    // signed in the new epoch by the old owner: not the owner's signature
    const [d2, s2] = await signed(owner, licensing, await makeDeal(1, buyer.address, { ownershipEpoch: 1 }));
    await expect(licensing.redeemDeal(d2, s2, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(other.address);
  });

  it("behavior (L-1): a deal signed by A does not come back when the work goes A → B → A", async () => {
    const { works, licensing, owner, other, buyer } = await loadFixture(baseFixture);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { nonce: 9 }));
    await works.connect(owner).transferFrom(owner.address, other.address, 1);
    await works.connect(other).transferFrom(other.address, owner.address, 1);
    expect((await works.work(1)).ownershipEpoch).to.equal(2n);
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingStaleDeal").withArgs(1, 0, 2);
  });

  it("behavior (L-1): one signature is not redeemed twice when the work moves between its owner's wallet and EOA", async () => {
    const { works, licensing, owner, buyer } = await loadFixture(baseFixture);
    const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(owner.address);
    const wAddr = await wallet.getAddress();
    await works.connect(owner).transferFrom(owner.address, wAddr, 1); // epoch 1: the wallet owns the work
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { ownershipEpoch: 1, nonce: 5 }));
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.emit(licensing, "DealRedeemed");
    // the wallet gives the work back to the EOA and the EOA signs the same nonce: the nonce is the work's
    await wallet.connect(owner).execute(await works.getAddress(), works.interface.encodeFunctionData("transferFrom", [wAddr, owner.address, 1n]));
    const [again, sig2] = await signed(owner, licensing, { ...deal, ownershipEpoch: 2 });
    await expect(licensing.redeemDeal(again, sig2, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNonceUsed").withArgs(1, 5);
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingStaleDeal").withArgs(1, 1, 2);
  });

  it("error (I-2): only the licensee or the deal's payer may redeem it", async () => {
    const { licensing, owner, buyer, other, operator } = await loadFixture(baseFixture);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { payer: ethers.ZeroAddress }));
    await expect(licensing.connect(other).redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNotPayer").withArgs(other.address, buyer.address, ethers.ZeroAddress);
    await expect(licensing.connect(buyer).redeemDeal(deal, sig, { value: PRICE })).to.emit(licensing, "DealRedeemed");
    const [d2, s2] = await signed(owner, licensing, await makeDeal(1, buyer.address, { payer: operator.address, nonce: 2 }));
    await expect(licensing.connect(other).redeemDeal(d2, s2, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNotPayer").withArgs(other.address, buyer.address, operator.address);
    await expect(licensing.connect(operator).redeemDeal(d2, s2, { value: PRICE })).to.emit(licensing, "DealRedeemed");
  });

  it("error: replay (same nonce) reverts LicensingNonceUsed; cancelled nonces too (invalidateNonces)", async () => {
    const { licensing, owner, buyer } = await loadFixture(baseFixture);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { nonce: 300 }));
    await licensing.redeemDeal(deal, sig, { value: PRICE });
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNonceUsed").withArgs(1, 300);
    const [d2, s2] = await signed(owner, licensing, await makeDeal(1, buyer.address, { nonce: 301 }));
    await expect(licensing.connect(owner).invalidateNonces(1, 1, (1n << 45n) | (1n << 44n))).to.emit(licensing, "NonceInvalidated").withArgs(1, owner.address, 1, (1n << 45n) | (1n << 44n));
    expect(await licensing.nonceBitmap(1, 1)).to.equal((1n << 45n) | (1n << 44n) | (1n << 44n));
    await expect(licensing.redeemDeal(d2, s2, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNonceUsed").withArgs(1, 301);
    // cancelling is per work: another work's bitmap is untouched; only the work's owner or operator may cancel
    expect(await licensing.nonceBitmap(2, 1)).to.equal(0n);
    await expect(licensing.connect(buyer).invalidateNonces(1, 1, 1)).to.be.revertedWithCustomError(licensing, "LicensingUnauthorized").withArgs(buyer.address, 1);
  });

  it("error: wrong signer, wrong chain, wrong contract, tampered terms, malformed signature → LicensingInvalidSignature(owner)", async () => {
    const { works, licensing, owner, other, buyer } = await loadFixture(baseFixture);
    const deal = await makeDeal(1, buyer.address);
    const lAddr = await licensing.getAddress();
    const sigs = [
      await signDeal(other, lAddr, deal),
      await signDeal(owner, lAddr, deal, 1n),
      await signDeal(owner, await works.getAddress(), deal),
    ];
    for (const s of sigs) await expect(licensing.redeemDeal(deal, s, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
    const good = await signDeal(owner, lAddr, deal);
    for (const tampered of [{ ...deal, price: PRICE - 1n }, { ...deal, licensee: other.address }, { ...deal, uri: "ipfs://other" }, { ...deal, rights: 1 }]) {
      await expect(licensing.redeemDeal(tampered, good, { value: tampered.price })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
    }
    await expect(licensing.redeemDeal(deal, good.slice(0, 130), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
    await expect(licensing.redeemDeal(deal, "0x", { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
    await expect(licensing.redeemDeal(deal, good, { value: PRICE })).to.emit(licensing, "DealRedeemed");
  });

  it("error: expired deadline, unknown work, work id over uint64", async () => {
    const { works, licensing, owner, buyer } = await loadFixture(baseFixture);
    const deadline = BigInt(await time.latest()) + 100n;
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { deadline }));
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingDealExpired").withArgs(deadline, deadline + 1n);
    const [d2, s2] = await signed(owner, licensing, await makeDeal(5, buyer.address));
    await expect(licensing.redeemDeal(d2, s2, { value: PRICE })).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(5);
    const [d3, s3] = await signed(owner, licensing, await makeDeal(2n ** 64n, buyer.address));
    await expect(licensing.redeemDeal(d3, s3, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingWorkIdTooLarge").withArgs(2n ** 64n);
  });

  it("error: invalid terms — rights, territory (via DealLib), payment, currency, licensee", async () => {
    const { licensing, owner, buyer, other, admin } = await loadFixture(baseFixture);
    const redeem = async (over: Parameters<typeof makeDeal>[2], value: bigint = PRICE) => {
      const [d, s] = await signed(owner, licensing, await makeDeal(1, buyer.address, over));
      return licensing.redeemDeal(d, s, { value });
    };
    await expect(redeem({ rights: 0 })).to.be.revertedWithCustomError(licensing, "LicensingInvalidRights").withArgs(0);
    await expect(redeem({ rights: 0x1000 })).to.be.revertedWithCustomError(licensing, "LicensingInvalidRights").withArgs(0x1000);
    await expect(redeem({ revocableFor: 0x10 })).to.be.revertedWithCustomError(licensing, "LicensingInvalidRevocationTerms").withArgs(0x10, 0);
    await expect(redeem({ revocableFor: 0, noticePeriod: 5 })).to.be.revertedWithCustomError(licensing, "LicensingInvalidRevocationTerms").withArgs(0, 5);
    await expect(redeem({ territoryMode: Mode.Include, countries: cc("QQ") })).to.be.revertedWithCustomError(licensing, "TerritoryInvalidCountry").withArgs(cc("QQ")[0]);
    await expect(redeem({ territoryMode: Mode.Include, countries: cc("FR", "FR") })).to.be.revertedWithCustomError(licensing, "TerritoryDuplicateCountry").withArgs(cc("FR")[0]);
    await expect(redeem({ territoryMode: Mode.Include, countries: [] })).to.be.revertedWithCustomError(licensing, "TerritoryEmpty").withArgs(Mode.Include);
    await expect(redeem({ territoryMode: Mode.Worldwide, countries: cc("FR") })).to.be.revertedWithCustomError(licensing, "TerritoryUnexpectedCountries").withArgs(1);
    await expect(redeem({}, PRICE + 1n)).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(PRICE, PRICE + 1n);
    await expect(redeem({ currency: other.address })).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(0, PRICE);
    await expect(redeem({ currency: other.address }, 0n)).to.be.revertedWithCustomError(licensing, "LicensingUnsupportedCurrency").withArgs(other.address);
    await expect(redeem({ licensee: ethers.ZeroAddress })).to.be.revertedWithCustomError(licensing, "LicensingZeroLicensee");
    const start = 2n ** 40n - 10n;
    await expect(redeem({ start, duration: 10 })).to.be.revertedWithCustomError(licensing, "LicensingInvalidTerm").withArgs(start, 10);
    await (await governanceOf(licensing)).connect(admin).pause();
    await expect(redeem({})).to.be.revertedWithCustomError(licensing, "EnforcedPause");
  });
});
