import { expect } from "chai";
import { crc32, inflateSync } from "node:zlib";
import jpeg from "jpeg-js";
import { parseBuffer } from "music-metadata";
import { bufferSource, piecesOf, planStamp, windowedSource, type Fingerprint, type StampPlan, type StampSource } from "../../../server/src/delivery/stamp";
import { renderPng, renderWav } from "../../../scripts/stack/demo-media";
import { id3Tag, mp3Frames, renderFlac, renderJpeg, tone } from "./media";

const F: Fingerprint = { licenceId: "42", recipient: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", workId: "7" };
const F2: Fingerprint = { licenceId: "1234", recipient: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", workId: "7" };
const text = (f: Fingerprint) => `tantieme work ${f.workId}; licence ${f.licenceId}; delivered to ${f.recipient}`;

function assemble(original: Buffer, plan: StampPlan): Buffer {
  const out = Buffer.concat(plan.segments.map((s) => (s.kind === "bytes" ? s.data : original.subarray(s.start, s.end))));
  expect(out.length).to.equal(plan.size);
  return out;
}

/** The plan applied to the original, and the copy. */
async function stamp(mimeType: string, original: Buffer, f: Fingerprint = F): Promise<{ plan: StampPlan; out: Buffer }> {
  const plan = await planStamp(mimeType, bufferSource(original), f);
  return { plan, out: assemble(original, plan) };
}

/**
 * Range reads of the stamped copy through piecesOf (what the handler streams for a Range
 * request) equal the same bytes of the assembled copy: every range that starts or ends at, just
 * before or just after a segment edge, and the first and last bytes.
 */
function expectRanges(original: Buffer, plan: StampPlan, out: Buffer): void {
  const edges = [0];
  for (const s of plan.segments) edges.push(edges.at(-1)! + (s.kind === "bytes" ? s.data.length : s.end - s.start));
  const points = [...new Set(edges.flatMap((e) => [e - 1, e, e + 1]).filter((p) => p >= 0 && p <= out.length))].sort((a, b) => a - b);
  for (const start of points)
    for (const end of points) {
      if (end <= start) continue;
      const got = Buffer.concat([...piecesOf(plan, start, end)].map((p) => (p.kind === "bytes" ? p.data : original.subarray(p.start, p.end))));
      expect(got.equals(out.subarray(start, end)), `bytes ${start}-${end - 1}`).to.equal(true);
    }
}

function pngChunks(b: Buffer): { type: string; data: Buffer }[] {
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < b.length; ) {
    const len = b.readUInt32BE(at);
    const type = b.toString("ascii", at + 4, at + 8);
    const data = b.subarray(at + 8, at + 8 + len);
    expect(b.readUInt32BE(at + 8 + len), `CRC of ${type}`).to.equal(crc32(b.subarray(at + 4, at + 8 + len)) >>> 0);
    out.push({ type, data });
    at += 12 + len;
  }
  return out;
}

function riffChunks(b: Buffer): { id: string; data: Buffer }[] {
  expect(b.toString("ascii", 0, 4)).to.equal("RIFF");
  expect(b.readUInt32LE(4) + 8).to.equal(b.length);
  const out: { id: string; data: Buffer }[] = [];
  for (let at = 12; at < b.length; ) {
    const id = b.toString("ascii", at, at + 4);
    const len = b.readUInt32LE(at + 4);
    out.push({ id, data: b.subarray(at + 8, at + 8 + len) });
    at += 8 + len + (len % 2);
  }
  return out;
}

describe("server/delivery: licence stamps without re-encoding", function () {
  it("default: a WAV gets a LIST/INFO chunk naming licence and licensee; audio chunks unchanged; RIFF size right", async function () {
    const wav = renderWav({ notes: [60, 64], beatMs: 50 });
    const { plan, out } = await stamp("audio/wav", wav);
    expect(plan.stamp).to.equal("wav-list-info");
    expectRanges(wav, plan, out);
    const chunks = riffChunks(out);
    expect(chunks.map((c) => c.id)).to.deep.equal([...riffChunks(wav).map((c) => c.id), "LIST"]);
    expect(chunks.find((c) => c.id === "data")!.data.equals(riffChunks(wav).find((c) => c.id === "data")!.data)).to.equal(true);
    const list = chunks.at(-1)!.data.toString("latin1");
    expect(list.startsWith("INFOICMT")).to.equal(true);
    expect(list).to.contain("licence 42").and.to.contain(F.recipient).and.to.contain("work 7");
  });

  it("default: a PNG gets tEXt chunks after IHDR, every CRC valid, image data unchanged", async function () {
    const png = renderPng(32, 16, 120);
    const { plan, out } = await stamp("image/png", png);
    expect(plan.stamp).to.equal("png-text");
    const chunks = pngChunks(out);
    expect(chunks[0]!.type).to.equal("IHDR");
    const texts = chunks.filter((c) => c.type === "tEXt").map((c) => c.data.toString("latin1").split("\0"));
    expect(texts).to.deep.include(["tantieme:licence", "42"]);
    expect(texts).to.deep.include(["tantieme:licensee", F.recipient]);
    const idat = (cs: { type: string; data: Buffer }[]) => inflateSync(Buffer.concat(cs.filter((c) => c.type === "IDAT").map((c) => c.data)));
    expect(idat(chunks).equals(idat(pngChunks(png)))).to.equal(true);
  });

  it("behavior: a stamped WAV or PNG stamped again carries only the new fingerprint", async function () {
    const wav = renderWav({ notes: [60, 64], beatMs: 50 });
    const wavOnce = (await stamp("audio/wav", wav)).out;
    const { plan, out } = await stamp("audio/wav", wavOnce, F2);
    expect(riffChunks(out).map((c) => c.id)).to.deep.equal([...riffChunks(wav).map((c) => c.id), "LIST"]);
    expect(riffChunks(out).at(-1)!.data.toString("latin1")).to.contain(text(F2)).and.not.to.contain("licence 42");
    expectRanges(wavOnce, plan, out);
    const png = renderPng(16, 16, 30);
    const pngOnce = (await stamp("image/png", png)).out;
    const again = await stamp("image/png", pngOnce, F2);
    const texts = pngChunks(again.out).filter((c) => c.type === "tEXt").map((c) => c.data.toString("latin1").split("\0"));
    expect(texts).to.deep.equal([["tantieme:licence", "1234"], ["tantieme:licensee", F2.recipient], ["Comment", text(F2)]]);
    expect(pngChunks(again.out).map((c) => c.type)).to.deep.equal(pngChunks(pngOnce).map((c) => c.type));
    expectRanges(pngOnce, again.plan, again.out);
  });

  it("behavior: other formats, and WAVs whose RIFF size does not cover the file, are delivered unchanged", async function () {
    const wav = renderWav({ notes: [60], beatMs: 50 });
    const trailing = Buffer.concat([wav, Buffer.alloc(2)]);
    expect(await planStamp("audio/wav", bufferSource(trailing), F)).to.deep.include({ stamp: "none", size: trailing.length });
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(991)]);
    expect(await planStamp("application/pdf", bufferSource(pdf), F)).to.deep.include({ stamp: "none", size: 1000 });
    expect((await planStamp("image/png", bufferSource(Buffer.from("not a png at all, but long enough to be checked by the planner")), F)).stamp).to.equal("none");
  });

  describe("FLAC: Vorbis comments", function () {
    /** The metadata blocks as (type, last flag), read from the copy's headers. */
    function flacBlocks(b: Buffer): { type: number; last: boolean }[] {
      expect(b.toString("ascii", 0, 4)).to.equal("fLaC");
      const out: { type: number; last: boolean }[] = [];
      for (let at = 4; ; ) {
        out.push({ type: b[at]! & 0x7f, last: (b[at]! & 0x80) !== 0 });
        if (out.at(-1)!.last) return out;
        at += 4 + b.readUIntBE(at + 1, 3);
      }
    }
    const vorbis = async (b: Buffer) => (await parseBuffer(b, { mimeType: "audio/flac" })).native.vorbis!.map((t) => [t.id, t.value]);

    it("default: a FLAC without comments gets a VORBIS_COMMENT block after STREAMINFO, which is no longer last; frames unchanged", async function () {
      const { file, frames } = renderFlac();
      const { plan, out } = await stamp("audio/flac", file);
      expect(plan.stamp).to.equal("flac-vorbis-comment");
      expect(flacBlocks(file)).to.deep.equal([{ type: 0, last: true }]);
      expect(flacBlocks(out)).to.deep.equal([{ type: 0, last: false }, { type: 4, last: true }]);
      expect(out.subarray(out.length - frames.length).equals(frames)).to.equal(true);
      expect(out.subarray(8, 42).equals(file.subarray(8, 42)), "STREAMINFO body").to.equal(true);
      const meta = await parseBuffer(out, { mimeType: "audio/flac" });
      expect(meta.native.vorbis!.map((t) => [t.id, t.value])).to.deep.equal([
        ["TANTIEME_LICENCE", "42"], ["TANTIEME_LICENSEE", F.recipient], ["TANTIEME_WORK", "7"], ["COMMENT", text(F)],
      ]);
      expect(meta.format).to.include({ sampleRate: 44_100, bitsPerSample: 16, numberOfChannels: 1, duration: 1024 / 44_100 });
      expectRanges(file, plan, out);
    });

    it("behavior: an existing VORBIS_COMMENT block is extended in place (vendor and comments kept, padding stays last)", async function () {
      const { file, frames } = renderFlac({ comments: ["TITLE=Harbour Lights", "COMMENT=mixed at home"], padding: 64 });
      const { plan, out } = await stamp("audio/flac", file);
      expect(plan.stamp).to.equal("flac-vorbis-comment");
      expect(flacBlocks(out)).to.deep.equal([{ type: 0, last: false }, { type: 4, last: false }, { type: 1, last: true }]);
      expect(await vorbis(out)).to.deep.equal([
        ["TITLE", "Harbour Lights"], ["COMMENT", "mixed at home"], ["TANTIEME_LICENCE", "42"], ["TANTIEME_LICENSEE", F.recipient], ["TANTIEME_WORK", "7"], ["COMMENT", text(F)],
      ]);
      expect(out.subarray(out.length - frames.length).equals(frames)).to.equal(true);
      expectRanges(file, plan, out);
    });

    it("behavior: a stamped copy stamped again names only the new licence", async function () {
      const { file, frames } = renderFlac({ comments: ["TITLE=Harbour Lights", "COMMENT=mixed at home"] });
      const once = (await stamp("audio/flac", file)).out;
      const { plan, out } = await stamp("audio/flac", once, F2);
      expect(await vorbis(out)).to.deep.equal([
        ["TITLE", "Harbour Lights"], ["COMMENT", "mixed at home"], ["TANTIEME_LICENCE", "1234"], ["TANTIEME_LICENSEE", F2.recipient], ["TANTIEME_WORK", "7"], ["COMMENT", text(F2)],
      ]);
      expect(out.subarray(out.length - frames.length).equals(frames)).to.equal(true);
      expectRanges(once, plan, out);
      // a bare FLAC stamped twice: still one Vorbis block, the second delivery's fields only
      const twice = (await stamp("audio/flac", (await stamp("audio/flac", renderFlac().file)).out, F2)).out;
      expect(flacBlocks(twice).map((b) => b.type)).to.deep.equal([0, 4]);
      expect((await vorbis(twice)).map(([k]) => k)).to.deep.equal(["TANTIEME_LICENCE", "TANTIEME_LICENSEE", "TANTIEME_WORK", "COMMENT"]);
    });

    it("error: truncated or malformed metadata is delivered unchanged", async function () {
      const { file } = renderFlac({ comments: ["TITLE=x"] });
      const cases: [string, Buffer][] = [
        ["cut inside STREAMINFO", file.subarray(0, 20)],
        ["cut inside the comment block", file.subarray(0, 50)],
        ["first block not STREAMINFO", Buffer.concat([file.subarray(0, 4), Buffer.from([file[4]! | 1]), file.subarray(5)])],
        ["block length past the file", Buffer.concat([file.subarray(0, 42), Buffer.from([0x84, 0x7f, 0xff, 0xff]), file.subarray(46)])],
        ["no frame sync after the metadata", Buffer.concat([renderFlac().file.subarray(0, 42), Buffer.from("garbage after the metadata")])],
        ["comment count larger than the block", (() => { const b = Buffer.from(file); b.writeUInt32LE(5, 46 + b.readUInt32LE(46) + 4); return b; })()],
        ["not a FLAC", Buffer.from("fLaX and more bytes")],
      ];
      for (const [name, b] of cases) expect(await planStamp("audio/flac", bufferSource(b), F), name).to.deep.include({ stamp: "none", size: b.length });
      // two VORBIS_COMMENT blocks (the spec allows one): not made worse
      const vc = file.subarray(42, 42 + 4 + file.readUIntBE(43, 3));
      const two = Buffer.concat([file.subarray(0, 42), Buffer.from([vc[0]! & 0x7f]), vc.subarray(1), vc, file.subarray(42 + vc.length)]);
      expect((await planStamp("audio/flac", bufferSource(two), F)).stamp).to.equal("none");
    });
  });

  describe("MP3: ID3v2 TXXX and COMM", function () {
    const native = async (b: Buffer) => (await parseBuffer(b, { mimeType: "audio/mpeg" })).native;
    const ours = (f: Fingerprint) => [
      { id: "TXXX:TANTIEME_LICENCE", value: f.licenceId },
      { id: "TXXX:TANTIEME_LICENSEE", value: f.recipient },
      { id: "TXXX:TANTIEME_WORK", value: f.workId },
      { id: "COMM", value: { language: "eng", descriptor: "tantieme", text: text(f) } },
    ];

    it("default: an MP3 without a tag gets an ID3v2.4 tag prepended; the frames follow unchanged", async function () {
      const audio = mp3Frames(12);
      const { plan, out } = await stamp("audio/mpeg", audio);
      expect(plan.stamp).to.equal("mp3-id3v2");
      expect(out.subarray(0, 4).equals(Buffer.from([0x49, 0x44, 0x33, 4]))).to.equal(true);
      expect(out.subarray(out.length - audio.length).equals(audio)).to.equal(true);
      expect(await native(out)).to.deep.equal({ "ID3v2.4": ours(F) });
      const before = await parseBuffer(audio, { mimeType: "audio/mpeg" });
      const after = await parseBuffer(out, { mimeType: "audio/mpeg" });
      expect(after.format.duration).to.equal(before.format.duration);
      expect(after.common.comment).to.deep.equal([{ language: "eng", descriptor: "tantieme", text: text(F) }]);
      expectRanges(audio, plan, out);
    });

    for (const version of [3, 4] as const) {
      it(`behavior: an ID3v2.${version} tag gets our frames first (same version), its frames and padding kept, its size rewritten`, async function () {
        const tag = id3Tag(version, [["TIT2", "Harbour Lights"], ["TPE1", "Ada Marlowe"]], { padding: 32 });
        const audio = mp3Frames(4);
        const file = Buffer.concat([tag, audio]);
        const { plan, out } = await stamp("audio/mpeg", file);
        expect(plan.stamp).to.equal("mp3-id3v2");
        expect(out[3]).to.equal(version);
        expect(await native(out)).to.deep.equal({ [`ID3v2.${version}`]: [...ours(F), { id: "TIT2", value: "Harbour Lights" }, { id: "TPE1", value: "Ada Marlowe" }] });
        expect(out.subarray(out.length - audio.length).equals(audio)).to.equal(true);
        expect(out.subarray(out.length - audio.length - tag.length + 10, out.length - audio.length).equals(tag.subarray(10)), "old frames and padding").to.equal(true);
        expectRanges(file, plan, out);
      });
    }

    it("behavior: an ID3v2.4 tag with a footer gets the new size in header and footer", async function () {
      const tag = id3Tag(4, [["TIT2", "Harbour Lights"]], { flags: 0x10 });
      const audio = mp3Frames(3);
      const file = Buffer.concat([tag, audio]);
      const { plan, out } = await stamp("audio/mpeg", file);
      expect(plan.stamp).to.equal("mp3-id3v2");
      const size = out.length - audio.length - 20;
      const footer = out.subarray(out.length - audio.length - 10, out.length - audio.length);
      expect(footer.toString("latin1", 0, 3)).to.equal("3DI");
      expect(footer.subarray(3).equals(out.subarray(3, 10))).to.equal(true);
      expect((out[6]! << 21) | (out[7]! << 14) | (out[8]! << 7) | out[9]!).to.equal(size);
      expect(await native(out)).to.deep.equal({ "ID3v2.4": [...ours(F), { id: "TIT2", value: "Harbour Lights" }] });
      expect(out.subarray(out.length - audio.length).equals(audio)).to.equal(true);
      expectRanges(file, plan, out);
    });

    it("behavior: a stamped copy stamped again names only the new licence (v2.3 and v2.4, with or without a tag before)", async function () {
      for (const file of [mp3Frames(3), Buffer.concat([id3Tag(3, [["TIT2", "Harbour Lights"]], { padding: 10 }), mp3Frames(3)])]) {
        const once = (await stamp("audio/mpeg", file)).out;
        const { plan, out } = await stamp("audio/mpeg", once, F2);
        const tags = Object.values(await native(out))[0]!;
        expect(tags.filter((t) => t.id !== "TIT2")).to.deep.equal(ours(F2));
        expect(out.length).to.equal(once.length + 4); // "1234" replaces "42" twice (TXXX, COMM): nothing else added
        expect(out.subarray(out.length - 3 * 417).equals(file.subarray(file.length - 3 * 417))).to.equal(true);
        expectRanges(once, plan, out);
      }
    });

    it("error: tags it cannot rewrite safely, truncated tags and non-MPEG data are delivered unchanged", async function () {
      const audio = mp3Frames(2);
      const tag = (version: number, flags: number) => { const t = id3Tag(4, [["TIT2", "x"]]); t[3] = version; t[5] = flags; return Buffer.concat([t, audio]); };
      const cases: [string, Buffer][] = [
        ["unsynchronisation", tag(4, 0x80)],
        ["extended header", tag(4, 0x40)],
        ["footer flag without a footer", tag(4, 0x10)],
        ["footer that does not match the header", (() => { const b = Buffer.concat([id3Tag(4, [["TIT2", "x"]], { flags: 0x10 }), audio]); b[b.length - audio.length - 1] ^= 1; return b; })()],
        ["undefined flag bit", tag(4, 0x01)],
        ["ID3v2.2", tag(2, 0)],
        ["size not syncsafe", (() => { const b = tag(4, 0); b[9] = 0x80; return b; })()],
        ["tag past the end of the file", id3Tag(4, [["TIT2", "a long title that is cut"]]).subarray(0, 20)],
        ["truncated header", Buffer.from("ID3\x04\x00", "latin1")],
        ["not MPEG audio", Buffer.from("RIFF....WAVE but called audio/mpeg")],
      ];
      for (const [name, b] of cases) expect(await planStamp("audio/mpeg", bufferSource(b), F), name).to.deep.include({ stamp: "none", size: b.length });
    });
  });

  describe("JPEG: COM segment", function () {
    /** Markers of the segments before the scan. */
    function markers(b: Buffer): number[] {
      const out: number[] = [];
      for (let at = 2; ; ) {
        const m = b[at + 1]!;
        out.push(m);
        if (m === 0xda) return out;
        at += 2 + b.readUInt16BE(at + 2);
      }
    }
    const DQT = 0xdb;

    it("default: the COM goes after JFIF APP0 and Exif APP1, before the tables; image and Exif unchanged", async function () {
      const file = renderJpeg(48, 32, { exif: true });
      const { plan, out } = await stamp("image/jpeg", file);
      expect(plan.stamp).to.equal("jpeg-com");
      expect(markers(out)).to.deep.equal([0xe0, 0xe1, 0xfe, ...markers(file).slice(2)]);
      // jpeg-js returns the Exif payload too; its typings leave it out
      const before = jpeg.decode(file, { useTArray: true }) as ReturnType<typeof jpeg.decode> & { exifBuffer?: Uint8Array };
      const after = jpeg.decode(out, { useTArray: true }) as ReturnType<typeof jpeg.decode> & { exifBuffer?: Uint8Array };
      expect(after.comments).to.deep.equal([text(F)]);
      expect(Buffer.from(after.exifBuffer!).equals(Buffer.from(before.exifBuffer!))).to.equal(true);
      expect(Buffer.from(after.data).equals(Buffer.from(before.data)), "pixels").to.equal(true);
      const tables = file.indexOf(Buffer.from([0xff, DQT]));
      expect(out.subarray(out.length - (file.length - tables)).equals(file.subarray(tables)), "tables and scan").to.equal(true);
      expectRanges(file, plan, out);
    });

    it("behavior: a creator's COM is kept; a stamped copy stamped again carries only the new fingerprint", async function () {
      const file = renderJpeg(16, 16, { comments: ["shot by Ada"], exif: true });
      const once = (await stamp("image/jpeg", file)).out;
      expect(jpeg.decode(once).comments).to.deep.equal([text(F), "shot by Ada"]);
      const { plan, out } = await stamp("image/jpeg", once, F2);
      expect(jpeg.decode(out).comments).to.deep.equal([text(F2), "shot by Ada"]);
      expect(markers(out)).to.deep.equal(markers(once));
      expectRanges(once, plan, out);
      const bare = (await stamp("image/jpeg", (await stamp("image/jpeg", renderJpeg(8, 8))).out, F2)).out;
      expect(jpeg.decode(bare).comments).to.deep.equal([text(F2)]);
    });

    it("behavior: many leading APPn segments are walked (no segment split); past the walk limit the file is unchanged", async function () {
      const file = renderJpeg(8, 8);
      const withApps = (n: number) => Buffer.concat([file.subarray(0, 2), ...Array.from({ length: n }, () => Buffer.from([0xff, 0xe5, 0, 4, 0xab, 0xcd])), file.subarray(2)]);
      const { plan, out } = await stamp("image/jpeg", withApps(200));
      expect(plan.stamp).to.equal("jpeg-com");
      const m = markers(out);
      expect(m.indexOf(0xfe)).to.equal(201); // 200 APP5 + APP0, then ours
      expect(jpeg.decode(out).comments).to.deep.equal([text(F)]);
      expect((await planStamp("image/jpeg", bufferSource(withApps(300)), F)).stamp).to.equal("none");
    });

    it("error: truncated or malformed segments are delivered unchanged", async function () {
      const file = renderJpeg(8, 8);
      const cases: [string, Buffer][] = [
        ["SOI only", file.subarray(0, 3)],
        ["cut inside APP0", file.subarray(0, 12)],
        ["cut right after APP0", file.subarray(0, 20)],
        ["APP0 length past the file", (() => { const b = Buffer.from(file.subarray(0, 100)); b.writeUInt16BE(0xfff0, 4); return b; })()],
        ["a standalone marker where a segment belongs", Buffer.concat([file.subarray(0, 20), Buffer.from([0xff, 0xd8]), file.subarray(20)])],
        ["APP length below 2", (() => { const b = Buffer.from(file); b.writeUInt16BE(1, 4); return b; })()],
        ["not a JPEG", Buffer.from("\xff\xd8 but then nothing like a marker", "latin1")],
      ];
      for (const [name, b] of cases) expect(await planStamp("image/jpeg", bufferSource(b), F), name).to.deep.include({ stamp: "none", size: b.length });
    });
  });

  describe("never a broken file", function () {
    /**
     * Each header byte set to 0xff, then to 0x00: either "none", or (when the reader still reads
     * the corrupted original) a copy in which it finds our fields.
     */
    async function corruptEach(mimeType: string, file: Buffer, headerEnd: number, reads: (b: Buffer) => Promise<unknown>, check: (out: Buffer) => Promise<void>): Promise<{ stamped: number; none: number }> {
      const tally = { stamped: 0, none: 0 };
      for (let at = 0; at < headerEnd; at++)
        for (const v of [0xff, 0x00]) {
          if (file[at] === v) continue;
          const bad = Buffer.from(file);
          bad[at] = v;
          const plan = await planStamp(mimeType, bufferSource(bad), F);
          if (plan.stamp === "none") {
            expect(plan.size).to.equal(bad.length);
            tally.none++;
            continue;
          }
          tally.stamped++;
          if (!(await reads(bad).then(() => true, () => false))) continue;
          await check(assemble(bad, plan)).catch((err: Error) => { throw new Error(`byte ${at} = ${v}: ${err.message}`); });
        }
      return tally;
    }

    it("behavior: a corrupted FLAC header is refused or stamped into a copy whose one Vorbis block holds our fields", async function () {
      const { file, frames } = renderFlac({ samples: tone(256), comments: ["TITLE=x", "COMMENT=y"], padding: 8 });
      const tally = await corruptEach("audio/flac", file, file.length - frames.length + 6, (b) => parseBuffer(b, { mimeType: "audio/flac" }), async (out) => {
        const meta = await parseBuffer(out, { mimeType: "audio/flac" });
        const fields = meta.native.vorbis!.map((t) => [t.id, t.value]);
        expect(fields).to.deep.include.members([["TANTIEME_LICENCE", "42"], ["TANTIEME_LICENSEE", F.recipient], ["TANTIEME_WORK", "7"]]);
        expect(fields.filter(([k]) => k === "TANTIEME_LICENCE")).to.have.length(1);
      });
      expect(tally.stamped).to.be.greaterThan(0);
      expect(tally.none).to.be.greaterThan(0);
    });

    it("behavior: a corrupted ID3v2 tag is refused or stamped into a copy whose tag holds our frames first", async function () {
      const file = Buffer.concat([id3Tag(3, [["TIT2", "Harbour Lights"]], { padding: 8 }), mp3Frames(2)]);
      const tally = await corruptEach("audio/mpeg", file, 10 + 25 + 8 + 4, (b) => parseBuffer(b, { mimeType: "audio/mpeg" }), async (out) => {
        const tags = Object.values((await parseBuffer(out, { mimeType: "audio/mpeg" })).native)[0]!;
        expect(tags.slice(0, 3).map((t) => [t.id, t.value])).to.deep.equal([["TXXX:TANTIEME_LICENCE", "42"], ["TXXX:TANTIEME_LICENSEE", F.recipient], ["TXXX:TANTIEME_WORK", "7"]]);
      });
      expect(tally.stamped).to.be.greaterThan(0);
      expect(tally.none).to.be.greaterThan(0);
    });

    it("behavior: corrupted JPEG segment headers are refused or stamped into a copy jpeg-js decodes with our comment", async function () {
      const file = renderJpeg(16, 16, { exif: true });
      const dqt = file.indexOf(Buffer.from([0xff, 0xdb]));
      const tally = await corruptEach("image/jpeg", file, dqt + 4, async (b) => jpeg.decode(b), async (out) => {
        expect(jpeg.decode(out).comments).to.deep.equal([text(F)]);
      });
      expect(tally.stamped).to.be.greaterThan(0);
      expect(tally.none).to.be.greaterThan(0);
    });
  });

  describe("reading the original", function () {
    it("behavior: through windowedSource the plan is the same, and each window is read once", async function () {
      const file = Buffer.concat([id3Tag(4, Array.from({ length: 40 }, (_, i) => ["TXXX", `NOTE${i}\0value ${i}`] as [string, string]), { padding: 100 }), mp3Frames(4)]);
      const windows: number[] = [];
      const source = windowedSource(file.length, async (s, e) => { windows.push(s); return file.subarray(s, e); }, 256);
      const viaWindows = await planStamp("audio/mpeg", source, F);
      expect(viaWindows).to.deep.equal(await planStamp("audio/mpeg", bufferSource(file), F));
      expect(viaWindows.stamp).to.equal("mp3-id3v2");
      expect(new Set(windows).size).to.equal(windows.length);
      expect(windows.every((s) => s % 256 === 0)).to.equal(true);
    });

    it("error: a failing read (e.g. a ciphertext that does not authenticate) is thrown, not delivered unstamped", async function () {
      const file = renderFlac().file;
      const failing: StampSource = { size: file.length, read: async () => { throw new Error("chunk 0 does not authenticate"); } };
      let caught: unknown;
      try {
        await planStamp("audio/flac", failing, F);
      } catch (err) {
        caught = err;
      }
      expect((caught as Error | undefined)?.message).to.equal("chunk 0 does not authenticate");
    });

    it("args: declared MIME aliases are stamped like the canonical type", async function () {
      expect((await planStamp("audio/x-flac", bufferSource(renderFlac({ samples: tone(256) }).file), F)).stamp).to.equal("flac-vorbis-comment");
      expect((await planStamp("audio/mp3", bufferSource(mp3Frames(1)), F)).stamp).to.equal("mp3-id3v2");
      expect((await planStamp("image/jpg", bufferSource(renderJpeg(8, 8)), F)).stamp).to.equal("jpeg-com");
    });
  });
});
