/**
 * Our own magic-number sniffer for the formats tantieme accepts. It looks at the first bytes of a
 * file only (SNIFF_BYTES is enough for every rule here) and never trusts a file name.
 */

/** How many leading bytes `sniffMime` wants. */
export const SNIFF_BYTES = 4096;

export type MimeFamily = "audio" | "image" | "document" | "font" | "text";

/** Every MIME type tantieme accepts for work files, with its family. */
export const SUPPORTED_MIME_TYPES = {
  "audio/wav": "audio",
  "audio/aiff": "audio",
  "audio/flac": "audio",
  "audio/mpeg": "audio",
  "audio/ogg": "audio",
  "audio/mp4": "audio",
  "video/mp4": "audio",
  "audio/midi": "audio",
  "image/png": "image",
  "image/jpeg": "image",
  "image/gif": "image",
  "image/webp": "image",
  "image/tiff": "image",
  "image/svg+xml": "image",
  "image/vnd.adobe.photoshop": "image",
  "application/pdf": "document",
  "font/otf": "font",
  "font/ttf": "font",
  "font/woff": "font",
  "font/woff2": "font",
  "text/plain": "text",
  "application/json": "text",
} as const satisfies Record<string, MimeFamily>;

export type SupportedMimeType = keyof typeof SUPPORTED_MIME_TYPES;

/** Common spellings mapped to the one we use. */
const ALIASES: Record<string, SupportedMimeType> = {
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/x-aiff": "audio/aiff",
  "audio/x-flac": "audio/flac",
  "audio/mp3": "audio/mpeg",
  "audio/x-m4a": "audio/mp4",
  "audio/m4a": "audio/mp4",
  "audio/x-midi": "audio/midi",
  "audio/mid": "audio/midi",
  "application/ogg": "audio/ogg",
  "audio/opus": "audio/ogg",
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/x-png": "image/png",
  "image/x-tiff": "image/tiff",
  "image/x-photoshop": "image/vnd.adobe.photoshop",
  "application/x-photoshop": "image/vnd.adobe.photoshop",
  "application/x-font-otf": "font/otf",
  "application/x-font-ttf": "font/ttf",
  "application/font-woff": "font/woff",
  "application/x-pdf": "application/pdf",
  "text/json": "application/json",
  "text/markdown": "text/plain",
  "text/csv": "text/plain",
  "text/x-lrc": "text/plain",
};

/**
 * Normalises a declared MIME type (case, parameters such as `; charset=utf-8`, aliases).
 * Returns undefined for a type tantieme does not accept.
 */
export function normalizeMimeType(declared: string): SupportedMimeType | undefined {
  const base = declared.split(";")[0]!.trim().toLowerCase();
  if (base in SUPPORTED_MIME_TYPES) return base as SupportedMimeType;
  return ALIASES[base];
}

export function mimeFamily(mime: SupportedMimeType): MimeFamily {
  return SUPPORTED_MIME_TYPES[mime];
}

/**
 * Whether content sniffed as `sniffed` may be declared as `declared` (both normalised).
 * Equal types match; an MP4 container may be declared audio/mp4 or video/mp4; JSON is also
 * plain text; SVG is XML text and may not be declared as anything else.
 */
export function mimeMatches(declared: SupportedMimeType, sniffed: SupportedMimeType): boolean {
  if (declared === sniffed) return true;
  const mp4 = new Set<SupportedMimeType>(["audio/mp4", "video/mp4"]);
  if (mp4.has(declared) && mp4.has(sniffed)) return true;
  if (declared === "text/plain" && sniffed === "application/json") return true;
  return false;
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** MPEG audio frame header (MPEG 1/2/2.5, layers I–III) with a valid bitrate and sample rate. */
function isMpegFrame(b: Uint8Array, at: number): boolean {
  if (b.length < at + 4) return false;
  if (b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1]! >> 3) & 0x3;
  const layer = (b[at + 1]! >> 1) & 0x3;
  const bitrate = (b[at + 2]! >> 4) & 0xf;
  const sampleRate = (b[at + 2]! >> 2) & 0x3;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 0xf && sampleRate !== 3;
}

const MP4_AUDIO_BRANDS = new Set(["M4A ", "M4B ", "M4P ", "F4A ", "F4B "]);

/**
 * Text: valid UTF-8 (a sequence cut at the end of the sample is allowed), optional BOM, no NUL
 * and no C0 control characters other than tab, LF, FF, CR and ESC.
 */
function isText(b: Uint8Array, complete: boolean): boolean {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) return false;
      if (c === 0x7f) return false;
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return false;
    // The sequence runs past the sample: fine if the sample was cut there, an error at EOF.
    if (i + need >= b.length) return !complete && allContinuation(b, i + 1);
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function allContinuation(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if ((b[i]! & 0xc0) !== 0x80) return false;
  return true;
}

function textHead(b: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(b.subarray(0, Math.min(b.length, SNIFF_BYTES)));
}

/** `<svg` as the first element, after an optional XML declaration, comments and doctype. */
function isSvg(head: string): boolean {
  let s = head.replace(/^\uFEFF/, "").trimStart();
  for (;;) {
    if (s.startsWith("<?xml")) {
      const end = s.indexOf("?>");
      if (end < 0) return false;
      s = s.slice(end + 2).trimStart();
    } else if (s.startsWith("<!--")) {
      const end = s.indexOf("-->");
      if (end < 0) return false;
      s = s.slice(end + 3).trimStart();
    } else if (/^<!doctype/i.test(s)) {
      const end = s.indexOf(">");
      if (end < 0) return false;
      s = s.slice(end + 1).trimStart();
    } else break;
  }
  return /^<svg[\s>/]/.test(s);
}

/**
 * Identifies a file from its first bytes. `complete` says the sample is the whole file (so a
 * truncated UTF-8 sequence at its end is an error, not a cut). Returns undefined when nothing
 * matches.
 */
export function sniffMime(bytes: Uint8Array, options: { complete?: boolean } = {}): SupportedMimeType | undefined {
  const b = bytes;
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "audio/wav";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
  if (ascii(b, 0, "FORM") && (ascii(b, 8, "AIFF") || ascii(b, 8, "AIFC"))) return "audio/aiff";
  if (ascii(b, 0, "fLaC")) return "audio/flac";
  if (ascii(b, 0, "OggS")) return "audio/ogg";
  if (ascii(b, 0, "MThd")) return "audio/midi";
  if (ascii(b, 4, "ftyp")) return MP4_AUDIO_BRANDS.has(String.fromCharCode(...b.subarray(8, 12))) ? "audio/mp4" : "video/mp4";
  if (ascii(b, 0, "ID3") && b.length >= 10 && b[3]! <= 4) return "audio/mpeg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "image/gif";
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return "image/tiff";
  if (ascii(b, 0, "8BPS") && b.length >= 6 && b[4] === 0 && (b[5] === 1 || b[5] === 2)) return "image/vnd.adobe.photoshop";
  if (ascii(b, 0, "%PDF-")) return "application/pdf";
  if (ascii(b, 0, "OTTO")) return "font/otf";
  if (startsWith(b, [0x00, 0x01, 0x00, 0x00]) || ascii(b, 0, "true")) return "font/ttf";
  if (ascii(b, 0, "wOFF")) return "font/woff";
  if (ascii(b, 0, "wOF2")) return "font/woff2";
  // MPEG audio without an ID3 tag: two consecutive frame headers are not proof, one valid header
  // at offset 0 is what file(1) and browsers accept too.
  if (isMpegFrame(b, 0)) return "audio/mpeg";
  if (b.length > 0 && isText(b, options.complete ?? false)) {
    const head = textHead(b);
    if (isSvg(head)) return "image/svg+xml";
    const t = head.replace(/^\uFEFF/, "").trimStart();
    if (t.startsWith("{") || t.startsWith("[")) return "application/json";
    return "text/plain";
  }
  if (b.length === 0) return "text/plain";
  return undefined;
}
