import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Kind, Scope, ascii12, equalSplit, makeCid, offerTerms, signAttestation } from "./helpers/fixture";
import { ISRC, ISWC, NO_ID, PRICE, baseFixture } from "./helpers/setup";

const name = ethers.encodeBytes32String;
/** The 5-char ISRC prefix "DEA12" as bytes12. */
const PREFIX = ascii12("DEA12");

async function withRegistrar() {
  const f = await baseFixture();
  const registrar = f.signers[10];
  const label = f.signers[11];
  await f.registrars.connect(f.admin).addRegistrar(registrar.address, name("DE ISRC agency"));
  const expiry = BigInt(await time.latest()) + 30n * 24n * 3600n;
  const attest = (over: Partial<Parameters<typeof signAttestation>[2]> = {}) =>
    f.registrars.getAddress().then((addr) => signAttestation(registrar, addr, {
      registrar: registrar.address, account: label.address, kind: Kind.SoundRecording, scope: Scope.IsrcPrefix, identifier: PREFIX,
      nonce: 1, expiry, ...over,
    }));
  return { ...f, registrar, label, expiry, attest };
}

describe("Verified identifiers", () => {
  it("default: the owner adds and removes registrars (RegistrarAdded / RegistrarRemoved); others cannot", async () => {
    const { registrars, admin, other, registrar } = await loadFixture(withRegistrar);
    expect(await registrars.isRegistrar(registrar.address)).to.equal(true);
    await expect(registrars.connect(other).addRegistrar(other.address, name("x"))).to.be.revertedWithCustomError(registrars, "OwnableUnauthorizedAccount").withArgs(other.address);
    await expect(registrars.connect(admin).addRegistrar(other.address, name("FR"))).to.emit(registrars, "RegistrarAdded").withArgs(other.address, name("FR"), admin.address);
    await expect(registrars.connect(admin).addRegistrar(other.address, name("FR"))).to.be.revertedWithCustomError(registrars, "RegistrarsAlreadyRegistrar").withArgs(other.address);
    await expect(registrars.connect(admin).addRegistrar(ethers.ZeroAddress, name("FR"))).to.be.revertedWithCustomError(registrars, "RegistrarsZeroAddress");
    await expect(registrars.connect(admin).removeRegistrar(other.address)).to.emit(registrars, "RegistrarRemoved").withArgs(other.address, admin.address);
    await expect(registrars.connect(admin).removeRegistrar(other.address)).to.be.revertedWithCustomError(registrars, "RegistrarsNotRegistrar").withArgs(other.address);
  });

  it("default: a registration with a prefix attestation is verified (IdentifierAssigned); without, unverified (WorkRegistered only)", async () => {
    const { works, registrars, label, registrar, attest, a } = await loadFixture(withRegistrar);
    const att = await attest();
    expect(await registrars.attestationDigest(att)).to.equal(ethers.TypedDataEncoder.hash(
      { name: "tantieme Registrars", version: "1", chainId: (await ethers.provider.getNetwork()).chainId, verifyingContract: await registrars.getAddress() },
      { Attestation: [{ name: "registrar", type: "address" }, { name: "account", type: "address" }, { name: "kind", type: "uint8" }, { name: "scope", type: "uint8" }, { name: "identifier", type: "bytes12" }, { name: "nonce", type: "uint256" }, { name: "expiry", type: "uint64" }] },
      { registrar: att.registrar, account: att.account, kind: att.kind, scope: att.scope, identifier: att.identifier, nonce: att.nonce, expiry: att.expiry },
    ));
    const isrc2 = ascii12("DEA122600001");
    await expect(works.connect(label).registerAttested(Kind.SoundRecording, (await makeCid("label")).bytes, isrc2, equalSplit([a.address]), att))
      .to.emit(works, "IdentifierAssigned").withArgs(2, Kind.SoundRecording, isrc2, true, registrar.address);
    expect(await works.isVerified(2)).to.equal(true);
    expect(await works.identifierRecord(Kind.SoundRecording, isrc2)).to.deep.equal([2n, true, registrar.address]);
    // the same prefix attestation serves the label's next ISRC
    await works.connect(label).registerAttested(Kind.SoundRecording, (await makeCid("label-2")).bytes, ascii12("DEA122600002"), equalSplit([a.address]), att);
    expect(await works.isVerified(3)).to.equal(true);
    await expect(works.connect(label).register(Kind.SoundRecording, (await makeCid("label-3")).bytes, ascii12("DEA122600003"), equalSplit([a.address])))
      .to.emit(works, "WorkRegistered").and.not.to.emit(works, "IdentifierAssigned");
    // the fixture's work 1 was registered without attestation: unverified
    expect(await works.isVerified(1)).to.equal(false);
    expect(await works.identifierRecord(Kind.SoundRecording, ISRC)).to.deep.equal([1n, false, ethers.ZeroAddress]);
  });

  it("behavior: a verified registration takes an identifier over from an unverified squatter; licences sold under the squatter stay on record", async () => {
    const { works, licensing, owner, buyer, label, registrar, attest, a } = await loadFixture(withRegistrar);
    await licensing.purchase(1, buyer.address, { value: PRICE }); // sold under the squatter's work 1 (ISRC DEA123456789)
    const att = await attest({ scope: Scope.Identifier, identifier: ISRC });
    await expect(works.connect(label).register(Kind.SoundRecording, (await makeCid("x")).bytes, ISRC, equalSplit([a.address])))
      .to.be.revertedWithCustomError(works, "WorksIdentifierTaken").withArgs(Kind.SoundRecording, ISRC, 1);
    await expect(works.connect(label).registerAttested(Kind.SoundRecording, (await makeCid("x")).bytes, ISRC, equalSplit([a.address]), att))
      .to.emit(works, "IdentifierReassigned").withArgs(Kind.SoundRecording, ISRC, 1, 0, registrar.address, "attested");
    expect(await works.identifierHolder(Kind.SoundRecording, ISRC)).to.equal(2n);
    expect((await works.work(1)).identifier).to.equal(NO_ID);
    expect(await works.isVerified(1)).to.equal(false);
    expect(await licensing.ownerOf(1)).to.equal(buyer.address);
    // a verified holder cannot be taken over, not even with another attestation
    await expect(works.connect(label).registerAttested(Kind.SoundRecording, (await makeCid("y")).bytes, ISRC, equalSplit([a.address]), att))
      .to.be.revertedWithCustomError(works, "WorksIdentifierTaken").withArgs(Kind.SoundRecording, ISRC, 2);
    void owner;
  });

  it("behavior: a registrar resolves a dispute by moving an identifier to the rightful work, with a reason; or releases it", async () => {
    const { works, owner, label, registrar, other, a } = await loadFixture(withRegistrar);
    await works.connect(label).register(Kind.SoundRecording, (await makeCid("rightful")).bytes, NO_ID, equalSplit([a.address])); // work 2
    await expect(works.connect(other).reassignIdentifier(Kind.SoundRecording, ISRC, 2, "x")).to.be.revertedWithCustomError(works, "WorksNotRegistrar").withArgs(other.address);
    await expect(works.connect(registrar).reassignIdentifier(Kind.SoundRecording, ISRC, 2, "label proved ownership"))
      .to.emit(works, "IdentifierReassigned").withArgs(Kind.SoundRecording, ISRC, 1, 2, registrar.address, "label proved ownership");
    expect((await works.work(2)).identifier).to.equal(ISRC);
    expect(await works.isVerified(2)).to.equal(true);
    await expect(works.connect(registrar).reassignIdentifier(Kind.SoundRecording, ISRC, 0, "withdrawn"))
      .to.emit(works, "IdentifierReassigned").withArgs(Kind.SoundRecording, ISRC, 2, 0, registrar.address, "withdrawn");
    expect(await works.identifierHolder(Kind.SoundRecording, ISRC)).to.equal(0n);
    await works.connect(owner).register(Kind.Composition, (await makeCid("comp")).bytes, ISWC, equalSplit([a.address])); // work 3
    await expect(works.connect(registrar).reassignIdentifier(Kind.SoundRecording, ISRC, 3, "x")).to.be.revertedWithCustomError(works, "WorksKindMismatch").withArgs(3, Kind.SoundRecording, Kind.Composition);
    await works.connect(owner).register(Kind.SoundRecording, (await makeCid("r2")).bytes, ascii12("FRZ032600001"), equalSplit([a.address])); // work 4
    await expect(works.connect(registrar).reassignIdentifier(Kind.SoundRecording, ISRC, 4, "x")).to.be.revertedWithCustomError(works, "WorksWorkHasIdentifier").withArgs(4, ascii12("FRZ032600001"));
    await expect(works.connect(registrar).reassignIdentifier(Kind.SoundRecording, ISRC, 9, "x")).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(9);
    await expect(works.connect(registrar).reassignIdentifier(Kind.Design, ISRC, 0, "x")).to.be.revertedWithCustomError(works, "WorksIdentifierNotApplicable");
  });

  it("behavior: verifyIdentifier marks an existing registration verified with an attestation naming its owner", async () => {
    const { works, owner, other, registrar, attest, a } = await loadFixture(withRegistrar);
    const att = await attest({ account: owner.address, scope: Scope.Identifier, identifier: ISRC });
    await expect(works.connect(other).verifyIdentifier(1, att)).to.be.revertedWithCustomError(works, "WorksUnauthorized").withArgs(other.address, 1);
    await expect(works.connect(owner).verifyIdentifier(1, att)).to.emit(works, "IdentifierAssigned").withArgs(1, Kind.SoundRecording, ISRC, true, registrar.address);
    expect(await works.isVerified(1)).to.equal(true);
    await works.connect(owner).register(Kind.Other, (await makeCid("o")).bytes, NO_ID, equalSplit([a.address]));
    await expect(works.connect(owner).verifyIdentifier(2, att)).to.be.revertedWithCustomError(works, "WorksIdentifierNotApplicable").withArgs(Kind.Other, NO_ID);
  });

  it("error: attestations — expired, revoked nonce, removed registrar, wrong account, not covered, forged, other deployment", async () => {
    const { works, registrars, admin, label, registrar, other, attest, expiry, a, treasury } = await loadFixture(withRegistrar);
    const cid = (await makeCid("e")).bytes;
    const isrc = ascii12("DEA122600009");
    const reg = (att: Awaited<ReturnType<typeof attest>>, who = label, id = isrc) =>
      works.connect(who).registerAttested(Kind.SoundRecording, cid, id, equalSplit([a.address]), att);
    await expect(reg(await attest({ account: other.address }))).to.be.revertedWithCustomError(registrars, "RegistrarsWrongAccount").withArgs(other.address, label.address);
    await expect(reg(await attest(), label, ascii12("DEB122600009"))).to.be.revertedWithCustomError(registrars, "RegistrarsNotCovered");
    await expect(reg(await attest({ kind: Kind.Composition }))).to.be.revertedWithCustomError(registrars, "RegistrarsNotCovered");
    await expect(reg(await attest({ identifier: ascii12("DEA12X") }))).to.be.revertedWithCustomError(registrars, "RegistrarsNotCovered");
    const forged = await signAttestation(registrar, await registrars.getAddress(), { registrar: registrar.address, account: label.address, kind: 0, scope: 1, identifier: PREFIX, nonce: 1, expiry }, other);
    await expect(reg(forged)).to.be.revertedWithCustomError(registrars, "RegistrarsInvalidSignature").withArgs(registrar.address);
    // signed for another Registrars deployment (another domain): worthless here
    const second = await (await ethers.getContractFactory("Registrars")).deploy(admin.address);
    const elsewhere = await signAttestation(registrar, await second.getAddress(), { registrar: registrar.address, account: label.address, kind: 0, scope: 1, identifier: PREFIX, nonce: 1, expiry });
    await expect(reg(elsewhere)).to.be.revertedWithCustomError(registrars, "RegistrarsInvalidSignature").withArgs(registrar.address);
    await expect(registrars.connect(registrar).revokeAttestationsBelow(8)).to.emit(registrars, "AttestationsRevoked").withArgs(registrar.address, 8);
    expect(await registrars.isRevoked(registrar.address, 7)).to.equal(true);
    expect(await registrars.isRevoked(registrar.address, 8)).to.equal(false);
    await expect(registrars.connect(registrar).revokeAttestationsBelow(8)).to.be.revertedWithCustomError(registrars, "RegistrarsNonceNotIncreasing").withArgs(8, 8);
    await expect(reg(await attest({ nonce: 7 }))).to.be.revertedWithCustomError(registrars, "RegistrarsAttestationRevoked").withArgs(registrar.address, 7);
    await expect(reg(await attest({ nonce: 8 }))).to.emit(works, "IdentifierAssigned");
    await time.increaseTo(expiry + 1n);
    await expect(reg(await attest())).to.be.revertedWithCustomError(registrars, "RegistrarsAttestationExpired");
    await registrars.connect(admin).removeRegistrar(registrar.address);
    await expect(reg(await attest({ expiry: expiry + 10n ** 6n }))).to.be.revertedWithCustomError(registrars, "RegistrarsNotRegistrar").withArgs(registrar.address);
    void treasury;
  });

  it("behavior: an EIP-1271 multisig can be a registrar", async () => {
    const { works, registrars, admin, label, registrar, expiry, a } = await loadFixture(withRegistrar);
    const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(registrar.address);
    const wAddr = await wallet.getAddress();
    await registrars.connect(admin).addRegistrar(wAddr, name("multisig"));
    const att = await signAttestation(registrar, await registrars.getAddress(), { registrar: wAddr, account: label.address, kind: Kind.Composition, scope: Scope.Identifier, identifier: ISWC, nonce: 1, expiry });
    await expect(works.connect(label).registerAttested(Kind.Composition, (await makeCid("c")).bytes, ISWC, equalSplit([a.address]), att))
      .to.emit(works, "IdentifierAssigned").withArgs(2, Kind.Composition, ISWC, true, wAddr);
  });
});

describe("Licensed version", () => {
  it("default: a licence records the metadata version it covers; later updates do not change it; evidence returns the licensed CID", async () => {
    const { works, licensing, owner, buyer, cid } = await loadFixture(baseFixture);
    await licensing.purchase(1, buyer.address, { value: PRICE }); // licence 1 covers version 1
    const v2 = await makeCid("work-1-v2");
    await expect(works.connect(owner).updateMetadata(1, v2.bytes)).to.emit(works, "MetadataUpdated").withArgs(1, owner.address, 2, cid.str, v2.str);
    await licensing.purchase(1, buyer.address, { value: PRICE }); // licence 2 covers version 2
    expect((await licensing.licence(1)).metadataVersion).to.equal(1n);
    expect((await licensing.licence(2)).metadataVersion).to.equal(2n);
    expect(await licensing.licensedCid(1)).to.equal(cid.str);
    expect(await licensing.licensedCid(2)).to.equal(v2.str);
    expect(await works.cidAt(1, 1)).to.equal(cid.str);
    expect(await works.cidAt(1, 2)).to.equal(v2.str);
    expect(await works.versionsOf(1)).to.deep.equal([1n, 2n]);
    await expect(works.cidAt(1, 3)).to.be.revertedWithCustomError(works, "WorksUnknownMetadataVersion").withArgs(1, 3);
    await expect(works.cidAt(1, 0)).to.be.revertedWithCustomError(works, "WorksUnknownMetadataVersion").withArgs(1, 0);
    await expect(works.cidAt(9, 1)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(9);
    await expect(works.versionsOf(9)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(9);
    await expect(works.dealContext(9)).to.be.revertedWithCustomError(works, "WorksUnknownWork").withArgs(9);
    await expect(licensing.licensedCid(3)).to.be.revertedWithCustomError(licensing, "LicensingUnknownLicence").withArgs(3);
    expect(await works.registrars()).to.not.equal(ethers.ZeroAddress);
  });
});

describe("Ledger dust (I-3)", () => {
  it("error: distribute of a bucket that would credit every recipient 0 reverts RoyaltyBelowDistributable (no event spam)", async () => {
    const { licensing, owner, split3 } = await loadFixture(baseFixture);
    await licensing.connect(owner).createOffer(offerTerms(1, { price: 2n }));
    await licensing.purchase(2, owner.address, { value: 2n }); // 2 wei over 3 recipients: every share floors to 0
    await expect(licensing.distribute(1, 1, split3, ethers.ZeroAddress)).to.be.revertedWithCustomError(licensing, "RoyaltyBelowDistributable").withArgs(1, 1, ethers.ZeroAddress, 2);
    expect(await licensing.revenue(1, 1, ethers.ZeroAddress)).to.deep.equal([2n, 2n]);
  });
});
