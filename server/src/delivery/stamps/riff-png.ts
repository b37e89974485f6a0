/**
 * WAV and PNG stamps.
 *
 * - WAV: a `LIST`/`INFO` chunk appended at the end of the RIFF (ICMT = the fingerprint, ISFT);
 *   the RIFF size at bytes 4–7 is rewritten. Only when the RIFF size covers the file exactly.
 * - PNG: `tEXt` chunks (`tantieme:licence`, `tantieme:licensee`, `Comment`) right after IHDR.
 * An earlier delivery's chunks (found by walking the chunk headers) are dropped.
 */
import { crc32 } from "node:zlib";
import { FINGERPRINT_PREFIX, fingerprintText, keep, NotStampable, plan, type Fingerprint, type StampPlan, type StampReader } from "./plan";

const MAX_CHUNKS = 1024;

function infoSub(id: string, text: string): Buffer {
  let data = Buffer.from(`${text}\0`, "latin1");
  if (data.length % 2) data = Buffer.concat([data, Buffer.alloc(1)]);
  const h = Buffer.alloc(8);
  h.write(id, 0, "ascii");
  h.writeUInt32LE(data.length, 4);
  return Buffer.concat([h, data]);
}

/** The last sub-chunk of our LIST/INFO: how an earlier delivery's chunk is recognised. */
const ISFT_SUB = infoSub("ISFT", "tantieme licensed delivery");

function wavInfoChunk(f: Fingerprint): Buffer {
  const body = Buffer.concat([Buffer.from("INFO", "ascii"), infoSub("ICMT", fingerprintText(f)), ISFT_SUB]);
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
  // An earlier delivery's LIST/INFO: ours has exactly ICMT (the fingerprint) and ISFT.
  const drop: [number, number][] = [];
  for (let at = 12, n = 0; at < size; n++) {
    if (n === MAX_CHUNKS) throw new NotStampable("too many RIFF chunks");
    const c = await r.bytes(at, 8);
    const end = at + 8 + c.readUInt32LE(4) + (c.readUInt32LE(4) % 2);
    if (end > size) throw new NotStampable("RIFF chunk runs past the end of the file");
    if (c.toString("ascii", 0, 4) === "LIST" && end - at <= 512) {
      const body = await r.bytes(at + 8, end - at - 8);
      const icmt = body.length >= 12 && body.toString("latin1", 0, 8) === "INFOICMT" ? body.toString("latin1", 12, 12 + FINGERPRINT_PREFIX.length) : "";
      if (icmt === FINGERPRINT_PREFIX && body.subarray(body.length - ISFT_SUB.length).equals(ISFT_SUB)) drop.push([at, end]);
    }
    at = end;
  }
  const dropped = drop.reduce((n, [s, e]) => n + e - s, 0);
  const info = wavInfoChunk(f);
  const riff = size - 8 - dropped + info.length;
  if (riff > 0xffff_ffff) return null;
  const riffSize = Buffer.alloc(4);
  riffSize.writeUInt32LE(riff, 0);
  return plan([{ kind: "source", start: 0, end: 4 }, { kind: "bytes", data: riffSize }, ...keep(8, size, drop), { kind: "bytes", data: info }], "wav-list-info");
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
  // An earlier delivery's tEXt chunks, between IHDR and the first IDAT, are dropped.
  const drop: [number, number][] = [];
  for (let at = 33, n = 0; ; n++) {
    if (n === MAX_CHUNKS) throw new NotStampable("too many PNG chunks");
    const c = await r.bytes(at, 8);
    const type = c.toString("latin1", 4, 8);
    const end = at + 12 + c.readUInt32BE(0);
    if (end > r.size) throw new NotStampable("PNG chunk runs past the end of the file");
    if (type === "IDAT" || type === "IEND") break;
    if (type === "tEXt") {
      const data = await r.bytes(at + 8, Math.min(end - at - 12, 80));
      const z = data.indexOf(0);
      const keyword = z < 0 ? "" : data.toString("latin1", 0, z);
      if (keyword === "tantieme:licence" || keyword === "tantieme:licensee" || (keyword === "Comment" && data.toString("latin1", z + 1).startsWith(FINGERPRINT_PREFIX))) drop.push([at, end]);
    }
    at = end;
  }
  const text = (k: string, v: string) => pngChunk("tEXt", Buffer.concat([Buffer.from(k, "latin1"), Buffer.alloc(1), Buffer.from(v, "latin1")]));
  const chunks = Buffer.concat([text("tantieme:licence", f.licenceId ?? "rights holder copy"), text("tantieme:licensee", f.recipient), text("Comment", fingerprintText(f))]);
  return plan([{ kind: "source", start: 0, end: 33 }, { kind: "bytes", data: chunks }, ...keep(33, r.size, drop)], "png-text");
}
