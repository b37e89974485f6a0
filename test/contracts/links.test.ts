import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Kind, Mode, Right, cc, equalSplit, makeCid, rightsMask, signLinkConsent } from "./helpers/fixture";
import { ISWC, baseFixture, registerWork } from "./helpers/setup";

const LinkStatus = { None: 0, Claimed: 1, Confirmed: 2 } as const;
const GEMA = ethers.encodeBytes32String("GEMA");

/** Work 1 (recording, owner) + composition 2 (ISWC, held by `c`, a publisher) + composition 3 (c). */
async function layers() {
  const f = await baseFixture();
  await f.works.connect(f.c).register(Kind.Composition, (await makeCid("comp")).bytes, ISWC, equalSplit([f.c.address]));
  const medley = await registerWork(f.works, f.c, equalSplit([f.c.address]), "comp-2", Kind.Composition);
  return { ...f, publisher: f.c, medley };
}

describe("Links (both layers of a song)", () => {
  it("default: a recording claims a composition; the composition's owner confirms; links never touch a purchase", async () => {
    const { links, owner, publisher, other } = await loadFixture(layers);
    await expect(links.connect(other).link(1, 2, 0, "0x")).to.be.revertedWithCustomError(links, "LinksUnauthorized").withArgs(other.address, 1);
    await expect(links.connect(owner).link(1, 2, 0, "0x")).to.emit(links, "CompositionLinked").withArgs(1, 2, LinkStatus.Claimed, owner.address);
    expect(await links.linkStatus(1, 2)).to.equal(LinkStatus.Claimed);
    await expect(links.connect(owner).link(1, 2, 0, "0x")).to.be.revertedWithCustomError(links, "LinksAlreadyLinked").withArgs(1, 2, LinkStatus.Claimed);
    await expect(links.connect(owner).confirmLink(1, 2)).to.be.revertedWithCustomError(links, "LinksUnauthorized").withArgs(owner.address, 2);
    await expect(links.connect(publisher).confirmLink(1, 2)).to.emit(links, "LinkConfirmed").withArgs(1, 2, publisher.address);
    expect(await links.linkStatus(1, 2)).to.equal(LinkStatus.Confirmed);
    await expect(links.connect(publisher).confirmLink(1, 2)).to.be.revertedWithCustomError(links, "LinksNotLinked").withArgs(1, 2, LinkStatus.Confirmed);
  });

  it("behavior: a medley links several compositions; a signed consent (EIP-712) confirms at once; it dies with a change of owner", async () => {
    const { links, works, owner, publisher, other, medley } = await loadFixture(layers);
    const deadline = BigInt(await time.latest()) + 3600n;
    const lAddr = await links.getAddress();
    const consent = await signLinkConsent(publisher, lAddr, { recordingId: 1, compositionId: 2, ownershipEpoch: 0, deadline });
    expect(await links.linkDigest(1, 2, deadline)).to.equal(ethers.TypedDataEncoder.hash(
      { name: "tantieme Links", version: "1", chainId: (await ethers.provider.getNetwork()).chainId, verifyingContract: lAddr },
      { LinkConsent: [{ name: "recordingId", type: "uint256" }, { name: "compositionId", type: "uint256" }, { name: "ownershipEpoch", type: "uint32" }, { name: "deadline", type: "uint256" }] },
      { recordingId: 1, compositionId: 2, ownershipEpoch: 0, deadline },
    ));
    await expect(links.connect(owner).link(1, 2, deadline, consent)).to.emit(links, "CompositionLinked").withArgs(1, 2, LinkStatus.Confirmed, owner.address);
    await expect(links.connect(owner).link(1, medley, 0, "0x")).to.emit(links, "CompositionLinked").withArgs(1, medley, LinkStatus.Claimed, owner.address);
    // a consent signed before the composition changed hands is worthless
    const stale = await signLinkConsent(publisher, lAddr, { recordingId: 1, compositionId: medley, ownershipEpoch: 0, deadline });
    await works.connect(publisher).transferFrom(publisher.address, other.address, medley);
    await expect(links.connect(owner).link(1, medley, deadline, stale)).to.be.revertedWithCustomError(links, "LinksInvalidConsent").withArgs(other.address);
    const fresh = await signLinkConsent(other, lAddr, { recordingId: 1, compositionId: medley, ownershipEpoch: 1, deadline });
    await expect(links.connect(owner).link(1, medley, deadline, fresh)).to.emit(links, "CompositionLinked").withArgs(1, medley, LinkStatus.Confirmed, owner.address);
    await links.connect(owner).unlink(1, 2);
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(links.connect(owner).link(1, 2, deadline, consent)).to.be.revertedWithCustomError(links, "LinksConsentExpired").withArgs(deadline, deadline + 1n);
  });

  it("behavior: either side may unlink; kinds are checked", async () => {
    const { links, owner, publisher, other } = await loadFixture(layers);
    await links.connect(owner).link(1, 2, 0, "0x");
    await expect(links.connect(other).unlink(1, 2)).to.be.revertedWithCustomError(links, "LinksUnauthorized").withArgs(other.address, 1);
    await expect(links.connect(publisher).unlink(1, 2)).to.emit(links, "LinkRemoved").withArgs(1, 2, publisher.address);
    await expect(links.connect(owner).unlink(1, 2)).to.be.revertedWithCustomError(links, "LinksNotLinked").withArgs(1, 2, LinkStatus.None);
    await expect(links.connect(owner).link(2, 1, 0, "0x")).to.be.revertedWithCustomError(links, "LinksWrongKind").withArgs(2, Kind.SoundRecording);
    await expect(links.connect(owner).link(1, 1, 0, "0x")).to.be.revertedWithCustomError(links, "LinksWrongKind").withArgs(1, Kind.Composition);
    await expect(links.connect(owner).link(1, 2, 0, "0x1234")).to.be.revertedWithCustomError(links, "LinksConsentExpired");
    await expect(links.connect(owner).link(1, 2, 2n ** 40n, "0x1234")).to.be.revertedWithCustomError(links, "LinksInvalidConsent").withArgs(publisher.address);
  });

  it("default: a composition declares which rights a society administers where (SocietyAdministration); rights 0 ends it", async () => {
    const { links, owner, publisher } = await loadFixture(layers);
    const rights = rightsMask(Right.PublicPerformance, Right.Broadcast);
    await expect(links.connect(owner).declareSociety(2, GEMA, rights, Mode.Include, cc("DE", "AT"))).to.be.revertedWithCustomError(links, "LinksUnauthorized").withArgs(owner.address, 2);
    await expect(links.connect(publisher).declareSociety(2, GEMA, rights, Mode.Include, cc("DE", "AT")))
      .to.emit(links, "SocietyAdministration").withArgs(2, GEMA, rights, Mode.Include, cc("DE", "AT"), publisher.address);
    const m = await links.mandate(2, GEMA);
    expect([m.rights, m.territoryMode]).to.deep.equal([BigInt(rights), BigInt(Mode.Include)]);
    await expect(links.connect(publisher).declareSociety(2, GEMA, 0, Mode.Worldwide, [])).to.emit(links, "SocietyAdministration").withArgs(2, GEMA, 0, Mode.Worldwide, [], publisher.address);
    expect((await links.mandate(2, GEMA)).rights).to.equal(0n);
    await expect(links.connect(publisher).declareSociety(2, ethers.ZeroHash, rights, Mode.Worldwide, [])).to.be.revertedWithCustomError(links, "LinksZeroSociety");
    await expect(links.connect(publisher).declareSociety(2, GEMA, 0x1000, Mode.Worldwide, [])).to.be.revertedWithCustomError(links, "LinksInvalidRights").withArgs(0x1000);
    await expect(links.connect(publisher).declareSociety(2, GEMA, rights, Mode.Include, cc("QQ"))).to.be.revertedWithCustomError(links, "TerritoryInvalidCountry");
    await expect(links.connect(owner).declareSociety(1, GEMA, rights, Mode.Worldwide, [])).to.be.revertedWithCustomError(links, "LinksWrongKind").withArgs(1, Kind.Composition);
  });
});
