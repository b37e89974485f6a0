/**
 * Mapping tests for issue 10's events: registrars and verified identifiers (Registrars and Works
 * data sources), disputes, recording → composition links and society mandates (Links data source),
 * the metadata version a licence covers, revocation policies and scheduled fee changes. Real
 * transactions on Hardhat's network, the compiled subgraph WASM in the embedded runtime, entities
 * read back through its GraphQL API.
 */
import { expect } from "chai";
import hre from "hardhat";
import { encodeBytes32String, parseEther, type ContractTransactionResponse, type TransactionReceipt } from "ethers";
import { buildTantiemeSubgraph } from "./helpers/build";
import {
  KIND, RIGHT, TERRITORY, ZERO, cidBytes, country, deployTantieme, eventId, index, lower, mask, openIpfs, signDigest, split,
  startChain, uintId, type Deployment, type Ipfs, type LocalChain, type Running,
} from "./helpers/tantieme";

const DAY = 24 * 3600;
const LABEL_ISRC = "DEA122600001";
const UPLOAD_ISRC = "USRC17607839";
const ISWC = "T0345246801";
const REGISTRAR = 7;
const REASON = "dispute 12: the registrant showed its ISRC allocation";

function bytes12(text: string): string {
  return "0x" + Buffer.from(text, "ascii").toString("hex").padEnd(24, "0");
}
/** Identifier entity id: kind byte ++ bytes12. */
function identifierId(kind: number, text: string): string {
  return "0x" + kind.toString(16).padStart(2, "0") + bytes12(text).slice(2);
}
/** Metadata version id: work (32 bytes) ++ version (4 bytes big-endian). */
function versionId(work: number, version: number): string {
  return uintId(work) + version.toString(16).padStart(8, "0");
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  return (await (await tx).wait())!;
}

describe("subgraph/mappings: identifiers, links, licensed version", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  const r: Record<string, TransactionReceipt> = {};
  const who: Record<string, string> = {};
  const cids: Record<string, string> = {};
  const time = async (name: string) => String((await hre.ethers.provider.getBlock(r[name].blockNumber))!.timestamp);
  /** The entity id of the log of `event` in receipt `name`. */
  const logId = (name: string, event: string) => {
    const topics = [d.works, d.licensing, d.registrars, d.links].map((c) => c.interface.getEvent(event as never)?.topicHash).filter(Boolean);
    const log = r[name].logs.find((l) => topics.includes(l.topics[0]))!;
    expect(log, `${event} in ${name}`).to.not.equal(undefined);
    return eventId(log.transactionHash, log.index);
  };

  before(async function () {
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    d = await deployTantieme();
    const [admin, alice, bob, carol, dave] = d.signers;
    for (const [k, s] of Object.entries({ admin, alice, bob, carol, dave })) who[k] = lower(await s.getAddress());
    const registrar = d.signers[REGISTRAR];
    const second = d.signers[8];
    who.registrar = lower(await registrar.getAddress());
    who.second = lower(await second.getAddress());
    const { works, licensing, registrars, links, governance } = d;
    const solo = (a: string) => split([a, 10000]);

    cids.squat = await ipfs.addJson({ title: "Copied" });
    cids.upload = await ipfs.addJson({ title: "Bedroom demo" });
    cids.label = await ipfs.addJson({ title: "Night Drive" });
    cids.labelV2 = await ipfs.addJson({ title: "Night Drive (Remastered)" });
    cids.rightful = await ipfs.addJson({ title: "Bedroom demo (the real one)" });
    cids.song = await ipfs.addJson({ title: "Night Drive (composition)" });
    cids.medley = await ipfs.addJson({ title: "Medley part" });

    r.addRegistrar = await mined(registrars.connect(admin).addRegistrar(who.registrar, encodeBytes32String("DE ISRC agency")));
    r.squat = await mined(works.connect(bob).register(KIND.SoundRecording, cidBytes(cids.squat), bytes12(LABEL_ISRC), solo(who.bob)));
    r.upload = await mined(works.connect(bob).register(KIND.SoundRecording, cidBytes(cids.upload), bytes12(UPLOAD_ISRC), solo(who.bob)));
    const expiry = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp) + 30n * BigInt(DAY);
    const attestation = {
      registrar: who.registrar, account: who.alice, kind: KIND.SoundRecording, scope: 1 /* IsrcPrefix */, identifier: bytes12("DEA12"),
      nonce: 1, expiry, signature: "0x",
    };
    attestation.signature = signDigest(REGISTRAR, await registrars.attestationDigest(attestation));
    r.label = await mined(works.connect(alice).registerAttested(KIND.SoundRecording, cidBytes(cids.label), bytes12(LABEL_ISRC), solo(who.alice), attestation));
    r.rightful = await mined(works.connect(carol).register(KIND.SoundRecording, cidBytes(cids.rightful), bytes12(""), solo(who.carol)));
    r.dispute = await mined(works.connect(registrar).reassignIdentifier(KIND.SoundRecording, bytes12(UPLOAD_ISRC), 4, REASON));
    r.song = await mined(works.connect(carol).register(KIND.Composition, cidBytes(cids.song), bytes12(ISWC), solo(who.carol)));
    r.medley = await mined(works.connect(carol).register(KIND.Composition, cidBytes(cids.medley), bytes12(""), solo(who.carol)));

    r.claim = await mined(links.connect(alice).link(3, 5, 0, "0x"));
    r.confirm = await mined(links.connect(carol).confirmLink(3, 5));
    const deadline = 2n ** 40n;
    r.consent = await mined(links.connect(alice).link(3, 6, deadline, signDigest(3, await links.linkDigest(3, 6, deadline))));
    r.bobClaim = await mined(links.connect(bob).link(2, 5, 0, "0x"));
    r.unlink = await mined(links.connect(carol).unlink(2, 5));
    r.gema = await mined(links.connect(carol).declareSociety(5, encodeBytes32String("GEMA"), mask(RIGHT.PublicPerformance, RIGHT.Broadcast), TERRITORY.Include, [country("DE")]));
    r.sacem = await mined(links.connect(carol).declareSociety(5, encodeBytes32String("SACEM"), mask(RIGHT.PublicPerformance), TERRITORY.Include, [country("FR")]));
    r.sacemEnd = await mined(links.connect(carol).declareSociety(5, encodeBytes32String("SACEM"), 0, TERRITORY.Worldwide, []));

    r.offer = await mined(licensing.connect(alice).createOffer({
      workId: 3, rights: mask(RIGHT.Streaming), territoryMode: TERRITORY.Worldwide, countries: [], duration: 0, startDate: 0,
      price: parseEther("0.1"), currency: ZERO, cap: 0, exclusive: false, transferable: false,
      revocableFor: 0b101 /* Breach, Dispute */, noticePeriod: 30 * DAY, uri: "",
    }));
    r.buy1 = await mined(licensing.connect(dave).purchase(1, who.dave, { value: parseEther("0.1") }));
    r.meta = await mined(works.connect(alice).updateMetadata(3, cidBytes(cids.labelV2)));
    r.buy2 = await mined(licensing.connect(dave).purchase(1, who.dave, { value: parseEther("0.1") }));

    r.revokeAttestations = await mined(registrars.connect(registrar).revokeAttestationsBelow(5));
    r.addSecond = await mined(registrars.connect(admin).addRegistrar(who.second, encodeBytes32String("FR")));
    r.removeSecond = await mined(registrars.connect(admin).removeRegistrar(who.second));
    r.fee = await mined(governance.connect(admin).setProtocolFee(300));

    run = await index(chain, ipfs, manifest);
  });

  after(async () => {
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
  });

  describe("Registrars", () => {
    it("default: handleRegistrarAdded, handleRegistrarRemoved and handleAttestationsRevoked keep the registrar set and its history", async () => {
      const { registrars, registrarEvents } = await run.gql(`{
        registrars(orderBy: addedAt) { id name active revokedBelow addedAt verifiedWorks(orderBy: tokenId) { tokenId } }
        registrarEvents(orderBy: blockNumber) { id registrar { id } action below by txHash } }`);
      expect(registrars).to.deep.equal([
        { id: who.registrar, name: "DE ISRC agency", active: true, revokedBelow: "5", addedAt: await time("addRegistrar"), verifiedWorks: [{ tokenId: "3" }, { tokenId: "4" }] },
        { id: who.second, name: "FR", active: false, revokedBelow: "0", addedAt: await time("addSecond"), verifiedWorks: [] },
      ]);
      expect(registrarEvents).to.deep.equal([
        { id: logId("addRegistrar", "RegistrarAdded"), registrar: { id: who.registrar }, action: "Added", below: null, by: who.admin, txHash: r.addRegistrar.hash },
        { id: logId("revokeAttestations", "AttestationsRevoked"), registrar: { id: who.registrar }, action: "AttestationsRevoked", below: "5", by: who.registrar, txHash: r.revokeAttestations.hash },
        { id: logId("addSecond", "RegistrarAdded"), registrar: { id: who.second }, action: "Added", below: null, by: who.admin, txHash: r.addSecond.hash },
        { id: logId("removeSecond", "RegistrarRemoved"), registrar: { id: who.second }, action: "Removed", below: null, by: who.admin, txHash: r.removeSecond.hash },
      ]);
    });
  });

  describe("Works: verified identifiers and disputes", () => {
    const WORK = `{ tokenId verified verifiedBy { id } identifier isrc lostIdentifier identifierRecord { id }
      identifierLosses { toWork { tokenId } reason registrar } }`;

    it("default: an unverified registration says so; an attested one is verified by its registrar (handleIdentifierAssigned)", async () => {
      const { works } = await run.gql(`{ works(orderBy: tokenId, where: { tokenId_in: ["3", "6"] }) ${WORK} }`);
      expect(works).to.deep.equal([
        { tokenId: "3", verified: true, verifiedBy: { id: who.registrar }, identifier: LABEL_ISRC, isrc: LABEL_ISRC, lostIdentifier: null,
          identifierRecord: { id: identifierId(KIND.SoundRecording, LABEL_ISRC) }, identifierLosses: [] },
        { tokenId: "6", verified: false, verifiedBy: null, identifier: null, isrc: null, lostIdentifier: null, identifierRecord: null, identifierLosses: [] },
      ]);
      const { identifierAssignments } = await run.gql(`{ identifierAssignments { id identifier { id } work { tokenId } verified registrar { id } txHash } }`);
      expect(identifierAssignments).to.deep.equal([{
        id: logId("label", "IdentifierAssigned"), identifier: { id: identifierId(KIND.SoundRecording, LABEL_ISRC) }, work: { tokenId: "3" },
        verified: true, registrar: { id: who.registrar }, txHash: r.label.hash,
      }]);
    });

    it("behavior: a verified registration takes the identifier from an unverified squatter, who keeps a record of the loss", async () => {
      const { work, identifier } = await run.gql(`{ work(id: "${uintId(1)}") ${WORK}
        identifier(id: "${identifierId(KIND.SoundRecording, LABEL_ISRC)}") { kind value work { tokenId } verified registrar { id } disputed
          reassignments { fromWork { tokenId } toWork { tokenId } reason txHash } } }`);
      expect(work).to.deep.equal({
        tokenId: "1", verified: false, verifiedBy: null, identifier: null, isrc: null, lostIdentifier: LABEL_ISRC, identifierRecord: null,
        identifierLosses: [{ toWork: null, reason: "attested", registrar: who.registrar }],
      });
      expect(identifier).to.deep.equal({
        kind: "SoundRecording", value: LABEL_ISRC, work: { tokenId: "3" }, verified: true, registrar: { id: who.registrar }, disputed: true,
        reassignments: [{ fromWork: { tokenId: "1" }, toWork: null, reason: "attested", txHash: r.label.hash }],
      });
    });

    it("default: handleIdentifierReassigned moves a disputed identifier to the rightful work with the registrar's reason", async () => {
      const { from, to, identifier } = await run.gql(`{ from: work(id: "${uintId(2)}") ${WORK} to: work(id: "${uintId(4)}") ${WORK}
        identifier(id: "${identifierId(KIND.SoundRecording, UPLOAD_ISRC)}") { work { tokenId } verified disputed
          reassignments { id fromWork { tokenId } toWork { tokenId } registrar reason timestamp txHash } } }`);
      expect(from).to.deep.include({ verified: false, identifier: null, lostIdentifier: UPLOAD_ISRC, identifierRecord: null });
      expect(to).to.deep.include({ verified: true, verifiedBy: { id: who.registrar }, identifier: UPLOAD_ISRC, isrc: UPLOAD_ISRC, lostIdentifier: null });
      expect(identifier).to.deep.equal({
        work: { tokenId: "4" }, verified: true, disputed: true,
        reassignments: [{ id: logId("dispute", "IdentifierReassigned"), fromWork: { tokenId: "2" }, toWork: { tokenId: "4" }, registrar: who.registrar,
          reason: REASON, timestamp: await time("dispute"), txHash: r.dispute.hash }],
      });
    });
  });

  describe("Links: both layers of a song", () => {
    it("default: handleCompositionLinked and handleLinkConfirmed record claimed and confirmed links, a consent confirming at once", async () => {
      const { work } = await run.gql(`{ work(id: "${uintId(3)}") { compositions(orderBy: id) { id composition { tokenId iswc } status linkedBy linkedAt
        confirmedBy confirmedAt removedBy events(orderBy: blockNumber) { status by txHash } } } }`);
      expect(work.compositions).to.deep.equal([
        { id: uintId(3) + uintId(5).slice(2), composition: { tokenId: "5", iswc: ISWC }, status: "Confirmed", linkedBy: who.alice, linkedAt: await time("claim"),
          confirmedBy: who.carol, confirmedAt: await time("confirm"), removedBy: null,
          events: [{ status: "Claimed", by: who.alice, txHash: r.claim.hash }, { status: "Confirmed", by: who.carol, txHash: r.confirm.hash }] },
        { id: uintId(3) + uintId(6).slice(2), composition: { tokenId: "6", iswc: null }, status: "Confirmed", linkedBy: who.alice, linkedAt: await time("consent"),
          confirmedBy: who.carol, confirmedAt: await time("consent"), removedBy: null,
          events: [{ status: "Confirmed", by: who.alice, txHash: r.consent.hash }] },
      ]);
    });

    it("default: handleLinkRemoved keeps the removed link with who removed it; the composition lists its recordings", async () => {
      const { work } = await run.gql(`{ work(id: "${uintId(5)}") { recordings(orderBy: id) { recording { tokenId } status removedBy removedAt } } }`);
      expect(work.recordings).to.deep.equal([
        { recording: { tokenId: "2" }, status: "Removed", removedBy: who.carol, removedAt: await time("unlink") },
        { recording: { tokenId: "3" }, status: "Confirmed", removedBy: null, removedAt: null },
      ]);
    });

    it("default: handleSocietyAdministration records each mandate (society, rights, territory) and its end", async () => {
      const { work } = await run.gql(`{ work(id: "${uintId(5)}") { societyMandates(orderBy: society) { society societyId rights rightsMask territoryMode countries active
        declaredAt declaredBy declarations(orderBy: blockNumber) { rightsMask countries txHash } } } }`);
      expect(work.societyMandates).to.deep.equal([
        { society: "GEMA", societyId: encodeBytes32String("GEMA"), rights: ["Broadcast", "PublicPerformance"], rightsMask: mask(RIGHT.PublicPerformance, RIGHT.Broadcast),
          territoryMode: "Include", countries: ["DE"], active: true, declaredAt: await time("gema"), declaredBy: who.carol,
          declarations: [{ rightsMask: mask(RIGHT.PublicPerformance, RIGHT.Broadcast), countries: ["DE"], txHash: r.gema.hash }] },
        { society: "SACEM", societyId: encodeBytes32String("SACEM"), rights: [], rightsMask: 0, territoryMode: "Worldwide", countries: [], active: false,
          declaredAt: await time("sacemEnd"), declaredBy: who.carol,
          declarations: [{ rightsMask: mask(RIGHT.PublicPerformance), countries: ["FR"], txHash: r.sacem.hash }, { rightsMask: 0, countries: [], txHash: r.sacemEnd.hash }] },
      ]);
    });
  });

  describe("Licensing: licensed version, revocation policy, fee schedule", () => {
    it("default: each licence records the metadata version and CID it covers; the work keeps its metadata history", async () => {
      const { licences, work } = await run.gql(`{ licences(orderBy: licenceId) { licenceId metadataVersion licensedCid }
        work(id: "${uintId(3)}") { metadataCid metadataVersion metadataVersions(orderBy: version) { id version cid setBy txHash } } }`);
      expect(licences).to.deep.equal([
        { licenceId: "1", metadataVersion: 1, licensedCid: cids.label },
        { licenceId: "2", metadataVersion: 2, licensedCid: cids.labelV2 },
      ]);
      for (const l of licences) expect(await d.licensing.licensedCid(l.licenceId)).to.equal(l.licensedCid);
      expect(work).to.deep.equal({
        metadataCid: cids.labelV2, metadataVersion: 2,
        metadataVersions: [
          { id: versionId(3, 1), version: 1, cid: cids.label, setBy: who.alice, txHash: r.label.hash },
          { id: versionId(3, 2), version: 2, cid: cids.labelV2, setBy: who.alice, txHash: r.meta.hash },
        ],
      });
    });

    it("default: the offer's revocation policy is indexed on the offer and on every licence sold from it", async () => {
      const { offer, licence } = await run.gql(`{ offer(id: "${uintId(1)}") { revocableFor revocableForMask noticePeriod }
        licence(id: "${uintId(1)}") { revocableFor revocableForMask noticePeriod } }`);
      const policy = { revocableFor: ["Breach", "Dispute"], revocableForMask: 0b101, noticePeriod: String(30 * DAY) };
      expect(offer).to.deep.equal(policy);
      expect(licence).to.deep.equal(policy);
    });

    it("default: handleProtocolFeeUpdated keeps the fee in force and the scheduled one with its date", async () => {
      const { protocols, protocolFeeChanges } = await run.gql(`{ protocols { feeBps scheduledFeeBps feeEffectiveAt }
        protocolFeeChanges { id oldBps newBps effectiveAt by txHash } }`);
      const effectiveAt = String(Number(await time("fee")) + 7 * DAY);
      expect(protocols).to.deep.equal([{ feeBps: 0, scheduledFeeBps: 300, feeEffectiveAt: effectiveAt }]);
      expect(protocolFeeChanges).to.deep.equal([{
        id: logId("fee", "ProtocolFeeUpdated"), oldBps: 0, newBps: 300, effectiveAt, by: lower(await d.governance.getAddress()), txHash: r.fee.hash,
      }]);
      const [bps, at] = await d.licensing.scheduledProtocolFee();
      expect([Number(bps), String(at)]).to.deep.equal([300, effectiveAt]);
    });
  });
});
