import { createReadStream } from "node:fs";
import { open, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { CID } from "multiformats/cid";
import type { ContentStore } from "../content/types";
import { IpfsError } from "../content/errors";
import { canonicalJsonBytes } from "./canonical";
import {
  MetadataError,
  MetadataFileError,
  MetadataValidationError,
  MimeMismatchError,
  PackageFileError,
  PackageStoreError,
  SizeMismatchError,
  UnsupportedMimeTypeError,
} from "./errors";
import { mimeMatches, normalizeMimeType, SNIFF_BYTES, sniffMime, type SupportedMimeType } from "./mime";
import {
  AUDIO_MIME_TYPES,
  DESIGN_MIME_TYPES,
  IMAGE_MIME_TYPES,
  SCORE_MIME_TYPES,
  TEXT_MIME_TYPES,
  type WorkMetadata,
} from "./schemas";
import { jsonPath, validateWorkMetadata } from "./validate";

export const METADATA_FILE = "metadata.json";
const MAX_METADATA_BYTES = 1_048_576;
const READ_CHUNK = 1_048_576;
/** A syntactically valid CID standing in for files not stored yet, to validate the rest first. */
const PLACEHOLDER_CID = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

export type PackageProgress =
  | { phase: "checking"; file: string }
  | { phase: "adding"; file: string; bytes: number; size: number; totalBytes: number; totalSize: number }
  | { phase: "added"; file: string; cid: string; size: number }
  | { phase: "metadata"; totalSize: number }
  | { phase: "done"; metadataCid: string };

export interface PackageWorkOptions {
  onProgress?: (progress: PackageProgress) => void;
  signal?: AbortSignal;
}

export interface PackagedFile {
  /** Path relative to the folder, as written in metadata.json. */
  path: string;
  /** JSON path of the reference in the metadata, e.g. `$.audio`. */
  field: string;
  cid: CID;
  size: number;
  mime: SupportedMimeType;
}

export interface PackageWorkResult {
  metadataCid: CID;
  metadata: WorkMetadata;
  files: PackagedFile[];
}

/** Where each kind references files, and which MIME types each place accepts. */
function fileFields(doc: Record<string, unknown>): { keyPath: (string | number)[]; allowed: readonly SupportedMimeType[] }[] {
  switch (doc.kind) {
    case "sound-recording":
      return [
        { keyPath: ["audio"], allowed: AUDIO_MIME_TYPES },
        { keyPath: ["artwork"], allowed: IMAGE_MIME_TYPES },
      ];
    case "composition":
      return [
        { keyPath: ["lyrics"], allowed: TEXT_MIME_TYPES },
        { keyPath: ["score"], allowed: SCORE_MIME_TYPES },
      ];
    case "design":
      return Array.isArray(doc.files) ? doc.files.map((_, i) => ({ keyPath: ["files", i], allowed: DESIGN_MIME_TYPES })) : [];
    default:
      return [];
  }
}

interface PendingFile {
  ref: Record<string, unknown>;
  relPath: string;
  field: string;
  absPath: string;
  mime: SupportedMimeType;
  size: number;
  declaredSize: number | undefined;
}

/**
 * Packages a work folder: `metadata.json` plus the files it references by relative `path`
 * (`{"path": "master.wav", "mimeType": "audio/wav"}`). Every check that needs no storing runs
 * first (metadata schema, paths, MIME types sniffed from content, sizes); then each file is
 * streamed from disk into the store (never held in memory), its CID, size and name substituted
 * into the metadata, and the canonical metadata validated and stored. On any failure the pins
 * this call created are removed and the error is thrown: nothing is reported as stored.
 */
export async function packageWork(folder: string, store: ContentStore, options: PackageWorkOptions = {}): Promise<PackageWorkResult> {
  const root = await realpath(folder).catch((cause) => {
    throw new MetadataFileError({ file: folder, reason: `folder is not readable (${(cause as Error).message})` }, { cause });
  });
  const metadataPath = path.join(root, METADATA_FILE);
  const doc = await readMetadataFile(metadataPath);

  // 1. References and declared MIME types.
  const pending: PendingFile[] = [];
  for (const { keyPath, allowed } of fileFields(doc)) {
    const ref = getAt(doc, keyPath);
    if (ref === undefined || ref === null || typeof ref !== "object" || Array.isArray(ref)) continue; // schema reports it
    const field = jsonPath(keyPath);
    const r = ref as Record<string, unknown>;
    if (r.path === undefined) continue; // already stored ({cid, …}): the schema validates it
    if (r.cid !== undefined) {
      throw new MetadataValidationError([{ path: field, reason: "has both `path` and `cid`: give one" }], { source: METADATA_FILE });
    }
    if (typeof r.path !== "string" || r.path.length === 0) {
      throw new MetadataValidationError([{ path: `${field}.path`, reason: "must be a relative file path" }], { source: METADATA_FILE });
    }
    if (typeof r.mimeType !== "string") {
      throw new MetadataValidationError([{ path: `${field}.mimeType`, reason: "is required" }], { source: METADATA_FILE });
    }
    if (r.size !== undefined && (!Number.isSafeInteger(r.size) || (r.size as number) < 0)) {
      throw new MetadataValidationError([{ path: `${field}.size`, reason: "must be a non-negative integer" }], { source: METADATA_FILE });
    }
    const mime = normalizeMimeType(r.mimeType);
    if (mime === undefined || !allowed.includes(mime)) {
      throw new UnsupportedMimeTypeError({ file: r.path, field: `${field}.mimeType`, declared: r.mimeType, allowed: [...allowed] });
    }
    pending.push({ ref: r, relPath: r.path, field, absPath: "", mime, size: 0, declaredSize: r.size as number | undefined });
  }

  // 2. The whole document against the schema, with placeholders for files not stored yet.
  validateWorkMetadata(
    substitute(doc, pending, () => ({ cid: PLACEHOLDER_CID })),
    { source: METADATA_FILE },
  );

  // 3. Files: inside the folder, regular, readable, content matching the declared type and size.
  for (const file of pending) {
    options.signal?.throwIfAborted();
    options.onProgress?.({ phase: "checking", file: file.relPath });
    file.absPath = await resolveInside(root, file);
    const { size, head } = await sniffHead(file);
    file.size = size;
    if (file.declaredSize !== undefined && file.declaredSize !== size) {
      throw new SizeMismatchError({ file: file.relPath, field: `${file.field}.size`, declared: file.declaredSize, actual: size });
    }
    const sniffed = sniffMime(head, { complete: head.byteLength === size });
    if (sniffed === undefined || !mimeMatches(file.mime, sniffed)) {
      throw new MimeMismatchError({ file: file.relPath, field: `${file.field}.mimeType`, declared: String(file.ref.mimeType), sniffed: sniffed ?? null });
    }
  }

  // 4. Store: files streamed, then the metadata. Undo our pins on any failure.
  const pinnedByUs: CID[] = [];
  const stored = new Map<PendingFile, { cid: CID; size: number }>();
  const totalSize = pending.reduce((n, f) => n + f.size, 0);
  let doneBytes = 0;
  try {
    for (const file of pending) {
      options.signal?.throwIfAborted();
      const stream = createReadStream(file.absPath, { highWaterMark: READ_CHUNK, signal: options.signal });
      let added;
      try {
        added = await store.add(stream, {
          signal: options.signal,
          onProgress: ({ bytes }) =>
            options.onProgress?.({ phase: "adding", file: file.relPath, bytes, size: file.size, totalBytes: doneBytes + bytes, totalSize }),
        });
      } catch (cause) {
        if (isFsError(cause)) {
          throw new PackageFileError({ file: file.relPath, field: file.field, reason: "unreadable", message: (cause as Error).message }, { cause });
        }
        throw cause;
      } finally {
        stream.destroy();
      }
      if (added.newlyPinned) pinnedByUs.push(added.cid);
      if (added.size !== file.size) {
        throw new PackageFileError({
          file: file.relPath,
          field: file.field,
          reason: "changed-while-reading",
          message: `was ${file.size} bytes when checked but ${added.size} bytes were read`,
        });
      }
      doneBytes += added.size;
      stored.set(file, added);
      options.onProgress?.({ phase: "added", file: file.relPath, cid: added.cid.toString(), size: added.size });
    }

    options.onProgress?.({ phase: "metadata", totalSize });
    const finalDoc = substitute(doc, pending, (f) => ({ cid: stored.get(f)!.cid.toString() }));
    const metadata = validateWorkMetadata(finalDoc, { source: METADATA_FILE });
    const added = await store.add(canonicalJsonBytes(metadata), { signal: options.signal });
    if (added.newlyPinned) pinnedByUs.push(added.cid);
    options.onProgress?.({ phase: "done", metadataCid: added.cid.toString() });
    return {
      metadataCid: added.cid,
      metadata,
      files: pending.map((f) => ({ path: f.relPath, field: f.field, cid: stored.get(f)!.cid, size: f.size, mime: f.mime })),
    };
  } catch (err) {
    const undo = await Promise.allSettled(pinnedByUs.map((cid) => store.unpin(cid)));
    const failedUndo = undo.filter((u) => u.status === "rejected");
    if (err instanceof MetadataError && failedUndo.length === 0) throw err;
    if (err instanceof MetadataError || err instanceof IpfsError || failedUndo.length > 0) {
      throw new PackageStoreError(
        {
          file: null,
          reason: `${(err as Error).message}${failedUndo.length ? `; and ${failedUndo.length} pin(s) could not be removed` : ""}`,
        },
        { cause: err },
      );
    }
    if ((err as Error)?.name === "AbortError") throw err;
    throw new PackageStoreError({ file: null, reason: (err as Error)?.message ?? String(err) }, { cause: err });
  }
}

async function readMetadataFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw Object.assign(new Error("not a regular file"), { code: "ENOTFILE" });
    if (st.size > MAX_METADATA_BYTES) {
      throw new MetadataFileError({ file: METADATA_FILE, reason: `is ${st.size} bytes, more than ${MAX_METADATA_BYTES}` });
    }
    text = await readFile(file, "utf8");
  } catch (cause) {
    if (cause instanceof MetadataFileError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "is missing from the folder" : `is unreadable (${(cause as Error).message})`;
    throw new MetadataFileError({ file: METADATA_FILE, reason }, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new MetadataFileError({ file: METADATA_FILE, reason: `is not valid JSON (${(cause as Error).message})` }, { cause });
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new MetadataValidationError([{ path: "$", reason: "must be a JSON object" }], { source: METADATA_FILE });
  }
  return json as Record<string, unknown>;
}

async function resolveInside(root: string, file: PendingFile): Promise<string> {
  const fail = (reason: "not-found" | "outside-folder" | "not-a-file" | "unreadable", message: string, cause?: unknown) =>
    new PackageFileError({ file: file.relPath, field: `${file.field}.path`, reason, message }, { cause });
  const rel = file.relPath;
  if (path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.includes("\0") || rel.includes("\\")) {
    throw fail("outside-folder", "must be a relative path inside the folder");
  }
  const joined = path.resolve(root, rel);
  if (!isInside(root, joined)) throw fail("outside-folder", "points outside the folder");
  let real: string;
  try {
    real = await realpath(joined);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw fail("not-found", "does not exist", cause);
    throw fail("unreadable", (cause as Error).message, cause);
  }
  if (!isInside(root, real)) throw fail("outside-folder", "is a link to a file outside the folder");
  const st = await stat(real);
  if (!st.isFile()) throw fail("not-a-file", "is not a regular file");
  return real;
}

async function sniffHead(file: PendingFile): Promise<{ size: number; head: Uint8Array }> {
  let handle;
  try {
    handle = await open(file.absPath, "r");
    const st = await handle.stat();
    const head = new Uint8Array(Math.min(SNIFF_BYTES, st.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { size: st.size, head: head.subarray(0, bytesRead) };
  } catch (cause) {
    throw new PackageFileError({ file: file.relPath, field: `${file.field}.path`, reason: "unreadable", message: (cause as Error).message }, { cause });
  } finally {
    await handle?.close();
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function isFsError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) && !(err instanceof IpfsError);
}

function getAt(doc: unknown, keyPath: (string | number)[]): unknown {
  let v: unknown = doc;
  for (const k of keyPath) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** A deep copy of the document with each pending reference replaced by a stored reference. */
function substitute(doc: Record<string, unknown>, pending: PendingFile[], cidOf: (f: PendingFile) => { cid: string }): Record<string, unknown> {
  const copy = structuredClone(doc);
  for (const f of pending) {
    const keyPath = keyPathOf(f.field);
    const parent = getAt(copy, keyPath.slice(0, -1)) as Record<string | number, unknown>;
    const { path: _path, ...rest } = f.ref;
    parent[keyPath.at(-1)!] = { ...rest, ...cidOf(f), mimeType: f.mime, size: f.size, name: path.posix.basename(f.relPath) };
  }
  return copy;
}

function keyPathOf(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]/g)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}
