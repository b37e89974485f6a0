import { expect } from "chai";
import { createContentStore, type ContentStore } from "../../../core/content";
import { pseudoRandomBytes, tempDir } from "./helpers/bytes";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const onlyHash: { of(input: Uint8Array): Promise<string> } = require("ipfs-only-hash");

const CHUNK = 262_144;

describe("ipfs: Kubo-compatible CIDs (embedded store vs ipfs-only-hash)", function () {
  let store: ContentStore;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    tmp = await tempDir("vectors");
    store = await createContentStore({ kind: "embedded", dir: tmp.dir });
  });
  after(async () => {
    await store.close();
    await tmp.remove();
  });

  const sizes: [string, number][] = [
    ["0 B", 0],
    ["1 B", 1],
    ["256 KiB − 1", CHUNK - 1],
    ["256 KiB", CHUNK],
    ["256 KiB + 1", CHUNK + 1],
    ["174 chunks − 1 B", 174 * CHUNK - 1],
    ["174 chunks (one full layer)", 174 * CHUNK],
    ["174 chunks + 1 B (second layer)", 174 * CHUNK + 1],
    ["175 chunks", 175 * CHUNK],
    ["~50 MB", 50_000_017],
  ];
  for (const [label, size] of sizes) {
    it(`behavior: ${label} gives the same CID as ipfs-only-hash, from bytes and from an unaligned stream`, async () => {
      const bytes = pseudoRandomBytes(size, size + 1);
      const expected = await onlyHash.of(bytes);
      const fromBytes = await store.add(bytes, { pin: false });
      expect(fromBytes.cid.toString()).to.equal(expected);
      expect(fromBytes.cid.version).to.equal(0);
      async function* odd() {
        for (let at = 0; at < bytes.length; at += 77_777) yield bytes.subarray(at, at + 77_777);
      }
      const fromStream = await store.add(odd(), { pin: false });
      expect(fromStream.cid.toString()).to.equal(expected);
      expect(fromStream.size).to.equal(size);
    });
  }

  it("default: known Kubo vectors", async () => {
    expect((await store.add(new TextEncoder().encode("hello world\n"))).cid.toString()).to.equal("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    expect((await store.add(new Uint8Array(0))).cid.toString()).to.equal("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
    expect(await onlyHash.of(new TextEncoder().encode("hello world\n"))).to.equal("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  });
});
