/**
 * MP3 stamp: ID3v2 frames TXXX (TANTIEME_LICENCE, TANTIEME_LICENSEE, TANTIEME_WORK) and a COMM
 * (language "eng", description "tantieme", text = the fingerprint sentence).
 *
 * - No ID3v2 tag, and an MPEG audio frame at byte 0: a new ID3v2.4 tag is prepended.
 * - An ID3v2.3 or v2.4 tag at byte 0: our frames go right after its 10-byte header (in that
 *   version's frame format) and the header's syncsafe size is rewritten. An earlier delivery's
 *   frames (TXXX TANTIEME_*, COMM "tantieme") are dropped, so a re-delivered copy names one
 *   licence. Frames are walked by their headers; if the walk does not add up (e.g. a v2.4 tag
 *   written with plain sizes), nothing is dropped and ours still come first.
 * - A v2.4 footer (a copy of the header, "3DI") gets the same new size.
 * - Delivered unchanged: ID3v2.2, a tag with unsynchronisation or an extended header (it may hold
 *   a CRC of the frames), a footer that does not match its header, a tag running past the file,
 *   anything else.
 */
import { fingerprintFields, fingerprintText, isFingerprintField, keep, NotStampable, plan, type Fingerprint, type StampPlan, type StampReader } from "./plan";

const MAX_FRAMES = 512;
const MAX_TAG_SIZE = 0x0fff_ffff;

function syncsafe(n: number): Buffer {
  if (n > MAX_TAG_SIZE) throw new NotStampable("ID3v2 tag too large");
  return Buffer.from([(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f]);
}

function readSyncsafe(b: Buffer, at: number): number | null {
  if ((b[at]! | b[at + 1]! | b[at + 2]! | b[at + 3]!) & 0x80) return null;
  return (b[at]! << 21) | (b[at + 1]! << 14) | (b[at + 2]! << 7) | b[at + 3]!;
}

function frame(version: 3 | 4, id: string, body: Buffer): Buffer {
  const h = Buffer.alloc(10);
  h.write(id, 0, "ascii");
  if (version === 4) syncsafe(body.length).copy(h, 4);
  else h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}

/** Our frames: UTF-8 text in v2.4, ISO-8859-1 in v2.3 (which has no UTF-8; our values are ASCII). */
function frames(version: 3 | 4, f: Fingerprint): Buffer {
  const enc = version === 4 ? 3 : 0;
  const text = (s: string) => Buffer.from(s, version === 4 ? "utf8" : "latin1");
  const out = fingerprintFields(f).map(([k, v]) => frame(version, "TXXX", Buffer.concat([Buffer.from([enc]), text(k), Buffer.alloc(1), text(v)])));
  out.push(frame(version, "COMM", Buffer.concat([Buffer.from([enc]), Buffer.from("eng", "ascii"), text("tantieme"), Buffer.alloc(1), text(fingerprintText(f))])));
  return Buffer.concat(out);
}

function tagHeader(version: 3 | 4, flags: number, size: number): Buffer {
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, version, 0, flags]), syncsafe(size)]);
}

/** One MPEG audio frame header (MPEG 1/2/2.5, layer I–III, valid bitrate and sample rate). */
export function isMpegFrameHeader(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && ((b[1]! >> 3) & 3) !== 1 && ((b[1]! >> 1) & 3) !== 0 && b[2]! >> 4 !== 15 && ((b[2]! >> 2) & 3) !== 3;
}

/** The text up to the first terminator in an ID3 encoding (0, 3: one zero byte; 1, 2: two, aligned). */
function terminated(enc: number, b: Buffer): string | null {
  if (enc === 0 || enc === 3) {
    const z = b.indexOf(0);
    return z < 0 ? null : b.subarray(0, z).toString(enc === 0 ? "latin1" : "utf8");
  }
  if (enc !== 1 && enc !== 2) return null;
  let le = enc === 1;
  let at = 0;
  if (enc === 1 && b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    le = b[0] === 0xff;
    at = 2;
  }
  let s = "";
  for (; at + 1 < b.length; at += 2) {
    const unit = le ? b.readUInt16LE(at) : b.readUInt16BE(at);
    if (unit === 0) return s;
    s += String.fromCharCode(unit);
  }
  return null;
}

/** Is this frame (id + its first body bytes) one an earlier delivery wrote? */
function isOurs(id: string, body: Buffer): boolean {
  if (id === "TXXX") {
    const description = terminated(body[0]!, body.subarray(1));
    return description !== null && isFingerprintField(description);
  }
  if (id === "COMM") {
    const description = terminated(body[0]!, body.subarray(4));
    return description !== null && description.toLowerCase() === "tantieme";
  }
  return false;
}

export async function stampMp3(r: StampReader, f: Fingerprint): Promise<StampPlan | null> {
  const head = await r.upTo(0, 10);
  if (head.length >= 3 && head.toString("latin1", 0, 3) === "ID3") {
    if (head.length < 10) throw new NotStampable("truncated ID3v2 header");
    const version = head[3]!;
    const flags = head[5]!;
    const size = readSyncsafe(head, 6);
    if (version !== 3 && version !== 4) throw new NotStampable(`ID3v2.${version} is not stamped`);
    if (size === null) throw new NotStampable("ID3v2 size is not syncsafe");
    // Unsynchronisation (0x80) and an extended header (0x40) are not rewritten; undefined flag
    // bits mean a tag we do not understand. A v2.4 footer (0x10) is rewritten with the header.
    const footer = version === 4 && (flags & 0x10) !== 0;
    if (flags & 0xc0 || flags & (version === 4 ? 0x0f : 0x1f)) throw new NotStampable("ID3v2 flags not supported for stamping");
    const tagEnd = 10 + size;
    if (tagEnd + (footer ? 10 : 0) > r.size) throw new NotStampable("ID3v2 tag runs past the end of the file");
    if (footer) {
      const expected = Buffer.concat([Buffer.from("3DI", "latin1"), head.subarray(3, 10)]);
      if (!(await r.bytes(tagEnd, 10)).equals(expected)) throw new NotStampable("ID3v2 footer does not match the header");
    }
    const drop = await walkFrames(r, version, tagEnd);
    const ours = frames(version, f);
    const dropped = drop.reduce((n, [s, e]) => n + e - s, 0);
    const header = tagHeader(version, flags, size - dropped + ours.length);
    return plan(
      [
        { kind: "bytes", data: header },
        { kind: "bytes", data: ours },
        ...keep(10, tagEnd, drop),
        ...(footer ? [{ kind: "bytes" as const, data: Buffer.concat([Buffer.from("3DI", "latin1"), header.subarray(3)]) }] : []),
        { kind: "source", start: tagEnd + (footer ? 10 : 0), end: r.size },
      ],
      "mp3-id3v2",
    );
  }
  if (!isMpegFrameHeader(head)) return null;
  const ours = frames(4, f);
  return plan([{ kind: "bytes", data: tagHeader(4, 0, ours.length) }, { kind: "bytes", data: ours }, { kind: "source", start: 0, end: r.size }], "mp3-id3v2");
}

/** The byte ranges of an earlier delivery's frames in the tag, or none if the frames do not add up. */
async function walkFrames(r: StampReader, version: 3 | 4, tagEnd: number): Promise<[number, number][]> {
  const drop: [number, number][] = [];
  let at = 10;
  for (let n = 0; at + 10 <= tagEnd; n++) {
    if (n === MAX_FRAMES) return [];
    const peek = await r.bytes(at, Math.min(tagEnd - at, 10 + 64));
    if (peek[0] === 0) break; // padding
    const id = peek.toString("latin1", 0, 4);
    const size = version === 4 ? readSyncsafe(peek, 4) : peek.readUInt32BE(4);
    if (!/^[A-Z0-9]{4}$/.test(id) || size === null || at + 10 + size > tagEnd) return [];
    // Compressed, encrypted, grouped or unsynchronised frames cannot be read here: kept as they are.
    const opaque = version === 4 ? (peek[9]! & 0x4f) !== 0 : (peek[9]! & 0xe0) !== 0;
    if (!opaque && size > 0 && isOurs(id, peek.subarray(10, 10 + size))) drop.push([at, at + 10 + size]);
    at += 10 + size;
  }
  return drop;
}
