/**
 * WAV and PNG stamps.
 *
 * - WAV: a `LIST`/`INFO` chunk appended at the end of the RIFF (ICMT = the fingerprint, ISFT);
 *   the RIFF size at bytes 4–7 is rewritten. Only when the RIFF size covers the file exactly.
 * - PNG: `tEXt` chunks (`tantieme:licence`, `tantieme:licensee`, `Comment`) right after IHDR.
 */
import { crc32 } from "node:zlib";
import { fingerprintText, plan, type Fingerprint, type StampPlan, type StampReader } from "./plan";

function wavInfoChunk(f: Fingerprint): Buffer {
  const sub = (id: string, text: string) => {
    let data = Buffer.from(`${text}\0`, "latin1");
    if (data.length % 2) data = Buffer.concat([data, Buffer.alloc(1)]);
    const h = Buffer.alloc(8);
    h.write(id, 0, "ascii");
    h.writeUInt32LE(data.length, 4);
    return Buffer.concat([h, data]);
  };
  const body = Buffer.concat([Buffer.from("INFO", "ascii"), sub("ICMT", fingerprintText(f)), sub("ISFT", "tantieme licensed delivery")]);
  const h = Buffer.alloc(8);
  h.write("LIST", 0, "ascii");
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
}

export async function stampWav(r: StampReader, f: Fingerprint): Promise<StampPlan | null> {
  const size = r.size;
  const h = await r.upTo(0, 12);
  if (h.length < 12 || h.toString("ascii", 0, 4) !== "RIFF" || h.toString("ascii", 8, 12) !== "WAVE") return null;
  // Only a well-formed RIFF whose size field covers exactly the file (even length) is extended.
  if (h.readUInt32LE(4) + 8 !== size || size % 2 !== 0) return null;
  const info = wavInfoChunk(f);
  if (size - 8 + info.length > 0xffff_ffff) return null;
  const riffSize = Buffer.alloc(4);
  riffSize.writeUInt32LE(size - 8 + info.length, 0);
  return plan([{ kind: "source", start: 0, end: 4 }, { kind: "bytes", data: riffSize }, { kind: "source", start: 8, end: size }, { kind: "bytes", data: info }], "wav-list-info");
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0, 0);
  return Buffer.concat([len, typeAndData, crc]);
}

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function stampPng(r: StampReader, f: Fingerprint): Promise<StampPlan | null> {
  const h = await r.upTo(0, 33);
  if (h.length < 33 || !h.subarray(0, 8).equals(PNG_SIG) || h.toString("ascii", 12, 16) !== "IHDR" || h.readUInt32BE(8) !== 13) return null;
  const text = (k: string, v: string) => pngChunk("tEXt", Buffer.concat([Buffer.from(k, "latin1"), Buffer.alloc(1), Buffer.from(v, "latin1")]));
  const chunks = Buffer.concat([text("tantieme:licence", f.licenceId ?? "rights holder copy"), text("tantieme:licensee", f.recipient), text("Comment", fingerprintText(f))]);
  return plan([{ kind: "source", start: 0, end: 33 }, { kind: "bytes", data: chunks }, { kind: "source", start: 33, end: r.size }], "png-text");
}
