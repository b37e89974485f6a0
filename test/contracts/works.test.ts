import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { replayable } from "../helpers/fast-check";
import { CID } from "multiformats/cid";
import { create as createDigest } from "multiformats/hashes/digest";
import { Kind, ascii12, equalSplit, makeCid, splitHash, CONSENT_TYPES, domain } from "./helpers/fixture";
import { ISRC, ISWC, NO_ID, baseFixture, nextTimestamp } from "./helpers/setup";

describe("Works", () => {
  describe("Cid library", () => {
    it("behavior: canonical strings match multiformats for random CIDv0/CIDv1 of every codec (fast-check)", async () => {
      const harness = await (await ethers.getContractFactory("CidHarness")).deploy();
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom(-1, 0x70, 0x55, 0x71, 0x0129), async (bytes, codec) => {
          const mh = createDigest(0x12, bytes);
          const cid = codec === -1 ? CID.createV0(mh as never) : CID.createV1(codec, mh);
          expect(await harness.toCanonical(cid.bytes)).to.equal(cid.toString());
        }),
        replayable({ numRuns: 120 }),
      );
    });

    it("args: digests with leading zero bytes keep their '1' prefixes in base58btc", async () => {
      const harness = await (await ethers.getContractFactory("CidHarness")).deploy();
      for (const lead of [0, 1, 5, 32]) {
        const bytes = new Uint8Array(32);
        for (let i = lead; i < 32; i++) bytes[i] = (i * 37 + 11) & 0xff;
        const cid = CID.createV0(createDigest(0x12, bytes) as never);
        expect(await harness.toCanonical(cid.bytes)).to.equal(cid.toString());
      }
    });

    it("error: every unsupported binary CID reverts WorksInvalidCid with the bytes", async () => {
      const { works, owner } = await loadFixture(baseFixture);
      const harness = await (await ethers.getContractFactory("CidHarness")).deploy();
      const d = "11".repeat(32);
      const bad = [
        "0x1320" + d, // v0 length, not sha2-256
        "0x1221" + d, // v0 length, wrong digest length
        "0x02551220" + d, // CIDv2
        "0x01721220" + d, // libp2p-key codec
        "0x01551320" + d, // v1, not sha2-256
        "0x01551221" + d, // v1, wrong digest length
        "0x0155122011", // truncated
        "0x01a9031220" + d, // 37 bytes, codec varint not dag-json
        "0x01a9021320" + d, // dag-json, not sha2-256
        "0x02a9021220" + d, // 37 bytes, version 2
        "0x01a9021221" + d, // dag-json, wrong digest length
        "0x",
      ];
      for (const cid of bad) {
        await expect(harness.toCanonical(cid)).to.be.revertedWithCustomError(works, "WorksInvalidCid").withArgs(cid);
        await expect(works.connect(owner).updateMetadata(1, cid)).to.be.revertedWithCustomError(works, "WorksInvalidCid").withArgs(cid);
      }
    });
  });

  describe("Identifiers library", () => {
    // The ISRC rule written out character by character: the SWAR check must agree with it on
    // every byte value, especially the neighbours of "0", "9", "A" and "Z" and bytes ≥ 0x80.
    const isrcOk = (bytes: number[]) =>
      bytes.every((c, i) => {
        const letter = c >= 0x41 && c <= 0x5a;
        const digit = c >= 0x30 && c <= 0x39;
        return i < 2 ? letter : i < 5 ? letter || digit : digit;
      });

    it("behavior: validateIsrc accepts exactly the ISRCs of the character rule (fast-check)", async () => {
      const harness = await (await ethers.getContractFactory("IdentifiersHarness")).deploy();
      const edge = fc.constantFrom(0x00, 0x2f, 0x30, 0x39, 0x3a, 0x40, 0x41, 0x5a, 0x5b, 0x60, 0x61, 0x7a, 0x7f, 0x80, 0xb0, 0xc1, 0xff);
      const letter = fc.integer({ min: 0x41, max: 0x5a });
      const digit = fc.integer({ min: 0x30, max: 0x39 });
      // Mostly valid ISRCs with a few positions replaced by edge bytes or any byte.
      const isrc = fc.tuple(
        fc.tuple(letter, letter, fc.oneof(letter, digit), fc.oneof(letter, digit), fc.oneof(letter, digit)),
        fc.array(digit, { minLength: 7, maxLength: 7 }),
        fc.array(fc.tuple(fc.nat(11), fc.oneof(edge, fc.integer({ min: 0, max: 255 }))), { maxLength: 3 }),
      ).map(([head, tail, edits]) => {
        const bytes = [...head, ...tail];
        for (const [i, v] of edits) bytes[i] = v;
        return bytes;
      });
      await fc.assert(
        fc.asyncProperty(isrc, async (bytes) => {
          const id = ethers.hexlify(Uint8Array.from(bytes));
          if (isrcOk(bytes)) await harness.validateIsrc(id);
          else await expect(harness.validateIsrc(id)).to.be.revertedWithCustomError(harness, "WorksInvalidIsrc").withArgs(id);
        }),
        replayable({ numRuns: 300 }),
      );
    });
  });

  describe("register", () => {
    it("default: mints the token, stores kind, CID, identifier, split version 1 and emits WorkRegistered + SplitUpdated", async () => {
      const { works, owner, a, b, c, split3, cid } = await loadFixture(baseFixture);
      const w = await works.work(1);
      expect(w.kind).to.equal(Kind.SoundRecording);
      expect(w.cidVersion).to.equal(1);
      expect(w.cidCodec).to.equal(0x55);
      expect(w.splitVersion).to.equal(1);
      expect(w.identifier).to.equal(ISRC);
      expect(w.registeredAt).to.be.greaterThan(0);
      expect(await works.cidOf(1)).to.equal(cid.str);
      expect(await works.tokenURI(1)).to.equal(`ipfs://${cid.str}`);
      expect(await works.ownerOf(1)).to.equal(owner.address);
      expect(await works.splitVersionOf(1)).to.equal(1);
      expect(await works.splitHashOf(1, 1)).to.deep.equal([splitHash(split3), 1n]);
      expect(await works.splitHashOf(1, 2)).to.deep.equal([ethers.ZeroHash, 1n]);
      expect(await works.hashSplit(split3)).to.equal(splitHash(split3));
      expect(await works.identifierHolder(Kind.SoundRecording, ISRC)).to.equal(1);
      expect(await works.identifierHolder(Kind.Composition, ISRC)).to.equal(0);
      expect(await works.name()).to.equal("tantieme Works");
      expect(await works.symbol()).to.equal("WORK");
      void a; void b; void c;
    });

    it("behavior: events carry the canonical CID string (v0 base58btc, v1 base32), the identifier and the whole split", async () => {
      const { works, owner, a, other } = await loadFixture(baseFixture);
      const split = equalSplit([a.address, other.address]);
      const t = await nextTimestamp();
      const v0 = await makeCid("v0", 0);
      await expect(works.connect(owner).register(Kind.Composition, v0.bytes, ISWC, split))
        .to.emit(works, "WorkRegistered").withArgs(2, owner.address, Kind.Composition, v0.str, ISWC)
        .and.to.emit(works, "SplitUpdated").withArgs(2, 1, splitHash(split), split.recipients, split.shares)
        .and.to.emit(works, "Transfer").withArgs(ethers.ZeroAddress, owner.address, 2);
      expect((await works.work(2)).registeredAt).to.equal(t);
      expect(v0.str.startsWith("Qm")).to.equal(true);
      for (const [i, codec] of [0x70, 0x71, 0x0129].entries()) {
        const cid = await makeCid(`v1-${codec}`, 1, codec);
        await expect(works.connect(other).register(Kind.Design, cid.bytes, NO_ID, split))
          .to.emit(works, "WorkRegistered").withArgs(3 + i, other.address, Kind.Design, cid.str, NO_ID);
        expect(await works.cidOf(3 + i)).to.equal(cid.str);
        expect((await works.work(3 + i)).cidCodec).to.equal(codec);
      }
    });

    it("args: an identifier is optional for every kind", async () => {
      const { works, owner, a } = await loadFixture(baseFixture);
      for (const kind of [Kind.SoundRecording, Kind.Composition, Kind.Design, Kind.Other]) {
        await expect(works.connect(owner).register(kind, (await makeCid(`k${kind}`)).bytes, NO_ID, equalSplit([a.address]))).to.emit(works, "WorkRegistered");
      }
      expect(await works.identifierHolder(Kind.SoundRecording, NO_ID)).to.equal(0);
    });

    it("error: an identifier already claimed reverts WorksIdentifierTaken naming the holder", async () => {
      const { works, owner, other, a } = await loadFixture(baseFixture);
      const cid = (await makeCid("dup")).bytes;
      await expect(works.connect(other).register(Kind.SoundRecording, cid, ISRC, equalSplit([a.address])))
        .to.be.revertedWithCustomError(works, "WorksIdentifierTaken").withArgs(Kind.SoundRecording, ISRC, 1);
      await works.connect(owner).register(Kind.Composition, cid, ISWC, equalSplit([a.address]));
      await expect(works.connect(owner).register(Kind.Composition, cid, ISWC, equalSplit([a.address])))
        .to.be.revertedWithCustomError(works, "WorksIdentifierTaken").withArgs(Kind.Composition, ISWC, 2);
    });

    it("error: malformed ISRCs revert WorksInvalidIsrc with the identifier", async () => {
      const { works, owner, a } = await loadFixture(baseFixture);
      const cid = (await makeCid("isrc")).bytes;
      for (const bad of ["DE-12345678X", "1EA123456789", "D1A123456789", "DEa123456789", "DEA12345678A", "DEA1234567", "DEA12Z456789"]) {
        const id = ascii12(bad);
        await expect(works.connect(owner).register(Kind.SoundRecording, cid, id, equalSplit([a.address])))
          .to.be.revertedWithCustomError(works, "WorksInvalidIsrc").withArgs(id);
      }
      // registrant code may mix letters and digits
      await expect(works.connect(owner).register(Kind.SoundRecording, cid, ascii12("GBA9Z2400001"), equalSplit([a.address]))).to.emit(works, "WorkRegistered");
    });

    it("error: malformed ISWCs revert WorksInvalidIswc with the identifier", async () => {
      const { works, owner, a } = await loadFixture(baseFixture);
      const cid = (await makeCid("iswc")).bytes;
      const twelve = ethers.hexlify(ethers.toUtf8Bytes("T03452468011"));
      for (const id of [ascii12("T0345246802"), ascii12("X0345246801"), ascii12("T03452A6801"), ascii12("T034524680A"), twelve]) {
        await expect(works.connect(owner).register(Kind.Composition, cid, id, equalSplit([a.address])))
          .to.be.revertedWithCustomError(works, "WorksInvalidIswc").withArgs(id);
      }
      // check digit 0 case: T-000.000.001-? → sum = 1 + 9·1 = 10 → check (10 − 0) mod 10 = 0
      await expect(works.connect(owner).register(Kind.Composition, cid, ascii12("T0000000010"), equalSplit([a.address]))).to.emit(works, "WorkRegistered");
    });

    it("error: identifiers on designs and other works revert WorksIdentifierNotApplicable", async () => {
      const { works, owner, a } = await loadFixture(baseFixture);
      const cid = (await makeCid("na")).bytes;
      for (const kind of [Kind.Design, Kind.Other]) {
        await expect(works.connect(owner).register(kind, cid, ISWC, equalSplit([a.address])))
          .to.be.revertedWithCustomError(works, "WorksIdentifierNotApplicable").withArgs(kind, ISWC);
      }
    });
  });

  describe("updateMetadata", () => {
    it("default: owner replaces the CID; MetadataUpdated carries old and new CID strings", async () => {
      const { works, owner, cid } = await loadFixture(baseFixture);
      const next = await makeCid("work-1-v2", 0);
      await expect(works.connect(owner).updateMetadata(1, next.bytes)).to.emit(works, "MetadataUpdated").withArgs(1, owner.address, 2, cid.str, next.str);
      expect(await works.cidOf(1)).to.equal(next.str);
      expect((await works.work(1)).cidVersion).to.equal(0);
    });

    it("behavior: an approved address and an operator of the owner may update; others may not", async () => {
      const { works, owner, operator, other, cid } = await loadFixture(baseFixture);
      const v2 = await makeCid("v2", 1, 0x71);
      const v3 = await makeCid("v3", 1, 0x0129);
      await works.connect(owner).approve(other.address, 1);
      await expect(works.connect(other).updateMetadata(1, v2.bytes)).to.emit(works, "MetadataUpdated").withArgs(1, other.address, 2, cid.str, v2.str);
      await works.connect(owner).setApprovalForAll(operator.address, true);
      await expect(works.connect(operator).updateMetadata(1, v3.bytes)).to.emit(works, "MetadataUpdated").withArgs(1, operator.address, 3, v2.str, v3.str);
      await works.connect(owner).approve(ethers.ZeroAddress, 1);
      await expect(works.connect(other).updateMetadata(1, v2.bytes)).to.be.revertedWithCustomError(works, "WorksUnauthorized").withArgs(other.address, 1);
      expect(await works.isAuthorized(operator.address, 1)).to.equal(true);
      expect(await works.isAuthorized(other.address, 1)).to.equal(false);
      expect(await works.isAuthorized(owner.address, 1)).to.equal(true);
    });

    it("error: unknown work and invalid CID", async () => {
      const { works, owner } = await loadFixture(baseFixture);
      const cid = (await makeCid("x")).bytes;
      await expect(works.connect(owner).updateMetadata(99, cid)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(99);
      await expect(works.connect(owner).updateMetadata(1, "0x1234")).to.be.revertedWithCustomError(works, "WorksInvalidCid").withArgs("0x1234");
    });
  });

  describe("views", () => {
    it("error: views of an unknown work revert WorksUnknownWork", async () => {
      const { works, owner } = await loadFixture(baseFixture);
      await expect(works.work(2)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(2);
      await expect(works.cidOf(2)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(2);
      await expect(works.tokenURI(2)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(2);
      await expect(works.splitVersionOf(2)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(2);
      await expect(works.isAuthorized(owner.address, 2)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(2);
      expect(await works.splitHashOf(2, 1)).to.deep.equal([ethers.ZeroHash, 0n]);
    });

    it("default: consentDigest is the EIP-712 digest of SplitConsent under the Works domain", async () => {
      const { works } = await loadFixture(baseFixture);
      const v = { workId: 1, fromVersion: 1, newSplitHash: ethers.keccak256("0x01"), deadline: 12345 };
      const expected = ethers.TypedDataEncoder.hash(await domain("tantieme Works", await works.getAddress()), CONSENT_TYPES, v);
      expect(await works.consentDigest(v.workId, v.fromVersion, v.newSplitHash, v.deadline)).to.equal(expected);
      expect(await works.SPLIT_CONSENT_TYPEHASH()).to.equal(ethers.id("SplitConsent(uint256 workId,uint32 fromVersion,bytes32 newSplitHash,uint256 deadline)"));
    });

    it("behavior: works are ordinary ERC-721 tokens (a catalogue can be transferred)", async () => {
      const { works, owner, other } = await loadFixture(baseFixture);
      await expect(works.connect(owner).transferFrom(owner.address, other.address, 1)).to.emit(works, "Transfer").withArgs(owner.address, other.address, 1);
      expect(await works.isAuthorized(other.address, 1)).to.equal(true);
      expect(await works.isAuthorized(owner.address, 1)).to.equal(false);
      expect(await works.supportsInterface("0x80ac58cd")).to.equal(true);
    });
  });
});
