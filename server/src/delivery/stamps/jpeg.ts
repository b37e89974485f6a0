/**
 * JPEG stamp: a COM segment (0xFFFE) holding the fingerprint sentence, inserted right after the
 * leading APPn segments (JFIF APP0, Exif APP1, ICC APP2, XMP…), which keep their place at the
 * front, and before the first table or frame segment. The walk reads only segment headers and
 * never splits a segment. An earlier delivery's COM (found at that same place) is dropped.
 * Delivered unchanged: no SOI, a segment running past the file, a standalone marker where a
 * segment should be, or more than MAX_SEGMENTS leading APPn segments.
 */
import { FINGERPRINT_PREFIX, fingerprintText, NotStampable, plan, type Fingerprint, type StampPlan, type StampReader } from "./plan";

const MAX_SEGMENTS = 256;
const COM = 0xfe;

function comSegment(text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  const h = Buffer.from([0xff, COM, 0, 0]);
  h.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([h, body]);
}

/** A marker that starts a segment with a length field (not SOI/EOI/RSTn/TEM, not a stuffed 0). */
function isSegmentMarker(m: number): boolean {
  return m >= 0xc0 && m <= 0xfe && !(m >= 0xd0 && m <= 0xd9);
}

export async function stampJpeg(r: StampReader, f: Fingerprint): Promise<StampPlan | null> {
  const soi = await r.upTo(0, 3);
  if (soi.length < 3 || soi[0] !== 0xff || soi[1] !== 0xd8 || soi[2] !== 0xff) return null;
  let at = 2;
  let insertAt = 2;
  const drop: [number, number][] = [];
  for (let n = 0; ; n++) {
    if (n === MAX_SEGMENTS) throw new NotStampable("too many leading segments");
    // fill bytes (0xFF) may precede a marker
    let h = await r.bytes(at, 4);
    while (h[0] === 0xff && h[1] === 0xff) {
      at += 1;
      h = await r.bytes(at, 4);
    }
    const marker = h[1]!;
    if (h[0] !== 0xff || !isSegmentMarker(marker)) throw new NotStampable(`no segment marker at ${at}`);
    const length = h.readUInt16BE(2);
    const end = at + 2 + length;
    if (length < 2 || end > r.size) throw new NotStampable(`segment at ${at} runs past the end of the file`);
    if (marker >= 0xe0 && marker <= 0xef && drop.length === 0) {
      at = insertAt = end;
      continue;
    }
    if (marker === COM) {
      const text = await r.bytes(at + 4, Math.min(length - 2, FINGERPRINT_PREFIX.length));
      if (text.toString("latin1") === FINGERPRINT_PREFIX) {
        drop.push([at, end]);
        at = end;
        continue;
      }
    }
    break;
  }
  const tail = drop.length ? drop.at(-1)![1] : insertAt;
  return plan(
    [
      { kind: "source", start: 0, end: insertAt },
      { kind: "bytes", data: comSegment(fingerprintText(f)) },
      { kind: "source", start: tail, end: r.size },
    ],
    "jpeg-com",
  );
}
