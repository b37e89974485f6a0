/**
 * The licence fingerprint written into a delivered copy, without re-encoding: the delivered file
 * is the original bytes plus a metadata chunk (and, for WAV, the RIFF size updated). Described
 * as segments so that range requests and streaming never build the file in memory.
 *
 * - WAV: a `LIST`/`INFO` chunk appended at the end of the RIFF (ICMT = licence and licensee,
 *   ISRC-style fields untouched); the RIFF size at bytes 4–7 is rewritten.
 * - PNG: `tEXt` chunks (`tantieme:licence`, `tantieme:licensee`) inserted right after IHDR.
 * Other formats are delivered unchanged (`stamp: "none"`).
 */
import { crc32 } from "node:zlib";

export type Segment = { kind: "source"; start: number; end: number } | { kind: "bytes"; data: Buffer };

export interface StampPlan {
  stamp: "wav-list-info" | "png-text" | "none";
  segments: Segment[];
  size: number;
}

export interface Fingerprint {
  licenceId: string | null;
  recipient: string;
  workId: string;
}

/** How many leading bytes of the file the planner needs. */
export const STAMP_HEAD_BYTES = 64;

function fingerprintText(f: Fingerprint): string {
  return `tantieme work ${f.workId}; ${f.licenceId ? `licence ${f.licenceId}` : "rights holder copy"}; delivered to ${f.recipient}`;
}

function plan(segments: Segment[], stamp: StampPlan["stamp"]): StampPlan {
  const size = segments.reduce((n, s) => n + (s.kind === "bytes" ? s.data.length : s.end - s.start), 0);
  return { stamp, segments: segments.filter((s) => (s.kind === "bytes" ? s.data.length > 0 : s.end > s.start)), size };
}

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

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0, 0);
  return Buffer.concat([len, typeAndData, crc]);
}

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The delivered copy of a file of `size` bytes starting with `head`, for this fingerprint. */
export function planStamp(mimeType: string, head: Uint8Array, size: number, f: Fingerprint): StampPlan {
  const h = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const whole = plan([{ kind: "source", start: 0, end: size }], "none");
  if ((mimeType === "audio/wav" || mimeType === "audio/x-wav" || mimeType === "audio/wave") && h.length >= 12 && h.toString("ascii", 0, 4) === "RIFF" && h.toString("ascii", 8, 12) === "WAVE") {
    // Only a well-formed RIFF whose size field covers exactly the file (even length) is extended.
    if (h.readUInt32LE(4) + 8 !== size || size % 2 !== 0) return whole;
    const info = wavInfoChunk(f);
    const riffSize = Buffer.alloc(4);
    riffSize.writeUInt32LE(size - 8 + info.length, 0);
    if (size - 8 + info.length > 0xffff_ffff) return whole;
    return plan([{ kind: "source", start: 0, end: 4 }, { kind: "bytes", data: riffSize }, { kind: "source", start: 8, end: size }, { kind: "bytes", data: info }], "wav-list-info");
  }
  if (mimeType === "image/png" && h.length >= 33 && h.subarray(0, 8).equals(PNG_SIG) && h.toString("ascii", 12, 16) === "IHDR" && h.readUInt32BE(8) === 13) {
    const text = (k: string, v: string) => pngChunk("tEXt", Buffer.concat([Buffer.from(k, "latin1"), Buffer.alloc(1), Buffer.from(v, "latin1")]));
    const chunks = Buffer.concat([text("tantieme:licence", f.licenceId ?? "rights holder copy"), text("tantieme:licensee", f.recipient), text("Comment", fingerprintText(f))]);
    return plan([{ kind: "source", start: 0, end: 33 }, { kind: "bytes", data: chunks }, { kind: "source", start: 33, end: size }], "png-text");
  }
  return whole;
}
