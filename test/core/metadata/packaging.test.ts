import { expect } from "chai";
import { open, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { createContentStore, type ContentStore } from "../../../core/content";
import { loadWorkMetadata, packageWork, sniffMime, storeWorkMetadata, type PackageProgress } from "../../../core/metadata";
import { concat, pseudoRandomBytes, tempDir } from "../content/helpers/bytes";
import { soundRecording } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const onlyHash: { of(input: Uint8Array): Promise<string> } = require("ipfs-only-hash");

function wav(dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44_100, 24);
  header.write("data", 36);
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.from(pseudoRandomBytes(dataBytes, 4))]);
}
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(pseudoRandomBytes(300, 8))]);

function draft(): Record<string, unknown> {
  const d = soundRecording();
  d.audio = { path: "master.wav", mimeType: "audio/x-wav" };
  d.artwork = { path: "art/cover.png", mimeType: "image/png" };
  return d;
}

async function folder(root: string, name: string, doc: unknown, files: Record<string, Buffer | string>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, "art"), { recursive: true });
  await writeFile(path.join(dir, "metadata.json"), typeof doc === "string" ? doc : JSON.stringify(doc));
  for (const [f, content] of Object.entries(files)) await writeFile(path.join(dir, f), content);
  return dir;
}

describe("metadata: packaging a work folder", function () {
  let store: ContentStore;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    tmp = await tempDir("packaging");
    store = await createContentStore({ kind: "embedded", dir: path.join(tmp.dir, "store") });
  });
  after(async () => {
    await store.close();
    await tmp.remove();
  });

  async function expectFailure(dir: string, name: string, check: (e: any) => void = () => undefined) {
    const before = (await store.listPins()).map((p) => p.cid.toString()).sort();
    try {
      await packageWork(dir, store);
    } catch (err) {
      expect((err as Error).name, (err as Error).message).to.equal(name);
      check(err);
      expect((await store.listPins()).map((p) => p.cid.toString()).sort(), "pins left behind").to.deep.equal(before);
      return;
    }
    expect.fail(`expected ${name}`);
  }

  it("default: stores files and metadata; CIDs, sizes, MIME types and names substituted", async () => {
    const audio = wav(600_000);
    const dir = await folder(tmp.dir, "ok", draft(), { "master.wav": audio, "art/cover.png": PNG });
    const events: PackageProgress[] = [];
    const result = await packageWork(dir, store, { onProgress: (p) => events.push(p) });
    expect(result.files.map((f) => [f.path, f.field, f.mime, f.size])).to.deep.equal([
      ["master.wav", "$.audio", "audio/wav", audio.length],
      ["art/cover.png", "$.artwork", "image/png", PNG.length],
    ]);
    expect(result.files[0]!.cid.toString()).to.equal(await onlyHash.of(audio));
    expect(result.metadata).to.deep.include({ audio: { cid: result.files[0]!.cid.toString(), mimeType: "audio/wav", size: audio.length, name: "master.wav" } });
    expect(await store.isPinned(result.metadataCid)).to.equal(true);
    expect(await store.isPinned(result.files[0]!.cid)).to.equal(true);
    expect(await loadWorkMetadata(store, result.metadataCid)).to.deep.equal(result.metadata);
    // Equal metadata ⇒ equal CID, whatever the key order.
    const again = await storeWorkMetadata(store, Object.fromEntries(Object.entries(result.metadata).reverse()));
    expect(again.cid.toString()).to.equal(result.metadataCid.toString());
    expect(sniffMime(await concat(store.cat(result.files[1]!.cid)))).to.equal("image/png");
    expect(events.map((e) => e.phase)).to.include.members(["checking", "adding", "added", "metadata", "done"]);
    const adding = events.filter((e): e is Extract<PackageProgress, { phase: "adding" }> => e.phase === "adding");
    expect(adding.at(-1)!.totalBytes).to.equal(audio.length + PNG.length);
  });

  it("error: metadata.json missing, not JSON, or failing the schema", async () => {
    const missing = path.join(tmp.dir, "empty");
    await mkdir(missing, { recursive: true });
    await expectFailure(missing, "MetadataFileError", (e) => expect(e.message).to.match(/metadata.json: is missing/));
    await expectFailure(await folder(tmp.dir, "notjson", "{ nope", {}), "MetadataFileError");
    const bad = draft();
    (bad as any).isrc = "DEA12345678";
    await expectFailure(await folder(tmp.dir, "schema", bad, { "master.wav": wav(10), "art/cover.png": PNG }), "MetadataValidationError", (e) =>
      expect(e.details.issues[0].path).to.equal("$.isrc"),
    );
  });

  it("error: files missing, outside the folder, not regular, linked outside", async () => {
    const d1 = await folder(tmp.dir, "nofile", draft(), { "art/cover.png": PNG });
    await expectFailure(d1, "PackageFileError", (e) => expect(e.details).to.include({ file: "master.wav", reason: "not-found", field: "$.audio.path" }));
    const escape = draft();
    (escape as any).audio.path = "../ok/master.wav";
    await expectFailure(await folder(tmp.dir, "escape", escape, { "art/cover.png": PNG }), "PackageFileError", (e) => expect(e.details.reason).to.equal("outside-folder"));
    const abs = draft();
    (abs as any).audio.path = "/etc/passwd";
    await expectFailure(await folder(tmp.dir, "abs", abs, { "art/cover.png": PNG }), "PackageFileError", (e) => expect(e.details.reason).to.equal("outside-folder"));
    const dirRef = draft();
    (dirRef as any).audio.path = "art";
    await expectFailure(await folder(tmp.dir, "dir", dirRef, { "art/cover.png": PNG }), "PackageFileError", (e) => expect(e.details.reason).to.equal("not-a-file"));
    const linked = await folder(tmp.dir, "link", draft(), { "art/cover.png": PNG });
    await symlink(path.join(tmp.dir, "ok", "master.wav"), path.join(linked, "master.wav"));
    await expectFailure(linked, "PackageFileError", (e) => expect(e.details.reason).to.equal("outside-folder"));
  });

  it("error: unsupported, wrong or mismatching MIME types; wrong declared size", async () => {
    const unsupported = draft();
    (unsupported as any).audio.mimeType = "audio/x-ms-wma";
    await expectFailure(await folder(tmp.dir, "wma", unsupported, { "master.wav": wav(10), "art/cover.png": PNG }), "UnsupportedMimeTypeError");
    const wrongField = draft();
    (wrongField as any).artwork.mimeType = "audio/wav";
    await expectFailure(await folder(tmp.dir, "field", wrongField, { "master.wav": wav(10), "art/cover.png": PNG }), "UnsupportedMimeTypeError", (e) =>
      expect(e.details.field).to.equal("$.artwork.mimeType"),
    );
    const mislabelled = draft();
    (mislabelled as any).audio.mimeType = "audio/flac";
    await expectFailure(await folder(tmp.dir, "flac", mislabelled, { "master.wav": wav(10), "art/cover.png": PNG }), "MimeMismatchError", (e) =>
      expect(e.details).to.include({ declared: "audio/flac", sniffed: "audio/wav" }),
    );
    await expectFailure(await folder(tmp.dir, "junk", draft(), { "master.wav": Buffer.from([0, 1, 2, 3, 0, 0xff]), "art/cover.png": PNG }), "MimeMismatchError", (e) =>
      expect(e.details.sniffed).to.equal(null),
    );
    const sized = draft();
    (sized as any).audio.size = 5;
    await expectFailure(await folder(tmp.dir, "size", sized, { "master.wav": wav(10), "art/cover.png": PNG }), "SizeMismatchError");
  });

  it("behavior: a failure after files were stored removes the pins it made, keeps older ones", async () => {
    const audio = wav(300_000);
    const kept = await store.add(PNG); // pinned before the attempt: must stay pinned
    const dir = await folder(tmp.dir, "late", draft(), { "master.wav": audio, "art/cover.png": PNG });
    // The real store, except that storing the metadata (the last add, from bytes) fails.
    const failing: ContentStore = {
      kind: store.kind,
      add: async (content, opts) => {
        if (content instanceof Uint8Array) throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
        return store.add(content, opts);
      },
      cat: (cid, o) => store.cat(cid, o),
      catBytes: (cid, m, o) => store.catBytes(cid, m, o),
      stat: (cid, o) => store.stat(cid, o),
      size: (cid, o) => store.size(cid, o),
      has: (cid) => store.has(cid),
      pin: (cid) => store.pin(cid),
      unpin: (cid) => store.unpin(cid),
      isPinned: (cid) => store.isPinned(cid),
      listPins: () => store.listPins(),
      close: async () => undefined,
    };
    try {
      await packageWork(dir, failing);
      expect.fail("expected PackageStoreError");
    } catch (err) {
      expect((err as Error).name).to.equal("PackageStoreError");
    }
    const audioCid = await onlyHash.of(audio);
    expect(await store.has(audioCid), "the file was stored before the failure").to.equal(true);
    expect(await store.isPinned(audioCid)).to.equal(false);
    expect(await store.isPinned(kept.cid)).to.equal(true);
  });

  it("behavior: a 160 MiB master is streamed, not buffered (bounded memory growth)", async () => {
    const dir = await folder(tmp.dir, "big", draft(), { "art/cover.png": PNG });
    const size = 160 * 1024 * 1024;
    const fh = await open(path.join(dir, "master.wav"), "w");
    await fh.write(wav(1 << 20));
    const block = Buffer.from(pseudoRandomBytes(1 << 20, 77));
    for (let at = (1 << 20) + 44; at < size; at += block.length) {
      block.writeUInt32BE(at, 0); // distinct chunks
      await fh.write(block, 0, Math.min(block.length, size - at));
    }
    await fh.close();
    global.gc?.();
    const start = process.memoryUsage();
    let peakRss = start.rss;
    let peakExternal = start.external + start.arrayBuffers;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
    }, 5);
    const result = await packageWork(dir, store);
    clearInterval(timer);
    expect(result.files[0]!.size).to.equal(size);
    const growthMb = (peakRss - start.rss) / 1024 / 1024;
    expect(growthMb, `RSS grew by ${growthMb.toFixed(0)} MB for a 160 MB file`).to.be.lessThan(80);
  });
});
