/**
 * The licence fingerprint written into a delivered copy, without re-encoding: the delivered file
 * is the original bytes plus metadata in the format's own standard place (and the few header
 * bytes that count or point at it rewritten). Described as segments (source byte ranges and
 * inserted bytes) so that range requests and streaming never build the file in memory; the
 * planner reads only the headers it walks, through a bounded reader (STAMP_READ_BUDGET).
 *
 * - WAV: a `LIST`/`INFO` chunk appended (ICMT); the RIFF size rewritten (stamps/riff-png.ts).
 * - PNG: `tEXt` chunks `tantieme:licence`, `tantieme:licensee`, `Comment` after IHDR.
 * - FLAC: Vorbis comments TANTIEME_LICENCE / TANTIEME_LICENSEE / TANTIEME_WORK / COMMENT, in a
 *   new VORBIS_COMMENT block after STREAMINFO or in the existing one (stamps/flac.ts).
 * - MP3: ID3v2 TXXX frames (same three names) and a COMM "tantieme", in a prepended ID3v2.4 tag
 *   or at the front of an existing v2.3/v2.4 tag (stamps/id3.ts).
 * - JPEG: a COM segment after the leading APPn segments (stamps/jpeg.ts).
 * An earlier delivery's stamp (a re-uploaded copy) is replaced, not repeated. A file that is
 * not what its header promises, and every other format, is delivered unchanged (`stamp: "none"`);
 * a stamp never produces a file the format's readers would reject.
 */
import { normalizeMimeType } from "../../../core/metadata/mime";
import { stampFlac } from "./stamps/flac";
import { stampMp3 } from "./stamps/id3";
import { stampJpeg } from "./stamps/jpeg";
import { NotStampable, StampReader, unchanged, type Fingerprint, type Segment, type StampPlan, type StampSource } from "./stamps/plan";
import { stampPng, stampWav } from "./stamps/riff-png";

export { STAMP_READ_BUDGET, type Fingerprint, type Segment, type StampKind, type StampPlan, type StampSource } from "./stamps/plan";

const PLANNERS: Partial<Record<string, (r: StampReader, f: Fingerprint) => Promise<StampPlan | null>>> = {
  "audio/wav": stampWav,
  "image/png": stampPng,
  "audio/flac": stampFlac,
  "audio/mpeg": stampMp3,
  "image/jpeg": stampJpeg,
};

/**
 * The delivered copy of `source` (a file declared as `mimeType`) for this fingerprint. Errors of
 * the source itself (a failed decryption, a store that went away) are thrown, not hidden.
 */
export async function planStamp(mimeType: string, source: StampSource, f: Fingerprint): Promise<StampPlan> {
  const planner = PLANNERS[normalizeMimeType(mimeType) ?? ""];
  if (!planner) return unchanged(source.size);
  try {
    return (await planner(new StampReader(source), f)) ?? unchanged(source.size);
  } catch (err) {
    if (err instanceof NotStampable) return unchanged(source.size);
    throw err;
  }
}

/** A file held in memory, as a StampSource. */
export function bufferSource(b: Uint8Array): StampSource {
  return { size: b.byteLength, read: async (start, end) => b.subarray(start, end) };
}

/**
 * A StampSource over a ranged reader (the decrypting one in the delivery handler) that reads
 * whole aligned windows and keeps the last few, so a walk over many small headers in the same
 * chunk decrypts that chunk once.
 */
export function windowedSource(size: number, readRange: (start: number, end: number) => Promise<Uint8Array>, window = 64 * 1024, keepWindows = 4): StampSource {
  const cache = new Map<number, Promise<Uint8Array>>();
  const windowAt = (i: number): Promise<Uint8Array> => {
    let w = cache.get(i);
    if (w) {
      cache.delete(i);
    } else {
      w = readRange(i * window, Math.min(size, (i + 1) * window));
      w.catch(() => cache.delete(i));
    }
    cache.set(i, w);
    while (cache.size > keepWindows) cache.delete(cache.keys().next().value!);
    return w;
  };
  return {
    size,
    async read(start, end) {
      const parts: Uint8Array[] = [];
      for (let i = Math.floor(start / window); i * window < end; i++) {
        const w = await windowAt(i);
        const from = Math.max(start - i * window, 0);
        parts.push(w.subarray(from, Math.min(end - i * window, w.byteLength)));
      }
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    },
  };
}

/** The delivered copy's bytes [start, end) as pieces: inserted bytes, or ranges of the original to read. */
export function* piecesOf(plan: StampPlan, start: number, end: number): Generator<Segment> {
  let at = 0;
  for (const seg of plan.segments) {
    if (at >= end) return;
    const len = seg.kind === "bytes" ? seg.data.length : seg.end - seg.start;
    const s = Math.max(start, at);
    const e = Math.min(end, at + len);
    if (e > s) yield seg.kind === "bytes" ? { kind: "bytes", data: seg.data.subarray(s - at, e - at) } : { kind: "source", start: seg.start + (s - at), end: seg.start + (e - at) };
    at += len;
  }
}
