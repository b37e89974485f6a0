import { expect } from "chai";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createContentStore, type ContentStore } from "../../../core/content";
import { publicAudioRef } from "../../../core/metadata/access";
import { licensedFiles, loadWorkMetadata, MetadataValidationError, packageWork, validateWorkMetadata } from "../../../core/metadata";
import { RIGHTS } from "../../../core/domain/rights";
import { decryptStream } from "../../../server/src/delivery/encrypt";
import { DEFAULT_CHUNK_SIZE } from "../../../server/src/delivery/encrypt";
import { FileKeys } from "../../../server/src/delivery/keys";
import { DeliverySecret, LocalKek, LocalKeyStore } from "../../../server/src/delivery/keystore";
import { concat, pseudoRandomBytes, tempDir } from "../content/helpers/bytes";
import { CID_A, CID_B, design, soundRecording } from "./fixtures";

const ENC = { scheme: "tantieme-aes-256-gcm-stream-1", chunkSize: 65536, encryptedSize: 1000 };

function issues(doc: unknown): { path: string; reason: string }[] {
  try {
    validateWorkMetadata(doc);
  } catch (err) {
    expect(err).to.be.instanceOf(MetadataValidationError);
    return (err as MetadataValidationError).details.issues;
  }
  return [];
}

function v11(): Record<string, unknown> {
  return {
    ...soundRecording(),
    schemaVersion: "1.1.0",
    audio: { cid: CID_A, mimeType: "audio/wav", size: 12, access: "licensed", unlockedBy: ["Download"], encryption: ENC },
    preview: { cid: CID_B, mimeType: "audio/mpeg", size: 10, access: "public" },
    stems: [{ cid: CID_A, mimeType: "audio/flac", size: 5, access: "licensed", unlockedBy: ["Sync", "Derivative"], encryption: ENC }],
  };
}

describe("metadata: public and licensed files (schema 1.1.0)", function () {
  it("default: 1.1.0 documents with licensed and public files validate; licensedFiles lists them", function () {
    const doc = validateWorkMetadata(v11());
    expect(licensedFiles(doc).map((f) => [f.keyPath, f.unlockedBy])).to.deep.equal([
      [["audio"], ["Download"]],
      [["stems", 0], ["Sync", "Derivative"]],
    ]);
    const d = design();
    d.schemaVersion = "1.1.0";
    (d.files as Record<string, unknown>[])[0]!.access = "licensed";
    (d.files as Record<string, unknown>[])[0]!.unlockedBy = ["Print"];
    (d.files as Record<string, unknown>[])[0]!.encryption = ENC;
    expect(licensedFiles(validateWorkMetadata(d))).to.have.length(1);
  });

  it("behavior: players get the public preview, or the audio when it is public, never a licensed master", function () {
    const doc = v11();
    expect(publicAudioRef(doc)).to.deep.include({ cid: CID_B });
    delete doc.preview;
    expect(publicAudioRef(doc)).to.equal(null);
    expect(publicAudioRef(soundRecording())).to.deep.include({ mimeType: "audio/wav" });
    expect(publicAudioRef(design())).to.equal(null);
  });

  it("default: 1.0.0 documents are still accepted", function () {
    expect(issues(soundRecording())).to.deep.equal([]);
  });

  it("error: 1.0.0 documents cannot use 1.1.0 fields", function () {
    const d = v11();
    d.schemaVersion = "1.0.0";
    expect(issues(d).map((i) => i.path)).to.include.members(["$.preview", "$.stems", "$.audio.access", "$.audio.unlockedBy", "$.audio.encryption"]);
  });

  it("error: licensed needs unlockedBy and encryption; public has neither; rights come from the domain list", function () {
    const bad = (f: (d: any) => void) => {
      const d = v11() as any;
      f(d);
      return issues(d);
    };
    expect(bad((d) => delete d.audio.unlockedBy)).to.deep.equal([{ path: "$.audio.unlockedBy", reason: "is required for a licensed file" }]);
    expect(bad((d) => delete d.audio.encryption)).to.deep.equal([{ path: "$.audio.encryption", reason: "is required for a licensed file (packaging adds it)" }]);
    expect(bad((d) => (d.preview.unlockedBy = ["Download"]))[0]!.path).to.equal("$.preview.unlockedBy");
    expect(bad((d) => (d.audio.unlockedBy = ["Downloads"]))).to.deep.equal([{ path: "$.audio.unlockedBy[0]", reason: `must be one of ${RIGHTS.join(", ")}` }]);
    expect(bad((d) => (d.audio.unlockedBy = []))).to.deep.equal([{ path: "$.audio.unlockedBy", reason: "needs at least one right" }]);
    expect(bad((d) => (d.audio.unlockedBy = ["Sync", "Sync"]))).to.deep.equal([{ path: "$.audio.unlockedBy", reason: "lists a right twice" }]);
    expect(bad((d) => (d.audio.access = "private"))[0]!.path).to.equal("$.audio.access");
    expect(bad((d) => (d.audio.encryption.scheme = "rot13"))[0]!.path).to.equal("$.audio.encryption.scheme");
  });
});

describe("metadata: packaging licensed files", function () {
  this.timeout(120_000);
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let store: ContentStore;
  let keys: FileKeys;
  const secret = new DeliverySecret("a delivery secret of at least thirty-two characters");
  before(async () => {
    tmp = await tempDir("access-packaging");
    store = await createContentStore({ kind: "embedded", dir: path.join(tmp.dir, "ipfs") });
    keys = new FileKeys(await LocalKeyStore.open(path.join(tmp.dir, "keys"), secret), new LocalKek(secret));
  });
  after(async () => {
    await store.close();
    await tmp.remove();
  });

  function wav(bytes: number): Buffer {
    const h = Buffer.alloc(44);
    h.write("RIFF", 0);
    h.writeUInt32LE(36 + bytes, 4);
    h.write("WAVEfmt ", 8);
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(2, 22);
    h.writeUInt32LE(44_100, 24);
    h.write("data", 36);
    h.writeUInt32LE(bytes, 40);
    return Buffer.concat([h, Buffer.from(pseudoRandomBytes(bytes, 4))]);
  }

  async function folder(name: string, doc: unknown, files: Record<string, Buffer>): Promise<string> {
    const dir = path.join(tmp.dir, name);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "metadata.json"), JSON.stringify(doc));
    for (const [f, b] of Object.entries(files)) await writeFile(path.join(dir, f), b);
    return dir;
  }

  const draft = () => ({
    ...soundRecording(),
    schemaVersion: "1.1.0",
    audio: { path: "master.wav", mimeType: "audio/wav", access: "licensed", unlockedBy: ["Download"] },
    artwork: undefined,
    preview: { path: "preview.wav", mimeType: "audio/wav" },
    stems: [{ path: "drums.wav", mimeType: "audio/wav", access: "licensed", unlockedBy: ["Sync"] }],
  });

  it("default: licensed files are stored encrypted (CID of the ciphertext), public ones in the clear; keys decrypt them", async function () {
    const master = wav(200_000);
    const drums = wav(70_000);
    const preview = wav(1000);
    const dir = await folder("ok", draft(), { "master.wav": master, "drums.wav": drums, "preview.wav": preview });
    const result = await packageWork(dir, store, { sealer: keys });
    expect(result.files.map((f) => [f.path, f.access, f.size])).to.deep.equal([
      ["master.wav", "licensed", master.length],
      ["preview.wav", "public", preview.length],
      ["drums.wav", "licensed", drums.length],
    ]);
    const doc = (await loadWorkMetadata(store, result.metadataCid)) as any;
    expect(doc.audio).to.include({ access: "licensed", size: master.length, mimeType: "audio/wav" });
    expect(doc.audio.encryption).to.deep.equal({ scheme: "tantieme-aes-256-gcm-stream-1", chunkSize: DEFAULT_CHUNK_SIZE, encryptedSize: await store.size(doc.audio.cid) });
    expect(doc.preview).to.not.have.property("encryption");
    // the stored ciphertext is not the file, and decrypts to it
    const stored = Buffer.from(await concat(store.cat(doc.audio.cid)));
    expect(stored.includes(master.subarray(100, 200))).to.equal(false);
    expect(Buffer.from(await concat(decryptStream(store.cat(doc.audio.cid), await keys.keyOf(doc.audio.cid)))).equals(master)).to.equal(true);
    expect(Buffer.from(await concat(store.cat(doc.preview.cid))).equals(preview)).to.equal(true);
  });

  it("error: licensed files without a sealer, or with encryption given, are refused before anything is stored", async function () {
    const dir = await folder("nosealer", draft(), { "master.wav": wav(10), "drums.wav": wav(10), "preview.wav": wav(10) });
    const pins = (await store.listPins()).length;
    try {
      await packageWork(dir, store);
      expect.fail("should throw");
    } catch (err) {
      expect((err as MetadataValidationError).details.issues[0]!.path).to.equal("$.audio.access");
    }
    const d = draft() as any;
    d.audio.encryption = ENC;
    const dir2 = await folder("withenc", d, { "master.wav": wav(10), "drums.wav": wav(10), "preview.wav": wav(10) });
    try {
      await packageWork(dir2, store, { sealer: keys });
      expect.fail("should throw");
    } catch (err) {
      expect((err as MetadataValidationError).details.issues[0]!.path).to.equal("$.audio.encryption");
    }
    const d3 = draft() as any;
    d3.audio.unlockedBy = ["Nope"];
    const dir3 = await folder("badright", d3, { "master.wav": wav(10), "drums.wav": wav(10), "preview.wav": wav(10) });
    try {
      await packageWork(dir3, store, { sealer: keys });
      expect.fail("should throw");
    } catch (err) {
      expect((err as MetadataValidationError).details.issues[0]!.path).to.equal("$.audio.unlockedBy[0]");
    }
    expect((await store.listPins()).length).to.equal(pins);
  });
});
