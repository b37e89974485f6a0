/**
 * Answers a platform can rely on (issue 10), through the API over yoga.fetch against the real
 * chain, IPFS store and indexer: registering with a registrar's attestation, an unverified
 * upload losing its ISRC, a recording linked to its composition (consent signed by the
 * composition's owner), a society mandate, licenceStatus / checkLicences per layer with evidence
 * and the licensed CID, requireVerified, the revocation policy stated before purchase, and a
 * registrar's dispute resolution.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { encodeBytes32String, JsonRpcProvider, type HDNodeWallet } from "ethers";
import type { App } from "../../server/src/app";
import { gql as stackGql, startStack, type Body, type Stack } from "./helpers/apiStack";
import { renderPng, renderWav, wavDurationMs } from "../../scripts/stack/demo-media";
import { KIND, ZERO, cidBytes, mask, RIGHT, split, TERRITORY, wallet, type Deployment, type Ipfs, type Running } from "../subgraph/mappings/helpers/tantieme";

const LABEL_ISRC = "DEA122600001";
const UPLOAD_ISRC = "USRC17607839";
const ISWC = "T0345246801";
const DAY = 86_400;

function bytes12(text: string): string {
  return "0x" + Buffer.from(text, "ascii").toString("hex").padEnd(24, "0");
}

describe("server/api: layers, verified identifiers, disputes (real chain, IPFS store and indexer)", function () {
  this.timeout(300_000);
  let stack: Stack;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  let app: App;
  let provider: JsonRpcProvider;
  let uploadDir: string;
  let W: Record<string, string>;
  let label: HDNodeWallet, squatter: HDNodeWallet, publisher: HDNodeWallet, platform: HDNodeWallet, registrar: HDNodeWallet;
  let labelCid: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Body> => (await stackGql(app, query, variables, W)).body;
  async function ok(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const r = await gql(query, variables);
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data;
  }
  async function refused(query: string, variables: Record<string, unknown> = {}): Promise<{ message: string; code?: string; field?: string }> {
    const r = await gql(query, variables);
    expect(r.errors, "errors").to.be.an("array").that.is.not.empty;
    const e = r.errors![0]!;
    return { message: e.message, code: e.extensions?.code, field: e.extensions?.field };
  }
  const SUBMIT = `mutation($tx: String!) { submitTransaction(signedTx: $tx) { hash status events indexed revertReason work { id } licence { id } offer { id } } }`;
  async function send(w: HDNodeWallet, tx: { to: string; data: string; value: string; chainId: number }): Promise<any> {
    const signer = w.connect(provider);
    const raw = await signer.signTransaction(await signer.populateTransaction({ to: tx.to, data: tx.data, value: BigInt(tx.value), chainId: tx.chainId }));
    const sub = (await ok(SUBMIT, { tx: raw })).submitTransaction;
    expect(sub.status, JSON.stringify(sub)).to.equal("SUCCESS");
    return sub;
  }
  async function signPayload(w: HDNodeWallet, p: { domain: any; types: Record<string, any>; message: any }): Promise<string> {
    const { EIP712Domain: _, ...types } = p.types;
    void _;
    return w.signTypedData(p.domain, types, p.message);
  }
  const solo = (a: string) => split([a, 10000]);

  before(async function () {
    uploadDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-layers-uploads-"));
    stack = await startStack();
    ({ ipfs, d, run, provider } = stack);
    W = { "x-api-key": stack.writer.key };
    [label, squatter, publisher, platform, registrar] = [1, 2, 3, 4, 7].map((i) => wallet(i));
    app = stack.makeApp({
      NODE_ENV: "test", INDEX_WAIT_TIMEOUT_MS: "240000", UPLOAD_DIR: uploadDir,
      // Some transactions here are sent straight to the chain, not through submitTransaction: no
      // 250 ms status cache between them and the next answer (the cache is pinned in api.test.ts).
      STATUS_CACHE_MS: "0",
    });

    // Governance adds the registrar; the squatter copies the label's pending ISRC first (work 1).
    await (await d.registrars.connect(d.signers[0]).addRegistrar(registrar.address, encodeBytes32String("DE ISRC agency"))).wait();
    const squat = await ipfs.addJson({ title: "Copied" });
    await (await d.works.connect(d.signers[2]).register(KIND.SoundRecording, cidBytes(squat), bytes12(LABEL_ISRC), solo(squatter.address))).wait();
    await run.synced();
  });

  after(async function () {
    await stack?.close();
    if (uploadDir) rmSync(uploadDir, { recursive: true, force: true });
  });

  it("default: prepareAttestation → signed by the registrar → uploadWork registers verified and takes the ISRC from the unverified squatter", async function () {
    const ATTEST = `mutation($i: AttestationInput!) { prepareAttestation(input: $i) { attestation identifier summary typedData { domain types primaryType message digest } } }`;
    const input = { registrar: registrar.address, account: label.address, kind: "SoundRecording", scope: "IsrcPrefix", identifier: "DE-A12" };
    const p = (await ok(ATTEST, { i: input })).prepareAttestation;
    expect(p.identifier).to.equal("DEA12");
    expect(p.typedData.digest).to.equal(await d.registrars.attestationDigest({ ...p.attestation, signature: "0x" }));
    const signature = await signPayload(registrar, p.typedData);
    const attestation = { ...input, nonce: p.attestation.nonce, expiry: p.attestation.expiry, signature };

    const tune = { notes: [60, 64, 67], beatMs: 100 };
    const metadata = {
      schemaVersion: "1.0.0", kind: "sound-recording", title: "Night Drive", artists: [{ name: "The Label Band" }], isrc: LABEL_ISRC,
      durationMs: wavDurationMs(tune), audio: { path: "master.wav", mimeType: "audio/wav" }, artwork: { path: "cover.png", mimeType: "image/png" },
    };
    const form = new FormData();
    form.append("operations", JSON.stringify({
      query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid identifier verified transaction { to data value chainId simulationError } } }`,
      variables: { input: { from: label.address, metadata: JSON.stringify(metadata), files: [null, null], split: [{ account: label.address, shareBps: 10000 }], attestation } },
    }));
    form.append("map", JSON.stringify({ 0: ["variables.input.files.0"], 1: ["variables.input.files.1"] }));
    form.append("0", new Blob([renderWav(tune)], { type: "audio/wav" }), "master.wav");
    form.append("1", new Blob([renderPng(32, 32, 90)], { type: "image/png" }), "cover.png");
    // A copy of the headers: the fetch adds the multipart content type to the object it is given.
    const res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { ...W }, body: form });
    const body = (await res.json()) as Body;
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    const up = body.data.uploadWork;
    expect(up).to.deep.include({ identifier: LABEL_ISRC, verified: true });
    expect(up.transaction.simulationError).to.equal(null);
    labelCid = up.metadataCid;
    const sub = await send(label, up.transaction);
    expect(sub.events).to.include.members(["IdentifierReassigned", "WorkRegistered", "IdentifierAssigned"]);
    expect(sub.work).to.deep.equal({ id: "2" });

    const w = await ok(`{ byIsrc: work(isrc: "${LABEL_ISRC}") { id verified verifiedBy { address name } metadataVersion metadataHistory { version cid } }
      squat: work(id: "1") { verified isrc lostIdentifier identifierDisputes { identifier fromWork toWork reason registrar } } }`);
    expect(w.byIsrc).to.deep.equal({ id: "2", verified: true, verifiedBy: { address: registrar.address.toLowerCase(), name: "DE ISRC agency" }, metadataVersion: 1, metadataHistory: [{ version: 1, cid: labelCid }] });
    expect(w.squat).to.deep.equal({ verified: false, isrc: null, lostIdentifier: LABEL_ISRC, identifierDisputes: [{ identifier: LABEL_ISRC, fromWork: "1", toWork: null, reason: "attested", registrar: registrar.address.toLowerCase() }] });
  });

  it("error: prepareAttestation names the field of a bad registrar, prefix or expiry", async function () {
    const q = `mutation($i: AttestationInput!) { prepareAttestation(input: $i) { identifier } }`;
    const base = { registrar: registrar.address, account: label.address, kind: "SoundRecording", scope: "IsrcPrefix", identifier: "DE-A12" };
    expect(await refused(q, { i: { ...base, registrar: platform.address } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.registrar" });
    expect(await refused(q, { i: { ...base, identifier: "DE-A1" } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.identifier" });
    expect(await refused(q, { i: { ...base, kind: "Composition" } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.identifier" });
    expect(await refused(q, { i: { ...base, expiry: "1" } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.expiry" });
  });

  it("default: prepareLink → the composition owner signs the consent → a confirmed link; prepareSocietyMandate declares GEMA", async function () {
    const song = await ipfs.addJson({ title: "Night Drive (song)", writers: [{ name: "Pia Publisher" }] });
    await (await d.works.connect(d.signers[3]).register(KIND.Composition, cidBytes(song), bytes12(ISWC), solo(publisher.address))).wait(); // work 3
    await run.synced();
    const LINK = `mutation($i: LinkInput!) { prepareLink(input: $i) { compositionOwner status resultingStatus summary consentTypedData { domain types primaryType message digest } transactions { to data value chainId simulationError } } }`;
    const first = (await ok(LINK, { i: { from: label.address, recording: "2", composition: "3" } })).prepareLink;
    expect(first).to.deep.include({ compositionOwner: publisher.address, status: "None", resultingStatus: "Claimed" });
    expect(first.consentTypedData.digest).to.equal(await d.links.linkDigest(2, 3, first.consentTypedData.message.deadline));
    const consent = await signPayload(publisher, first.consentTypedData);
    const second = (await ok(LINK, { i: { from: label.address, recording: "2", composition: "3", deadline: first.consentTypedData.message.deadline, consent } })).prepareLink;
    expect(second.resultingStatus).to.equal("Confirmed");
    expect((await send(label, second.transactions[0])).events).to.deep.equal(["CompositionLinked"]);

    const MANDATE = `mutation($i: SocietyMandateInput!) { prepareSocietyMandate(input: $i) { summary transactions { to data value chainId simulationError } } }`;
    const m = (await ok(MANDATE, { i: { from: publisher.address, composition: "3", society: "GEMA", rights: ["PublicPerformance", "Broadcast"], territory: { mode: "Include", countries: ["DE"] } } })).prepareSocietyMandate;
    expect(m.summary).to.equal("GEMA administers Broadcast, PublicPerformance of composition 3 in DE");
    await send(publisher, m.transactions[0]);

    const w = await ok(`{ r: work(id: "2") { compositions { compositionId identifier status confirmedBy } } c: work(id: "3") { recordings { recordingId status } societyMandates { society rights territory { mode countries } } } }`);
    expect(w.r.compositions).to.deep.equal([{ compositionId: "3", identifier: ISWC, status: "Confirmed", confirmedBy: publisher.address.toLowerCase() }]);
    expect(w.c).to.deep.equal({ recordings: [{ recordingId: "2", status: "Confirmed" }], societyMandates: [{ society: "GEMA", rights: ["Broadcast", "PublicPerformance"], territory: { mode: "Include", countries: ["DE"] } }] });
  });

  it("error: link mutations name the field (wrong kind, not the owner, forged consent, already linked)", async function () {
    const LINK = `mutation($i: LinkInput!) { prepareLink(input: $i) { status } }`;
    expect(await refused(LINK, { i: { from: label.address, recording: "3", composition: "2" } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.recording" });
    expect(await refused(LINK, { i: { from: platform.address, recording: "2", composition: "3" } })).to.deep.include({ code: "BAD_USER_INPUT", field: "from" });
    expect(await refused(LINK, { i: { from: label.address, recording: "2", composition: "3" } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.composition" });
    const forged = await label.signMessage("not a consent");
    expect(await refused(LINK, { i: { from: squatter.address, recording: "1", composition: "3", consent: forged } })).to.deep.include({ code: "BAD_USER_INPUT", field: "input.consent" });
    expect(await refused(`mutation { prepareSocietyMandate(input: { from: "${publisher.address}", composition: "3", society: "", rights: [Sync] }) { summary } }`)).to.deep.include({ field: "input.society" });
  });

  it("default: the offer states its revocation policy before purchase; licenceStatus answers per layer with evidence and the licensed CID", async function () {
    const offer = (await ok(`mutation($i: OfferInput!) { prepareOffer(input: $i) { summary transactions { to data value chainId } } }`, {
      i: { from: label.address, work: "2", rights: ["Streaming", "PublicPerformance"], territory: { mode: "Worldwide" }, price: "1000", revocation: { revocableFor: ["Breach", "Dispute"], noticePeriod: String(30 * DAY) } },
    })).prepareOffer;
    expect(offer.summary).to.match(/; revocable by the work's owner only for Breach, Dispute, after at least 30 days' notice; no refund$/);
    await send(label, offer.transactions[0]);
    const buy = (await ok(`mutation { prepareLicencePurchase(offer: "1", licensee: "${platform.address}") { summary offer { revocationPolicy { revocable revocableFor noticePeriod } } transactions { to data value chainId } } }`)).prepareLicencePurchase;
    expect(buy.summary).to.match(/revocable by the work's owner only for Breach, Dispute, after at least 30 days' notice; no refund$/);
    expect(buy.offer.revocationPolicy).to.deep.equal({ revocable: true, revocableFor: ["Breach", "Dispute"], noticePeriod: String(30 * DAY) });
    await send(platform, buy.transactions[0]);

    const STATUS = `query($r: Right!, $t: String!, $v: Boolean, $s: [String!]) { licenceStatus(work: "${LABEL_ISRC}", licensee: "${platform.address}", right: $r, territory: $t, requireVerified: $v, societyLicences: $s) {
      allowed reasons verified requiredSocieties evidence { licenceId licensedCid metadataVersion }
      layers { role workId identifier verified linkStatus allowed reasons society coveredBySociety evidence { licenceId licensedCid revocationPolicy { summary } } } } }`;
    const stream = (await ok(STATUS, { r: "Streaming", t: "FR" })).licenceStatus;
    expect(stream).to.deep.include({ allowed: false, reasons: ["NO_LICENCE"], verified: true, requiredSocieties: [], evidence: { licenceId: "1", licensedCid: labelCid, metadataVersion: 1 } });
    expect(stream.layers).to.deep.equal([
      { role: "Master", workId: "2", identifier: LABEL_ISRC, verified: true, linkStatus: null, allowed: true, reasons: [], society: null, coveredBySociety: false,
        evidence: { licenceId: "1", licensedCid: labelCid, revocationPolicy: { summary: "revocable by the work's owner only for Breach, Dispute, after at least 30 days' notice; no refund" } } },
      { role: "Composition", workId: "3", identifier: ISWC, verified: false, linkStatus: "Confirmed", allowed: false, reasons: ["NO_LICENCE"], society: null, coveredBySociety: false, evidence: null },
    ]);

    // Public performance in Germany: GEMA administers the composition's layer.
    const perf = (await ok(STATUS, { r: "PublicPerformance", t: "DE" })).licenceStatus;
    expect(perf).to.deep.include({ allowed: false, reasons: ["SOCIETY_LICENCE_REQUIRED"], requiredSocieties: ["GEMA"] });
    expect(perf.layers[1]).to.deep.include({ society: "GEMA", coveredBySociety: false, reasons: ["SOCIETY_LICENCE_REQUIRED"] });
    const withGema = (await ok(STATUS, { r: "PublicPerformance", t: "DE", s: ["gema"] })).licenceStatus;
    expect(withGema).to.deep.include({ allowed: true, reasons: [], requiredSocieties: [] });
    expect(withGema.layers[1]).to.deep.include({ allowed: true, society: "GEMA", coveredBySociety: true });

    // The publisher licenses the composition for streaming: both layers allow it.
    await (await d.licensing.connect(d.signers[3]).createOffer({
      workId: 3, rights: mask(RIGHT.Streaming), territoryMode: TERRITORY.Worldwide, countries: [], duration: 0, startDate: 0, price: 0, currency: ZERO,
      cap: 0, exclusive: false, transferable: false, revocableFor: 0, noticePeriod: 0, uri: "",
    })).wait();
    await (await d.licensing.connect(d.signers[4]).purchase(2, platform.address)).wait();
    await run.synced();
    const both = (await ok(STATUS, { r: "Streaming", t: "FR" })).licenceStatus;
    expect(both).to.deep.include({ allowed: true, reasons: [] });
    expect(both.layers.map((l: { allowed: boolean; evidence: { licenceId: string } }) => [l.allowed, l.evidence.licenceId])).to.deep.equal([[true, "1"], [true, "2"]]);
    // A platform that requires verified identifiers: the composition's ISWC is not attested.
    const strict = (await ok(STATUS, { r: "Streaming", t: "FR", v: true })).licenceStatus;
    expect(strict).to.deep.include({ allowed: false, reasons: ["UNVERIFIED"] });
    expect(strict.layers.map((l: { reasons: string[] }) => l.reasons)).to.deep.equal([[], ["UNVERIFIED"]]);

    // checkLicences answers the same per layer.
    const bulk = (await ok(`query($r: [LicenceCheckInput!]!) { checkLicences(requests: $r, societyLicences: ["GEMA"]) { allowed reasons requiredSocieties layers { workId allowed society } } }`, {
      r: [
        { work: "2", licensee: platform.address, right: "Streaming", territory: "FR" },
        { work: LABEL_ISRC, licensee: platform.address, right: "PublicPerformance", territory: "DE" },
        { work: LABEL_ISRC, licensee: platform.address, right: "PublicPerformance", territory: "FR" },
      ],
    })).checkLicences;
    expect(bulk).to.deep.equal([
      { allowed: true, reasons: [], requiredSocieties: [], layers: [{ workId: "2", allowed: true, society: null }, { workId: "3", allowed: true, society: null }] },
      { allowed: true, reasons: [], requiredSocieties: [], layers: [{ workId: "2", allowed: true, society: null }, { workId: "3", allowed: true, society: "GEMA" }] },
      // The composition's licence covers streaming only.
      { allowed: false, reasons: ["RIGHT"], requiredSocieties: [], layers: [{ workId: "2", allowed: true, society: null }, { workId: "3", allowed: false, society: null }] },
    ]);
  });

  it("default: a later metadata update does not change what an earlier licence covers", async function () {
    const v2 = await ipfs.addJson({ title: "Night Drive (Remastered)" });
    await (await d.works.connect(d.signers[1]).updateMetadata(2, cidBytes(v2))).wait();
    await run.synced();
    const r = await ok(`{ licence(id: "1") { metadataVersion licensedCid } work(id: "2") { metadataCid metadataVersion metadataHistory { version cid } } }`);
    expect(r.licence).to.deep.equal({ metadataVersion: 1, licensedCid: labelCid });
    expect(r.work).to.deep.equal({ metadataCid: v2, metadataVersion: 2, metadataHistory: [{ version: 1, cid: labelCid }, { version: 2, cid: v2 }] });
    expect(await d.licensing.licensedCid(1)).to.equal(labelCid);
  });

  it("default: prepareIdentifierVerification verifies the composition's ISWC with a single-identifier attestation", async function () {
    const p = (await ok(`mutation($i: AttestationInput!) { prepareAttestation(input: $i) { attestation typedData { domain types primaryType message digest } } }`, {
      i: { registrar: registrar.address, account: publisher.address, kind: "Composition", scope: "Identifier", identifier: "T-034.524.680-1" },
    })).prepareAttestation;
    const signature = await signPayload(registrar, p.typedData);
    const attestation = { registrar: registrar.address, account: publisher.address, kind: "Composition", scope: "Identifier", identifier: ISWC, nonce: p.attestation.nonce, expiry: p.attestation.expiry, signature };
    const q = `mutation($a: AttestationInput!, $from: String!, $w: String!) { prepareIdentifierVerification(work: $w, from: $from, attestation: $a) { summary transactions { to data value chainId simulationError } } }`;
    expect(await refused(q, { a: attestation, from: publisher.address, w: "2" })).to.deep.include({ code: "BAD_USER_INPUT", field: "from" });
    expect(await refused(q, { a: { ...attestation, signature: await squatter.signMessage("x") }, from: publisher.address, w: "3" })).to.deep.include({ field: "attestation.signature" });
    const v = (await ok(q, { a: attestation, from: publisher.address, w: "3" })).prepareIdentifierVerification;
    expect(v.transactions[0].simulationError).to.equal(null);
    expect((await send(publisher, v.transactions[0])).events).to.deep.equal(["IdentifierAssigned"]);
    const strict = (await ok(`{ licenceStatus(work: "2", licensee: "${platform.address}", right: Streaming, territory: "FR", requireVerified: true) { allowed layers { verified } } }`)).licenceStatus;
    expect(strict).to.deep.equal({ allowed: true, layers: [{ verified: true }, { verified: true }] });
  });

  it("default: prepareIdentifierReassignment → signed by the registrar → the ISRC moves to the rightful work; the old holder's answer shows the dispute", async function () {
    const demo = await ipfs.addJson({ title: "Bedroom demo" });
    await (await d.works.connect(d.signers[2]).register(KIND.SoundRecording, cidBytes(demo), bytes12(UPLOAD_ISRC), solo(squatter.address))).wait(); // work 4, unverified
    await (await d.licensing.connect(d.signers[2]).createOffer({
      workId: 4, rights: mask(RIGHT.Streaming), territoryMode: TERRITORY.Worldwide, countries: [], duration: 0, startDate: 0, price: 0, currency: ZERO,
      cap: 0, exclusive: false, transferable: false, revocableFor: 0, noticePeriod: 0, uri: "",
    })).wait();
    await (await d.licensing.connect(d.signers[4]).purchase(3, platform.address)).wait(); // licence 3, sold by the squatter
    const real = await ipfs.addJson({ title: "Bedroom demo (the real one)" });
    await (await d.works.connect(d.signers[1]).register(KIND.SoundRecording, cidBytes(real), bytes12(""), solo(label.address))).wait(); // work 5
    await run.synced();

    const REASSIGN = `mutation($from: String!, $id: String!, $to: String, $reason: String!) { prepareIdentifierReassignment(from: $from, kind: SoundRecording, identifier: $id, toWork: $to, reason: $reason) { summary transactions { to data value chainId simulationError } } }`;
    expect(await refused(REASSIGN, { from: label.address, id: UPLOAD_ISRC, to: "5", reason: "mine" })).to.deep.include({ code: "BAD_USER_INPUT", field: "from" });
    expect(await refused(REASSIGN, { from: registrar.address, id: UPLOAD_ISRC, to: "5", reason: "  " })).to.deep.include({ field: "reason" });
    expect(await refused(REASSIGN, { from: registrar.address, id: UPLOAD_ISRC, to: "3", reason: "x" })).to.deep.include({ field: "toWork" });
    expect(await refused(REASSIGN, { from: registrar.address, id: "US-RC1", to: "5", reason: "x" })).to.deep.include({ field: "identifier" });
    const reason = "dispute 12: the label showed its ISRC allocation";
    const p = (await ok(REASSIGN, { from: registrar.address, id: "US-RC1-76-07839", to: "5", reason })).prepareIdentifierReassignment;
    expect(p.summary).to.equal(`reassign ${UPLOAD_ISRC} from work 4 to work 5 (${reason})`);
    expect((await send(registrar, p.transactions[0])).events).to.deep.equal(["IdentifierReassigned"]);

    const r = await ok(`{ now: work(isrc: "${UPLOAD_ISRC}") { id verified } old: licenceStatus(work: "4", licensee: "${platform.address}", right: Streaming, territory: "FR") { allowed verified evidence { licenceId } disputes { identifier fromWork toWork reason registrar } } }`);
    expect(r.now).to.deep.equal({ id: "5", verified: true });
    // The squatter's licence stays on record; the answer shows the dispute.
    expect(r.old).to.deep.equal({ allowed: true, verified: false, evidence: { licenceId: "3" }, disputes: [{ identifier: UPLOAD_ISRC, fromWork: "4", toWork: "5", reason, registrar: registrar.address.toLowerCase() }] });
  });
});
