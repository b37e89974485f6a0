import { expect } from "chai";
import { crc32, inflateSync } from "node:zlib";
import { planStamp, type StampPlan } from "../../../server/src/delivery/stamp";
import { renderPng, renderWav } from "../../../scripts/stack/demo-media";

const F = { licenceId: "42", recipient: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", workId: "7" };

function assemble(original: Buffer, plan: StampPlan): Buffer {
  const out = Buffer.concat(plan.segments.map((s) => (s.kind === "bytes" ? s.data : original.subarray(s.start, s.end))));
  expect(out.length).to.equal(plan.size);
  return out;
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
  it("default: a WAV gets a LIST/INFO chunk naming licence and licensee; audio chunks unchanged; RIFF size right", function () {
    const wav = renderWav({ notes: [60, 64], beatMs: 50 });
    const plan = planStamp("audio/wav", wav.subarray(0, 64), wav.length, F);
    expect(plan.stamp).to.equal("wav-list-info");
    const out = assemble(wav, plan);
    const chunks = riffChunks(out);
    expect(chunks.map((c) => c.id)).to.deep.equal([...riffChunks(wav).map((c) => c.id), "LIST"]);
    expect(chunks.find((c) => c.id === "data")!.data.equals(riffChunks(wav).find((c) => c.id === "data")!.data)).to.equal(true);
    const list = chunks.at(-1)!.data.toString("latin1");
    expect(list.startsWith("INFOICMT")).to.equal(true);
    expect(list).to.contain("licence 42").and.to.contain(F.recipient).and.to.contain("work 7");
  });

  it("default: a PNG gets tEXt chunks after IHDR, every CRC valid, image data unchanged", function () {
    const png = renderPng(32, 16, 120);
    const plan = planStamp("image/png", png.subarray(0, 64), png.length, F);
    expect(plan.stamp).to.equal("png-text");
    const chunks = pngChunks(assemble(png, plan));
    expect(chunks[0]!.type).to.equal("IHDR");
    const texts = chunks.filter((c) => c.type === "tEXt").map((c) => c.data.toString("latin1").split("\0"));
    expect(texts).to.deep.include(["tantieme:licence", "42"]);
    expect(texts).to.deep.include(["tantieme:licensee", F.recipient]);
    const idat = (cs: { type: string; data: Buffer }[]) => inflateSync(Buffer.concat(cs.filter((c) => c.type === "IDAT").map((c) => c.data)));
    expect(idat(chunks).equals(idat(pngChunks(png)))).to.equal(true);
  });

  it("behavior: other formats, and WAVs whose RIFF size does not cover the file, are delivered unchanged", function () {
    const wav = renderWav({ notes: [60], beatMs: 50 });
    const trailing = Buffer.concat([wav, Buffer.alloc(2)]);
    expect(planStamp("audio/wav", trailing.subarray(0, 64), trailing.length, F)).to.deep.include({ stamp: "none", size: trailing.length });
    expect(planStamp("application/pdf", Buffer.from("%PDF-1.7"), 1000, F)).to.deep.include({ stamp: "none", size: 1000 });
    expect(planStamp("image/png", Buffer.from("not a png at all, but long enough to be checked by the planner"), 70, F).stamp).to.equal("none");
  });
});
