/**
 * The demo catalogue: real works (generated WAV masters and PNG artwork packaged onto IPFS),
 * their splits, licence offers and a few licences bought by demo licensees — all as ordinary
 * signed transactions on the local chain, so the subgraph indexes them like anything else.
 */
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { CID } from "multiformats/cid";
import type { ContentStore } from "../../core/content";
import { packageWork } from "../../core/metadata";
import { iswcCheckDigit } from "../../core/metadata/identifiers";
import { rightsToMask } from "../../core/domain/rights";
import { countriesToBytes2 } from "../../core/domain/territory";
import { identifierToBytes12 } from "../../core/domain/identifiers";
import { Licensing__factory, Works__factory } from "../../typechain-types";
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
  /** Scratch folder for the generated work folders. */
  workDir: string;
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
  const [musician, cowriter, designer, platform, cafe, agency] = [1, 2, 4, 5, 6, 7].map(wallet);
  const addr = (i: number) => accounts[i]!.address;
  const result: SeedResult = { works: [], offers: [], licences: [] };

  // ── works ────────────────────────────────────────────────────────────────────────────────────
  const ferry: ToneSpec = { notes: [62, 66, 69, 74, 73, 69, 66, 64, 62, 57, 62, 66, 69, 71, 69, 66], beatMs: 300 };
  const lanterns: ToneSpec = { notes: [60, 64, 67, 72, 71, 67, 64, 65, 69, 72, 77, 76, 72, 69], beatMs: 350 };
  const iswcDigits = "345246800";
  const iswc = `T-${iswcDigits}-${iswcCheckDigit(iswcDigits)}`;

  const catalogue = [
    {
      owner: musician,
      kind: 0, // SoundRecording
      title: "Midnight Ferry",
      identifier: "GBTNT2600001",
      split: sorted([[addr(1), 5000], [addr(2), 3000], [addr(3), 2000]]),
      folder: writeWorkFolder(path.join(deps.workDir, "midnight-ferry"), {
        schemaVersion: "1.0.0",
        kind: "sound-recording",
        title: "Midnight Ferry",
        artists: [{ name: "Ada Marlowe" }],
        contributors: [
          { name: "Jonas Reed", roles: ["co-producer"] },
          { name: "Mina Park", roles: ["producer", "mixing-engineer"] },
        ],
        isrc: "GBTNT2600001",
        durationMs: wavDurationMs(ferry),
        audio: { path: "master.wav", mimeType: "audio/wav" },
        artwork: { path: "cover.png", mimeType: "image/png" },
        releaseDate: "2026-03-14",
        language: "en",
        genre: "Ambient",
      }, { "master.wav": renderWav(ferry), "cover.png": renderPng(256, 256, 200) }),
    },
    {
      owner: musician,
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
  ];

  const works = Works__factory.connect(deps.worksAddress, provider);
  const licensing = Licensing__factory.connect(deps.licensingAddress, provider);
  for (const item of catalogue) {
    const packaged = await packageWork(item.folder, store);
    const metadataCid = packaged.metadataCid.toString();
    const tx = await works.connect(item.owner).register(
      item.kind,
      CID.parse(metadataCid).bytes,
      identifierToBytes12(item.identifier),
      { recipients: item.split.map(([a]) => a), shares: item.split.map(([, s]) => s) },
    );
    const receipt = await tx.wait();
    const event = receipt!.logs.map((l) => works.interface.parseLog(l)).find((e) => e?.name === "WorkRegistered");
    const id = event!.args.workId as bigint;
    result.works.push({ id, title: item.title, metadataCid, identifier: item.identifier || undefined });
    log(`seed: work ${id} "${item.title}" → ${metadataCid}`);
  }
  const [ferryRec, ferryComp, lanternsRec, pattern] = result.works.map((w) => w.id) as [bigint, bigint, bigint, bigint];

  // ── offers ───────────────────────────────────────────────────────────────────────────────────
  const offerSpecs = [
    { owner: musician, workId: ferryRec, rights: ["Streaming", "Download"], mode: 0, countries: [], duration: 365 * DAY, price: ethers.parseEther("0.01"), exclusive: false, transferable: false, summary: "streaming + download, worldwide, 1 year, 0.01 ETH" },
    { owner: musician, workId: ferryRec, rights: ["Sync"], mode: 1, countries: ["US", "CA", "GB"], duration: 2 * 365 * DAY, price: ethers.parseEther("0.5"), exclusive: false, transferable: true, summary: "sync in US, CA, GB, 2 years, 0.5 ETH" },
    { owner: musician, workId: ferryComp, rights: ["PublicPerformance"], mode: 2, countries: ["KP"], duration: 180 * DAY, price: ethers.parseEther("0.002"), exclusive: false, transferable: false, summary: "public performance everywhere but KP, 6 months, 0.002 ETH" },
    { owner: musician, workId: lanternsRec, rights: ["AITraining"], mode: 0, countries: [], duration: 0, price: ethers.parseEther("1"), exclusive: true, transferable: false, summary: "AI training, worldwide, perpetual, exclusive, 1 ETH" },
    { owner: designer, workId: pattern, rights: ["Print", "Merchandise"], mode: 1, countries: ["FR", "DE", "NL", "BE"], duration: 365 * DAY, price: ethers.parseEther("0.05"), exclusive: false, transferable: true, summary: "print + merchandise in FR, DE, NL, BE, 1 year, 0.05 ETH" },
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
      revocableFor: 0, // not revocable: the licensee keeps what it paid for
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
