/**
 * Which licensed files of a work a licence unlocks, decided by the same rules the delivery service
 * applies (server/src/delivery/access.ts): the licence must be in effect and grant one of the
 * rights the file's `unlockedBy` names. The files come from the work's metadata through core's
 * schema (core/metadata/access.ts), never re-parsed here. The server decides again on download.
 */
import { licensedFiles, validateWorkMetadata, type LicensedFile, type Right } from "./core";

export type FileAccess =
  | { kind: "unlocked" }
  /** The licence grants none of the rights that unlock the file. */
  | { kind: "needs-right"; rights: Right[] }
  /** The licence is not in effect now. */
  | { kind: "not-in-effect"; status: "Expired" | "Revoked" | "Scheduled" };

/** The licensed files of a work's metadata document (none when it is unreadable or invalid). */
export function licensedFilesOf(metadata: unknown): LicensedFile[] {
  if (metadata === null || metadata === undefined) return [];
  try {
    return licensedFiles(validateWorkMetadata(metadata));
  } catch {
    return [];
  }
}

/** Whether a licence (its rights and current status) unlocks a file, and if not, why. */
export function accessOf(file: Pick<LicensedFile, "unlockedBy">, licence: { rights: readonly string[]; status: string }): FileAccess {
  if (!file.unlockedBy.some((r) => licence.rights.includes(r))) return { kind: "needs-right", rights: [...file.unlockedBy] };
  if (licence.status === "Expired" || licence.status === "Revoked" || licence.status === "Scheduled") return { kind: "not-in-effect", status: licence.status };
  return { kind: "unlocked" };
}

/** The file's first key, e.g. "audio" for `$.audio` or "stems" for `$.stems[2]`. */
export function fieldOf(file: Pick<LicensedFile, "keyPath">): string {
  return String(file.keyPath[0] ?? "");
}

/** A size in bytes as people read it (kB, MB, GB; decimal units). */
export function fileSize(bytes: number, lang: "de" | "en"): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toLocaleString(lang === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: u === 0 ? 0 : 1 })} ${units[u]}`;
}
