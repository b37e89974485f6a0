/**
 * A folder lock held by one process: `<dir>/.lock` names the holder (pid, the process's start time,
 * what it is). A second holder is refused with an error naming the folder and the pid; a lock whose
 * holder is gone (killed, crashed) is taken over. Liveness is checked with signal 0 and, on Linux,
 * /proc: a zombie or a pid reused by another process does not count as the holder.
 */
import fs from "node:fs";
import path from "node:path";
import { BaseError } from "../../core/errors";

export interface LockHolder {
  pid: number;
  /** The holder's start time (Linux: jiffies since boot from /proc/<pid>/stat), to tell a reused pid apart. */
  startTime: string | null;
  purpose: string;
  since: string;
}

export class FolderLockedError extends BaseError<{ dir: string; holder: LockHolder }> {
  override readonly name = "FolderLockedError" as const;
  readonly code = "DATA_FOLDER_LOCKED" as const;
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data folder ${dir} is in use by ${holder.purpose} (pid ${holder.pid}, since ${holder.since}); ` +
        `stop that process first, or use another folder with --data <dir>`,
      { dir, holder },
    );
  }
}

export interface FolderLock {
  file: string;
  /** The holder this lock replaced, when a dead process had left it. */
  tookOverFrom: LockHolder | null;
  release(): void;
}

/** The start time of a process, or null when unknown (not Linux) or the process does not exist. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces and parentheses): state is 3rd, starttime 22nd.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote `holder` is still running (not a zombie, not a reused pid). */
export function holderAlive(holder: Pick<LockHolder, "pid" | "startTime">): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${holder.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return false;
    if (holder.startTime && fields[19] !== holder.startTime) return false;
  } catch {
    // no /proc: signal 0 is all we have
  }
  return true;
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
    return Number.isInteger(parsed.pid) ? parsed : null;
  } catch {
    return null; // gone, or torn by a crash while being written: not a live holder
  }
}

/**
 * Takes `<dir>/.lock` for this process. When another live process holds it, waits up to `waitMs`
 * (a previous holder that is shutting down) and then throws FolderLockedError.
 */
export async function lockFolder(dir: string, opts: { purpose: string; waitMs?: number }): Promise<FolderLock> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ".lock");
  const me: LockHolder = { pid: process.pid, startTime: processStartTime(process.pid), purpose: opts.purpose, since: new Date().toISOString() };
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let tookOverFrom: LockHolder | null = null;
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(me) + "\n", { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = readHolder(file);
    if (holder && holder.pid === process.pid) break; // already ours
    if (holder && holderAlive(holder)) {
      if (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      throw new FolderLockedError(dir, holder);
    }
    // The holder is gone: take the lock over.
    tookOverFrom = holder ?? { pid: 0, startTime: null, purpose: "an unreadable lock", since: "unknown" };
    fs.rmSync(file, { force: true });
  }
  let released = false;
  return {
    file,
    tookOverFrom,
    release() {
      if (released) return;
      released = true;
      if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}
