import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createContentStore, EmbeddedContentStore, type ContentStore } from "../../../core/content/index";
import { readFile as readUnixfsFile, READ_AHEAD_BLOCKS } from "../../../core/content/reader";
import { behavesLikeContentStore } from "./content-store.behaviour";
import { concat, pseudoRandomBytes, tempDir } from "./helpers/bytes";

describe("ipfs: embedded content store", () => {
  let store: ContentStore;
  let tmp: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    tmp = await tempDir("embedded");
    store = await createContentStore({ kind: "embedded", dir: tmp.dir });
  });
  after(async () => {
    await store.close();
    await tmp.remove();
  });

  behavesLikeContentStore(() => store);

  describe("behavior: durability", () => {
    it("default: pins and blocks survive close and reopen; pin records are written atomically", async () => {
      const dir = path.join(tmp.dir, "reopen");
      const first = await EmbeddedContentStore.open(dir);
      const bytes = pseudoRandomBytes(700_000, 5);
      const { cid } = await first.add(bytes);
      await first.close();
      const second = await EmbeddedContentStore.open(dir);
      expect(await second.isPinned(cid)).to.equal(true);
      expect(Buffer.from(await concat(second.cat(cid))).equals(Buffer.from(bytes))).to.equal(true);
      const files = await readdir(path.join(dir, "pins"));
      expect(files.filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
      const record = JSON.parse(await readFile(path.join(dir, "pins", files[0]!), "utf8"));
      expect(record.cid).to.equal(cid.toString());
      expect(Number.isNaN(Date.parse(record.pinnedAt))).to.equal(false);
      await second.close();
    });

    it("error: operations on a closed store → StoreClosedError", async () => {
      const closed = await EmbeddedContentStore.open(path.join(tmp.dir, "closed"));
      await closed.close();
      try {
        await closed.add(new Uint8Array(1));
        expect.fail("expected StoreClosedError");
      } catch (err) {
        expect((err as Error).name).to.equal("StoreClosedError");
      }
    });

    it("error: a missing leaf block → ContentNotFoundError on cat and pin", async () => {
      const dir = path.join(tmp.dir, "damaged");
      const damaged = await EmbeddedContentStore.open(dir);
      const { cid } = await damaged.add(pseudoRandomBytes(3 * 262_144, 9), { pin: false });
      // Remove one block that is not the root.
      const shards = await readdir(path.join(dir, "blocks"));
      const { base32upper } = await import("multiformats/bases/base32");
      const rootFile = `${base32upper.encode(cid.multihash.bytes)}.data`;
      let removed = false;
      for (const shard of shards) {
        for (const f of await readdir(path.join(dir, "blocks", shard))) {
          if (!removed && f !== rootFile) {
            await writeFile(path.join(dir, "blocks", shard, f), ""); // truncate, then delete
            const { unlink } = await import("node:fs/promises");
            await unlink(path.join(dir, "blocks", shard, f));
            removed = true;
          }
        }
      }
      expect(removed).to.equal(true);
      for (const attempt of [() => concat(damaged.cat(cid)), () => damaged.pin(cid), () => damaged.stat(cid)]) {
        try {
          await attempt();
          expect.fail("expected ContentNotFoundError");
        } catch (err) {
          expect((err as Error).name).to.equal("ContentNotFoundError");
        }
      }
      expect(await damaged.isPinned(cid)).to.equal(false);
      await damaged.close();
    });
  });

  describe("behavior: streaming cat", () => {
    // 176 chunks: two DAG levels (a root over 174-link nodes), with data in the last partial chunk.
    const SIZE = 176 * 262_144 - 1000;
    let bytes: Uint8Array;
    let cid: Awaited<ReturnType<ContentStore["add"]>>["cid"];
    before(async () => {
      bytes = pseudoRandomBytes(SIZE, 21);
      ({ cid } = await store.add(bytes, { pin: false }));
    });

    it("behavior: a consumer that stops reading stops the block reads (bounded read-ahead per level)", async () => {
      const dir = (store as EmbeddedContentStore).dir;
      const { NextToLast } = await import("blockstore-fs/sharding");
      const sharding = new NextToLast();
      let reads = 0;
      const readBlock = async (c: typeof cid) => {
        reads++;
        const { dir: shard, file } = sharding.encode(c as never);
        return readFile(path.join(dir, "blocks", shard, file));
      };
      const root = await readBlock(cid);
      reads = 0;
      const it = readUnixfsFile(readBlock, cid, root, { offset: 0, length: SIZE })[Symbol.asyncIterator]();
      const first = await it.next();
      expect(Buffer.from(first.value!).equals(Buffer.from(bytes.subarray(0, 262_144)))).to.equal(true);
      await new Promise((r) => setTimeout(r, 50)); // room for any eager reader to run ahead
      // Two levels: at most READ_AHEAD_BLOCKS inner nodes and READ_AHEAD_BLOCKS leaves asked for.
      expect(reads).to.be.at.most(2 * READ_AHEAD_BLOCKS);
      let n = first.value!.byteLength;
      for (let r = await it.next(); !r.done; r = await it.next()) n += r.value.byteLength;
      expect(n).to.equal(SIZE);
    });

    it("args: ranges inside, across and at the ends of leaves and inner nodes read the right bytes", async () => {
      const C = 262_144;
      const ranges: [number, number][] = [
        [0, 1], [C - 1, 2], [174 * C - 5, 10], [174 * C, C + 7], [SIZE - 1, 1], [3 * C + 17, 172 * C], [SIZE - C - 3, C + 3],
      ];
      for (const [offset, length] of ranges) {
        const got = Buffer.from(await concat(store.cat(cid, { offset, length })));
        expect(got.equals(Buffer.from(bytes.subarray(offset, offset + length))), `${offset}+${length}`).to.equal(true);
      }
    });
  });

  describe("error: configuration", () => {
    it("error: unknown kind or empty dir → InvalidStoreConfigError naming the field", async () => {
      for (const [config, field] of [
        [{ kind: "s3" }, "kind"],
        [{ kind: "embedded", dir: "" }, "dir"],
        [{ kind: "kubo", url: "not a url" }, "url"],
        [{ kind: "kubo", url: "ftp://x" }, "url"],
      ] as const) {
        try {
          await createContentStore(config as never);
          expect.fail("expected InvalidStoreConfigError");
        } catch (err) {
          expect((err as Error).name).to.equal("InvalidStoreConfigError");
          expect((err as { details: { field: string } }).details.field).to.equal(field);
        }
      }
    });
  });
});
