import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Kind, equalSplit, makeCid, makeSplit, signConsent, splitHash } from "./helpers/fixture";
import { NO_ID, baseFixture, consentsFor, losers } from "./helpers/setup";

const deadlineIn = async (s = 3600) => BigInt(await time.latest()) + BigInt(s);

describe("Splits", () => {
  describe("validation (at registration and for the next split of a change)", () => {
    it("error: each invalid split reverts with its own error carrying the offending value", async () => {
      const { works, owner, a, b } = await loadFixture(baseFixture);
      const cid = (await makeCid("s")).bytes;
      const [lo, hi] = BigInt(a.address) < BigInt(b.address) ? [a.address, b.address] : [b.address, a.address];
      const reg = (recipients: string[], shares: number[]) => works.connect(owner).register(Kind.Other, cid, NO_ID, { recipients, shares });
      await expect(reg([], [])).to.be.revertedWithCustomError(works, "SplitEmpty");
      const many = Array.from({ length: 101 }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(i + 1), 20));
      await expect(reg(many, many.map(() => 1))).to.be.revertedWithCustomError(works, "SplitTooManyRecipients").withArgs(101);
      await expect(reg([lo, hi], [10_000])).to.be.revertedWithCustomError(works, "SplitLengthMismatch").withArgs(2, 1);
      await expect(reg([ethers.ZeroAddress, lo], [5000, 5000])).to.be.revertedWithCustomError(works, "SplitZeroAddress").withArgs(0);
      await expect(reg([lo, hi], [10_000, 0])).to.be.revertedWithCustomError(works, "SplitZeroShare").withArgs(1, hi);
      await expect(reg([lo, lo], [5000, 5000])).to.be.revertedWithCustomError(works, "SplitDuplicateRecipient").withArgs(lo);
      await expect(reg([hi, lo], [5000, 5000])).to.be.revertedWithCustomError(works, "SplitNotSorted").withArgs(1, lo);
      await expect(reg([lo, hi], [5000, 4999])).to.be.revertedWithCustomError(works, "SplitSharesSum").withArgs(9999);
      await expect(reg([lo, hi], [5000, 5001])).to.be.revertedWithCustomError(works, "SplitSharesSum").withArgs(10_001);
    });

    it("args: 1 and 100 recipients are accepted", async () => {
      const { works, owner, a } = await loadFixture(baseFixture);
      const hundred = equalSplit(Array.from({ length: 100 }, (_, i) => ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(i + 1), 20))));
      await expect(works.connect(owner).register(Kind.Other, (await makeCid("100")).bytes, NO_ID, hundred))
        .to.emit(works, "SplitUpdated").withArgs(2, 1, splitHash(hundred), hundred.recipients, hundred.shares);
      await expect(works.connect(owner).register(Kind.Other, (await makeCid("1")).bytes, NO_ID, equalSplit([a.address]))).to.emit(works, "SplitUpdated");
    });
  });

  describe("changeSplit", () => {
    it("default: every recipient losing share consents; version + 1, SplitConsentUsed per consent, SplitUpdated with the whole split", async () => {
      const { works, owner, a, b, c, split3 } = await loadFixture(baseFixture);
      const next = makeSplit([[a.address, 2000], [b.address, 3000], [c.address, 5000]]);
      const deadline = await deadlineIn();
      const who = losers(split3, next);
      expect(who.length).to.equal(2);
      const sigs = await consentsFor(works, [a, b, c], 1, 1, split3, next, deadline);
      const tx = works.connect(owner).changeSplit(1, split3, next, deadline, sigs);
      await expect(tx).to.emit(works, "SplitUpdated").withArgs(1, 2, splitHash(next), next.recipients, next.shares);
      for (const r of who) await expect(tx).to.emit(works, "SplitConsentUsed").withArgs(1, 1, r);
      expect(await works.splitVersionOf(1)).to.equal(2);
      expect(await works.splitHashOf(1, 1)).to.deep.equal([splitHash(split3), 2n]);
      expect(await works.splitHashOf(1, 2)).to.deep.equal([splitHash(next), 2n]);
    });

    it("behavior: recipients whose share only grows, and added recipients, need no consent", async () => {
      const { works, owner, a, b, c, other } = await loadFixture(baseFixture);
      const split = makeSplit([[a.address, 5000], [b.address, 5000]]);
      const id = 2n;
      await works.connect(owner).register(Kind.Other, (await makeCid("w2")).bytes, NO_ID, split);
      // a loses 1000 (consents), b keeps its share, c is added: only a signs
      const next = makeSplit([[a.address, 4000], [b.address, 5000], [c.address, 1000]]);
      const deadline = await deadlineIn();
      const [sigA] = await consentsFor(works, [a, b, c], id, 1, split, next, deadline);
      await expect(works.connect(owner).changeSplit(id, split, next, deadline, [sigA])).to.emit(works, "SplitConsentUsed").withArgs(id, 1, a.address);
      // a reshuffle where only `other` is added and c loses everything: c must consent, a and b not
      const next2 = makeSplit([[a.address, 4000], [b.address, 5000], [other.address, 1000]]);
      const sigs = await consentsFor(works, [a, b, c], id, 2, next, next2, deadline);
      expect(sigs.length).to.equal(1);
      await expect(works.connect(owner).changeSplit(id, next, next2, deadline, sigs)).to.emit(works, "SplitConsentUsed").withArgs(id, 2, c.address);
    });

    it("behavior: a contract wallet recipient consents with EIP-1271; an approved operator may change the split", async () => {
      const { works, owner, operator, a, b } = await loadFixture(baseFixture);
      const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(b.address);
      const wAddr = await wallet.getAddress();
      const split = makeSplit([[a.address, 5000], [wAddr, 5000]]);
      await works.connect(owner).register(Kind.Other, (await makeCid("w")).bytes, NO_ID, split);
      await works.connect(owner).setApprovalForAll(operator.address, true);
      const next = makeSplit([[a.address, 6000], [wAddr, 4000]]);
      const deadline = await deadlineIn();
      const sig = await signConsent(b, await works.getAddress(), { workId: 2, fromVersion: 1, newSplitHash: splitHash(next), deadline });
      await expect(works.connect(operator).changeSplit(2, split, next, deadline, [sig])).to.emit(works, "SplitConsentUsed").withArgs(2, 1, wAddr);
      // a signature by someone else than the wallet's owner is refused by the wallet
      const back = makeSplit([[a.address, 5000], [wAddr, 5000]]);
      const sigA = await signConsent(a, await works.getAddress(), { workId: 2, fromVersion: 2, newSplitHash: splitHash(back), deadline });
      // a loses share (6000 → 5000) and signs; wallet gains: ok
      await expect(works.connect(operator).changeSplit(2, next, back, deadline, [sigA])).to.emit(works, "SplitUpdated").withArgs(2, 3, splitHash(back), back.recipients, back.shares);
      const next3 = makeSplit([[a.address, 9000], [wAddr, 1000]]);
      const badWalletSig = await signConsent(a, await works.getAddress(), { workId: 2, fromVersion: 3, newSplitHash: splitHash(next3), deadline });
      await expect(works.connect(owner).changeSplit(2, back, next3, deadline, [badWalletSig]))
        .to.be.revertedWithCustomError(works, "WorksInvalidConsent").withArgs(wAddr);
    });

    it("error: missing, invalid, superfluous and expired consents", async () => {
      const { works, owner, a, b, c, other, split3 } = await loadFixture(baseFixture);
      const next = makeSplit([[a.address, 2000], [b.address, 3000], [c.address, 5000]]);
      const deadline = await deadlineIn();
      const sigs = await consentsFor(works, [a, b, c], 1, 1, split3, next, deadline);
      const [first, second] = losers(split3, next);
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, sigs.slice(0, 1)))
        .to.be.revertedWithCustomError(works, "WorksConsentMissing").withArgs(second);
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, []))
        .to.be.revertedWithCustomError(works, "WorksConsentMissing").withArgs(first);
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, [sigs[1], sigs[0]]))
        .to.be.revertedWithCustomError(works, "WorksInvalidConsent").withArgs(first);
      const forged = await signConsent(other, await works.getAddress(), { workId: 1, fromVersion: 1, newSplitHash: splitHash(next), deadline });
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, [sigs[0], forged]))
        .to.be.revertedWithCustomError(works, "WorksInvalidConsent").withArgs(second);
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, [...sigs, sigs[0]]))
        .to.be.revertedWithCustomError(works, "WorksUnexpectedConsents").withArgs(3, 2);
      // consent signed for another deadline
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline + 1n, sigs))
        .to.be.revertedWithCustomError(works, "WorksInvalidConsent").withArgs(first);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, sigs))
        .to.be.revertedWithCustomError(works, "WorksConsentExpired").withArgs(deadline, deadline + 1n);
    });

    it("error: consents are single-use — replaying them on the next version fails", async () => {
      const { works, owner, a, b, c, split3 } = await loadFixture(baseFixture);
      const next = makeSplit([[a.address, 2000], [b.address, 3000], [c.address, 5000]]);
      const deadline = await deadlineIn();
      const sigs = await consentsFor(works, [a, b, c], 1, 1, split3, next, deadline);
      await works.connect(owner).changeSplit(1, split3, next, deadline, sigs);
      // back to split3 then to next again with the old consents: fromVersion differs
      const back = await consentsFor(works, [a, b, c], 1, 2, next, split3, deadline);
      await works.connect(owner).changeSplit(1, next, split3, deadline, back);
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, sigs))
        .to.be.revertedWithCustomError(works, "WorksInvalidConsent").withArgs(losers(split3, next)[0]);
    });

    it("error: wrong current split, unchanged split, invalid next split, unknown work, unauthorized caller", async () => {
      const { works, owner, other, a, b, c, split3 } = await loadFixture(baseFixture);
      const deadline = await deadlineIn();
      const wrong = makeSplit([[a.address, 5000], [b.address, 5000]]);
      await expect(works.connect(owner).changeSplit(1, wrong, split3, deadline, []))
        .to.be.revertedWithCustomError(works, "WorksSplitMismatch").withArgs(1, 1, splitHash(split3), splitHash(wrong));
      await expect(works.connect(owner).changeSplit(1, split3, split3, deadline, []))
        .to.be.revertedWithCustomError(works, "WorksSplitUnchanged").withArgs(1, splitHash(split3));
      await expect(works.connect(owner).changeSplit(1, split3, { recipients: [a.address], shares: [9999] }, deadline, []))
        .to.be.revertedWithCustomError(works, "SplitSharesSum").withArgs(9999);
      await expect(works.connect(owner).changeSplit(7, split3, wrong, deadline, []))
        .to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(7);
      await expect(works.connect(other).changeSplit(1, split3, wrong, deadline, []))
        .to.be.revertedWithCustomError(works, "WorksUnauthorized").withArgs(other.address, 1);
      void c;
    });
  });
});
