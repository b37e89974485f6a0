import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { CID } from "multiformats/cid";
import { create as createDigest } from "multiformats/hashes/digest";
import {
  ALL_RIGHTS, ETH, Kind, Mode, PERPETUAL, Right, ascii12, cc, deployAll, equalSplit, makeCid, makeSplit, offerTerms,
  rightsMask, signConsent, signDeal, splitHash,
} from "./helpers/fixture";

const PRICE = ethers.parseEther("0.01");
const YEAR = 365 * 24 * 3600;

async function setup() {
  const [admin, treasury, owner, a, b, c, buyer, other] = await ethers.getSigners();
  const { works, licensing } = await deployAll(admin, treasury.address);
  const split3 = equalSplit([a.address, b.address, c.address]);
  const cid = await makeCid("work-1");
  await works.connect(owner).register(Kind.SoundRecording, cid.bytes, ascii12("DEA123456789"), split3);
  await licensing.connect(owner).createOffer(offerTerms(1, { duration: YEAR }));
  return { works, licensing, admin, treasury, owner, a, b, c, buyer, other, split3, cid };
}

describe("tantieme contracts", () => {
  describe("Cid", () => {
    it("behavior: canonical strings match multiformats for random CIDv0/CIDv1 (fast-check)", async () => {
      const harness = await (await ethers.getContractFactory("CidHarness")).deploy();
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.constantFrom(-1, 0x70, 0x55, 0x71, 0x0129),
          async (bytes, codec) => {
            const mh = createDigest(0x12, bytes);
            const cid = codec === -1 ? CID.createV0(mh as never) : CID.createV1(codec, mh);
            expect(await harness.toCanonical(cid.bytes)).to.equal(cid.toString());
          },
        ),
        { numRuns: 150 },
      );
    });

    it("error: unsupported CIDs revert with the bytes", async () => {
      const harness = await (await ethers.getContractFactory("CidHarness")).deploy();
      const bad = "0x01711e20" + "11".repeat(32); // blake2b-ish multihash code
      await expect(harness.toCanonical(bad)).to.be.revertedWithCustomError(await ethers.getContractAt("Works", ethers.ZeroAddress), "WorksInvalidCid").withArgs(bad);
    });
  });

  describe("Works", () => {
    it("default: registers a work with CID string, ISRC and split version 1", async () => {
      const { works, owner, split3, cid } = await loadFixture(setup);
      const w = await works.work(1);
      expect(w.kind).to.equal(Kind.SoundRecording);
      expect(w.splitVersion).to.equal(1);
      expect(await works.cidOf(1)).to.equal(cid.str);
      expect(await works.tokenURI(1)).to.equal(`ipfs://${cid.str}`);
      expect(await works.ownerOf(1)).to.equal(owner.address);
      const [hash, version] = await works.splitHashOf(1, 1);
      expect(hash).to.equal(splitHash(split3));
      expect(version).to.equal(1);
      expect(await works.identifierHolder(Kind.SoundRecording, ascii12("DEA123456789"))).to.equal(1);
    });

    it("behavior: events carry the CID string, identifier and whole split", async () => {
      const { works, owner, a } = await loadFixture(setup);
      const cid = await makeCid("v0", 0);
      const split = equalSplit([a.address]);
      const iswc = ascii12("T0345246801");
      await expect(works.connect(owner).register(Kind.Composition, cid.bytes, iswc, split))
        .to.emit(works, "WorkRegistered").withArgs(2, owner.address, Kind.Composition, cid.str, iswc)
        .and.to.emit(works, "SplitUpdated").withArgs(2, 1, splitHash(split), split.recipients, split.shares);
    });

    it("error: identifiers — taken, invalid ISRC/ISWC, not applicable", async () => {
      const { works, owner, a } = await loadFixture(setup);
      const s = equalSplit([a.address]);
      const cid = (await makeCid("x")).bytes;
      await expect(works.connect(owner).register(Kind.SoundRecording, cid, ascii12("DEA123456789"), s))
        .to.be.revertedWithCustomError(works, "WorksIdentifierTaken").withArgs(Kind.SoundRecording, ascii12("DEA123456789"), 1);
      await expect(works.connect(owner).register(Kind.SoundRecording, cid, ascii12("DE-12345678X"), s))
        .to.be.revertedWithCustomError(works, "WorksInvalidIsrc").withArgs(ascii12("DE-12345678X"));
      await expect(works.connect(owner).register(Kind.Composition, cid, ascii12("T0345246802"), s))
        .to.be.revertedWithCustomError(works, "WorksInvalidIswc").withArgs(ascii12("T0345246802"));
      await expect(works.connect(owner).register(Kind.Design, cid, ascii12("T0345246801"), s))
        .to.be.revertedWithCustomError(works, "WorksIdentifierNotApplicable").withArgs(Kind.Design, ascii12("T0345246801"));
    });

    it("error: invalid splits", async () => {
      const { works, owner, a, b } = await loadFixture(setup);
      const cid = (await makeCid("y")).bytes;
      const none = ethers.ZeroHash.slice(0, 26);
      const [lo, hi] = BigInt(a.address) < BigInt(b.address) ? [a.address, b.address] : [b.address, a.address];
      await expect(works.connect(owner).register(Kind.Other, cid, none, { recipients: [lo, hi], shares: [5000, 4999] }))
        .to.be.revertedWithCustomError(works, "SplitSharesSum").withArgs(9999);
      await expect(works.connect(owner).register(Kind.Other, cid, none, { recipients: [lo, lo], shares: [5000, 5000] }))
        .to.be.revertedWithCustomError(works, "SplitDuplicateRecipient").withArgs(lo);
      await expect(works.connect(owner).register(Kind.Other, cid, none, { recipients: [hi, lo], shares: [5000, 5000] }))
        .to.be.revertedWithCustomError(works, "SplitNotSorted").withArgs(1, lo);
      await expect(works.connect(owner).register(Kind.Other, cid, none, { recipients: [ethers.ZeroAddress], shares: [10000] }))
        .to.be.revertedWithCustomError(works, "SplitZeroAddress").withArgs(0);
      await expect(works.connect(owner).register(Kind.Other, cid, none, { recipients: [], shares: [] }))
        .to.be.revertedWithCustomError(works, "SplitEmpty");
      const many = Array.from({ length: 101 }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(i + 1), 20));
      await expect(works.connect(owner).register(Kind.Other, cid, none, { recipients: many, shares: many.map(() => 1) }))
        .to.be.revertedWithCustomError(works, "SplitTooManyRecipients").withArgs(101);
    });

    it("behavior: metadata update by owner emits old and new CID; others are refused", async () => {
      const { works, owner, other, cid } = await loadFixture(setup);
      const next = await makeCid("work-1-v2", 1, 0x71);
      await expect(works.connect(owner).updateMetadata(1, next.bytes)).to.emit(works, "MetadataUpdated").withArgs(1, owner.address, cid.str, next.str);
      await expect(works.connect(other).updateMetadata(1, next.bytes)).to.be.revertedWithCustomError(works, "WorksUnauthorized").withArgs(other.address, 1);
    });

    it("behavior: split change needs consents of every recipient losing share (EOA and EIP-1271)", async () => {
      const { works, owner, a, b, c, split3 } = await loadFixture(setup);
      const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(b.address);
      const next = makeSplit([[a.address, 2000], [await wallet.getAddress(), 3000], [c.address, 5000]]);
      const deadline = (await time.latest()) + 3600;
      const h = splitHash(next);
      const share = new Map(split3.recipients.map((r, i) => [r, split3.shares[i]]));
      // a decreases (3334 → 2000), b is removed (replaced by its wallet): both consent, in current order.
      const losers = split3.recipients.filter((r) => (next.recipients.includes(r) ? next.shares[next.recipients.indexOf(r)] : 0) < share.get(r)!);
      const sigs = await Promise.all(losers.map((r) => signConsent([a, b, c].find((s) => s.address === r)!, works.target as string, { workId: 1, fromVersion: 1, newSplitHash: h, deadline })));
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, sigs.slice(0, 1)))
        .to.be.revertedWithCustomError(works, "WorksConsentMissing");
      await expect(works.connect(owner).changeSplit(1, split3, next, deadline, sigs))
        .to.emit(works, "SplitUpdated").withArgs(1, 2, h, next.recipients, next.shares);
      // replay of the same consents on the new version fails
      await expect(works.connect(owner).changeSplit(1, next, split3, deadline, sigs)).to.be.reverted;
      // a contract wallet consents with EIP-1271
      const back = makeSplit([[a.address, 2000], [await wallet.getAddress(), 2000], [c.address, 6000]]);
      const sig = await signConsent(b, works.target as string, { workId: 1, fromVersion: 2, newSplitHash: splitHash(back), deadline });
      await expect(works.connect(owner).changeSplit(1, next, back, deadline, [sig])).to.emit(works, "SplitConsentUsed").withArgs(1, 2, await wallet.getAddress());
    });
  });

  describe("Licensing", () => {
    it("default: purchase mints a licence, credits the bucket, emits everything", async () => {
      const { licensing, buyer, other } = await loadFixture(setup);
      const tx = licensing.connect(other).purchase(1, buyer.address, { value: PRICE });
      await expect(tx).to.emit(licensing, "LicencePurchased");
      const l = await licensing.licence(1);
      expect(l.workId).to.equal(1);
      expect(l.end - l.start).to.equal(BigInt(YEAR));
      expect(await licensing.ownerOf(1)).to.equal(buyer.address);
      expect((await licensing.revenue(1, 1, ETH)).undistributed).to.equal(PRICE);
      expect(await licensing.licenceStatus(1)).to.equal(0);
      expect(await licensing.isLicensed(1, Right.Streaming, "0x4445", await time.latest())).to.equal(true);
      expect(await licensing.isLicensed(1, Right.Sync, "0x4445", await time.latest())).to.equal(false);
      await expect(licensing.isLicensed(1, Right.Streaming, "0x5858", 0)).to.be.revertedWithCustomError(licensing, "TerritoryInvalidCountry").withArgs("0x5858");
    });

    it("error: wrong payment, unknown offer, paused offer, sold out, pause", async () => {
      const { licensing, owner, admin, buyer } = await loadFixture(setup);
      await expect(licensing.purchase(1, buyer.address, { value: 1 })).to.be.revertedWithCustomError(licensing, "LicensingWrongPayment").withArgs(PRICE, 1);
      await expect(licensing.purchase(9, buyer.address)).to.be.revertedWithCustomError(licensing, "LicensingUnknownOffer").withArgs(9);
      await licensing.connect(owner).pauseOffer(1);
      await expect(licensing.purchase(1, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingOfferNotActive").withArgs(1, 1);
      await licensing.connect(owner).retireOffer(1);
      await expect(licensing.connect(owner).resumeOffer(1)).to.be.revertedWithCustomError(licensing, "LicensingInvalidStatusTransition").withArgs(1, 2, 0);
      await licensing.connect(owner).createOffer(offerTerms(1, { cap: 1 }));
      await licensing.purchase(2, buyer.address, { value: PRICE });
      await expect(licensing.purchase(2, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingSoldOut").withArgs(2, 1);
      await licensing.connect(owner).createOffer(offerTerms(1));
      await licensing.connect(admin).pause();
      await expect(licensing.purchase(3, buyer.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "EnforcedPause");
      await expect(licensing.connect(owner).createOffer(offerTerms(1))).to.be.revertedWithCustomError(licensing, "EnforcedPause");
      await expect(licensing.connect(owner).revoke(1, 0, 0)).to.emit(licensing, "LicenceRevoked");
      await expect(licensing.connect(buyer).pause()).to.be.revertedWithCustomError(licensing, "AccessControlUnauthorizedAccount");
    });

    it("error: offer validation (rights, territory, currency, auth)", async () => {
      const { licensing, owner, other } = await loadFixture(setup);
      await expect(licensing.connect(other).createOffer(offerTerms(1))).to.be.revertedWithCustomError(licensing, "LicensingUnauthorized").withArgs(other.address, 1);
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { rights: 0x800 }))).to.be.revertedWithCustomError(licensing, "LicensingInvalidRights").withArgs(0x800);
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Include, countries: cc("DE", "ZZ") })))
        .to.be.revertedWithCustomError(licensing, "TerritoryInvalidCountry").withArgs(cc("ZZ")[0]);
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Include, countries: cc("DE", "DE") })))
        .to.be.revertedWithCustomError(licensing, "TerritoryDuplicateCountry").withArgs(cc("DE")[0]);
      await expect(licensing.connect(owner).createOffer(offerTerms(1, { currency: other.address })))
        .to.be.revertedWithCustomError(licensing, "LicensingUnsupportedCurrency").withArgs(other.address);
    });

    it("behavior: ERC-20 purchase; fee-on-transfer token rejected with amounts", async () => {
      const { licensing, owner, admin, buyer } = await loadFixture(setup);
      const token = await (await ethers.getContractFactory("MockERC20")).deploy("T", "T");
      const fot = await (await ethers.getContractFactory("FeeOnTransferERC20")).deploy();
      for (const t of [token, fot]) {
        await licensing.connect(admin).setCurrencyAllowed(await t.getAddress(), true);
        await t.mint(buyer.address, 10n ** 20n);
        await t.connect(buyer).approve(licensing.target, ethers.MaxUint256);
        await licensing.connect(owner).createOffer(offerTerms(1, { currency: await t.getAddress(), price: 1000n }));
      }
      await licensing.connect(buyer).purchase(2, buyer.address);
      expect((await licensing.revenue(1, 1, await token.getAddress())).undistributed).to.equal(1000n);
      await expect(licensing.connect(buyer).purchase(3, buyer.address)).to.be.revertedWithCustomError(licensing, "LicensingFeeOnTransfer").withArgs(await fot.getAddress(), 1000n, 990n);
    });

    it("behavior: exclusivity blocks overlapping sales and names the blocking licence", async () => {
      const { licensing, owner, buyer, other } = await loadFixture(setup);
      await licensing.connect(owner).createOffer(offerTerms(1, { exclusive: true, territoryMode: Mode.Include, countries: cc("DE", "FR"), rights: rightsMask(Right.Sync), duration: YEAR }));
      await licensing.purchase(2, buyer.address, { value: PRICE });
      await licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Exclude, countries: cc("DE"), rights: rightsMask(Right.Sync) }));
      await expect(licensing.purchase(3, other.address, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingExclusivityConflict").withArgs(1);
      await licensing.connect(owner).createOffer(offerTerms(1, { territoryMode: Mode.Exclude, countries: cc("DE", "FR"), rights: rightsMask(Right.Sync) }));
      await licensing.purchase(4, other.address, { value: PRICE }); // no territory overlap
      await licensing.purchase(1, other.address, { value: PRICE }); // no rights overlap (streaming/download)
      await time.increase(YEAR + 1);
      await licensing.purchase(3, other.address, { value: PRICE }); // exclusive expired
      expect(await licensing.exclusivesOf(1)).to.deep.equal([]);
    });

    it("behavior: signed deals — redeem once; replay, wrong chain, wrong contract, expired, wrong signer fail", async () => {
      const { licensing, works, owner, buyer, other } = await loadFixture(setup);
      const now = await time.latest();
      const deal = { workId: 1, licensee: buyer.address, rights: ALL_RIGHTS, territoryMode: Mode.Include, countries: cc("JP"), start: 0, duration: 0, price: PRICE, currency: ETH, exclusive: false, transferable: false, uri: "ipfs://terms", nonce: 7, deadline: now + 600 };
      const sig = await signDeal(owner, licensing.target as string, deal);
      await expect(licensing.connect(other).redeemDeal(deal, sig, { value: PRICE })).to.emit(licensing, "DealRedeemed").and.to.emit(licensing, "Locked").withArgs(1);
      expect((await licensing.licence(1)).end).to.equal(PERPETUAL);
      expect(await licensing.locked(1)).to.equal(true);
      await expect(licensing.connect(buyer).transferFrom(buyer.address, other.address, 1)).to.be.revertedWithCustomError(licensing, "LicensingLicenceLocked").withArgs(1);
      await expect(licensing.redeemDeal(deal, sig, { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNonceUsed").withArgs(owner.address, 7);
      const d2 = { ...deal, nonce: 8 };
      await expect(licensing.redeemDeal(d2, await signDeal(owner, licensing.target as string, d2, 1n), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature").withArgs(owner.address);
      await expect(licensing.redeemDeal(d2, await signDeal(owner, works.target as string, d2), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature");
      await expect(licensing.redeemDeal(d2, await signDeal(other, licensing.target as string, d2), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingInvalidSignature");
      const d3 = { ...deal, nonce: 9, deadline: now - 1 };
      await expect(licensing.redeemDeal(d3, await signDeal(owner, licensing.target as string, d3), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingDealExpired");
      await licensing.connect(owner).invalidateNonces(0, 1n << 8n);
      await expect(licensing.redeemDeal(d2, await signDeal(owner, licensing.target as string, d2), { value: PRICE })).to.be.revertedWithCustomError(licensing, "LicensingNonceUsed").withArgs(owner.address, 8);
    });

    it("behavior: revocation, surrender and status views", async () => {
      const { licensing, owner, buyer } = await loadFixture(setup);
      await licensing.purchase(1, buyer.address, { value: PRICE });
      await licensing.purchase(1, buyer.address, { value: PRICE });
      const at = (await time.latest()) + 100;
      await expect(licensing.connect(owner).revoke(1, 0, at)).to.emit(licensing, "LicenceRevoked").withArgs(1, 1, owner.address, 0, at);
      expect(await licensing.licenceStatus(1)).to.equal(0);
      expect(await licensing.licenceStatusAt(1, at)).to.equal(3);
      await expect(licensing.connect(owner).revoke(1, 1, 0)).to.be.revertedWithCustomError(licensing, "LicensingAlreadyRevoked").withArgs(1);
      await expect(licensing.connect(owner).surrender(2)).to.be.revertedWithCustomError(licensing, "LicensingNotLicensee").withArgs(owner.address, 2);
      await expect(licensing.connect(buyer).surrender(2)).to.emit(licensing, "LicenceSurrendered").withArgs(2, 1, buyer.address);
      expect(await licensing.licenceStatus(2)).to.equal(3);
      expect(await licensing.licenceStatusAt(2, 2n ** 39n)).to.equal(3);
    });
  });

  describe("RoyaltyLedger", () => {
    it("behavior: distribution to the wei, dust carried, final distribution after a split change", async () => {
      const { licensing, works, owner, a, b, c, buyer, split3 } = await loadFixture(setup);
      await licensing.connect(owner).createOffer(offerTerms(1, { price: 1001n }));
      await licensing.purchase(2, buyer.address, { value: 1001n });
      await expect(licensing.distribute(1, 1, split3, ETH)).to.emit(licensing, "Distributed");
      const sum = async () => (await licensing.withdrawable(a.address, ETH)) + (await licensing.withdrawable(b.address, ETH)) + (await licensing.withdrawable(c.address, ETH));
      const rem = (await licensing.revenue(1, 1, ETH)).undistributed;
      expect((await sum()) + rem).to.equal(1001n);
      expect(rem).to.be.lessThan(3n);
      // change the split (a gives up share): the old version's next distribution is final
      const next = makeSplit([[a.address, 1000], [b.address, 4500], [c.address, 4500]]);
      const deadline = (await time.latest()) + 3600;
      const sig = await signConsent(a, works.target as string, { workId: 1, fromVersion: 1, newSplitHash: splitHash(next), deadline });
      await works.connect(owner).changeSplit(1, split3, next, deadline, [sig]);
      await licensing.purchase(2, buyer.address, { value: 1001n });
      expect(rem).to.equal(2n);
      await expect(licensing.distribute(1, 1, split3, ETH))
        .to.emit(licensing, "Distributed")
        .withArgs(1, 1, ETH, (await ethers.getSigners())[0].address, 2n, 0n, true, split3.recipients, [2n, 0n, 0n]);
      expect((await licensing.revenue(1, 1, ETH)).undistributed).to.equal(0n);
      expect(await sum()).to.equal(1001n);
      expect((await licensing.revenue(1, 2, ETH)).undistributed).to.equal(1001n);
      await expect(licensing.distribute(1, 2, split3, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyInvalidSplit");
    });

    it("behavior: a reverting or reentrant recipient only blocks itself; withdraw works while paused", async () => {
      const { licensing, works, owner, admin, a, buyer } = await loadFixture(setup);
      const bad = await (await ethers.getContractFactory("RevertingRecipient")).deploy();
      const re = await (await ethers.getContractFactory("ReentrantRecipient")).deploy(licensing.target);
      const split = makeSplit([[a.address, 5000], [await bad.getAddress(), 2500], [await re.getAddress(), 2500]]);
      await works.connect(owner).register(Kind.Other, (await makeCid("w2")).bytes, ethers.ZeroHash.slice(0, 26), split);
      await licensing.connect(owner).createOffer(offerTerms(2, { price: 1000n }));
      await licensing.purchase(2, buyer.address, { value: 1000n });
      await licensing.distribute(2, 1, split, ETH);
      await licensing.connect(admin).pause();
      await expect(licensing.withdraw(await bad.getAddress(), ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyEthTransferFailed").withArgs(await bad.getAddress(), 250n);
      await expect(licensing.withdraw(await re.getAddress(), ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyEthTransferFailed");
      await expect(licensing.withdraw(a.address, ETH)).to.changeEtherBalance(a, 500n);
      await re.setAttack(false);
      await expect(licensing.withdraw(await re.getAddress(), ETH)).to.emit(licensing, "Withdrawn").withArgs(await re.getAddress(), ETH, admin.address, 250n);
      await expect(licensing.withdraw(a.address, ETH)).to.be.revertedWithCustomError(licensing, "RoyaltyNothingToWithdraw").withArgs(a.address, ETH);
    });

    it("behavior: a reentrant licensee (token hook) cannot re-enter purchase", async () => {
      const { licensing, owner, admin } = await loadFixture(setup);
      const token = await (await ethers.getContractFactory("HookERC20")).deploy();
      const attacker = await (await ethers.getContractFactory("ReentrantLicensee")).deploy(licensing.target);
      await licensing.connect(admin).setCurrencyAllowed(await token.getAddress(), true);
      await licensing.connect(owner).createOffer(offerTerms(1, { currency: await token.getAddress(), price: 100n }));
      await token.mint(await attacker.getAddress(), 1000n);
      await token.setHooked(await attacker.getAddress(), true);
      await expect(attacker.buy(2, await token.getAddress(), 1)).to.be.revertedWithCustomError(licensing, "ReentrancyGuardReentrantCall");
      await expect(attacker.buy(2, await token.getAddress(), 2)).to.be.revertedWithCustomError(licensing, "ReentrancyGuardReentrantCall");
      await attacker.buy(2, await token.getAddress(), 0);
      expect(await licensing.balanceOf(await attacker.getAddress())).to.equal(1n);
    });

    it("behavior: protocol fee goes to the treasury; property: paid in = withdrawn + balances + undistributed (fast-check)", async () => {
      const { licensing, admin, treasury, a, b, c, buyer, split3 } = await loadFixture(setup);
      await licensing.connect(admin).setProtocolFee(250);
      await expect(licensing.connect(admin).setProtocolFee(1001)).to.be.revertedWithCustomError(licensing, "LicensingFeeTooHigh").withArgs(1001);
      let paidIn = 0n;
      let withdrawn = 0n;
      const accounts = [a, b, c, treasury];
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom("buy", "distribute", "withdraw"), { minLength: 5, maxLength: 15 }), fc.nat(3), async (ops, who) => {
          for (const op of ops) {
            if (op === "buy") {
              await licensing.purchase(1, buyer.address, { value: PRICE });
              paidIn += PRICE;
            } else if (op === "distribute") {
              if ((await licensing.revenue(1, 1, ETH)).undistributed > 0n) await licensing.distribute(1, 1, split3, ETH);
            } else {
              const acct = accounts[who].address;
              const bal = await licensing.withdrawable(acct, ETH);
              if (bal > 0n) {
                await licensing.withdraw(acct, ETH);
                withdrawn += bal;
              }
            }
            let balances = 0n;
            for (const x of accounts) balances += await licensing.withdrawable(x.address, ETH);
            const pending = (await licensing.revenue(1, 1, ETH)).undistributed;
            expect(withdrawn + balances + pending).to.equal(paidIn);
            expect(await ethers.provider.getBalance(licensing.target)).to.equal(paidIn - withdrawn);
          }
        }),
        { numRuns: 5 },
      );
    });
  });
});
