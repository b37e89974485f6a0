import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ETH, Kind, deployAll, deployLibraries, makeCid, makeSplit, offerTerms, signConsent, signDeal, splitHash , governanceOf } from "./helpers/fixture";
import { NO_ID, PRICE, baseFixture, makeDeal, signed } from "./helpers/setup";

describe("Attacks", () => {
  it("behavior: a reverting recipient and a reentrant recipient only fail their own withdrawal", async () => {
    const { licensing, works, owner, admin, a, buyer } = await loadFixture(baseFixture);
    const bad = await (await ethers.getContractFactory("RevertingRecipient")).deploy();
    const re = await (await ethers.getContractFactory("ReentrantRecipient")).deploy(await licensing.getAddress());
    const [badAddr, reAddr] = [await bad.getAddress(), await re.getAddress()];
    const split = makeSplit([[a.address, 5000], [badAddr, 2500], [reAddr, 2500]]);
    await works.connect(owner).register(Kind.Other, (await makeCid("w2")).bytes, NO_ID, split);
    await licensing.connect(owner).createOffer(offerTerms(2, { price: 1000n }));
    await licensing.purchase(2, buyer.address, { value: 1000n });
    await licensing.distribute(2, 1, split, ETH);
    await expect(licensing.withdraw(badAddr, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyEthTransferFailed").withArgs(badAddr, 250n);
    await expect(licensing.withdraw(reAddr, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyEthTransferFailed").withArgs(reAddr, 250n);
    expect(await licensing.withdrawable(badAddr, ETH)).to.equal(250n); // kept, nothing half-written
    expect(await licensing.withdrawable(reAddr, ETH)).to.equal(250n);
    await expect(licensing.withdraw(a.address, ETH)).to.changeEtherBalance(a, 500n);
    await re.setAttack(false);
    await expect(licensing.withdraw(reAddr, ETH)).to.emit(licensing, "Withdrawn").withArgs(reAddr, ETH, admin.address, 250n);
    expect(await re.received()).to.equal(250n);
    expect(await ethers.provider.getBalance(await licensing.getAddress())).to.equal(250n);
  });

  it("behavior: a reentrant licensee (ERC-20 transfer hook) cannot re-enter purchase nor withdraw", async () => {
    const { licensing, owner, admin } = await loadFixture(baseFixture);
    const token = await (await ethers.getContractFactory("HookERC20")).deploy();
    const attacker = await (await ethers.getContractFactory("ReentrantLicensee")).deploy(await licensing.getAddress());
    const [tAddr, atk] = [await token.getAddress(), await attacker.getAddress()];
    await (await governanceOf(licensing)).connect(admin).setCurrencyAllowed(tAddr, true);
    await licensing.connect(owner).createOffer(offerTerms(1, { currency: tAddr, price: 100n }));
    await token.mint(atk, 1000n);
    await token.setHooked(atk, true);
    await expect(attacker.buy(2, tAddr, 1)).to.be.revertedWithCustomError(licensing, "ReentrancyGuardReentrantCall");
    await expect(attacker.buy(2, tAddr, 2)).to.be.revertedWithCustomError(licensing, "ReentrancyGuardReentrantCall");
    expect(await licensing.balanceOf(atk)).to.equal(0n);
    await attacker.buy(2, tAddr, 0);
    expect(await licensing.balanceOf(atk)).to.equal(1n);
    expect(await token.balanceOf(await licensing.getAddress())).to.equal(100n);
  });

  it("error: a fee-on-transfer token is rejected with the amounts (offer and deal), never under-credited", async () => {
    const { licensing, owner, admin, buyer } = await loadFixture(baseFixture);
    const fot = await (await ethers.getContractFactory("FeeOnTransferERC20")).deploy();
    const fAddr = await fot.getAddress();
    await (await governanceOf(licensing)).connect(admin).setCurrencyAllowed(fAddr, true);
    await fot.mint(buyer.address, 10n ** 20n);
    await fot.connect(buyer).approve(await licensing.getAddress(), ethers.MaxUint256);
    await licensing.connect(owner).createOffer(offerTerms(1, { currency: fAddr, price: 1000n }));
    await expect(licensing.connect(buyer).purchase(2, buyer.address)).to.be.revertedWithCustomError(licensing, "LicensingFeeOnTransfer").withArgs(fAddr, 1000n, 990n);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { currency: fAddr, price: 500n }));
    await expect(licensing.connect(buyer).redeemDeal(deal, sig)).to.be.revertedWithCustomError(licensing, "LicensingFeeOnTransfer").withArgs(fAddr, 500n, 495n);
    expect(await licensing.revenue(1, 1, fAddr)).to.deep.equal([0n, 0n]);
    expect(await licensing.nonceBitmap(1, 0)).to.equal(0n); // the failed redemption consumed nothing
  });

  it("error: signature replay — same deal twice, another chain id, another Licensing deployment, expired, wrong signer", async () => {
    const { licensing, works, owner, admin, treasury, other, buyer } = await loadFixture(baseFixture);
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address, { nonce: 77 }));
    await licensing.redeemDeal(deal, sig, { value: PRICE });
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNonceUsed").withArgs(1, 77);
    // a second Licensing over the same Works: the domain separator differs, the signature is worthless there
    const factory = await ethers.getContractFactory("Licensing", { libraries: await deployLibraries(), signer: admin });
    const second = await factory.deploy(await works.getAddress(), admin.address, treasury.address);
    await expect(second.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(second, "LicensingInvalidSignature").withArgs(owner.address);
    const d2 = await makeDeal(1, buyer.address, { nonce: 78 });
    await expect(licensing.redeemDeal(d2, await signDeal(owner, await licensing.getAddress(), d2, 5n), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
    await expect(licensing.redeemDeal(d2, await signDeal(other, await licensing.getAddress(), d2), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
    const d3 = await makeDeal(1, buyer.address, { nonce: 79, deadline: 1 });
    await expect(licensing.redeemDeal(d3, await signDeal(owner, await licensing.getAddress(), d3), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingDealExpired");
  });

  it("error: a split consent cannot be replayed on another Works deployment", async () => {
    const { works, owner, a, b, c, admin, treasury, split3 } = await loadFixture(baseFixture);
    const { works: works2 } = await deployAll(admin, treasury.address);
    await works2.connect(owner).register(Kind.Other, (await makeCid("work-1")).bytes, NO_ID, split3);
    const next = makeSplit([[a.address, 9000], [b.address, 500], [c.address, 500]]);
    const deadline = 2n ** 40n;
    const sigs = [
      await signConsent(b, await works.getAddress(), { workId: 1, fromVersion: 1, newSplitHash: splitHash(next), deadline }),
      await signConsent(c, await works.getAddress(), { workId: 1, fromVersion: 1, newSplitHash: splitHash(next), deadline }),
    ];
    const ordered = split3.recipients.filter((r) => r !== a.address).map((r) => (r === b.address ? sigs[0] : sigs[1]));
    await expect(works2.connect(owner).changeSplit(1, split3, next, deadline, ordered)).to.be.revertedWithCustomError(works2, "WorksInvalidConsent");
    await expect(works.connect(owner).changeSplit(1, split3, next, deadline, ordered)).to.emit(works, "SplitUpdated");
  });
});
