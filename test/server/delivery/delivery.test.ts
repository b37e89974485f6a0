/**
 * Licensed delivery against the real components: Hardhat's chain with the deployed contracts, the
 * embedded IPFS store, the embedded indexer running the compiled subgraph, and the API app
 * (yoga.fetch, no socket) with its delivery service. A licensee signs in with SIWE and downloads
 * a master after buying; every attack below is refused with a typed error and no file bytes.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { SiweMessage } from "siwe";
import type { Signer } from "ethers";
import type { App } from "../../../server/src/app";
import { systemClock } from "../../../server/src/clock";
import { openDeliveryService, type DeliveryService } from "../../../server/src/delivery/service";
import { packageWork } from "../../../core/metadata";
import { downloadFile } from "../../../scripts/cli/commands/download";
import type { CliError } from "../../../scripts/cli/errors";
import jpeg from "jpeg-js";
import { parseBuffer } from "music-metadata";
import { renderPng, renderWav, wavDurationMs } from "../../../scripts/stack/demo-media";
import { id3Tag, mp3Frames, renderFlac, renderJpeg, tone } from "./media";
import { appOnStack, stackConfig, startStack, type Stack } from "../helpers/apiStack";
import { cidBytes, KIND, mask, RIGHT, split, ZERO, type Deployment, type Ipfs, type LocalChain, type Running } from "../../subgraph/mappings/helpers/tantieme";

const ORIGIN = "http://api.test";
const DOMAIN = "api.test";
const NO_ID = "0x000000000000000000000000";

describe("server/delivery: licensed downloads (real chain, IPFS store, indexer)", function () {
  this.timeout(300_000);
  let stack: Stack;
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  let app: App;
  let delivery: DeliveryService;
  let tmp: string;
  let musician: Signer, cowriter: Signer, licensee: Signer, stranger: Signer, walletOwner: Signer;
  let contractWallet: string;
  let master: Buffer, cover: Buffer, stem: Buffer;
  let masterCid: string, coverCid: string, stemCid: string, otherMasterCid: string;
  const work = { a: "", b: "", c: "" };
  /** Work C: a FLAC master, an MP3 stem and a JPEG artwork, all licensed (stamped by format). */
  const c = { flac: { file: Buffer.alloc(0), frames: Buffer.alloc(0), cid: "" }, mp3: { file: Buffer.alloc(0), cid: "" }, jpeg: { file: Buffer.alloc(0), cid: "" } };
  const offers = { download: 0n, sync: 0n, otherWork: 0n, later: 0n };

  const fetchApp = (p: string, init: RequestInit = {}) => app.yoga.fetch(`${ORIGIN}${p}`, init);

  async function nonce(): Promise<string> {
    const r = await fetchApp("/delivery/nonce", { method: "POST" });
    expect(r.status).to.equal(200);
    return ((await r.json()) as { nonce: string }).nonce;
  }
  function message(address: string, n: string, over: Partial<ConstructorParameters<typeof SiweMessage>[0] & object> = {}): string {
    return new SiweMessage({
      domain: DOMAIN,
      address,
      statement: "Sign in to download licensed files.",
      uri: `${ORIGIN}/delivery`,
      version: "1",
      chainId: 31337,
      nonce: n,
      issuedAt: new Date().toISOString(),
      expirationTime: new Date(Date.now() + 5 * 60_000).toISOString(),
      ...over,
    } as never).prepareMessage();
  }
  async function session(msg: string, signature: string): Promise<{ status: number; body: any }> {
    const r = await fetchApp("/delivery/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message: msg, signature }) });
    return { status: r.status, body: await r.json() };
  }
  async function signIn(signer: Signer, over = {}): Promise<string> {
    const address = await signer.getAddress();
    const msg = message(address, await nonce(), over);
    const s = await session(msg, await signer.signMessage(msg));
    expect(s.status, JSON.stringify(s.body)).to.equal(200);
    return s.body.token;
  }
  async function download(token: string | null, workId: string, cid: string, headers: Record<string, string> = {}) {
    const r = await fetchApp(`/delivery/works/${workId}/files/${cid}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    const bytes = Buffer.from(await r.arrayBuffer());
    return { status: r.status, headers: r.headers, bytes, json: () => JSON.parse(bytes.toString("utf8")) };
  }
  /** POST /delivery/tickets with a session: { status, body }. */
  async function ticket(token: string | null, workId: string, cid: string): Promise<{ status: number; body: any }> {
    const r = await fetchApp("/delivery/tickets", { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ work: workId, cid }) });
    return { status: r.status, body: await r.json() };
  }
  /** A plain GET of a ticket's URL, without any Authorization header (what a browser's navigation sends). */
  async function redeem(url: string, method = "GET") {
    const r = await fetchApp(url, { method });
    const bytes = Buffer.from(await r.arrayBuffer());
    return { status: r.status, headers: r.headers, bytes, json: () => JSON.parse(bytes.toString("utf8")) };
  }
  /** Refused: the status and code, JSON body, and not one recognisable run of the file inside. */
  async function refused(p: Promise<{ status: number; bytes: Buffer; headers: Headers }>, status: number, code: string): Promise<void> {
    const r = await p;
    expect(r.status, r.bytes.toString("utf8").slice(0, 300)).to.equal(status);
    expect(r.headers.get("content-type")).to.match(/^application\/json/);
    expect(JSON.parse(r.bytes.toString("utf8")).error.code).to.equal(code);
    for (const f of [master, stem]) expect(r.bytes.includes(f.subarray(1000, 1032))).to.equal(false);
  }

  async function mine(): Promise<void> {
    await run.synced();
  }

  before(async function () {
    stack = await startStack();
    ({ chain, ipfs, d, run } = stack);
    [, musician, cowriter, licensee, stranger, walletOwner] = d.signers;
    tmp = await mkdtemp(path.join(os.tmpdir(), "tantieme-delivery-"));
    const config = stackConfig(stack, {
      NODE_ENV: "test",
      DELIVERY_SECRET: "a test delivery secret that is long enough",
      DELIVERY_DIR: path.join(tmp, "delivery"),
      DELIVERY_ORIGIN: ORIGIN,
      // Every path is rate-limited (delivery included); this suite signs in dozens of times from
      // one address, which the anonymous default (burst 60) is not meant for.
      RATE_LIMIT_ANON_BURST: "10000",
      RATE_LIMIT_ANON_PER_MIN: "100000",
    });
    // 64 KiB chunks (the first default; files sealed with it must keep serving): the test files
    // then span several chunks, so ranges and stamps across chunk edges are exercised.
    delivery = await openDeliveryService({ ...config.delivery!, chainId: config.chainId }, { clock: systemClock, provider: stack.provider, chunkSize: 65_536 });
    app = appOnStack(stack, config, { delivery });

    const Wallet1271 = await hre.ethers.getContractFactory("MockERC1271Wallet");
    const w = await Wallet1271.deploy(await walletOwner.getAddress());
    contractWallet = await w.getAddress();

    // Work A: a licensed master (Download) and stem (Sync), a public cover. Work B: another licensed master.
    const tune = { notes: [60, 64, 67, 72, 76, 79], beatMs: 150 };
    master = renderWav(tune);
    stem = renderWav({ notes: [48, 55], beatMs: 200 });
    cover = renderPng(64, 64, 200);
    const folderA = path.join(tmp, "a");
    await mkdir(folderA);
    await writeFile(path.join(folderA, "master.wav"), master);
    await writeFile(path.join(folderA, "bass.wav"), stem);
    await writeFile(path.join(folderA, "cover.png"), cover);
    await writeFile(
      path.join(folderA, "metadata.json"),
      JSON.stringify({
        schemaVersion: "1.1.0", kind: "sound-recording", title: "Harbour Lights", artists: [{ name: "Ada Marlowe" }], durationMs: wavDurationMs(tune),
        audio: { path: "master.wav", mimeType: "audio/wav", access: "licensed", unlockedBy: ["Download"] },
        artwork: { path: "cover.png", mimeType: "image/png" },
        stems: [{ path: "bass.wav", mimeType: "audio/wav", access: "licensed", unlockedBy: ["Sync"] }],
      }),
    );
    const a = await packageWork(folderA, ipfs.store, { sealer: delivery.keys });
    [masterCid, coverCid, stemCid] = [a.files[0]!.cid.toString(), a.files[1]!.cid.toString(), a.files[2]!.cid.toString()];
    const folderB = path.join(tmp, "b");
    await mkdir(folderB);
    await writeFile(path.join(folderB, "master.wav"), renderWav({ notes: [50], beatMs: 100 }));
    await writeFile(path.join(folderB, "metadata.json"), JSON.stringify({ schemaVersion: "1.1.0", kind: "sound-recording", title: "Other", artists: [{ name: "X" }], durationMs: 100, audio: { path: "master.wav", mimeType: "audio/wav", access: "licensed", unlockedBy: ["Download"] } }));
    const b = await packageWork(folderB, ipfs.store, { sealer: delivery.keys });
    otherMasterCid = b.files[0]!.cid.toString();

    // Work C: each file spans several 64 KiB encryption chunks
    const folderC = path.join(tmp, "c");
    await mkdir(folderC);
    const flac = renderFlac({ samples: tone(256 * 300), comments: ["TITLE=Tide Tables"] });
    c.flac = { ...flac, cid: "" };
    c.mp3.file = Buffer.concat([id3Tag(3, [["TIT2", "Tide Tables (bass)"]], { padding: 64 }), mp3Frames(400)]);
    c.jpeg.file = renderJpeg(320, 240, { exif: true, grain: true });
    await writeFile(path.join(folderC, "master.flac"), c.flac.file);
    await writeFile(path.join(folderC, "bass.mp3"), c.mp3.file);
    await writeFile(path.join(folderC, "cover.jpg"), c.jpeg.file);
    await writeFile(
      path.join(folderC, "metadata.json"),
      JSON.stringify({
        schemaVersion: "1.1.0", kind: "sound-recording", title: "Tide Tables", artists: [{ name: "Ada Marlowe" }], durationMs: Math.round((256 * 300 * 1000) / 44_100),
        audio: { path: "master.flac", mimeType: "audio/flac", access: "licensed", unlockedBy: ["Download"] },
        artwork: { path: "cover.jpg", mimeType: "image/jpeg", access: "licensed", unlockedBy: ["Print"] },
        stems: [{ path: "bass.mp3", mimeType: "audio/mpeg", access: "licensed", unlockedBy: ["Sync"] }],
      }),
    );
    const pc = await packageWork(folderC, ipfs.store, { sealer: delivery.keys });
    [c.flac.cid, c.jpeg.cid, c.mp3.cid] = pc.files.map((f) => f.cid.toString());

    const m = await musician.getAddress();
    await (await d.works.connect(musician).register(KIND.SoundRecording, cidBytes(a.metadataCid.toString()), NO_ID, split([m, 7000], [contractWallet, 3000]))).wait();
    await (await d.works.connect(musician).register(KIND.SoundRecording, cidBytes(b.metadataCid.toString()), NO_ID, split([m, 10000]))).wait();
    await (await d.works.connect(musician).register(KIND.SoundRecording, cidBytes(pc.metadataCid.toString()), NO_ID, split([m, 10000]))).wait();
    work.a = "1";
    work.b = "2";
    work.c = "3";
    const terms = (workId: number, rights: number, extra: Record<string, unknown> = {}) => ({
      workId, rights, territoryMode: 0, countries: [], duration: 3600, startDate: 0, price: 1000n, currency: ZERO, cap: 0, exclusive: false, transferable: false, revocableFor: 1 /* Breach: the suite revokes one */, noticePeriod: 0, uri: "", ...extra,
    });
    const create = async (t: ReturnType<typeof terms>) => {
      const tx = await d.licensing.connect(musician).createOffer(t as never);
      const rc = await tx.wait();
      const ev = rc!.logs.map((l) => { try { return d.licensing.interface.parseLog(l); } catch { return null; } }).find((e) => e?.name === "OfferCreated");
      return BigInt(ev!.args.offerId);
    };
    offers.download = await create(terms(1, mask(RIGHT.Download, RIGHT.Streaming)));
    offers.sync = await create(terms(1, mask(RIGHT.Sync)));
    offers.otherWork = await create(terms(2, mask(RIGHT.Download)));
    const block = await hre.ethers.provider.getBlock("latest");
    offers.later = await create(terms(1, mask(RIGHT.Download), { startDate: block!.timestamp + 30 * 86_400 }));
    await mine();
  });

  after(async function () {
    await delivery?.close();
    await stack?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  async function buy(offerId: bigint, who: Signer): Promise<string> {
    const rc = await (await d.licensing.connect(who).purchase(offerId, await who.getAddress(), { value: 1000n })).wait();
    const ev = rc!.logs.map((l) => { try { return d.licensing.interface.parseLog(l); } catch { return null; } }).find((e) => e?.name === "LicencePurchased");
    await mine();
    return BigInt(ev!.args.licenceId).toString();
  }

  let licenceId = "";

  it("error: before buying, a signed-in licensee is refused (NO_LICENCE), and a future-dated licence is NOT_YET_VALID", async function () {
    const token = await signIn(licensee);
    await refused(download(token, work.a, masterCid), 403, "NO_LICENCE");
    await buy(offers.later, licensee);
    await refused(download(token, work.a, masterCid), 403, "LICENCE_NOT_YET_VALID");
  });

  it("default: after buying, the licensee downloads the master, stamped with the licence; the delivery is recorded", async function () {
    licenceId = await buy(offers.download, licensee);
    const token = await signIn(licensee);
    const r = await download(token, work.a, masterCid);
    expect(r.status, r.bytes.toString().slice(0, 200)).to.equal(200);
    expect(r.headers.get("content-type")).to.equal("audio/wav");
    expect(r.headers.get("x-tantieme-licence")).to.equal(licenceId);
    expect(r.headers.get("x-tantieme-stamp")).to.equal("wav-list-info");
    // the original audio is there unchanged, followed by a LIST/INFO chunk naming licence and licensee
    expect(r.bytes.subarray(8, master.length).equals(master.subarray(8))).to.equal(true);
    expect(r.bytes.readUInt32LE(4) + 8).to.equal(r.bytes.length);
    const info = r.bytes.subarray(master.length).toString("latin1");
    expect(info.startsWith("LIST")).to.equal(true);
    expect(info).to.contain(`licence ${licenceId}`).and.to.contain(await licensee.getAddress());
    expect(Number(r.headers.get("content-length"))).to.equal(r.bytes.length);

    // a range, and If-None-Match with the ETag
    const etag = r.headers.get("etag")!;
    const part = await download(token, work.a, masterCid, { range: "bytes=100-4099" });
    expect(part.status).to.equal(206);
    expect(part.headers.get("content-range")).to.equal(`bytes 100-4099/${r.bytes.length}`);
    expect(part.bytes.equals(r.bytes.subarray(100, 4100))).to.equal(true);
    const tail = await download(token, work.a, masterCid, { range: "bytes=-10" });
    expect(tail.bytes.equals(r.bytes.subarray(r.bytes.length - 10))).to.equal(true);
    expect((await download(token, work.a, masterCid, { "if-none-match": etag })).status).to.equal(304);
    await refused(download(token, work.a, masterCid, { range: `bytes=${r.bytes.length + 5}-` }), 416, "RANGE_NOT_SATISFIABLE");

    // the record: the licensee sees their own; the rights holder sees the work's
    const own = await fetchApp("/delivery/records", { headers: { authorization: `Bearer ${token}` } });
    const records = ((await own.json()) as any).records as any[];
    const full = records.find((x) => x.range === null);
    expect(full).to.include({ workId: work.a, cid: masterCid, field: "$.audio", licenceId, role: "licensee", bytes: r.bytes.length, size: r.bytes.length, complete: true, stamp: "wav-list-info" });
    expect(full.sha256).to.equal(createHash("sha256").update(r.bytes).digest("hex"));
    expect(records.find((x) => x.range?.[0] === 100)).to.include({ bytes: 4000 });
    const holder = await signIn(musician);
    const all = (await (await fetchApp(`/delivery/works/${work.a}/records`, { headers: { authorization: `Bearer ${holder}` } })).json()) as any;
    expect(all.scope).to.equal("work");
    expect(all.records.length).to.equal(records.length);
    const strangerToken = await signIn(stranger);
    const theirs = (await (await fetchApp(`/delivery/works/${work.a}/records`, { headers: { authorization: `Bearer ${strangerToken}` } })).json()) as any;
    expect(theirs).to.deep.equal({ work: work.a, scope: "own", records: [] });
  });

  it("default: `tantieme download` signs in with the CLI's key and writes the stamped file; a refusal leaves no file", async function () {
    const out = path.join(tmp, "cli-master.wav");
    const f = ((u: string, i?: RequestInit) => app.yoga.fetch(u, i as never)) as unknown as typeof fetch;
    const r = await downloadFile(licensee, { apiUrl: `${ORIGIN}/graphql`, work: work.a, cid: masterCid, out, fetch: f });
    expect(r).to.include({ file: out, licence: licenceId, stamp: "wav-list-info", address: await licensee.getAddress() });
    const bytes = await readFile(out);
    expect(bytes.length).to.equal(r.bytes);
    expect(bytes.subarray(8, master.length).equals(master.subarray(8))).to.equal(true);
    const denied = path.join(tmp, "cli-denied.wav");
    try {
      await downloadFile(stranger, { apiUrl: `${ORIGIN}/graphql`, work: work.a, cid: masterCid, out: denied, fetch: f });
      expect.fail("should be refused");
    } catch (err) {
      expect((err as CliError).code).to.equal("NO_LICENCE");
    }
    expect(existsSync(denied) || existsSync(`${denied}.part`)).to.equal(false);
  });

  it("behavior: rights holders (owner, and a contract-wallet split recipient signing with EIP-1271) always have access", async function () {
    const owner = await download(await signIn(musician), work.a, stemCid);
    expect(owner.status).to.equal(200);
    expect(owner.headers.get("x-tantieme-licence")).to.equal("rights-holder");
    // the contract wallet's owner signs; the wallet verifies by isValidSignature
    const msg = message(contractWallet, await nonce());
    const s = await session(msg, await walletOwner.signMessage(msg));
    expect(s.status, JSON.stringify(s.body)).to.equal(200);
    expect(s.body.address).to.equal(contractWallet);
    const r = await download(s.body.token, work.a, masterCid);
    expect(r.status).to.equal(200);
    expect(r.bytes.subarray(8, master.length).equals(master.subarray(8))).to.equal(true);
  });

  it("behavior: FLAC, MP3 and JPEG copies carry the licence in their own metadata; ranges across chunks and the stamp are right", async function () {
    const token = await signIn(musician);
    const holder = await musician.getAddress();
    const cases = [
      { name: "flac", cid: c.flac.cid, original: c.flac.file, stamp: "flac-vorbis-comment", payload: c.flac.frames },
      { name: "mp3", cid: c.mp3.cid, original: c.mp3.file, stamp: "mp3-id3v2", payload: c.mp3.file.subarray(c.mp3.file.length - 400 * 417) },
      { name: "jpeg", cid: c.jpeg.cid, original: c.jpeg.file, stamp: "jpeg-com", payload: c.jpeg.file.subarray(c.jpeg.file.indexOf(Buffer.from([0xff, 0xdb]))) },
    ];
    for (const k of cases) {
      expect(k.original.length, k.name).to.be.greaterThan(2 * 65_536);
      const r = await download(token, work.c, k.cid);
      expect(r.status, `${k.name}: ${r.bytes.toString().slice(0, 200)}`).to.equal(200);
      expect(r.headers.get("x-tantieme-stamp"), k.name).to.equal(k.stamp);
      expect(Number(r.headers.get("content-length"))).to.equal(r.bytes.length);
      expect(r.bytes.length, k.name).to.be.greaterThan(k.original.length);
      expect(r.bytes.subarray(r.bytes.length - k.payload.length).equals(k.payload), `${k.name} payload`).to.equal(true);
      // ranges: the start (inserted metadata), across the first chunk edge, the tail
      for (const [from, to] of [[0, 99], [30, 400], [65_000, 66_000], [r.bytes.length - 70_000, r.bytes.length - 1]] as const) {
        const part = await download(token, work.c, k.cid, { range: `bytes=${from}-${to}` });
        expect(part.status).to.equal(206);
        expect(part.headers.get("content-range")).to.equal(`bytes ${from}-${to}/${r.bytes.length}`);
        expect(part.bytes.equals(r.bytes.subarray(from, to + 1)), `${k.name} ${from}-${to}`).to.equal(true);
      }
      if (k.name === "jpeg") {
        const img = jpeg.decode(r.bytes);
        expect(img.comments).to.deep.equal([`tantieme work ${work.c}; rights holder copy; delivered to ${holder}`]);
        expect(img.data.equals(jpeg.decode(k.original).data)).to.equal(true);
        continue;
      }
      const meta = await parseBuffer(r.bytes, { mimeType: k.name === "flac" ? "audio/flac" : "audio/mpeg" });
      const fields = Object.values(meta.native)[0]!.map((t) => [t.id.replace(/^TXXX:/, ""), t.value]);
      expect(fields, k.name).to.deep.include.members([["TANTIEME_LICENCE", "rights holder copy"], ["TANTIEME_LICENSEE", holder], ["TANTIEME_WORK", work.c]]);
    }
    const records = ((await (await fetchApp(`/delivery/works/${work.c}/records`, { headers: { authorization: `Bearer ${token}` } })).json()) as any).records as any[];
    expect(new Set(records.filter((x) => x.range === null).map((x) => x.stamp))).to.deep.equal(new Set(["flac-vorbis-comment", "mp3-id3v2", "jpeg-com"]));
  });

  it("error: a licence for another right or another work, and another address's licence, are refused", async function () {
    const token = await signIn(licensee);
    await refused(download(token, work.a, stemCid), 403, "LICENCE_WRONG_RIGHT"); // Download does not unlock the Sync stem
    await refused(download(token, work.b, otherMasterCid), 403, "NO_LICENCE"); // licence of work A only
    await buy(offers.otherWork, stranger);
    await refused(download(await signIn(stranger), work.a, masterCid), 403, "NO_LICENCE"); // stranger's licence is for work B
    await refused(download(await signIn(stranger), work.a, stemCid), 403, "NO_LICENCE");
  });

  it("default: a download ticket (POST /delivery/tickets with the session) lets a plain GET stream the stamped file once, without Authorization", async function () {
    const token = await signIn(licensee);
    const viaHeader = await download(token, work.a, masterCid);
    const t = await ticket(token, work.a, masterCid);
    expect(t.status, JSON.stringify(t.body)).to.equal(200);
    expect(t.body).to.include({ licence: licenceId, filename: "master.wav" });
    expect(t.body.url).to.match(new RegExp(`^/delivery/works/${work.a}/files/${masterCid}\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(t.body.expiresAt) - Date.now()).to.be.within(0, 60_000);
    const r = await redeem(t.body.url);
    expect(r.status, r.bytes.toString().slice(0, 200)).to.equal(200);
    expect(r.headers.get("content-disposition")).to.equal('attachment; filename="master.wav"');
    expect(r.headers.get("x-tantieme-licence")).to.equal(licenceId);
    // the same stamped copy as with the session header: bound to the ticket's address and licence
    expect(r.bytes.equals(viaHeader.bytes)).to.equal(true);
    const records = ((await (await fetchApp("/delivery/records", { headers: { authorization: `Bearer ${token}` } })).json()) as any).records as any[];
    const me = await licensee.getAddress();
    const sha = createHash("sha256").update(r.bytes).digest("hex");
    expect(records.filter((x) => x.sha256 === sha && x.recipient === me)).to.have.length.at.least(2);
  });

  it("error: a download ticket is single use, for its own file only, never issued without a licence, and unforgeable", async function () {
    const token = await signIn(licensee);
    // reuse: the first GET spends it
    const once = (await ticket(token, work.a, masterCid)).body.url as string;
    expect((await redeem(once)).status).to.equal(200);
    await refused(redeem(once), 401, "TICKET_INVALID");
    // another file (or work) with a ticket for the master: refused, and the ticket is spent by the try
    const other = (await ticket(token, work.a, masterCid)).body.url as string;
    const secret = new URL(other, ORIGIN).searchParams.get("ticket")!;
    await refused(redeem(`/delivery/works/${work.a}/files/${stemCid}?ticket=${secret}`), 401, "TICKET_INVALID");
    await refused(redeem(`/delivery/works/${work.b}/files/${otherMasterCid}?ticket=${secret}`), 401, "TICKET_INVALID");
    await refused(redeem(other), 401, "TICKET_INVALID");
    // a HEAD would spend it for nothing: refused without touching it
    const head = (await ticket(token, work.a, masterCid)).body.url as string;
    expect((await redeem(head, "HEAD")).status).to.equal(400);
    expect((await redeem(head)).status).to.equal(200);
    // no licence for the stem (Sync), none at all for a stranger, no session: no ticket
    expect((await ticket(token, work.a, stemCid)).body.error.code).to.equal("LICENCE_WRONG_RIGHT");
    expect((await ticket(await signIn(stranger), work.a, masterCid)).body.error.code).to.equal("NO_LICENCE");
    expect((await ticket(null, work.a, masterCid)).body.error.code).to.equal("SESSION_MISSING");
    expect((await ticket(token, work.a, coverCid)).body.error.code).to.equal("FILE_NOT_LICENSED");
    expect((await ticket(token, "x", masterCid)).body.error).to.include({ code: "BAD_REQUEST" });
    // forged, truncated and guessed tickets
    for (const forged of ["", "abc", "A".repeat(43), Buffer.alloc(32).toString("base64url"), `${secret.slice(0, -1)}A`]) {
      await refused(redeem(`/delivery/works/${work.a}/files/${masterCid}?ticket=${forged}`), 401, "TICKET_INVALID");
    }
  });

  it("error: no session, a forged or tampered token, path and CID tricks", async function () {
    const token = await signIn(licensee);
    await refused(download(null, work.a, masterCid), 401, "SESSION_MISSING");
    await refused(download("abc.def", work.a, masterCid), 401, "SESSION_INVALID");
    const [body, mac] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ a: await stranger.getAddress(), e: Date.now() + 1e6 })).toString("base64url");
    await refused(download(`${forged}.${mac}`, work.a, masterCid), 401, "SESSION_INVALID");
    // A changed MAC: its first character (never the same as before), and its last character
    // spelled differently in the low bits base64url decoding ignores (the same bytes).
    const B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    await refused(download(`${body}.${mac![0] === "A" ? "B" : "A"}${mac!.slice(1)}`, work.a, masterCid), 401, "SESSION_INVALID");
    const respelled = `${mac!.slice(0, -1)}${B64U[B64U.indexOf(mac!.at(-1)!) ^ 1]}`;
    expect(Buffer.from(respelled, "base64url").equals(Buffer.from(mac!, "base64url")), "the same MAC bytes").to.equal(true);
    await refused(download(`${body}.${respelled}`, work.a, masterCid), 401, "SESSION_INVALID");
    // the public cover is not a licensed file; the other work's master is not a file of work A
    await refused(download(token, work.a, coverCid), 404, "FILE_NOT_LICENSED");
    await refused(download(token, work.a, otherMasterCid), 404, "FILE_NOT_LICENSED");
    await refused(download(token, "99", masterCid), 404, "WORK_NOT_FOUND");
    for (const p of [
      `/delivery/works/${work.a}/files/${masterCid}/`,
      `/delivery/works/${work.a}/files/${masterCid}%2F..`,
      `/delivery/works/0${work.a}/files/${masterCid}`,
      `/delivery/works/${work.a}/files/${masterCid.toLowerCase()}`,
      `/delivery/works/${work.a}/files/..%2F..%2Fkeys%2Fkeys.sealed`,
      `/delivery/works/-1/files/${masterCid}`,
      `/delivery/works/${work.a}/files/${masterCid}?x=1#`,
    ]) {
      const r = await fetchApp(p, { headers: { authorization: `Bearer ${token}` } });
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(r.status, p).to.be.oneOf(p.includes("?x=1") ? [200] : [404, 400]);
      if (r.status !== 200) expect(bytes.includes(master.subarray(1000, 1032)), p).to.equal(false);
    }
    const post = await fetchApp(`/delivery/works/${work.a}/files/${masterCid}`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(post.status).to.equal(405);
  });

  it("error: SIWE replay, wrong domain, URI, chain and nonce, expired and future messages, wrong signer", async function () {
    const address = await licensee.getAddress();
    const n = await nonce();
    const msg = message(address, n);
    const sig = await licensee.signMessage(msg);
    expect((await session(msg, sig)).status).to.equal(200);
    expect((await session(msg, sig)).body.error.code).to.equal("SIWE_UNKNOWN_NONCE"); // replay
    const cases: [Record<string, unknown>, string][] = [
      [{ domain: "evil.test" }, "SIWE_WRONG_DOMAIN"],
      [{ uri: "https://evil.test/delivery" }, "SIWE_WRONG_URI"],
      [{ chainId: 1 }, "SIWE_WRONG_CHAIN"],
      [{ expirationTime: new Date(Date.now() - 1000).toISOString(), issuedAt: new Date(Date.now() - 60_000).toISOString() }, "SIWE_EXPIRED"],
      [{ issuedAt: new Date(Date.now() + 3_600_000).toISOString(), expirationTime: new Date(Date.now() + 7_200_000).toISOString() }, "SIWE_NOT_YET_VALID"],
    ];
    for (const [over, code] of cases) {
      const m = message(address, await nonce(), over);
      const r = await session(m, await licensee.signMessage(m));
      expect(r.body.error?.code, code).to.equal(code);
    }
    const unknown = message(address, "abcdef0123456789abcdef01");
    expect((await session(unknown, await licensee.signMessage(unknown))).body.error.code).to.equal("SIWE_UNKNOWN_NONCE");
    const m2 = message(address, await nonce());
    expect((await session(m2, await stranger.signMessage(m2))).body.error.code).to.equal("SIWE_BAD_SIGNATURE");
    expect((await session("hello", "0x00")).body.error.code).to.equal("SIWE_INVALID_MESSAGE");
    // a failed attempt spent its nonce: the right signature afterwards is refused too
    expect((await session(m2, await licensee.signMessage(m2))).body.error.code).to.equal("SIWE_UNKNOWN_NONCE");
  });

  it("behavior: many sessions at once are independent; each downloads only what its own licence allows", async function () {
    const signers = [licensee, stranger, musician, cowriter];
    const tokens = await Promise.all(Array.from({ length: 24 }, (_, i) => signIn(signers[i % signers.length]!)));
    const results = await Promise.all(tokens.map((t) => download(t, work.a, masterCid)));
    results.forEach((r, i) => {
      const who = i % signers.length;
      // cowriter is neither owner nor split recipient of work A (the contract wallet is)
      expect(r.status, `session ${i}`).to.equal(who === 0 || who === 2 ? 200 : 403);
      if (r.status === 403) expect(r.bytes.includes(master.subarray(1000, 1032))).to.equal(false);
    });
  });

  it("error: after revocation, and after expiry, the licensee is refused", async function () {
    const token = await signIn(licensee);
    expect((await download(token, work.a, masterCid)).status).to.equal(200);
    await (await d.licensing.connect(musician).revoke(BigInt(licenceId), 0, 0)).wait();
    await mine();
    await refused(download(token, work.a, masterCid), 403, "LICENCE_REVOKED");
    // a ticket issued while the licence held is checked again when used
    expect((await ticket(token, work.a, masterCid)).body.error.code).to.equal("LICENCE_REVOKED");
    // a second licence that then expires
    await buy(offers.download, licensee);
    expect((await download(token, work.a, masterCid)).status).to.equal(200);
    const issued = (await ticket(token, work.a, masterCid)).body.url as string;
    await hre.network.provider.send("evm_increaseTime", [7200]);
    await hre.network.provider.send("evm_mine", []);
    await mine();
    const r = await download(token, work.a, masterCid);
    expect(r.status).to.equal(403);
    expect(["LICENCE_EXPIRED", "LICENCE_REVOKED"]).to.include(r.json().error.code);
    expect(r.json().error.reasons).to.include("LICENCE_EXPIRED");
    // the ticket issued before the licence expired: the licence is checked at use, no bytes
    const late = await redeem(issued);
    expect(late.status).to.equal(403);
    expect(late.bytes.includes(master.subarray(1000, 1032))).to.equal(false);
  });
});
