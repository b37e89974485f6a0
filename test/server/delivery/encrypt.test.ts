import { expect } from "chai";
import { createHash } from "node:crypto";
import {
  chunkOffset,
  decryptChunks,
  decryptStream,
  DecryptionError,
  DEFAULT_CHUNK_SIZE,
  encryptedSizeOf,
  encryptStream,
  HEADER_BYTES,
  layoutOf,
  newDataKey,
  parseHeader,
  TAG_BYTES,
  type EncryptStats,
} from "../../../server/src/delivery/encrypt";
import { concat, inPieces, pseudoRandomBytes } from "../../core/content/helpers/bytes";

const C = 4096;
async function enc(plain: Uint8Array, key: Uint8Array, piece = 1000, stats?: EncryptStats): Promise<Buffer> {
  return Buffer.from(await concat(encryptStream(inPieces(plain, piece), key, { chunkSize: C, stats })));
}
async function dec(cipher: Uint8Array, key: Uint8Array, piece = 777): Promise<Buffer> {
  return Buffer.from(await concat(decryptStream(inPieces(cipher, piece), key)));
}
async function fails(p: Promise<unknown>, reason?: string): Promise<DecryptionError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(DecryptionError);
    if (reason) expect((err as DecryptionError).reason).to.equal(reason);
    return err as DecryptionError;
  }
  expect.fail("expected a DecryptionError");
}

describe("server/delivery: streaming authenticated encryption", function () {
  const key = newDataKey();

  it("default: round trip at every size around chunk boundaries, with the announced sizes", async function () {
    for (const size of [0, 1, C - 1, C, C + 1, 2 * C, 3 * C + 17, 50_000]) {
      const plain = pseudoRandomBytes(size, size + 1);
      const stats: EncryptStats = { plaintextSize: 0, encryptedSize: 0 };
      const cipher = await enc(plain, key, 1000, stats);
      expect(cipher.length, `size ${size}`).to.equal(encryptedSizeOf(size, C));
      expect(stats).to.deep.equal({ plaintextSize: size, encryptedSize: cipher.length });
      expect(layoutOf(cipher.length, C).plaintextSize).to.equal(size);
      expect((await dec(cipher, key)).equals(Buffer.from(plain)), `size ${size}`).to.equal(true);
    }
  });

  it("behavior: the format does not depend on the chunk size default or on how pieces arrive (golden ciphertexts of the first implementation)", async function () {
    // SHA-256 of the ciphertexts the first implementation (64 KiB default, one buffer per sealed
    // chunk) wrote for this key, nonce prefix and plaintext: the new default and framing write the
    // same bytes, so files sealed before still decrypt and serve.
    const fixedKey = Buffer.alloc(32, 7);
    const noncePrefix = Buffer.from("0102030405060708", "hex");
    const plain = Buffer.alloc(200_000);
    for (let i = 0; i < plain.length; i++) plain[i] = (i * 31 + 7) & 0xff;
    const golden: [number, number, string][] = [
      [65_536, 200_084, "25e5957288aa63f4eaabec777b843cf1c2715588ad84ef12505a5a62a7a33ee3"],
      [1_048_576, 200_036, "7eaaab14afc6b58c693db9dc1f9798632e17405ba403c9685cc19636ea06222e"],
    ];
    for (const [chunkSize, size, sha256] of golden) {
      const sealed = Buffer.from(await concat(encryptStream(inPieces(plain, 70_000), fixedKey, { chunkSize, noncePrefix })));
      expect(sealed.length, `${chunkSize}`).to.equal(size);
      expect(createHash("sha256").update(sealed).digest("hex"), `${chunkSize}`).to.equal(sha256);
      expect((await dec(sealed, fixedKey)).equals(plain)).to.equal(true);
    }
    expect(DEFAULT_CHUNK_SIZE).to.equal(1_048_576);
  });

  it("behavior: the same plaintext twice gives different ciphertexts (random nonce prefix)", async function () {
    const plain = pseudoRandomBytes(10_000, 3);
    expect((await enc(plain, key)).equals(await enc(plain, key))).to.equal(false);
  });

  it("behavior: ranges decrypt chunk by chunk from the layout", async function () {
    const plain = pseudoRandomBytes(5 * C + 100, 9);
    const cipher = await enc(plain, key);
    const header = parseHeader(cipher.subarray(0, HEADER_BYTES));
    const layout = layoutOf(cipher.length, C);
    expect(layout.chunkCount).to.equal(6);
    for (const [first, last] of [[0, 0], [2, 3], [5, 5], [0, 5]] as const) {
      const from = chunkOffset(layout, first);
      const to = Math.min(cipher.length, chunkOffset(layout, last + 1));
      const out = Buffer.from(await concat(decryptChunks(inPieces(cipher.subarray(from, to), 999), key, header, layout, first, last)));
      expect(out.equals(Buffer.from(plain.subarray(first * C, Math.min(plain.length, (last + 1) * C))))).to.equal(true);
    }
  });

  it("error: a flipped bit anywhere (header, body, tag) fails authentication", async function () {
    const cipher = await enc(pseudoRandomBytes(3 * C, 4), key);
    for (const at of [9, 15, HEADER_BYTES + 5, HEADER_BYTES + C + TAG_BYTES - 1, cipher.length - 1]) {
      const bad = Buffer.from(cipher);
      bad[at]! ^= 1;
      await fails(dec(bad, key));
    }
  });

  it("error: truncation at a chunk boundary, reordering, splicing and a wrong key are detected", async function () {
    const plain = pseudoRandomBytes(3 * C + 10, 5);
    const cipher = await enc(plain, key);
    const S = C + TAG_BYTES;
    // truncated after two whole chunks: the new last chunk was not sealed as final
    await fails(dec(cipher.subarray(0, HEADER_BYTES + 2 * S), key), "authentication");
    // the final chunk dropped (truncation of the tail) and a duplicated middle chunk
    const swapped = Buffer.concat([cipher.subarray(0, HEADER_BYTES), cipher.subarray(HEADER_BYTES + S, HEADER_BYTES + 2 * S), cipher.subarray(HEADER_BYTES, HEADER_BYTES + S), cipher.subarray(HEADER_BYTES + 2 * S)]);
    await fails(dec(swapped, key), "authentication");
    // a chunk from another file under the same key
    const other = await enc(pseudoRandomBytes(3 * C + 10, 6), key);
    const spliced = Buffer.concat([cipher.subarray(0, HEADER_BYTES + S), other.subarray(HEADER_BYTES + S, HEADER_BYTES + 2 * S), cipher.subarray(HEADER_BYTES + 2 * S)]);
    await fails(dec(spliced, key), "authentication");
    await fails(dec(cipher, newDataKey()), "authentication");
    await fails(dec(cipher.subarray(0, 10), key), "header");
  });

  it("behavior: memory stays bounded for a large stream (128 MiB through, hash compared)", async function () {
    this.timeout(60_000);
    const piece = pseudoRandomBytes(1 << 20, 11);
    async function* source() {
      for (let i = 0; i < 128; i++) yield piece;
    }
    const before = process.memoryUsage().rss;
    const h1 = createHash("sha256");
    const h2 = createHash("sha256");
    async function* tee() {
      for await (const p of source()) {
        h1.update(p);
        yield p;
      }
    }
    let peak = 0;
    for await (const p of decryptStream(encryptStream(tee(), key), key)) {
      h2.update(p);
      peak = Math.max(peak, process.memoryUsage().rss - before);
    }
    expect(h2.digest("hex")).to.equal(h1.digest("hex"));
    // Dead 1 MiB chunk buffers wait for V8's external-memory GC trigger (64 MiB): bounded by it,
    // not by the stream's size.
    expect(peak).to.be.below(64 * 1024 * 1024);
  });
});
