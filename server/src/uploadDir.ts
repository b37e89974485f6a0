import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BaseError } from "../../core/errors";

/**
 * The folder the API keeps its in-flight uploads in (UPLOAD_DIR). Each request gets its own
 * folder in it, named for the process that made it: `tantieme-multipart-<pid>-<random>` (the
 * multipart body, useStreamingUploads) and `tantieme-upload-<pid>-<random>` (a work being packaged,
 * uploadWork). A live process removes its folders when the request ends; a process that dies
 * (kill -9, a crash, power loss) cannot, so the next start sweeps the folders of processes that no
 * longer run.
 */
export const UPLOAD_FOLDER_PREFIXES = ["tantieme-multipart-", "tantieme-upload-"] as const;
export type UploadFolderPrefix = (typeof UPLOAD_FOLDER_PREFIXES)[number];

const OWNED = /^tantieme-(?:multipart|upload)-(\d+)-[^/\\]+$/;

/** A bad or unusable upload folder; names the variable. */
export class UploadDirError extends BaseError<{ dir: string; problem: string }> {
  override readonly name = "UploadDirError" as const;
  readonly code = "UPLOAD_DIR_INVALID" as const;
  readonly problem: string;
  constructor(
    readonly dir: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`UPLOAD_DIR: ${dir} ${problem}`, { dir, problem }, options);
    this.problem = `${dir} ${problem}`;
  }
}

/**
 * Where uploads go when UPLOAD_DIR is not set: a folder of the OS temp dir named for tantieme and
 * the user (`tantieme-uploads-<uid>`), so the API never scans or sweeps the shared temp folder.
 */
export function defaultUploadDir(): string {
  const who = typeof process.getuid === "function" ? String(process.getuid()) : os.userInfo().username.replace(/[^A-Za-z0-9_.-]/g, "_");
  return path.join(os.tmpdir(), `tantieme-uploads-${who}`);
}

/** Whether a process with this id runs (on this machine). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process id an upload folder is named for, or null when the name is not one of ours. */
export function uploadFolderOwner(name: string): number | null {
  const m = OWNED.exec(name);
  return m ? Number(m[1]) : null;
}

/** A new per-request folder in `root` (created, private, if missing), named for this process. */
export async function makeUploadFolder(root: string, prefix: UploadFolderPrefix): Promise<string> {
  await fsp.mkdir(root, { recursive: true, mode: 0o700 });
  return fsp.mkdtemp(path.join(root, `${prefix}${process.pid}-`));
}

/**
 * Run once at start, before serving: creates `root` (mode 0700) if missing, checks it is a folder
 * this user owns, and removes the upload folders left by processes that no longer run. A folder
 * named for this very process but older than it was left by an earlier process that had the same
 * id (as happens to a restarted container): stale too. Folders of live processes (this one's
 * included: a second server in the same process) and anything not named like an upload folder are
 * left alone. Returns the removed folders' names.
 */
export async function prepareUploadDir(root: string): Promise<string[]> {
  try {
    await fsp.mkdir(root, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new UploadDirError(root, `cannot be created: ${(cause as Error).message}`, { cause });
  }
  const st = await fsp.stat(root);
  if (!st.isDirectory()) throw new UploadDirError(root, "is not a folder");
  if (typeof process.getuid === "function" && st.uid !== process.getuid()) {
    throw new UploadDirError(root, `belongs to user ${st.uid}, not to this process's user ${process.getuid()}: the API keeps uploads only in a folder it owns`);
  }
  try {
    await fsp.access(root, fs.constants.W_OK);
  } catch (cause) {
    throw new UploadDirError(root, "is not writable", { cause });
  }
  const swept: string[] = [];
  for (const name of await fsp.readdir(root)) {
    const pid = uploadFolderOwner(name);
    if (pid === null) continue;
    if (pid === process.pid) {
      const st = await fsp.stat(path.join(root, name)).catch(() => null);
      if (!st || st.mtimeMs >= performance.timeOrigin) continue;
    } else if (processAlive(pid)) continue;
    await fsp.rm(path.join(root, name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept.sort();
}
