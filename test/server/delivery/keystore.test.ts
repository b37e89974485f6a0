import { expect } from "chai";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createContentStore, type ContentStore } from "../../../core/content";
import { decryptStream } from "../../../server/src/delivery/encrypt";
import { FileKeys } from "../../../server/src/delivery/keys";
import { DeliverySecret, KEYSTORE_FILE, KeyStoreError, LocalKek, LocalKeyStore } from "../../../server/src/delivery/keystore";
import { main as keysCommand } from "../../../scripts/keystore";
import { concat, inPieces, pseudoRandomBytes, tempDir } from "../../core/content/helpers/bytes";

const SECRET = "correct horse battery staple, but longer than 32 chars";

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(KeyStoreError);
    return (err as KeyStoreError).code;
  }
  return expect.fail("expected a KeyStoreError");
}

describe("server/delivery: key store (envelope keys, sealed file, backup/restore)", function () {
  this.timeout(60_000);
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let ipfs: ContentStore;
  const secret = new DeliverySecret(SECRET);
  before(async () => {
    tmp = await tempDir("keystore");
    ipfs = await createContentStore({ kind: "embedded", dir: path.join(tmp.dir, "ipfs") });
  });
  after(async () => {
    await ipfs.close();
    await tmp.remove();
  });

  async function sealInto(keys: FileKeys, bytes: Uint8Array): Promise<string> {
    const sealing = keys.seal(inPieces(bytes, 10_000));
    const { cid } = await ipfs.add(sealing.ciphertext);
    await sealing.commit(cid.toString());
    return cid.toString();
  }

  it("default: a sealed file's key is kept by ciphertext CID, survives reopening, and decrypts the stored ciphertext", async function () {
    const dir = path.join(tmp.dir, "a");
    const keys = new FileKeys(await LocalKeyStore.open(dir, secret), new LocalKek(secret));
    const plain = pseudoRandomBytes(300_000, 2);
    const cid = await sealInto(keys, plain);
    const reopened = new FileKeys(await LocalKeyStore.open(dir, secret), new LocalKek(secret));
    const out = await concat(decryptStream(ipfs.cat(cid), await reopened.keyOf(cid)));
    expect(Buffer.from(out).equals(Buffer.from(plain))).to.equal(true);
    // the sealed file holds no key or CID in the clear, and no temp file is left
    const raw = await readFile(path.join(dir, KEYSTORE_FILE));
    expect(raw.includes(Buffer.from(cid))).to.equal(false);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
  });

  it("error: a wrong secret, a damaged file, an unknown CID and a conflicting key are typed errors", async function () {
    const dir = path.join(tmp.dir, "b");
    const store = await LocalKeyStore.open(dir, secret);
    const keys = new FileKeys(store, new LocalKek(secret));
    const cid = await sealInto(keys, pseudoRandomBytes(5000, 3));
    expect(await code(LocalKeyStore.open(dir, new DeliverySecret(`${SECRET}!`)))).to.equal("KEYSTORE_SEAL_INVALID");
    const file = path.join(dir, KEYSTORE_FILE);
    const bytes = await readFile(file);
    bytes[bytes.length - 3]! ^= 1;
    await mkdir(path.join(tmp.dir, "damaged"));
    await writeFile(path.join(tmp.dir, "damaged", KEYSTORE_FILE), bytes);
    expect(await code(LocalKeyStore.open(path.join(tmp.dir, "damaged"), secret))).to.equal("KEYSTORE_SEAL_INVALID");
    expect(await code(keys.keyOf("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"))).to.equal("KEYSTORE_KEY_NOT_FOUND");
    const entry = (await store.get(cid))!;
    expect(await code(store.put(cid, { ...entry, wrapped: { ...entry.wrapped, data: Buffer.from("other").toString("base64") } }))).to.equal("KEYSTORE_CONFLICT");
    // a key under another KEK (another secret) is refused by name, not decrypted into garbage
    const otherKek = new LocalKek(new DeliverySecret(`${SECRET}?`));
    expect(await code(otherKek.unwrap(entry.wrapped, cid))).to.equal("KEYSTORE_KEK_MISMATCH");
    // a key bound to one CID does not unwrap for another
    expect(await code(new LocalKek(secret).unwrap(entry.wrapped, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"))).to.equal("KEYSTORE_KEK_MISMATCH");
    expect(() => new DeliverySecret("short")).to.throw(KeyStoreError);
  });

  it("behavior: the backup command restores into a fresh store, which decrypts the files", async function () {
    const dir = path.join(tmp.dir, "c");
    const keys = new FileKeys(await LocalKeyStore.open(dir, secret), new LocalKek(secret));
    const files = [pseudoRandomBytes(70_000, 7), pseudoRandomBytes(1, 8), new Uint8Array(0)];
    const cids: string[] = [];
    for (const f of files) cids.push(await sealInto(keys, f));
    const lines: string[] = [];
    const env = { DELIVERY_SECRET: SECRET };
    const backup = path.join(tmp.dir, "backup.sealed");
    await keysCommand(["--dir", dir, "backup", "--to", backup], env, (l) => lines.push(l));
    const fresh = path.join(tmp.dir, "fresh");
    await keysCommand(["--dir", fresh, "restore", "--from", backup], env, (l) => lines.push(l));
    await keysCommand(["--dir", fresh, "restore", "--from", backup], env, (l) => lines.push(l));
    expect(lines).to.deep.equal([`backed up 3 key(s) to ${backup}`, `restored 3 key(s) from ${backup} (0 already present)`, `restored 0 key(s) from ${backup} (3 already present)`]);
    const restored = new FileKeys(await LocalKeyStore.open(fresh, secret), new LocalKek(secret));
    for (const [i, cid] of cids.entries()) {
      const out = await concat(decryptStream(ipfs.cat(cid), await restored.keyOf(cid)));
      expect(Buffer.from(out).equals(Buffer.from(files[i]!))).to.equal(true);
    }
    // a backup does not open with another secret
    expect(await code(keysCommand(["--dir", path.join(tmp.dir, "fresh2"), "restore", "--from", backup], { DELIVERY_SECRET: `${SECRET}x` }))).to.equal("KEYSTORE_SEAL_INVALID");
  });
});
