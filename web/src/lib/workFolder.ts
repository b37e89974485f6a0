/**
 * A work folder dropped in the browser: metadata.json plus the files it names by `path`. Checked
 * here with the same metadata schema and MIME sniffer the API uses (web/src/lib/core.ts), before
 * anything is uploaded; the API checks again.
 */
import { MetadataValidationError, mimeMatches, normalizeMimeType, sniffMime, SNIFF_BYTES, validateWorkMetadata } from "./core";

export const METADATA_FILE = "metadata.json";
/** Stands in for the CIDs files will get (the CID of an empty file), so the schema can run before upload. */
const PLACEHOLDER_CID = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

export interface FolderIssue {
  path: string;
  reason: string;
}

export interface CheckedFolder {
  metadataText: string;
  metadata: Record<string, unknown>;
  files: File[];
  title: string;
  kind: string;
}

/** Every `{ path, … }` file reference in the document, with its JSON path. */
function refsOf(doc: unknown, at = "$"): { field: string; ref: Record<string, unknown> }[] {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => refsOf(v, `${at}[${i}]`));
  if (doc && typeof doc === "object") {
    const o = doc as Record<string, unknown>;
    if (typeof o.path === "string") return [{ field: at, ref: o }];
    return Object.entries(o).flatMap(([k, v]) => refsOf(v, `${at}.${k}`));
  }
  return [];
}

function substitute(doc: unknown, sizes: Map<string, number>): unknown {
  if (Array.isArray(doc)) return doc.map((v) => substitute(v, sizes));
  if (doc && typeof doc === "object") {
    const o = doc as Record<string, unknown>;
    if (typeof o.path === "string") {
      const { path, ...rest } = o;
      return { ...rest, cid: PLACEHOLDER_CID, size: sizes.get(path as string) ?? 0, name: (path as string).split("/").pop() };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, substitute(v, sizes)]));
  }
  return doc;
}

/** Checks a dropped folder; returns it ready to upload, or the problems (field path + reason). */
export async function checkWorkFolder(dropped: File[]): Promise<{ folder: CheckedFolder | null; issues: FolderIssue[] }> {
  const byName = new Map(dropped.map((f) => [f.name, f]));
  const metaFile = byName.get(METADATA_FILE);
  if (!metaFile) return { folder: null, issues: [{ path: METADATA_FILE, reason: "missing" }] };
  const metadataText = await metaFile.text();
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(metadataText) as Record<string, unknown>;
  } catch (err) {
    return { folder: null, issues: [{ path: METADATA_FILE, reason: `not JSON: ${(err as Error).message}` }] };
  }
  const issues: FolderIssue[] = [];
  const refs = refsOf(doc);
  const files: File[] = [];
  const sizes = new Map<string, number>();
  for (const { field, ref } of refs) {
    const name = String(ref.path);
    const file = byName.get(name);
    if (!file) {
      issues.push({ path: `${field}.path`, reason: `missing file ${name}` });
      continue;
    }
    sizes.set(name, file.size);
    files.push(file);
    const declared = typeof ref.mimeType === "string" ? normalizeMimeType(ref.mimeType) : undefined;
    if (!declared) {
      issues.push({ path: `${field}.mimeType`, reason: `unsupported type ${String(ref.mimeType)}` });
      continue;
    }
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const sniffed = sniffMime(head, { complete: head.byteLength === file.size });
    if (!sniffed || !mimeMatches(declared, sniffed)) issues.push({ path: `${field}.mimeType`, reason: `${name} is ${sniffed ?? "of an unknown type"}, not ${declared}` });
  }
  try {
    validateWorkMetadata(substitute(doc, sizes), { source: METADATA_FILE });
  } catch (err) {
    if (err instanceof MetadataValidationError) issues.push(...err.details.issues);
    else throw err;
  }
  if (issues.length > 0) return { folder: null, issues };
  return { folder: { metadataText, metadata: doc, files, title: String(doc.title ?? ""), kind: String(doc.kind ?? "") }, issues: [] };
}

/** Files from a drop: a folder (read one level deep) or loose files. */
export async function filesFromDrop(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files];
  const out: File[] = [];
  const readFile = (e: FileSystemFileEntry) => new Promise<File>((res, rej) => e.file(res, rej));
  for (const e of entries) {
    if (e.isFile) out.push(await readFile(e as FileSystemFileEntry));
    else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      const children = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      for (const c of children) if (c.isFile) out.push(await readFile(c as FileSystemFileEntry));
    }
  }
  return out;
}
