/**
 * Keys of licensed files: envelope encryption. Each file has a random 256-bit data key (DEK);
 * the DEK is kept only wrapped by a key-encryption key (KEK). The wrapped keys live in a
 * KeyStore, keyed by the ciphertext's CID.
 *
 * - `KeyEncryptionKey` is the KMS seam: `LocalKek` derives the KEK from DELIVERY_SECRET; a KMS
 *   (AWS KMS Encrypt/Decrypt, GCP KMS, Vault transit, an HSM) implements the same two calls.
 * - `KeyStore` holds wrapped keys. `LocalKeyStore` is one sealed file (AES-256-GCM under a key
 *   derived from the same secret), rewritten atomically (temp file, fsync, rename, fsync dir).
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, scryptSync } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { BaseError } from "../../../core/errors";

export type KeyStoreErrorCode = "KEYSTORE_SECRET_INVALID" | "KEYSTORE_SEAL_INVALID" | "KEYSTORE_KEY_NOT_FOUND" | "KEYSTORE_KEK_MISMATCH" | "KEYSTORE_CONFLICT" | "KEYSTORE_IO";

export class KeyStoreError extends BaseError {
  override readonly name = "KeyStoreError" as const;
  constructor(
    readonly code: KeyStoreErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
  }
}

/** A data key wrapped by a KEK. `context` (the ciphertext CID) is bound as AAD. */
export interface WrappedKey {
  /** Which KEK wrapped it (`local:<fingerprint>` or the KMS key's id). */
  kekId: string;
  alg: string;
  /** base64 */
  data: string;
}

/** The KMS seam: wrap and unwrap a data key, bound to a context string. */
export interface KeyEncryptionKey {
  readonly id: string;
  wrap(dek: Uint8Array, context: string): Promise<WrappedKey>;
  unwrap(wrapped: WrappedKey, context: string): Promise<Uint8Array>;
}

export interface KeyEntry {
  wrapped: WrappedKey;
  createdAt: string;
}

/** Where wrapped keys are kept. */
export interface KeyStore {
  get(id: string): Promise<KeyEntry | null>;
  /** Refuses to replace a different entry under the same id (KEYSTORE_CONFLICT). */
  put(id: string, entry: KeyEntry): Promise<void>;
  delete(id: string): Promise<void>;
  entries(): Promise<Map<string, KeyEntry>>;
  close(): Promise<void>;
}

const SALT = "tantieme/delivery/v1";

/** The root key material from DELIVERY_SECRET (scrypt, once), and sub-keys by purpose (HKDF). */
export class DeliverySecret {
  private readonly root: Buffer;
  constructor(secret: string) {
    if (typeof secret !== "string" || secret.length < 32) {
      throw new KeyStoreError("KEYSTORE_SECRET_INVALID", "the delivery secret must be at least 32 characters");
    }
    this.root = scryptSync(secret.normalize("NFC"), SALT, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  }
  subkey(purpose: "kek" | "keystore-seal" | "session" | "backup"): Buffer {
    return Buffer.from(hkdfSync("sha256", this.root, SALT, `tantieme/${purpose}/v1`, 32));
  }
}

function gcmSeal(key: Uint8Array, plain: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]);
}

function gcmOpen(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | null {
  if (sealed.byteLength < 28) return null;
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const d = createDecipheriv("aes-256-gcm", key, b.subarray(0, 12));
  d.setAAD(aad);
  d.setAuthTag(b.subarray(b.length - 16));
  try {
    return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

/** A KEK derived from the delivery secret (AES-256-GCM key wrap, context as AAD). */
export class LocalKek implements KeyEncryptionKey {
  readonly id: string;
  private readonly key: Buffer;
  constructor(secret: DeliverySecret) {
    this.key = secret.subkey("kek");
    this.id = `local:${createHash("sha256").update(this.key).digest("hex").slice(0, 16)}`;
  }
  async wrap(dek: Uint8Array, context: string): Promise<WrappedKey> {
    return { kekId: this.id, alg: "A256GCM", data: gcmSeal(this.key, dek, Buffer.from(context)).toString("base64") };
  }
  async unwrap(wrapped: WrappedKey, context: string): Promise<Uint8Array> {
    if (wrapped.kekId !== this.id) {
      throw new KeyStoreError("KEYSTORE_KEK_MISMATCH", `key for ${context} was wrapped by ${wrapped.kekId}, this service's KEK is ${this.id} (another DELIVERY_SECRET?)`, { context });
    }
    const dek = gcmOpen(this.key, Buffer.from(wrapped.data, "base64"), Buffer.from(context));
    if (!dek) throw new KeyStoreError("KEYSTORE_KEK_MISMATCH", `the wrapped key for ${context} does not open with this KEK`, { context });
    return dek;
  }
}

const SEAL_MAGIC = Buffer.from("TANTKEY1", "ascii");

/** Seals a key map (the store file and its backups have the same format). */
export function sealEntries(sealKey: Uint8Array, entries: Map<string, KeyEntry>): Buffer {
  const json = Buffer.from(JSON.stringify({ version: 1, entries: Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) }));
  return Buffer.concat([SEAL_MAGIC, gcmSeal(sealKey, json, SEAL_MAGIC)]);
}

export function openEntries(sealKey: Uint8Array, bytes: Uint8Array, source: string): Map<string, KeyEntry> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!b.subarray(0, 8).equals(SEAL_MAGIC)) throw new KeyStoreError("KEYSTORE_SEAL_INVALID", `${source} is not a tantieme key store`, { source });
  const json = gcmOpen(sealKey, b.subarray(8), SEAL_MAGIC);
  if (!json) throw new KeyStoreError("KEYSTORE_SEAL_INVALID", `${source} does not open with this DELIVERY_SECRET (wrong secret, or the file is damaged)`, { source });
  const parsed = JSON.parse(json.toString("utf8")) as { version: number; entries: Record<string, KeyEntry> };
  if (parsed.version !== 1) throw new KeyStoreError("KEYSTORE_SEAL_INVALID", `${source}: unknown version ${parsed.version}`, { source });
  return new Map(Object.entries(parsed.entries));
}

/** Writes a file atomically and durably: temp file, fsync, rename, fsync the folder. */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const h = await open(tmp, "wx", 0o600);
    try {
      await h.writeFile(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new KeyStoreError("KEYSTORE_IO", `cannot write ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export const KEYSTORE_FILE = "keys.sealed";

/** One sealed file in `dir`; every change rewrites it atomically (writes are serialised). */
export class LocalKeyStore implements KeyStore {
  private chain: Promise<unknown> = Promise.resolve();
  private constructor(
    readonly file: string,
    private readonly sealKey: Buffer,
    private readonly map: Map<string, KeyEntry>,
  ) {}

  static async open(dir: string, secret: DeliverySecret): Promise<LocalKeyStore> {
    const file = path.join(dir, KEYSTORE_FILE);
    const sealKey = secret.subkey("keystore-seal");
    let bytes: Buffer | null = null;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new KeyStoreError("KEYSTORE_IO", `cannot read ${file}: ${(err as Error).message}`, { file }, { cause: err });
    }
    return new LocalKeyStore(file, sealKey, bytes ? openEntries(sealKey, bytes, file) : new Map());
  }

  async get(id: string): Promise<KeyEntry | null> {
    return this.map.get(id) ?? null;
  }

  put(id: string, entry: KeyEntry): Promise<void> {
    return this.serial(async () => {
      const had = this.map.get(id);
      if (had) {
        if (had.wrapped.data === entry.wrapped.data && had.wrapped.kekId === entry.wrapped.kekId) return;
        throw new KeyStoreError("KEYSTORE_CONFLICT", `a different key is already stored for ${id}`, { id });
      }
      const next = new Map(this.map).set(id, entry);
      await writeFileAtomic(this.file, sealEntries(this.sealKey, next));
      this.map.set(id, entry);
    });
  }

  delete(id: string): Promise<void> {
    return this.serial(async () => {
      if (!this.map.has(id)) return;
      const next = new Map(this.map);
      next.delete(id);
      await writeFileAtomic(this.file, sealEntries(this.sealKey, next));
      this.map.delete(id);
    });
  }

  async entries(): Promise<Map<string, KeyEntry>> {
    return new Map(this.map);
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }
}

/** A backup: the store's entries, sealed under the backup sub-key of the same secret. */
export async function backupKeys(store: KeyStore, secret: DeliverySecret, file: string): Promise<number> {
  const entries = await store.entries();
  await writeFileAtomic(file, sealEntries(secret.subkey("backup"), entries));
  return entries.size;
}

/**
 * Restores a backup into a store: entries it lacks are added, identical ones skipped; an entry
 * that differs is a KEYSTORE_CONFLICT (nothing is written for it) — it would make a file
 * undecryptable.
 */
export async function restoreKeys(store: KeyStore, secret: DeliverySecret, file: string): Promise<{ added: number; unchanged: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new KeyStoreError("KEYSTORE_IO", `cannot read ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  const backup = openEntries(secret.subkey("backup"), bytes, file);
  const current = await store.entries();
  for (const [id, e] of backup) {
    const had = current.get(id);
    if (had && (had.wrapped.data !== e.wrapped.data || had.wrapped.kekId !== e.wrapped.kekId)) {
      throw new KeyStoreError("KEYSTORE_CONFLICT", `${file}: the key for ${id} differs from the one in the store`, { id });
    }
  }
  let added = 0;
  for (const [id, e] of backup) {
    if (current.has(id)) continue;
    await store.put(id, e);
    added++;
  }
  return { added, unchanged: backup.size - added };
}
