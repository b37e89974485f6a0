/**
 * Streaming authenticated encryption of licensed files ("tantieme-aes-256-gcm-stream-1").
 *
 * Layout: a 20-byte header, then the plaintext cut into `chunkSize`-byte chunks (the last one
 * shorter, or empty for an empty file), each encrypted with AES-256-GCM and followed by its
 * 16-byte tag:
 *
 *   header = "TANTENC1" (8) ‖ chunkSize u32 BE (4) ‖ noncePrefix (8 random bytes)
 *   nonce_i = noncePrefix ‖ i u32 BE
 *   aad_i   = header ‖ i u64 BE ‖ final_i (1 byte: 1 for the last chunk, else 0)
 *
 * A chunk moved to another index (reordering), a stream cut at a chunk boundary (truncation: the
 * new last chunk was not sealed as final), chunks taken from another file (splicing: another key,
 * prefix and header) or a changed header all fail authentication. Every file has its own random
 * 256-bit data key, so nonces never repeat under a key. Memory is one chunk at a time.
 */
import { createCipheriv, createDecipheriv, randomBytes, type DecipherGCM } from "node:crypto";
import { ENCRYPTION_SCHEME } from "../../../core/metadata/access";
import { BaseError } from "../../../core/errors";

export const MAGIC = Buffer.from("TANTENC1", "ascii");
export const HEADER_BYTES = 20;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;
/**
 * 1 MiB: a cipher object per chunk costs tens of microseconds, which at 64 KiB (the first
 * default) was a third of the encryption time. Files sealed with 64 KiB chunks still open: the
 * chunk size is in the header and the metadata.
 */
export const DEFAULT_CHUNK_SIZE = 1_048_576;

export const MIN_CHUNK_SIZE = 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export { ENCRYPTION_SCHEME };

export type DecryptErrorReason = "header" | "authentication" | "truncated" | "layout";

/** The ciphertext is not what was encrypted under this key: altered, cut, reordered or foreign. */
export class DecryptionError extends BaseError<{ reason: DecryptErrorReason; chunk: number | null }> {
  override readonly name = "DecryptionError" as const;
  readonly code = "DECRYPTION_FAILED" as const;
  constructor(
    readonly reason: DecryptErrorReason,
    message: string,
    readonly chunk: number | null = null,
  ) {
    super(`decryption failed (${reason}${chunk === null ? "" : `, chunk ${chunk}`}): ${message}`, { reason, chunk });
  }
}

export interface StreamHeader {
  chunkSize: number;
  noncePrefix: Buffer;
  bytes: Buffer;
}

export function makeHeader(chunkSize: number, noncePrefix: Buffer = randomBytes(8)): StreamHeader {
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer in [${MIN_CHUNK_SIZE}, ${MAX_CHUNK_SIZE}], got ${chunkSize}`);
  }
  if (noncePrefix.length !== 8) throw new RangeError("noncePrefix must be 8 bytes");
  const bytes = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt32BE(chunkSize, 8);
  noncePrefix.copy(bytes, 12);
  return { chunkSize, noncePrefix: Buffer.from(noncePrefix), bytes };
}

export function parseHeader(bytes: Uint8Array): StreamHeader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < HEADER_BYTES || !b.subarray(0, 8).equals(MAGIC)) throw new DecryptionError("header", "not a tantieme encrypted file");
  const chunkSize = b.readUInt32BE(8);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) throw new DecryptionError("header", `chunk size ${chunkSize} out of range`);
  return { chunkSize, noncePrefix: Buffer.from(b.subarray(12, 20)), bytes: Buffer.from(b.subarray(0, HEADER_BYTES)) };
}

function nonceOf(header: StreamHeader, index: number): Buffer {
  const n = Buffer.alloc(12);
  header.noncePrefix.copy(n, 0);
  n.writeUInt32BE(index, 8);
  return n;
}

function aadOf(header: StreamHeader, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(HEADER_BYTES + 9);
  header.bytes.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), HEADER_BYTES);
  a[HEADER_BYTES + 8] = final ? 1 : 0;
  return a;
}

/**
 * The sealed chunk as two pieces, its ciphertext and its tag: no copy to join them (the content
 * store re-cuts the stream into its own blocks anyway). Synchronous on purpose: sealing through
 * WebCrypto on the thread pool measured slower here, competing with the store's block writes.
 */
function sealChunk(key: Uint8Array, header: StreamHeader, index: number, final: boolean, plain: Uint8Array): [Buffer, Buffer] {
  if (index > 0xffff_ffff) throw new RangeError("file too large for this chunk size");
  const c = createCipheriv("aes-256-gcm", key, nonceOf(header, index));
  c.setAAD(aadOf(header, index, final));
  const body = c.update(plain);
  c.final();
  return [body, c.getAuthTag()];
}

function openChunk(key: Uint8Array, header: StreamHeader, index: number, final: boolean, sealed: Uint8Array): Buffer {
  if (sealed.byteLength < TAG_BYTES) throw new DecryptionError("truncated", "chunk shorter than its tag", index);
  const d = createDecipheriv("aes-256-gcm", key, nonceOf(header, index));
  d.setAAD(aadOf(header, index, final));
  d.setAuthTag(sealed.subarray(sealed.byteLength - TAG_BYTES));
  const body = d.update(sealed.subarray(0, sealed.byteLength - TAG_BYTES));
  try {
    d.final();
  } catch {
    throw new DecryptionError("authentication", "chunk does not authenticate (altered, moved, cut or from another file)", index);
  }
  return body;
}

/** Sizes of an encrypted file, from the ciphertext size. */
export interface Layout {
  chunkSize: number;
  encryptedSize: number;
  plaintextSize: number;
  chunkCount: number;
}

export function encryptedSizeOf(plaintextSize: number, chunkSize: number): number {
  const chunks = Math.max(1, Math.ceil(plaintextSize / chunkSize));
  return HEADER_BYTES + plaintextSize + chunks * TAG_BYTES;
}

export function layoutOf(encryptedSize: number, chunkSize: number): Layout {
  const body = encryptedSize - HEADER_BYTES;
  const sealed = chunkSize + TAG_BYTES;
  if (body < TAG_BYTES) throw new DecryptionError("layout", `${encryptedSize} bytes is too short for an encrypted file`);
  const chunkCount = Math.ceil(body / sealed);
  const plaintextSize = body - chunkCount * TAG_BYTES;
  const last = body - (chunkCount - 1) * sealed;
  if (last < TAG_BYTES || (last === TAG_BYTES && chunkCount > 1)) throw new DecryptionError("layout", `${encryptedSize} bytes is not a valid encrypted size for chunks of ${chunkSize}`);
  return { chunkSize, encryptedSize, plaintextSize, chunkCount };
}

/** Re-cuts a byte stream into pieces of `size` (the last one shorter), copying only at seams. */
async function* recut(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let buf = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const piece of source) {
    let p = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (p.length > 0) {
      if (filled === 0 && p.length >= size) {
        yield p.subarray(0, size); // sources hand over fresh buffers: no copy
        p = p.subarray(size);
        continue;
      }
      const n = Math.min(size - filled, p.length);
      p.copy(buf, filled, 0, n);
      filled += n;
      p = p.subarray(n);
      if (filled === size) {
        yield buf;
        buf = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buf.subarray(0, filled);
}

/** Pieces with a flag saying which one is last (a one-piece lookahead). */
async function* withLast<T>(source: AsyncIterable<T>): AsyncGenerator<{ value: T; last: boolean }> {
  let prev: { value: T } | undefined;
  for await (const value of source) {
    if (prev) yield { value: prev.value, last: false };
    prev = { value };
  }
  if (prev) yield { value: prev.value, last: true };
}

export interface EncryptStats {
  plaintextSize: number;
  encryptedSize: number;
}

/**
 * Encrypts a plaintext stream: yields the header, then per `chunkSize` bytes of plaintext its
 * ciphertext and its tag (two pieces; a consumer that needs whole sealed chunks re-cuts).
 * `stats` is filled in as it goes (complete once the generator has finished).
 */
export async function* encryptStream(
  source: AsyncIterable<Uint8Array>,
  key: Uint8Array,
  options: { chunkSize?: number; noncePrefix?: Buffer; stats?: EncryptStats } = {},
): AsyncGenerator<Buffer> {
  if (key.byteLength !== KEY_BYTES) throw new RangeError("key must be 32 bytes");
  const header = makeHeader(options.chunkSize ?? DEFAULT_CHUNK_SIZE, options.noncePrefix);
  const stats = options.stats ?? { plaintextSize: 0, encryptedSize: 0 };
  stats.plaintextSize = 0;
  stats.encryptedSize = HEADER_BYTES;
  yield header.bytes;
  let index = 0;
  let any = false;
  for await (const { value, last } of withLast(recut(source, header.chunkSize))) {
    any = true;
    const [body, tag] = sealChunk(key, header, index++, last, value);
    stats.plaintextSize += value.length;
    stats.encryptedSize += body.length + tag.length;
    if (body.length > 0) yield body;
    yield tag;
  }
  if (!any) {
    const [, tag] = sealChunk(key, header, 0, true, Buffer.alloc(0));
    stats.encryptedSize += tag.length;
    yield tag;
  }
}

/**
 * Decrypts a whole encrypted stream (header first). The end of the stream must be the chunk
 * sealed as final: a cut, reordered or spliced stream throws DecryptionError.
 */
export async function* decryptStream(source: AsyncIterable<Uint8Array>, key: Uint8Array): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let rest: Buffer = Buffer.alloc(0);
  while (head.length < HEADER_BYTES) {
    const r = await it.next();
    if (r.done) throw new DecryptionError("header", "stream ends inside the header");
    head = Buffer.concat([head, r.value]);
  }
  rest = head.subarray(HEADER_BYTES);
  const header = parseHeader(head.subarray(0, HEADER_BYTES));
  async function* body(): AsyncGenerator<Uint8Array> {
    if (rest.length) yield rest;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  let index = 0;
  let any = false;
  for await (const { value, last } of withLast(recut(body(), header.chunkSize + TAG_BYTES))) {
    any = true;
    yield openChunk(key, header, index++, last, value);
  }
  if (!any) throw new DecryptionError("truncated", "no chunk after the header");
}

/**
 * Decrypts chunks `first..last` of a file whose layout is known (a range request): `source` is
 * the ciphertext from the start of chunk `first` to the end of chunk `last`. Each chunk is
 * decrypted piece by piece as the ciphertext arrives (no copy to reassemble it), and its
 * plaintext pieces are handed on only once its tag has authenticated.
 */
export async function* decryptChunks(
  source: AsyncIterable<Uint8Array>,
  key: Uint8Array,
  header: StreamHeader,
  layout: Layout,
  first: number,
  last: number,
): AsyncGenerator<Buffer> {
  let index = first;
  let open: { decipher: DecipherGCM; final: boolean; expected: number; bodyLeft: number; tag: Buffer; tagFilled: number; out: Buffer[] } | null = null;
  for await (const piece of source) {
    let p = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (p.length > 0) {
      if (open === null) {
        if (index > last) throw new DecryptionError("layout", "more ciphertext than the chunks asked for", index);
        const final = index === layout.chunkCount - 1;
        const expected = final ? layout.plaintextSize - index * layout.chunkSize + TAG_BYTES : header.chunkSize + TAG_BYTES;
        const decipher = createDecipheriv("aes-256-gcm", key, nonceOf(header, index));
        decipher.setAAD(aadOf(header, index, final));
        open = { decipher, final, expected, bodyLeft: expected - TAG_BYTES, tag: Buffer.alloc(TAG_BYTES), tagFilled: 0, out: [] };
      }
      if (open.bodyLeft > 0) {
        const n = Math.min(open.bodyLeft, p.length);
        open.out.push(open.decipher.update(p.subarray(0, n)));
        open.bodyLeft -= n;
        p = p.subarray(n);
        continue;
      }
      const n = Math.min(TAG_BYTES - open.tagFilled, p.length);
      p.copy(open.tag, open.tagFilled, 0, n);
      open.tagFilled += n;
      p = p.subarray(n);
      if (open.tagFilled < TAG_BYTES) continue;
      open.decipher.setAuthTag(open.tag);
      try {
        open.decipher.final();
      } catch {
        throw new DecryptionError("authentication", "chunk does not authenticate (altered, moved, cut or from another file)", index);
      }
      const out = open.out;
      open = null;
      index++;
      for (const part of out) yield part;
    }
  }
  if (open !== null) {
    const got = open.expected - open.bodyLeft - TAG_BYTES + open.tagFilled;
    throw new DecryptionError("truncated", `chunk is ${got} bytes, expected ${open.expected}`, index);
  }
  if (index !== last + 1) throw new DecryptionError("truncated", `stream ended at chunk ${index}, expected through ${last}`, index);
}

/** Where chunk `i` starts in the ciphertext. */
export function chunkOffset(layout: Layout, index: number): number {
  return HEADER_BYTES + index * (layout.chunkSize + TAG_BYTES);
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
