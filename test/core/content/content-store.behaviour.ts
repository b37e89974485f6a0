import { expect } from "chai";
import { CID } from "multiformats/cid";
import type { ContentStore } from "../../../core/content/index";
import { concat, inPieces, pseudoRandomBytes } from "./helpers/bytes";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const onlyHash: { of(input: Uint8Array): Promise<string> } = require("ipfs-only-hash");

const HELLO = new TextEncoder().encode("hello world\n");
const HELLO_CID = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
const EMPTY_CID = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
/** A CIDv0 of bytes nobody adds in these tests. */
const ABSENT = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

async function expectRejected(promise: Promise<unknown>, name: string, code?: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).name, (err as Error).message).to.equal(name);
    if (code) expect((err as { code?: string }).code).to.equal(code);
    return err as Error;
  }
  expect.fail(`expected ${name}`);
}

/**
 * One behaviour suite for every ContentStore adapter. `getStore` is called inside each test, after
 * the adapter's own `before` hook has opened it. `getAbsentStore` (default: the same store) asks
 * for content that is not there: an adapter that answers "not found" only after its request
 * timeout gives one with a short timeout, so the test waits seconds, not minutes.
 */
export function behavesLikeContentStore(getStore: () => ContentStore, getAbsentStore: () => ContentStore = getStore): void {
  describe("behavior: add / cat", () => {
    it("default: Kubo vectors for hello world and the empty file", async () => {
      const store = getStore();
      const hello = await store.add(HELLO);
      expect(hello.cid.toString()).to.equal(HELLO_CID);
      expect(hello.size).to.equal(12);
      const empty = await store.add(new Uint8Array(0));
      expect(empty.cid.toString()).to.equal(EMPTY_CID);
      expect(empty.size).to.equal(0);
      expect(await concat(store.cat(HELLO_CID))).to.deep.equal(HELLO);
      expect((await concat(store.cat(EMPTY_CID))).length).to.equal(0);
    });

    it("behavior: a stream across chunk boundaries gives the ipfs-only-hash CID and reads back", async () => {
      const store = getStore();
      const bytes = pseudoRandomBytes(3 * 262_144 + 17, 7);
      const progress: number[] = [];
      const { cid, size } = await store.add(inPieces(bytes, 100_003), { onProgress: (p) => progress.push(p.bytes) });
      expect(cid.toString()).to.equal(await onlyHash.of(bytes));
      expect(size).to.equal(bytes.length);
      expect(progress.at(-1)).to.equal(bytes.length);
      expect(progress).to.deep.equal([...progress].sort((a, b) => a - b));
      expect(Buffer.from(await concat(store.cat(cid))).equals(Buffer.from(bytes))).to.equal(true);
    });

    it("args: offset and length slice the file, across chunk boundaries", async () => {
      const store = getStore();
      const bytes = pseudoRandomBytes(600_000, 11);
      const { cid } = await store.add(bytes);
      const slice = await concat(store.cat(cid, { offset: 262_000, length: 1_000 }));
      expect(Buffer.from(slice).equals(Buffer.from(bytes.subarray(262_000, 263_000)))).to.equal(true);
      const tail = await concat(store.cat(cid, { offset: 599_990 }));
      expect(Buffer.from(tail).equals(Buffer.from(bytes.subarray(599_990)))).to.equal(true);
      const clipped = await concat(store.cat(cid, { offset: 599_000, length: 5_000 }));
      expect(clipped.length).to.equal(1_000);
      expect((await concat(store.cat(cid, { offset: 600_000 }))).length).to.equal(0);
    });

    it("args: a CID given as a CIDv1 string reads the same file", async () => {
      const store = getStore();
      await store.add(HELLO);
      const v1 = CID.parse(HELLO_CID).toV1().toString();
      expect(await concat(store.cat(v1))).to.deep.equal(HELLO);
    });

    it("behavior: catBytes reads a small file whole and refuses one above the limit", async () => {
      const store = getStore();
      await store.add(HELLO);
      expect(await store.catBytes(HELLO_CID, 12)).to.deep.equal(HELLO);
      const err = await expectRejected(store.catBytes(HELLO_CID, 11), "ContentTooLargeError", "IPFS_CONTENT_TOO_LARGE");
      expect((err as unknown as { details: { size: number } }).details.size).to.equal(12);
    });

    it("error: offset past the end or negative length → InvalidRangeError naming the field", async () => {
      const store = getStore();
      await store.add(HELLO);
      const e1 = await expectRejected(concat(store.cat(HELLO_CID, { offset: 13 })), "InvalidRangeError", "IPFS_INVALID_RANGE");
      expect((e1 as unknown as { details: { field: string } }).details.field).to.equal("offset");
      const e2 = await expectRejected(concat(store.cat(HELLO_CID, { length: -1 })), "InvalidRangeError");
      expect((e2 as unknown as { details: { field: string } }).details.field).to.equal("length");
      await expectRejected(concat(store.cat(HELLO_CID, { offset: 1.5 })), "InvalidRangeError");
    });

    it("error: a CID that does not parse → InvalidCidError", async () => {
      const store = getStore();
      await expectRejected(concat(store.cat("not-a-cid")), "InvalidCidError", "IPFS_INVALID_CID");
      await expectRejected(store.stat("Qm123"), "InvalidCidError");
      await expectRejected(store.pin(""), "InvalidCidError");
      // A well-formed CID of a codec that cannot be a file (dag-cbor).
      const cbor = CID.create(1, 0x71, CID.parse(HELLO_CID).multihash).toString();
      await expectRejected(store.has(cbor), "InvalidCidError");
    });

    it("error: content not in the store → ContentNotFoundError", async () => {
      const store = getAbsentStore();
      await expectRejected(concat(store.cat(ABSENT)), "ContentNotFoundError", "IPFS_NOT_FOUND");
      await expectRejected(store.stat(ABSENT), "ContentNotFoundError");
      await expectRejected(store.catBytes(ABSENT, 100), "ContentNotFoundError");
      await expectRejected(store.pin(ABSENT), "ContentNotFoundError");
      expect(await store.has(ABSENT)).to.equal(false);
    });
  });

  describe("behavior: stat / has", () => {
    it("default: stat of a 10 MiB file: 41 blocks, dagSize 10,488,250 (real Kubo)", async () => {
      const store = getStore();
      const bytes = pseudoRandomBytes(10 * 1024 * 1024, 3);
      const { cid } = await store.add(bytes);
      const st = await store.stat(cid);
      expect(st.cid.toString()).to.equal(cid.toString());
      expect(st).to.include({ size: 10 * 1024 * 1024, type: "file", blocks: 41, dagSize: 10_488_250 });
      expect(await store.size(cid)).to.equal(10 * 1024 * 1024);
      expect(await store.has(cid)).to.equal(true);
    });

    it("default: stat of a single-chunk file is its leaf", async () => {
      const store = getStore();
      const { cid } = await store.add(HELLO);
      const st = await store.stat(cid);
      expect(st).to.include({ size: 12, type: "file", blocks: 1 });
      expect(st.dagSize).to.equal(20); // protobuf-wrapped leaf: 12 bytes + 8 of framing
    });
  });

  describe("behavior: pins", () => {
    it("default: add pins; unpin removes; pin re-adds; both idempotent", async () => {
      const store = getStore();
      const { cid } = await store.add(pseudoRandomBytes(1000, 21));
      expect(await store.isPinned(cid)).to.equal(true);
      expect((await store.listPins()).map((p) => p.cid.toString())).to.include(cid.toString());
      await store.unpin(cid);
      await store.unpin(cid);
      expect(await store.isPinned(cid)).to.equal(false);
      expect((await store.listPins()).map((p) => p.cid.toString())).to.not.include(cid.toString());
      await store.pin(cid);
      await store.pin(cid);
      expect(await store.isPinned(cid)).to.equal(true);
    });

    it("args: pin: false stores without pinning", async () => {
      const store = getStore();
      const { cid } = await store.add(pseudoRandomBytes(2000, 22), { pin: false });
      expect(await store.has(cid)).to.equal(true);
      expect(await store.isPinned(cid)).to.equal(false);
    });

    it("behavior: a pin is found under its CIDv1 too", async () => {
      const store = getStore();
      const { cid } = await store.add(pseudoRandomBytes(3000, 23));
      expect(await store.isPinned(cid.toV1().toString())).to.equal(true);
    });
  });
}
