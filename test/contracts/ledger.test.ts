import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ETH, makeSplit, offerTerms , governanceOf } from "./helpers/fixture";
import { allowedToken, baseFixture, consentsFor, registerWork } from "./helpers/setup";

describe("Royalty ledger", () => {
  it("default: distribute credits floor(amount × share / 10,000) to each recipient, Distributed lists every amount", async () => {
    const { licensing, owner, a, b, c, buyer, other, split3 } = await loadFixture(baseFixture);
    await licensing.connect(owner).createOffer(offerTerms(1, { price: 1001n }));
    await licensing.purchase(2, buyer.address, { value: 1001n });
    const expected = split3.shares.map((s) => 1001n * BigInt(s) / 10_000n);
    const sum = expected.reduce((x, y) => x + y, 0n);
    await expect(licensing.connect(other).distribute(1, 1, split3, ETH))
      .to.emit(licensing, "Distributed").withArgs(1, 1, ETH, other.address, sum, 1001n - sum, false, split3.recipients, expected);
    for (const [i, r] of split3.recipients.entries()) expect(await licensing.withdrawable(r, ETH)).to.equal(expected[i]);
    expect(await licensing.revenue(1, 1, ETH)).to.deep.equal([1001n - sum, 1001n]);
    // the dust is carried into the next distribution
    await licensing.purchase(2, buyer.address, { value: 1001n });
    const total = 1001n + 1001n - sum;
    const next = split3.shares.map((s) => total * BigInt(s) / 10_000n);
    await expect(licensing.distribute(1, 1, split3, ETH)).to.emit(licensing, "Distributed").withArgs(1, 1, ETH, (await ethers.getSigners())[0].address, next.reduce((x, y) => x + y, 0n), (r: bigint) => r < 3n, false, split3.recipients, next);
    void a; void b; void c;
  });

  it("behavior: revenue earned before a split change stays with those who earned it, to the wei (final distribution)", async () => {
    const { licensing, works, owner, a, b, c, buyer, split3 } = await loadFixture(baseFixture);
    await licensing.connect(owner).createOffer(offerTerms(1, { price: 1001n }));
    await licensing.purchase(2, buyer.address, { value: 1001n });
    await licensing.distribute(1, 1, split3, ETH);
    const next = makeSplit([[a.address, 1000], [b.address, 4500], [c.address, 4500]]);
    const deadline = BigInt(await time.latest()) + 3600n;
    await works.connect(owner).changeSplit(1, split3, next, deadline, await consentsFor(works, [a, b, c], 1, 1, split3, next, deadline));
    await licensing.purchase(2, buyer.address, { value: 1001n }); // credited to version 2
    const [dust] = await licensing.revenue(1, 1, ETH);
    expect(dust).to.be.greaterThan(0n);
    const amounts = split3.shares.map((s) => dust * BigInt(s) / 10_000n);
    amounts[0] += dust - amounts.reduce((x, y) => x + y, 0n);
    await expect(licensing.distribute(1, 1, split3, ETH)).to.emit(licensing, "Distributed").withArgs(1, 1, ETH, (await ethers.getSigners())[0].address, dust, 0, true, split3.recipients, amounts);
    let v1 = 0n;
    for (const r of split3.recipients) v1 += await licensing.withdrawable(r, ETH);
    expect(v1).to.equal(1001n);
    await expect(licensing.distribute(1, 1, split3, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyNothingToDistribute").withArgs(1, 1, ETH);
    await expect(licensing.distribute(1, 2, next, ETH)).to.emit(licensing, "Distributed").withArgs(1, 2, ETH, (await ethers.getSigners())[0].address, (x: bigint) => x > 998n, (r: bigint) => r < 3n, false, next.recipients, (x: bigint[]) => x.length === 3);
  });

  it("error: a split that does not match the version's hash, or a version that does not exist, reverts RoyaltyInvalidSplit", async () => {
    const { licensing, works, buyer, split3, a } = await loadFixture(baseFixture);
    await licensing.purchase(1, buyer.address, { value: ethers.parseEther("0.01") });
    const wrong = makeSplit([[a.address, 10_000]]);
    const wrongHash = await works.hashSplit(wrong);
    await expect(licensing.distribute(1, 1, wrong, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyInvalidSplit").withArgs(1, 1, await works.hashSplit(split3), wrongHash);
    await expect(licensing.distribute(1, 2, split3, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyInvalidSplit").withArgs(1, 2, ethers.ZeroHash, await works.hashSplit(split3));
    await expect(licensing.distribute(9, 1, split3, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyInvalidSplit").withArgs(9, 1, ethers.ZeroHash, await works.hashSplit(split3));
    await expect(licensing.distribute(1, 1, split3, buyer.address)).to.be.revertedWithCustomError(licensing, "RoyaltyNothingToDistribute").withArgs(1, 1, buyer.address);
  });

  it("default: withdraw pays ETH to the account (anyone may trigger it), emits Withdrawn, zeroes the balance", async () => {
    const { licensing, a, buyer, other, split3 } = await loadFixture(baseFixture);
    await licensing.purchase(1, buyer.address, { value: ethers.parseEther("0.01") });
    await licensing.distribute(1, 1, split3, ETH);
    const bal = await licensing.withdrawable(a.address, ETH);
    const tx = licensing.connect(other).withdraw(a.address, ETH);
    await expect(tx).to.emit(licensing, "Withdrawn").withArgs(a.address, ETH, other.address, bal);
    await expect(tx).to.changeEtherBalances([a, licensing], [bal, -bal]);
    expect(await licensing.withdrawable(a.address, ETH)).to.equal(0n);
    await expect(licensing.withdraw(a.address, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyNothingToWithdraw").withArgs(a.address, ETH);
  });

  it("behavior: ERC-20 revenue is distributed and withdrawn per currency with SafeERC20", async () => {
    const { licensing, owner, admin, b, buyer, split3 } = await loadFixture(baseFixture);
    const token = await allowedToken(licensing, admin, [buyer]);
    const tAddr = await token.getAddress();
    await licensing.connect(owner).createOffer(offerTerms(1, { currency: tAddr, price: 30_000n }));
    await licensing.connect(buyer).purchase(2, buyer.address);
    await licensing.distribute(1, 1, split3, tAddr);
    const share = 30_000n * BigInt(split3.shares[split3.recipients.indexOf(b.address)]) / 10_000n;
    expect(await licensing.withdrawable(b.address, tAddr)).to.equal(share);
    expect(await licensing.withdrawable(b.address, ETH)).to.equal(0n);
    const tx = licensing.withdraw(b.address, tAddr);
    await expect(tx).to.emit(licensing, "Withdrawn").withArgs(b.address, tAddr, (await ethers.getSigners())[0].address, share);
    await expect(tx).to.changeTokenBalances(token, [b, licensing], [share, -share]);
  });

  it("behavior: the treasury withdraws its protocol fees; distribution and withdrawal work while paused", async () => {
    const { licensing, admin, treasury, buyer, split3 } = await loadFixture(baseFixture);
    await (await governanceOf(licensing)).connect(admin).setProtocolFee(1000);
    await time.increase(7 * 24 * 3600); // the fee applies FEE_DELAY after the change
    await licensing.purchase(1, buyer.address, { value: 1000n * 10n ** 13n });
    await (await governanceOf(licensing)).connect(admin).pause();
    await expect(licensing.distribute(1, 1, split3, ETH)).to.emit(licensing, "Distributed");
    await expect(licensing.withdraw(treasury.address, ETH)).to.changeEtherBalance(treasury, 100n * 10n ** 13n);
  });

  it("behavior: the purchase cost does not depend on the number of recipients (one bucket write)", async () => {
    const { licensing, works, owner, buyer } = await loadFixture(baseFixture);
    const twenty = makeSplit(Array.from({ length: 20 }, (_, i) => [ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(1000 + i), 20)), 500] as [string, number]));
    const w2 = await registerWork(works, owner, twenty, "twenty");
    await licensing.connect(owner).createOffer(offerTerms(w2, { duration: 365 * 24 * 3600 }));
    const price = ethers.parseEther("0.01");
    await licensing.purchase(1, buyer.address, { value: price });
    await licensing.purchase(2, buyer.address, { value: price });
    const g3 = (await (await licensing.purchase(1, buyer.address, { value: price })).wait())!.gasUsed;
    const g20 = (await (await licensing.purchase(2, buyer.address, { value: price })).wait())!.gasUsed;
    expect(g20).to.equal(g3);
  });
});
