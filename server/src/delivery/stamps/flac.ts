/**
 * FLAC stamp: the fingerprint as Vorbis comments (TANTIEME_LICENCE, TANTIEME_LICENSEE,
 * TANTIEME_WORK and COMMENT = the fingerprint sentence).
 *
 * A stream may hold one VORBIS_COMMENT block only. Without one, a new block (vendor "tantieme")
 * goes right after STREAMINFO; if STREAMINFO was the last metadata block, its flag moves to the
 * new block. With one, that block is rewritten where it is: vendor and the other comments kept,
 * an earlier delivery's TANTIEME_* fields and fingerprint COMMENT dropped, ours appended, its
 * length and comment count updated. Audio frames are never touched.
 */
import { FINGERPRINT_PREFIX, fingerprintFields, fingerprintText, isFingerprintField, keep, NotStampable, plan, type Fingerprint, type Segment, type StampPlan, type StampReader } from "./plan";

const STREAMINFO = 0;
const VORBIS_COMMENT = 4;
const MAX_BLOCKS = 128;
const MAX_COMMENTS = 4096;
const MAX_BLOCK_LENGTH = 0xff_ffff;

function blockHeader(last: boolean, type: number, length: number): Buffer {
  if (length > MAX_BLOCK_LENGTH) throw new NotStampable("Vorbis comment block too long");
  const h = Buffer.alloc(4);
  h[0] = (last ? 0x80 : 0) | type;
  h.writeUIntBE(length, 1, 3);
  return h;
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

function comments(f: Fingerprint): Buffer[] {
  return [...fingerprintFields(f), ["COMMENT", fingerprintText(f)] as const].map(([k, v]) => {
    const text = Buffer.from(`${k}=${v}`, "utf8");
    return Buffer.concat([u32le(text.length), text]);
  });
}

interface Block {
  at: number;
  last: boolean;
  type: number;
  length: number;
}

export async function stampFlac(r: StampReader, f: Fingerprint): Promise<StampPlan | null> {
  const head = await r.upTo(0, 8);
  if (head.length < 8 || head.toString("ascii", 0, 4) !== "fLaC") return null;
  const blocks: Block[] = [];
  for (let at = 4; ; ) {
    if (blocks.length === MAX_BLOCKS) throw new NotStampable("too many metadata blocks");
    const h = await r.bytes(at, 4);
    const block = { at, last: (h[0]! & 0x80) !== 0, type: h[0]! & 0x7f, length: h.readUIntBE(1, 3) };
    if (block.type === 127) throw new NotStampable("invalid metadata block type");
    blocks.push(block);
    at += 4 + block.length;
    if (at > r.size) throw new NotStampable("metadata block runs past the end of the file");
    if (block.last) break;
  }
  const info = blocks[0]!;
  if (info.type !== STREAMINFO || info.length !== 34) throw new NotStampable("the first metadata block is not a STREAMINFO");
  if (blocks.slice(1).some((b) => b.type === STREAMINFO)) throw new NotStampable("a second STREAMINFO");
  const lastBlock = blocks.at(-1)!;
  const audio = lastBlock.at + 4 + lastBlock.length;
  if (audio < r.size) {
    const sync = await r.bytes(audio, 2);
    if (sync[0] !== 0xff || (sync[1]! & 0xfe) !== 0xf8) throw new NotStampable("no frame sync after the metadata");
  }
  const vorbis = blocks.filter((b) => b.type === VORBIS_COMMENT);
  if (vorbis.length > 1) throw new NotStampable("more than one Vorbis comment block");
  const ours = comments(f);
  const oursLength = ours.reduce((n, c) => n + c.length, 0);

  if (vorbis.length === 0) {
    const vendor = Buffer.from("tantieme", "utf8");
    const body = Buffer.concat([u32le(vendor.length), vendor, u32le(ours.length), ...ours]);
    const infoEnd = info.at + 4 + info.length;
    return plan(
      [
        { kind: "source", start: 0, end: info.at },
        { kind: "bytes", data: blockHeader(false, STREAMINFO, info.length) },
        { kind: "source", start: info.at + 4, end: infoEnd },
        { kind: "bytes", data: Buffer.concat([blockHeader(info.last, VORBIS_COMMENT, body.length), body]) },
        { kind: "source", start: infoEnd, end: r.size },
      ],
      "flac-vorbis-comment",
    );
  }

  // Rewrite the existing block: walk its comments, dropping an earlier delivery's fields.
  const block = vorbis[0]!;
  const start = block.at + 4;
  const end = start + block.length;
  const vendorLength = (await r.bytes(start, 4)).readUInt32LE(0);
  const countAt = start + 4 + vendorLength;
  if (countAt + 4 > end) throw new NotStampable("Vorbis comment vendor runs past its block");
  const count = (await r.bytes(countAt, 4)).readUInt32LE(0);
  if (count > MAX_COMMENTS) throw new NotStampable("too many Vorbis comments");
  const drop: [number, number][] = [];
  let at = countAt + 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw new NotStampable("Vorbis comment runs past its block");
    const peek = await r.upTo(at, 4 + 64 + FINGERPRINT_PREFIX.length);
    const length = peek.readUInt32LE(0);
    if (at + 4 + length > end) throw new NotStampable("Vorbis comment runs past its block");
    const text = peek.subarray(4, 4 + length).toString("utf8");
    const eq = text.indexOf("=");
    const name = eq < 0 ? "" : text.slice(0, eq);
    if (isFingerprintField(name) || (name.toUpperCase() === "COMMENT" && text.slice(eq + 1).startsWith(FINGERPRINT_PREFIX))) drop.push([at, at + 4 + length]);
    at += 4 + length;
  }
  if (at !== end) throw new NotStampable("Vorbis comment block length does not match its comments");
  const dropped = drop.reduce((n, [s, e]) => n + e - s, 0);
  const length = block.length - dropped + oursLength;
  const segments: Segment[] = [
    { kind: "source", start: 0, end: block.at },
    { kind: "bytes", data: blockHeader(block.last, VORBIS_COMMENT, length) },
    { kind: "source", start, end: countAt },
    { kind: "bytes", data: u32le(count - drop.length + ours.length) },
    ...keep(countAt + 4, end, drop),
    { kind: "bytes", data: Buffer.concat(ours) },
    { kind: "source", start: end, end: r.size },
  ];
  return plan(segments, "flac-vorbis-comment");
}
