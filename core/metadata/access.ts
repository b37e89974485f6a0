import { z } from "zod/v4";
import { RIGHTS, type Right } from "../domain/rights";

/**
 * Public and licensed files (work metadata 1.1.0). A file reference may say who can read it:
 *
 * - `"access": "public"` (the default, and the only kind in 1.0.0): the CID is the file itself,
 *   readable by anyone through any IPFS gateway (cover thumbnails, audio previews, proofs);
 * - `"access": "licensed"`: the CID is the *ciphertext* of the file (see `encryption`), and the
 *   file is delivered in the clear only to the work's rights holders and to a licensee whose
 *   licence, at that moment, grants one of the rights in `unlockedBy`.
 *
 * Browser-safe: no Node APIs here.
 */
export const FILE_ACCESS = ["public", "licensed"] as const;
export type FileAccess = (typeof FILE_ACCESS)[number];

/** The encryption format of licensed files (delivery/encrypt.ts implements it). */
export const ENCRYPTION_SCHEME = "tantieme-aes-256-gcm-stream-1" as const;

export const rightNameSchema = z.enum(RIGHTS, { error: `must be one of ${RIGHTS.join(", ")}` });

export const unlockedBySchema = z
  .array(rightNameSchema)
  .min(1, { error: "needs at least one right" })
  .refine((rs) => new Set(rs).size === rs.length, { error: "lists a right twice" })
  .describe("Rights (names of the on-chain Right enum) any one of which unlocks the file for a licensee");

export const encryptionSchema = z
  .object({
    scheme: z.literal(ENCRYPTION_SCHEME, { error: `must be "${ENCRYPTION_SCHEME}"` }),
    chunkSize: z.number().int().min(1024, { error: "must be at least 1024" }).max(16 * 1024 * 1024, { error: "must be at most 16 MiB" }).describe("Plaintext bytes per authenticated chunk"),
    encryptedSize: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe("Size of the ciphertext (the CID's content) in bytes"),
  })
  .strict()
  .describe("How the ciphertext behind `cid` was produced; the key is held by the delivery service");

/** The fields a 1.1.0 file reference may add to `{ cid, mimeType, size, name }`. */
export const accessFields = {
  access: z.enum(FILE_ACCESS, { error: `must be one of ${FILE_ACCESS.join(", ")}` }).optional().describe('"public" (default) or "licensed" (encrypted, delivered to licensees)'),
  unlockedBy: unlockedBySchema.optional(),
  encryption: encryptionSchema.optional(),
};

type Issue = { path: (string | number)[]; message: string };

/** The rules tying `access`, `unlockedBy` and `encryption` together, for one file reference. */
export function accessIssues(ref: { access?: FileAccess; unlockedBy?: Right[]; encryption?: unknown }, at: (string | number)[]): Issue[] {
  const out: Issue[] = [];
  if (ref.access === "licensed") {
    if (!("unlockedBy" in ref) || ref.unlockedBy === undefined) out.push({ path: [...at, "unlockedBy"], message: "is required for a licensed file" });
    if (!("encryption" in ref) || ref.encryption === undefined) out.push({ path: [...at, "encryption"], message: "is required for a licensed file (packaging adds it)" });
  } else {
    if (ref.unlockedBy !== undefined) out.push({ path: [...at, "unlockedBy"], message: 'only a licensed file ("access": "licensed") has unlockedBy' });
    if (ref.encryption !== undefined) out.push({ path: [...at, "encryption"], message: 'only a licensed file ("access": "licensed") is encrypted' });
  }
  return out;
}

/** A file reference as found in a document: where it is and what it says. */
export interface FileEntry {
  /** Key path, e.g. `["stems", 2]`. */
  keyPath: (string | number)[];
  ref: Record<string, unknown>;
}

/** Every file reference of a (parsed or raw) work document, in document order. */
export function fileEntries(doc: unknown): FileEntry[] {
  if (doc === null || typeof doc !== "object") return [];
  const d = doc as Record<string, unknown>;
  const out: FileEntry[] = [];
  const one = (keyPath: (string | number)[], v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) out.push({ keyPath, ref: v as Record<string, unknown> });
  };
  const many = (key: string) => {
    const v = d[key];
    if (Array.isArray(v)) v.forEach((x, i) => one([key, i], x));
  };
  switch (d.kind) {
    case "sound-recording":
      one(["audio"], d.audio);
      one(["artwork"], d.artwork);
      one(["preview"], d.preview);
      many("stems");
      break;
    case "composition":
      one(["lyrics"], d.lyrics);
      one(["score"], d.score);
      break;
    case "design":
      many("files");
      break;
  }
  return out;
}

export interface LicensedFile {
  keyPath: (string | number)[];
  cid: string;
  mimeType: string;
  /** Plaintext size. */
  size: number;
  name?: string;
  unlockedBy: Right[];
  encryption: z.output<typeof encryptionSchema>;
}

/** The licensed files of a validated work document. */
export function licensedFiles(doc: unknown): LicensedFile[] {
  return fileEntries(doc)
    .filter((e) => e.ref.access === "licensed")
    .map(({ keyPath, ref }) => ({
      keyPath,
      cid: String(ref.cid),
      mimeType: String(ref.mimeType),
      size: Number(ref.size),
      name: typeof ref.name === "string" ? ref.name : undefined,
      unlockedBy: ref.unlockedBy as Right[],
      encryption: ref.encryption as LicensedFile["encryption"],
    }));
}

export type EncryptionInfo = z.output<typeof encryptionSchema>;

/**
 * What packaging needs to store a licensed file: encrypt a plaintext stream, then (once the
 * ciphertext has a CID) keep its key. Implemented by the delivery service (Node only); packaging
 * without one refuses licensed files.
 */
export interface FileSealer {
  seal(plaintext: AsyncIterable<Uint8Array>): SealingFile;
}

export interface SealingFile {
  /** The ciphertext, to add to the content store. */
  ciphertext: AsyncIterable<Uint8Array>;
  /** After the ciphertext has been read to its end. */
  info(): EncryptionInfo & { plaintextSize: number };
  /** Stores the file's key under the ciphertext's CID. */
  commit(cid: string): Promise<void>;
}

/**
 * The recording's file anyone may hear (catalogue players): its public `preview`, else its
 * `audio` when that is public. A licensed master is never offered to a player: its CID holds
 * ciphertext.
 */
export function publicAudioRef(doc: unknown): unknown {
  const m = (doc ?? {}) as Record<string, unknown>;
  const isPublic = (ref: unknown) => !!ref && typeof ref === "object" && (ref as { access?: unknown }).access !== "licensed";
  if (isPublic(m.preview)) return m.preview;
  return isPublic(m.audio) ? m.audio : null;
}
