import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createContentStore, EmbeddedContentStore, type ContentStore } from "../../../core/content/index";
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
