/**
 * The demo catalogue: real works (generated WAV masters and PNG artwork packaged onto IPFS),
 * their splits, licence offers and a few licences bought by demo licensees — all as ordinary
 * signed transactions on the local chain, so the subgraph indexes them like anything else.
 * It shows both layers of a song and verified identifiers: the musician's label is vouched for by
 * a registrar (its recordings and composition are verified), an independent uploader's recording
 * is not; Midnight Ferry's recording is linked to its composition (confirmed), and GEMA
 * administers the composition's public performance and broadcast in Germany.
 */
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { CID } from "multiformats/cid";
import type { ContentStore } from "../../core/content";
import { packageWork } from "../../core/metadata";
import type { FileSealer } from "../../core/metadata/access";
import { iswcCheckDigit } from "../../core/metadata/identifiers";
import { rightsToMask } from "../../core/domain/rights";
import { countriesToBytes2 } from "../../core/domain/territory";
import { identifierToBytes12 } from "../../core/domain/identifiers";
import { Licensing__factory, Links__factory, Registrars__factory, Works__factory } from "../../typechain-types";
import { ATTESTATION_TYPES } from "../../core/domain/eip712";
import { renderPng, renderWav, wavDurationMs, type ToneSpec } from "./demo-media";

/** Hardhat's well-known development accounts (mnemonic "test test … junk"): local use only. */
export const DEMO_MNEMONIC = "test test test test test test test test test test test junk";

export interface DemoAccount {
  role: string;
  address: string;
  privateKey: string;
}

export function demoAccounts(): DemoAccount[] {
  const roles = [
    "deployer / admin",
    "musician (owner of the recordings)",
    "co-writer",
    "producer",
    "designer",
    "streaming platform (licensee)",
    "café (licensee)",
    "ad agency (licensee)",
    "ISRC agency (registrar)",
    "independent uploader (unverified)",
  ];
  return roles.map((role, i) => {
    const w = ethers.HDNodeWallet.fromPhrase(DEMO_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
    return { role, address: w.address, privateKey: w.privateKey };
  });
}

export interface SeedResult {
  works: { id: bigint; title: string; metadataCid: string; identifier?: string }[];
  offers: { id: bigint; workId: bigint; summary: string }[];
  licences: { id: bigint; offerId: bigint; licensee: string }[];
}

interface SeedDeps {
  provider: ethers.JsonRpcProvider;
  store: ContentStore;
  worksAddress: string;
  licensingAddress: string;
  /** The registrar set (its owner is the deployer, account 0). */
  registrarsAddress: string;
  linksAddress: string;
  /** Scratch folder for the generated work folders. */
  workDir: string;
  /** The delivery service's sealer: Midnight Ferry's master is a licensed (encrypted) file. */
  sealer: FileSealer;
  log: (line: string) => void;
}

const sorted = (entries: [string, number][]) => [...entries].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));
const DAY = 86_400;

/** A folder with generated media and its metadata.json, ready for packageWork. */
function writeWorkFolder(dir: string, metadata: Record<string, unknown>, files: Record<string, Buffer>): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  fs.writeFileSync(path.join(dir, "metadata.json"), JSON.stringify(metadata, null, 2));
  return dir;
}

export async function seedDemoCatalogue(deps: SeedDeps): Promise<SeedResult> {
  const { provider, store, log } = deps;
  const accounts = demoAccounts();
  const wallet = (i: number) => new ethers.NonceManager(new ethers.Wallet(accounts[i]!.privateKey, provider));
  const [admin, musician, cowriter, designer, platform, cafe, agency, registrar, uploader] = [0, 1, 2, 4, 5, 6, 7, 8, 9].map(wallet);
  const addr = (i: number) => accounts[i]!.address;
  const result: SeedResult = { works: [], offers: [], licences: [] };

  // ── works ────────────────────────────────────────────────────────────────────────────────────
  const ferry: ToneSpec = { notes: [62, 66, 69, 74, 73, 69, 66, 64, 62, 57, 62, 66, 69, 71, 69, 66], beatMs: 300 };
  const lanterns: ToneSpec = { notes: [60, 64, 67, 72, 71, 67, 64, 65, 69, 72, 77, 76, 72, 69], beatMs: 350 };
  const iswcDigits = "345246800";
  const iswc = `T-${iswcDigits}-${iswcCheckDigit(iswcDigits)}`;

  // ── the registrar: the ISRC agency vouches for the label's prefix GB-TNT and its ISWC ─────────
  const registrars = Registrars__factory.connect(deps.registrarsAddress, provider);
  await (await registrars.connect(admin).addRegistrar(addr(8), ethers.encodeBytes32String("GB ISRC agency (demo)"))).wait();
  const expiry = BigInt((await provider.getBlock("latest"))!.timestamp) + 365n * BigInt(DAY);
  const domain = { name: "tantieme Registrars", version: "1", chainId: (await provider.getNetwork()).chainId, verifyingContract: deps.registrarsAddress };
  const attest = async (kind: number, scope: number, identifier: string, nonce: number) => {
    const a = { registrar: addr(8), account: addr(1), kind, scope, identifier: identifierToBytes12(identifier), nonce, expiry };
    return { ...a, signature: await registrar.signTypedData(domain, ATTESTATION_TYPES, a) };
  };
  const labelPrefix = await attest(0, 1, "GBTNT", 1); // every ISRC GB-TNT-…
  const ferryIswc = await attest(1, 0, iswc.replace(/-/g, ""), 2);
  log(`seed: registrar ${addr(8)} vouches for the label's ISRC prefix GB-TNT and ISWC ${iswc}`);

  const catalogue = [
    {
      owner: musician,
      attestation: labelPrefix as typeof labelPrefix | null,
      kind: 0, // SoundRecording
      title: "Midnight Ferry",
      identifier: "GBTNT2600001",
      split: sorted([[addr(1), 5000], [addr(2), 3000], [addr(3), 2000]]),
      // The master reaches licensees only (Download unlocks it); everyone hears the preview.
      folder: writeWorkFolder(path.join(deps.workDir, "midnight-ferry"), {
        schemaVersion: "1.1.0",
        kind: "sound-recording",
        title: "Midnight Ferry",
        artists: [{ name: "Ada Marlowe" }],
        contributors: [
          { name: "Jonas Reed", roles: ["co-producer"] },
          { name: "Mina Park", roles: ["producer", "mixing-engineer"] },
        ],
        isrc: "GBTNT2600001",
        durationMs: wavDurationMs(ferry),
        audio: { path: "master.wav", mimeType: "audio/wav", access: "licensed", unlockedBy: ["Download"] },
        preview: { path: "preview.wav", mimeType: "audio/wav" },
        artwork: { path: "cover.png", mimeType: "image/png" },
        releaseDate: "2026-03-14",
        language: "en",
        genre: "Ambient",
      }, { "master.wav": renderWav(ferry), "preview.wav": renderWav({ ...ferry, notes: ferry.notes.slice(0, 4) }), "cover.png": renderPng(256, 256, 200) }),
    },
    {
      owner: musician,
      attestation: ferryIswc,
      kind: 1, // Composition
      title: "Midnight Ferry (composition)",
      identifier: iswc.replace(/-/g, ""),
      split: sorted([[addr(1), 6000], [addr(2), 4000]]),
      folder: writeWorkFolder(path.join(deps.workDir, "midnight-ferry-composition"), {
        schemaVersion: "1.0.0",
        kind: "composition",
        title: "Midnight Ferry",
        writers: [
          { name: "Ada Marlowe", roles: ["composer-lyricist"], share: 6000 },
          { name: "Jonas Reed", roles: ["composer"], share: 4000 },
        ],
        iswc,
        lyrics: { path: "lyrics.txt", mimeType: "text/plain" },
        language: "en",
      }, { "lyrics.txt": Buffer.from("The last ferry leaves at midnight,\nlanterns on the water,\nand the harbour hums our song.\n") }),
    },
    {
      owner: musician,
      attestation: labelPrefix,
      kind: 0,
      title: "Lanterns",
      identifier: "GBTNT2600002",
      split: sorted([[addr(1), 7000], [addr(3), 3000]]),
      folder: writeWorkFolder(path.join(deps.workDir, "lanterns"), {
        schemaVersion: "1.0.0",
        kind: "sound-recording",
        title: "Lanterns",
        artists: [{ name: "Ada Marlowe" }],
        contributors: [{ name: "Mina Park", roles: ["producer"] }],
        isrc: "GBTNT2600002",
        durationMs: wavDurationMs(lanterns),
        audio: { path: "master.wav", mimeType: "audio/wav" },
        artwork: { path: "cover.png", mimeType: "image/png" },
        genre: "Ambient",
      }, { "master.wav": renderWav(lanterns), "cover.png": renderPng(256, 256, 40) }),
    },
    {
      owner: designer,
      attestation: null,
      kind: 2, // Design
      title: "Tidal Pattern",
      identifier: "",
      split: [[addr(4), 10_000]] as [string, number][],
      folder: writeWorkFolder(path.join(deps.workDir, "tidal-pattern"), {
        schemaVersion: "1.0.0",
        kind: "design",
        title: "Tidal Pattern",
        creators: [{ name: "Lou Okafor", roles: ["illustrator"] }],
        files: [{ path: "pattern.png", mimeType: "image/png", format: "raster", dimensions: { width: 512, height: 512, unit: "px" }, colorProfile: "sRGB" }],
      }, { "pattern.png": renderPng(512, 512, 160) }),
    },
    {
      owner: uploader,
      attestation: null,
      kind: 0,
      title: "Harbour Lights (bedroom demo)",
      identifier: "USX9P2600077",
      split: [[addr(9), 10_000]] as [string, number][],
      folder: writeWorkFolder(path.join(deps.workDir, "harbour-lights-demo"), {
        schemaVersion: "1.0.0",
        kind: "sound-recording",
        title: "Harbour Lights (bedroom demo)",
        artists: [{ name: "Sam Indie" }],
        isrc: "USX9P2600077",
        durationMs: wavDurationMs(lanterns),
        audio: { path: "master.wav", mimeType: "audio/wav" },
        genre: "Lo-fi",
      }, { "master.wav": renderWav(lanterns) }),
    },
  ];

  const works = Works__factory.connect(deps.worksAddress, provider);
  const licensing = Licensing__factory.connect(deps.licensingAddress, provider);
  for (const item of catalogue) {
    const packaged = await packageWork(item.folder, store, { sealer: deps.sealer });
    const metadataCid = packaged.metadataCid.toString();
    const split = { recipients: item.split.map(([a]) => a), shares: item.split.map(([, s]) => s) };
    const tx = item.attestation
      ? await works.connect(item.owner).registerAttested(item.kind, CID.parse(metadataCid).bytes, identifierToBytes12(item.identifier), split, item.attestation)
      : await works.connect(item.owner).register(item.kind, CID.parse(metadataCid).bytes, identifierToBytes12(item.identifier), split);
    const receipt = await tx.wait();
    const event = receipt!.logs.map((l) => works.interface.parseLog(l)).find((e) => e?.name === "WorkRegistered");
    const id = event!.args.workId as bigint;
    result.works.push({ id, title: item.title, metadataCid, identifier: item.identifier || undefined });
    log(`seed: work ${id} "${item.title}" → ${metadataCid}${item.identifier ? ` (${item.identifier}, ${item.attestation ? "verified" : "unverified"})` : ""}`);
  }
  const [ferryRec, ferryComp, lanternsRec, pattern] = result.works.map((w) => w.id) as [bigint, bigint, bigint, bigint];

  // ── both layers: the recording embodies the composition; GEMA administers it in Germany ──────
  const links = Links__factory.connect(deps.linksAddress, provider);
  await (await links.connect(musician).link(ferryRec, ferryComp, 0, "0x")).wait();
  await (await links.connect(musician).confirmLink(ferryRec, ferryComp)).wait();
  await (await links.connect(musician).declareSociety(ferryComp, ethers.encodeBytes32String("GEMA"), rightsToMask(["PublicPerformance", "Broadcast"]), 1, countriesToBytes2(["DE"]))).wait();
  log(`seed: recording ${ferryRec} embodies composition ${ferryComp} (confirmed); GEMA administers its public performance and broadcast in DE`);

  // ── offers ───────────────────────────────────────────────────────────────────────────────────
  const offerSpecs = [
    // Revocable for a breach of its terms (with immediate effect); every other offer is not revocable.
    { owner: musician, workId: ferryRec, rights: ["Streaming", "Download"], mode: 0, countries: [], duration: 365 * DAY, price: ethers.parseEther("0.01"), exclusive: false, transferable: false, revocableForBreach: true, summary: "streaming + download, worldwide, 1 year, 0.01 ETH, revocable for breach" },
    { owner: musician, workId: ferryRec, rights: ["Sync"], mode: 1, countries: ["US", "CA", "GB"], duration: 2 * 365 * DAY, price: ethers.parseEther("0.5"), exclusive: false, transferable: true, summary: "sync in US, CA, GB, 2 years, 0.5 ETH" },
    { owner: musician, workId: ferryComp, rights: ["PublicPerformance"], mode: 2, countries: ["KP"], duration: 180 * DAY, price: ethers.parseEther("0.002"), exclusive: false, transferable: false, summary: "public performance everywhere but KP, 6 months, 0.002 ETH" },
    { owner: musician, workId: lanternsRec, rights: ["AITraining"], mode: 0, countries: [], duration: 0, price: ethers.parseEther("1"), exclusive: true, transferable: false, summary: "AI training, worldwide, perpetual, exclusive, 1 ETH" },
    { owner: designer, workId: pattern, rights: ["Print", "Merchandise"], mode: 1, countries: ["FR", "DE", "NL", "BE"], duration: 365 * DAY, price: ethers.parseEther("0.05"), exclusive: false, transferable: true, summary: "print + merchandise in FR, DE, NL, BE, 1 year, 0.05 ETH" },
    // The composition's layer of the streaming and download licences (a recording needs both).
    { owner: musician, workId: ferryComp, rights: ["Streaming", "Download"], mode: 0, countries: [], duration: 365 * DAY, price: ethers.parseEther("0.002"), exclusive: false, transferable: false, summary: "composition: streaming + download, worldwide, 1 year, 0.002 ETH" },
  ];
  for (const o of offerSpecs) {
    const tx = await licensing.connect(o.owner).createOffer({
      workId: o.workId,
      rights: rightsToMask(o.rights),
      territoryMode: o.mode,
      countries: countriesToBytes2(o.countries),
      duration: o.duration,
      startDate: 0,
      price: o.price,
      currency: ethers.ZeroAddress,
      cap: 0,
      exclusive: o.exclusive,
      transferable: o.transferable,
      revocableFor: "revocableForBreach" in o && o.revocableForBreach ? 1 /* Breach */ : 0, // else not revocable: the licensee keeps what it paid for
      noticePeriod: 0,
      uri: "ipfs://QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
    });
    const receipt = await tx.wait();
    const event = receipt!.logs.map((l) => licensing.interface.parseLog(l)).find((e) => e?.name === "OfferCreated");
    const id = event!.args.offerId as bigint;
    result.offers.push({ id, workId: o.workId, summary: o.summary });
    log(`seed: offer ${id} on work ${o.workId}: ${o.summary}`);
  }

  // ── licences ─────────────────────────────────────────────────────────────────────────────────
  const purchases = [
    { buyer: platform, offer: 0, licensee: addr(5) },
    { buyer: platform, offer: 0, licensee: addr(6) }, // a platform buying for a client
    { buyer: agency, offer: 1, licensee: addr(7) },
    { buyer: cafe, offer: 2, licensee: addr(6) },
    { buyer: agency, offer: 4, licensee: addr(7) },
    { buyer: platform, offer: 5, licensee: addr(5) },
    { buyer: platform, offer: 5, licensee: addr(6) },
  ];
  for (const p of purchases) {
    const offer = result.offers[p.offer]!;
    const price = offerSpecs[p.offer]!.price;
    const tx = await licensing.connect(p.buyer).purchase(offer.id, p.licensee, { value: price });
    const receipt = await tx.wait();
    const event = receipt!.logs.map((l) => licensing.interface.parseLog(l)).find((e) => e?.name === "LicencePurchased");
    const id = event!.args.licenceId as bigint;
    result.licences.push({ id, offerId: offer.id, licensee: p.licensee });
    log(`seed: licence ${id} from offer ${offer.id} for ${p.licensee}`);
  }

  // ── royalties: distribute Midnight Ferry's ETH revenue, the co-writer withdraws ──────────────
  const split = catalogue[0]!.split;
  await (await licensing.connect(cowriter).distribute(ferryRec, 1, { recipients: split.map(([a]) => a), shares: split.map(([, s]) => s) }, ethers.ZeroAddress)).wait();
  await (await licensing.connect(cowriter).withdraw(addr(2), ethers.ZeroAddress)).wait();
  log(`seed: distributed work ${ferryRec}'s ETH revenue; the co-writer withdrew`);
  return result;
}
