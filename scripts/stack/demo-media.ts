/**
 * Real media files for the demo catalogue, generated on the fly so the repository ships no
 * binaries: PCM WAV audio (a short melody of sine tones with an envelope) and PNG artwork
 * (a colour-field pattern). Both are valid files any player or viewer opens, and the IPFS
 * packaging sniffs them as audio/wav and image/png.
 */
import zlib from "node:zlib";

/** A melody as MIDI note numbers, each played for `beatMs`. */
export interface ToneSpec {
  notes: number[];
  beatMs: number;
  sampleRate?: number;
}

/** 16-bit mono PCM WAV. */
export function renderWav({ notes, beatMs, sampleRate = 22_050 }: ToneSpec): Buffer {
  const samplesPerNote = Math.round((sampleRate * beatMs) / 1000);
  const total = samplesPerNote * notes.length;
  const data = Buffer.alloc(total * 2);
  let offset = 0;
  for (const note of notes) {
    const freq = 440 * 2 ** ((note - 69) / 12);
    for (let i = 0; i < samplesPerNote; i++) {
      const t = i / sampleRate;
      // Attack/decay envelope so notes don't click; a little second harmonic for colour.
      const env = Math.min(1, i / (sampleRate * 0.01)) * Math.exp((-3 * i) / samplesPerNote);
      const v = env * (0.8 * Math.sin(2 * Math.PI * freq * t) + 0.2 * Math.sin(4 * Math.PI * freq * t));
      data.writeInt16LE(Math.round(v * 0.6 * 32767), offset);
      offset += 2;
    }
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16); // PCM chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Duration in milliseconds of what renderWav produces. */
export function wavDurationMs(spec: ToneSpec): number {
  return spec.notes.length * spec.beatMs;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** An RGB PNG: concentric colour bands between two colours, seeded by `hue`. */
export function renderPng(width: number, height: number, hue: number): Buffer {
  const rows: Buffer[] = [];
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0 (None) + RGB
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - cx, y - cy) / Math.hypot(cx, cy);
      const band = Math.floor(d * 8) % 2;
      const h = (hue + d * 90 + band * 30) % 360;
      const [r, g, b] = hslToRgb(h, 0.65, band ? 0.45 : 0.6);
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
