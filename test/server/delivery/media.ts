/**
 * Small, valid FLAC, MP3 and JPEG files built in the test (no encoder binaries on the machine):
 * FLAC with VERBATIM subframes (CRC-8/CRC-16 and the STREAMINFO MD5 right, so `flac -t` passes),
 * MP3 as silent MPEG-1 Layer III frames, optionally behind an ID3v2.3/2.4 tag, and JPEG from
 * jpeg-js's baseline encoder (JFIF APP0, optional Exif APP1).
 */
import { createHash } from "node:crypto";
import jpeg from "jpeg-js";

function crc8(b: Buffer): number {
  let c = 0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

function crc16(b: Buffer): number {
  let c = 0;
  for (const x of b) {
    c ^= x << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

export interface FlacSpec {
  /** Mono 16-bit samples at 44.1 kHz; the count must be a multiple of 256. */
  samples?: Int16Array;
  /** Vorbis comments ("NAME=value") in a VORBIS_COMMENT block after STREAMINFO. */
  comments?: string[];
  /** A PADDING block of this many bytes, last. */
  padding?: number;
}

export function tone(count: number, freq = 440): Int16Array {
  const s = new Int16Array(count);
  for (let i = 0; i < count; i++) s[i] = Math.round(12_000 * Math.sin((2 * Math.PI * freq * i) / 44_100));
  return s;
}

function metadataBlock(last: boolean, type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = (last ? 0x80 : 0) | type;
  h.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([h, body]);
}

export function renderFlac({ samples = tone(1024), comments, padding }: FlacSpec = {}): { file: Buffer; frames: Buffer } {
  const BLOCK = 256;
  if (samples.length % BLOCK) throw new Error("sample count must be a multiple of 256");
  const pcm = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => pcm.writeInt16LE(v, i * 2));
  const info = Buffer.alloc(34);
  info.writeUInt16BE(BLOCK, 0);
  info.writeUInt16BE(BLOCK, 2);
  // 20 bits sample rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples
  const packed = (44_100n << 44n) | (0n << 41n) | (15n << 36n) | BigInt(samples.length);
  info.writeBigUInt64BE(packed, 10);
  createHash("md5").update(pcm).digest().copy(info, 18);
  const frames: Buffer[] = [];
  for (let n = 0; n * BLOCK < samples.length; n++) {
    // sync + fixed blocking; block size 256 (0b1000), 44.1 kHz (0b1001); mono, 16 bit; frame number (UTF-8, < 128)
    const header = Buffer.from([0xff, 0xf8, 0x89, 0x08, n]);
    const sub = Buffer.alloc(1 + BLOCK * 2);
    sub[0] = 0x02; // VERBATIM
    for (let i = 0; i < BLOCK; i++) sub.writeInt16BE(samples[n * BLOCK + i]!, 1 + i * 2);
    const frame = Buffer.concat([header, Buffer.from([crc8(header)]), sub]);
    const crc = Buffer.alloc(2);
    crc.writeUInt16BE(crc16(frame), 0);
    frames.push(Buffer.concat([frame, crc]));
  }
  const blocks: [number, Buffer][] = [[0, info]];
  if (comments) {
    const vendor = Buffer.from("reference libFLAC 1.4.2 20221022");
    const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n, 0); return b; };
    blocks.push([4, Buffer.concat([u32(vendor.length), vendor, u32(comments.length), ...comments.map((c) => Buffer.concat([u32(Buffer.byteLength(c)), Buffer.from(c)]))])]);
  }
  if (padding !== undefined) blocks.push([1, Buffer.alloc(padding)]);
  const meta = blocks.map(([type, body], i) => metadataBlock(i === blocks.length - 1, type, body));
  const audio = Buffer.concat(frames);
  return { file: Buffer.concat([Buffer.from("fLaC"), ...meta, audio]), frames: audio };
}

/** `count` silent MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, mono (417 bytes each). */
export function mp3Frames(count = 8): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  return Buffer.concat(Array.from({ length: count }, () => frame));
}

function syncsafe(n: number): Buffer {
  return Buffer.from([(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f]);
}

/** An ID3v2 tag (v2.3 or v2.4) with the given text frames (ISO-8859-1) and padding (and a footer if the v2.4 flags say so). */
export function id3Tag(version: 3 | 4, frames: [id: string, text: string][], { padding = 0, flags = 0 } = {}): Buffer {
  const body = Buffer.concat([
    ...frames.map(([id, text]) => {
      const data = Buffer.concat([Buffer.from([0]), Buffer.from(text, "latin1")]);
      const h = Buffer.alloc(10);
      h.write(id, 0, "ascii");
      if (version === 4) syncsafe(data.length).copy(h, 4);
      else h.writeUInt32BE(data.length, 4);
      return Buffer.concat([h, data]);
    }),
    Buffer.alloc(padding),
  ]);
  const header = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, version, 0, flags]), syncsafe(body.length)]);
  // v2.4 footer flag: a copy of the header with "3DI"
  const footer = version === 4 && flags & 0x10 ? [Buffer.from("3DI", "latin1"), header.subarray(3)] : [];
  return Buffer.concat([header, body, ...footer]);
}

/** A baseline JPEG (JFIF APP0, then an Exif APP1 when `exif` is given, then the tables and scan); `grain` makes it large. */
export function renderJpeg(width: number, height: number, options: { exif?: boolean; comments?: string[]; grain?: boolean } = {}): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let seed = 1;
  const grain = () => (options.grain ? ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) >>> 24) - 128 : 0);
  const px = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([px((x * 255) / width + grain()), px((y * 255) / height + grain()), px(128 + grain()), 255], (y * width + x) * 4);
  // A minimal big-endian TIFF header with an empty IFD0: a valid Exif payload.
  const exifBuffer = options.exif ? Buffer.concat([Buffer.from("Exif\0\0", "latin1"), Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0])]) : undefined;
  return Buffer.from(jpeg.encode({ width, height, data, exifBuffer, comments: options.comments } as jpeg.RawImageData<Buffer>, 90).data);
}
