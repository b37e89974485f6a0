/** Data keys of licensed files: created when a file is sealed, found again by ciphertext CID. */
import { ENCRYPTION_SCHEME, type FileSealer, type SealingFile } from "../../../core/metadata/access";
import { DEFAULT_CHUNK_SIZE, encryptStream, newDataKey, type EncryptStats } from "./encrypt";
import { KeyStoreError, type KeyEncryptionKey, type KeyStore } from "./keystore";

export class FileKeys implements FileSealer {
  constructor(
    readonly store: KeyStore,
    readonly kek: KeyEncryptionKey,
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {}

  seal(plaintext: AsyncIterable<Uint8Array>): SealingFile {
    const dek = newDataKey();
    const stats: EncryptStats = { plaintextSize: 0, encryptedSize: 0 };
    let finished = false;
    const chunkSize = this.chunkSize;
    const ciphertext = (async function* () {
      yield* encryptStream(plaintext, dek, { chunkSize, stats });
      finished = true;
    })();
    return {
      ciphertext,
      info: () => {
        if (!finished) throw new Error("the ciphertext has not been read to its end");
        return { scheme: ENCRYPTION_SCHEME, chunkSize, encryptedSize: stats.encryptedSize, plaintextSize: stats.plaintextSize };
      },
      commit: async (cid: string) => {
        if (!finished) throw new Error("the ciphertext has not been read to its end");
        const wrapped = await this.kek.wrap(dek, cid);
        await this.store.put(cid, { wrapped, createdAt: new Date().toISOString() });
        dek.fill(0);
      },
    };
  }

  /** The data key of a ciphertext; KEYSTORE_KEY_NOT_FOUND when this service never sealed it. */
  async keyOf(cid: string): Promise<Uint8Array> {
    const entry = await this.store.get(cid);
    if (!entry) throw new KeyStoreError("KEYSTORE_KEY_NOT_FOUND", `no key for ${cid} in the key store`, { cid });
    return this.kek.unwrap(entry.wrapped, cid);
  }
}
