import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ADMIN_DELAY, ALL_RIGHTS, ETH, PERPETUAL, governanceOf, offerTerms } from "./helpers/fixture";
import { PRICE, Reason, baseFixture, makeDeal, nextTimestamp, signed } from "./helpers/setup";

const FEE_DELAY = 7 * 24 * 3600;

describe("Administration", () => {
  it("default: Governance grants every role to the admin; Licensing names Governance, sets the treasury (TreasuryUpdated) and fee 0", async () => {
    const { licensing, works, governance, admin, treasury } = await loadFixture(baseFixture);
    for (const role of [await governance.DEFAULT_ADMIN_ROLE(), await governance.PAUSER_ROLE(), await governance.CURRENCY_ROLE(), await governance.FEE_ROLE()]) {
      expect(await governance.hasRole(role, admin.address)).to.equal(true);
    }
    expect(await governance.defaultAdmin()).to.equal(admin.address);
    expect(await governance.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    expect(await licensing.governance()).to.equal(await governance.getAddress());
    expect(await governance.licensing()).to.equal(await licensing.getAddress());
    expect(await licensing.protocolFee()).to.deep.equal([0n, treasury.address]);
    expect(await licensing.scheduledProtocolFee()).to.deep.equal([0n, 0n]);
    expect(await licensing.works()).to.equal(await works.getAddress());
    expect(await licensing.ALL_RIGHTS()).to.equal(ALL_RIGHTS);
    expect(await licensing.MAX_FEE_BPS()).to.equal(1000);
    expect(await licensing.PERPETUAL()).to.equal(PERPETUAL);
    expect(await licensing.FEE_DELAY()).to.equal(FEE_DELAY);
    expect(await licensing.MAX_LIVE_EXCLUSIVES()).to.equal(8);
    const deployment = licensing.deploymentTransaction();
    if (deployment) await expect(deployment).to.emit(licensing, "TreasuryUpdated").withArgs(ethers.ZeroAddress, treasury.address, admin.address);
  });

  it("error: the constructor refuses a zero treasury; bind happens once, to a Licensing that names this Governance", async () => {
    const { works, admin, libs, governance, licensing } = await loadFixture(baseFixture);
    const factory = await ethers.getContractFactory("Licensing", { libraries: libs, signer: admin });
    await expect(factory.deploy(await works.getAddress(), admin.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "LicensingZeroTreasury");
    await expect(governance.connect(admin).bind(await licensing.getAddress())).to.be.revertedWithCustomError(governance, "GovernanceAlreadyBound").withArgs(await licensing.getAddress());
    const fresh = await (await ethers.getContractFactory("Governance")).deploy(admin.address, ADMIN_DELAY);
    await expect(fresh.connect(admin).setProtocolFee(1)).to.be.revertedWithCustomError(fresh, "GovernanceNotBound");
    await expect(fresh.connect(admin).bind(await licensing.getAddress())).to.be.revertedWithCustomError(fresh, "GovernanceWrongLicensing").withArgs(await licensing.getAddress(), await governance.getAddress());
    const [, , stranger] = await ethers.getSigners();
    await expect(fresh.connect(stranger).bind(await licensing.getAddress())).to.be.revertedWithCustomError(fresh, "GovernanceUnauthorizedBind").withArgs(stranger.address);
  });

  it("error: only Governance may call Licensing's admin functions", async () => {
    const { licensing, admin } = await loadFixture(baseFixture);
    for (const call of [
      () => licensing.connect(admin).setCurrencyAllowed(admin.address, true), () => licensing.connect(admin).setProtocolFee(1),
      () => licensing.connect(admin).setTreasury(admin.address), () => licensing.connect(admin).pause(), () => licensing.connect(admin).unpause(),
    ]) await expect(call()).to.be.revertedWithCustomError(licensing, "LicensingNotGovernance").withArgs(admin.address);
  });

  it("default: CURRENCY_ROLE manages the allowlist (CurrencyAllowed); ETH cannot be listed", async () => {
    const { licensing, governance, admin, other } = await loadFixture(baseFixture);
    const token = other.address;
    const gAddr = await governance.getAddress();
    expect(await licensing.isCurrencyAllowed(ETH)).to.equal(true);
    expect(await licensing.isCurrencyAllowed(token)).to.equal(false);
    await expect(governance.connect(admin).setCurrencyAllowed(token, true)).to.emit(licensing, "CurrencyAllowed").withArgs(token, true, gAddr);
    expect(await licensing.isCurrencyAllowed(token)).to.equal(true);
    await expect(governance.connect(admin).setCurrencyAllowed(token, false)).to.emit(licensing, "CurrencyAllowed").withArgs(token, false, gAddr);
    expect(await licensing.isCurrencyAllowed(token)).to.equal(false);
    await expect(governance.connect(admin).setCurrencyAllowed(ETH, true)).to.be.revertedWithCustomError(licensing, "LicensingInvalidCurrency").withArgs(ETH);
  });

  it("behavior (I-4): a fee change applies FEE_DELAY later — sales before pay the old fee; the treasury changes at once", async () => {
    const { licensing, governance, admin, treasury, other, buyer } = await loadFixture(baseFixture);
    const gAddr = await governance.getAddress();
    const t = await nextTimestamp();
    await expect(governance.connect(admin).setProtocolFee(1000)).to.emit(licensing, "ProtocolFeeUpdated").withArgs(0, 1000, t + BigInt(FEE_DELAY), gAddr);
    expect(await licensing.protocolFee()).to.deep.equal([0n, treasury.address]);
    expect(await licensing.scheduledProtocolFee()).to.deep.equal([1000n, t + BigInt(FEE_DELAY)]);
    await time.setNextBlockTimestamp(t + BigInt(FEE_DELAY) - 1n);
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.emit(licensing, "LicencePurchased").withArgs(1, 1, buyer.address, anyValue, [admin.address, ETH, PRICE, 0, 1]);
    await time.setNextBlockTimestamp(t + BigInt(FEE_DELAY));
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.emit(licensing, "LicencePurchased").withArgs(2, 1, buyer.address, anyValue, [admin.address, ETH, PRICE, PRICE / 10n, 1]);
    expect(await licensing.protocolFee()).to.deep.equal([1000n, treasury.address]);
    // a second change starts from the fee in force and waits again
    const t2 = await nextTimestamp();
    await expect(governance.connect(admin).setProtocolFee(25)).to.emit(licensing, "ProtocolFeeUpdated").withArgs(1000, 25, t2 + BigInt(FEE_DELAY), gAddr);
    expect(await licensing.protocolFee()).to.deep.equal([1000n, treasury.address]);
    await expect(governance.connect(admin).setProtocolFee(1001)).to.be.revertedWithCustomError(licensing, "LicensingFeeTooHigh").withArgs(1001);
    await expect(governance.connect(admin).setTreasury(other.address)).to.emit(licensing, "TreasuryUpdated").withArgs(treasury.address, other.address, gAddr);
    await time.increase(FEE_DELAY);
    expect(await licensing.protocolFee()).to.deep.equal([25n, other.address]);
    await expect(governance.connect(admin).setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(licensing, "LicensingZeroTreasury");
  });

  it("behavior (I-4): the default admin moves in two steps, after the delay; a pending admin cannot act early", async () => {
    const { governance, admin, other } = await loadFixture(baseFixture);
    const ADMIN = await governance.DEFAULT_ADMIN_ROLE();
    await expect(governance.connect(admin).grantRole(ADMIN, other.address)).to.be.revertedWithCustomError(governance, "AccessControlEnforcedDefaultAdminRules");
    await expect(governance.connect(admin).beginDefaultAdminTransfer(other.address)).to.emit(governance, "DefaultAdminTransferScheduled");
    await expect(governance.connect(other).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(governance, "AccessControlEnforcedDefaultAdminDelay");
    expect(await governance.defaultAdmin()).to.equal(admin.address);
    await time.increase(ADMIN_DELAY + 1);
    await expect(governance.connect(admin).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(governance, "AccessControlInvalidDefaultAdmin").withArgs(admin.address);
    await governance.connect(other).acceptDefaultAdminTransfer();
    expect(await governance.defaultAdmin()).to.equal(other.address);
    expect(await governance.hasRole(ADMIN, admin.address)).to.equal(false);
  });

  it("behavior: each role is separate — a holder of one role cannot use another; roles are granted by DEFAULT_ADMIN", async () => {
    const { licensing, governance, admin, other, operator, buyer } = await loadFixture(baseFixture);
    const [PAUSER, CURRENCY, FEE, ADMIN] = [await governance.PAUSER_ROLE(), await governance.CURRENCY_ROLE(), await governance.FEE_ROLE(), await governance.DEFAULT_ADMIN_ROLE()];
    await expect(governance.connect(other).grantRole(PAUSER, other.address)).to.be.revertedWithCustomError(governance, "AccessControlUnauthorizedAccount").withArgs(other.address, ADMIN);
    await expect(governance.connect(admin).grantRole(PAUSER, other.address)).to.emit(governance, "RoleGranted").withArgs(PAUSER, other.address, admin.address);
    await governance.connect(admin).grantRole(CURRENCY, operator.address);
    await governance.connect(admin).grantRole(FEE, buyer.address);
    const calls: Array<[string, (s: typeof other) => Promise<unknown>, string]> = [
      ["pause", (s) => governance.connect(s).pause(), PAUSER],
      ["unpause", (s) => governance.connect(s).unpause(), PAUSER],
      ["setCurrencyAllowed", (s) => governance.connect(s).setCurrencyAllowed(other.address, true), CURRENCY],
      ["setProtocolFee", (s) => governance.connect(s).setProtocolFee(1), FEE],
      ["setTreasury", (s) => governance.connect(s).setTreasury(other.address), FEE],
    ];
    const holders = new Map([[PAUSER, other], [CURRENCY, operator], [FEE, buyer]]);
    for (const [, call, role] of calls) {
      for (const [r, s] of holders) {
        if (r === role) continue;
        await expect(call(s)).to.be.revertedWithCustomError(governance, "AccessControlUnauthorizedAccount").withArgs(s.address, role);
      }
    }
    const gAddr = await governance.getAddress();
    await expect(governance.connect(other).pause()).to.emit(licensing, "Paused").withArgs(gAddr);
    await expect(governance.connect(other).unpause()).to.emit(licensing, "Unpaused").withArgs(gAddr);
    await expect(governance.connect(operator).setCurrencyAllowed(other.address, true)).to.emit(licensing, "CurrencyAllowed");
    await expect(governance.connect(buyer).setProtocolFee(1)).to.emit(licensing, "ProtocolFeeUpdated");
    await expect(governance.connect(admin).revokeRole(PAUSER, other.address)).to.emit(governance, "RoleRevoked");
    await expect(governance.connect(other).pause()).to.be.revertedWithCustomError(governance, "AccessControlUnauthorizedAccount").withArgs(other.address, PAUSER);
  });

  it("behavior: pause stops purchases, deal redemptions and new offers — never withdrawals, distributions, revocations, surrender or offer management", async () => {
    const { licensing, owner, admin, buyer, split3 } = await loadFixture(baseFixture);
    await licensing.purchase(1, buyer.address, { value: PRICE });
    await licensing.purchase(1, buyer.address, { value: PRICE });
    await licensing.distribute(1, 1, split3, ETH);
    await licensing.purchase(1, buyer.address, { value: PRICE });
    const [deal, sig] = await signed(owner, licensing, await makeDeal(1, buyer.address));
    await (await governanceOf(licensing)).connect(admin).pause();
    expect(await licensing.paused()).to.equal(true);
    await expect((await governanceOf(licensing)).connect(admin).pause()).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.connect(owner).createOffer(offerTerms(1))).to.be.revertedWithCustomError(licensing, "EnforcedPause");
    await expect(licensing.withdraw(split3.recipients[0], ETH)).to.emit(licensing, "Withdrawn");
    await expect(licensing.distribute(1, 1, split3, ETH)).to.emit(licensing, "Distributed");
    await expect(licensing.connect(owner).revoke(1, Reason.Breach, 0)).to.emit(licensing, "LicenceRevoked");
    await expect(licensing.connect(buyer).surrender(2)).to.emit(licensing, "LicenceSurrendered");
    await expect(licensing.connect(owner).pauseOffer(1)).to.emit(licensing, "OfferStatusChanged");
    await expect(licensing.connect(owner).invalidateNonces(1, 0, 4)).to.emit(licensing, "NonceInvalidated");
    await expect((await governanceOf(licensing)).connect(admin).unpause()).to.emit(licensing, "Unpaused").withArgs(await licensing.governance());
    await expect((await governanceOf(licensing)).connect(admin).unpause()).to.be.revertedWithCustomError(licensing, "ExpectedPause");
    await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.emit(licensing, "DealRedeemed");
  });
});
