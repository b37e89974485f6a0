import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ALL_RIGHTS, ETH, PERPETUAL, offerTerms } from "./helpers/fixture";
import { PRICE, Reason, baseFixture, makeDeal, signed } from "./helpers/setup";

describe("Administration", () => {
  it("default: the constructor grants every role to the admin, sets the treasury (TreasuryUpdated) and fee 0", async () => {
    const { licensing, works, admin, treasury } = await loadFixture(baseFixture);
    for (const role of [await licensing.DEFAULT_ADMIN_ROLE(), await licensing.PAUSER_ROLE(), await licensing.CURRENCY_ROLE(), await licensing.FEE_ROLE()]) {
      expect(await licensing.hasRole(role, admin.address)).to.equal(true);
    }
    expect(await licensing.protocolFee()).to.deep.equal([0n, treasury.address]);
    expect(await licensing.works()).to.equal(await works.getAddress());
    expect(await licensing.ALL_RIGHTS()).to.equal(ALL_RIGHTS);
    expect(await licensing.MAX_FEE_BPS()).to.equal(1000);
    expect(await licensing.PERPETUAL()).to.equal(PERPETUAL);
    const deployment = licensing.deploymentTransaction();
    if (deployment) await expect(deployment).to.emit(licensing, "TreasuryUpdated").withArgs(ethers.ZeroAddress, treasury.address, admin.address);
  });

  it("error: the constructor refuses a zero treasury", async () => {
    const { works, admin, libs } = await loadFixture(baseFixture);
    const factory = await ethers.getContractFactory("Licensing", { libraries: libs, signer: admin });
    await expect(factory.deploy(await works.getAddress(), admin.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "LicensingZeroTreasury");
  });

  it("default: CURRENCY_ROLE manages the allowlist (CurrencyAllowed); ETH cannot be listed", async () => {
    const { licensing, admin, other } = await loadFixture(baseFixture);
    const token = other.address;
    expect(await licensing.isCurrencyAllowed(ETH)).to.equal(true);
    expect(await licensing.isCurrencyAllowed(token)).to.equal(false);
    await expect(licensing.connect(admin).setCurrencyAllowed(token, true)).to.emit(licensing, "CurrencyAllowed").withArgs(token, true, admin.address);
    expect(await licensing.isCurrencyAllowed(token)).to.equal(true);
    await expect(licensing.connect(admin).setCurrencyAllowed(token, false)).to.emit(licensing, "CurrencyAllowed").withArgs(token, false, admin.address);
    expect(await licensing.isCurrencyAllowed(token)).to.equal(false);
    await expect(licensing.connect(admin).setCurrencyAllowed(ETH, true)).to.be.revertedWithCustomError(licensing, "LicensingInvalidCurrency").withArgs(ETH);
  });

  it("default: FEE_ROLE sets the fee (ProtocolFeeUpdated, ≤ 1,000 bps) and the treasury (TreasuryUpdated, non-zero)", async () => {
    const { licensing, admin, treasury, other } = await loadFixture(baseFixture);
    await expect(licensing.connect(admin).setProtocolFee(1000)).to.emit(licensing, "ProtocolFeeUpdated").withArgs(0, 1000, admin.address);
    await expect(licensing.connect(admin).setProtocolFee(25)).to.emit(licensing, "ProtocolFeeUpdated").withArgs(1000, 25, admin.address);
    await expect(licensing.connect(admin).setProtocolFee(1001)).to.be.revertedWithCustomError(licensing, "LicensingFeeTooHigh").withArgs(1001);
    await expect(licensing.connect(admin).setTreasury(other.address)).to.emit(licensing, "TreasuryUpdated").withArgs(treasury.address, other.address, admin.address);
    expect(await licensing.protocolFee()).to.deep.equal([25n, other.address]);
    await expect(licensing.connect(admin).setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(licensing, "LicensingZeroTreasury");
  });

  it("behavior: each role is separate — a holder of one role cannot use another; roles are granted by DEFAULT_ADMIN", async () => {
    const { licensing, admin, other, operator, buyer } = await loadFixture(baseFixture);
    const [PAUSER, CURRENCY, FEE, ADMIN] = [await licensing.PAUSER_ROLE(), await licensing.CURRENCY_ROLE(), await licensing.FEE_ROLE(), await licensing.DEFAULT_ADMIN_ROLE()];
    await expect(licensing.connect(other).grantRole(PAUSER, other.address)).to.be.revertedWithCustomError(licensing, "AccessControlUnauthorizedAccount").withArgs(other.address, ADMIN);
    await expect(licensing.connect(admin).grantRole(PAUSER, other.address)).to.emit(licensing, "RoleGranted").withArgs(PAUSER, other.address, admin.address);
    await licensing.connect(admin).grantRole(CURRENCY, operator.address);
    await licensing.connect(admin).grantRole(FEE, buyer.address);
    const calls: Array<[string, (s: typeof other) => Promise<unknown>, string]> = [
      ["pause", (s) => licensing.connect(s).pause(), PAUSER],
      ["unpause", (s) => licensing.connect(s).unpause(), PAUSER],
      ["setCurrencyAllowed", (s) => licensing.connect(s).setCurrencyAllowed(other.address, true), CURRENCY],
      ["setProtocolFee", (s) => licensing.connect(s).setProtocolFee(1), FEE],
      ["setTreasury", (s) => licensing.connect(s).setTreasury(other.address), FEE],
    ];
    const holders = new Map([[PAUSER, other], [CURRENCY, operator], [FEE, buyer]]);
    for (const [, call, role] of calls) {
      for (const [r, s] of holders) {
        if (r === role) continue;
        await expect(call(s)).to.be.revertedWithCustomError(licensing, "AccessControlUnauthorizedAccount").withArgs(s.address, role);
      }
    }
    await expect(licensing.connect(other).pause()).to.emit(licensing, "Paused").withArgs(other.address);
    await expect(licensing.connect(other).unpause()).to.emit(licensing, "Unpaused").withArgs(other.address);
    await expect(licensing.connect(operator).setCurrencyAllowed(other.address, true)).to.emit(licensing, "CurrencyAllowed");
    await expect(licensing.connect(buyer).setProtocolFee(1)).to.emit(licensing, "ProtocolFeeUpdated");
    await expect(licensing.connect(admin).revokeRole(PAUSER, other.address)).to.emit(licensing, "RoleRevoked");
    await expect(licensing.connect(other).pause()).to.be.revertedWithCustomError(licensing, "AccessControlUnauthorizedAccount").withArgs(other.address, PAUSER);
  });

  it("behavior: pause stops purchases, deal redemptions and new offers — never withdrawals, distributions, revocations, surrender or offer management", async () => {
    const { licensing, owner, admin, buyer, split3 } = await loadFixture(baseFixture);
    await licensing.purchase(1, buyer.address, { value: PRICE });
    await licensing.purchase(1, buyer.address, { value: PRICE });
    await licensing.distribute(1, 1, split3, ETH);
    await licensing.purchase(1, buyer.address, { value: PRICE });
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address));
    await licensing.connect(admin).pause();
    expect(await licensing.paused()).to.equal(true);
    await expect(licensing.connect(admin).pause()).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.connect(owner).createOffer(offerTerms(1))).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.withdraw(split3.recipients[0], ETH)).to.emit(licensing, "Withdrawn");
    await expect(licensing.distribute(1, 1, split3, ETH)).to.emit(licensing, "Distributed");
    await expect(licensing.connect(owner).revoke(1, Reason.Breach, 0)).to.emit(licensing, "LicenceRevoked");
    await expect(licensing.connect(buyer).surrender(2)).to.emit(licensing, "LicenceSurrendered");
    await expect(licensing.connect(owner).pauseOffer(1)).to.emit(licensing, "OfferStatusChanged");
    await expect(licensing.connect(owner).invalidateNonces(0, 4)).to.emit(licensing, "NonceInvalidated");
    await expect(licensing.connect(admin).unpause()).to.emit(licensing, "Unpaused").withArgs(admin.address);
    await expect(licensing.connect(admin).unpause()).to.be.revertedWithCustomError(licensing, "ExpectedPause");
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.emit(licensing, "DealRedeemed");
  });
});
