/**
 * The local chain's journal: one JSON line per entry, appended and fsynced before the JSON-RPC call
 * that caused it is answered.
 *   - a block: `{number, hash, timestamp, txs}` (raw signed transactions in block order);
 *   - a state call that changes the chain without mining (hardhat_setBalance, …): `{call: {method, params}}`.
 * Replaying the entries in order into a node started with the same genesis date gives the same
 * chain, block hashes included. A last line without its newline was torn by a crash while being
 * written; it was never acknowledged and is dropped.
 */
import fs from "node:fs";
import path from "node:path";
import { BaseError } from "../../core/errors";

export interface JournalBlock {
  number: number;
  hash: string;
  timestamp: number;
  /** Raw signed transactions in block order. */
  txs: string[];
}

export interface JournalCall {
  call: { method: string; params: unknown[] };
}

export type JournalEntry = JournalBlock | JournalCall;

export const isCall = (e: JournalEntry): e is JournalCall => (e as JournalCall).call !== undefined;

export class JournalCorruptError extends BaseError<{ file: string; line: number; offset: number; reason: string }> {
  override readonly name = "JournalCorruptError" as const;
  readonly code = "CHAIN_JOURNAL_CORRUPT" as const;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly offset: number,
    reason: string,
  ) {
    super(`the chain journal ${file} is unreadable at line ${line}: ${reason}`, { file, line, offset, reason });
  }
}

export interface JournalContents {
  entries: JournalEntry[];
  /** Byte offset where each entry starts (and, last, the end of the readable journal). */
  offsets: number[];
  /** Bytes of a torn last line (0 when the journal ends cleanly). */
  tornBytes: number;
  /** The first unreadable line, when the journal is corrupt before its end. */
  corrupt: JournalCorruptError | null;
}

/** Reads a journal; never throws on a bad line (the caller decides: refuse, or repair). */
export function readJournal(file: string): JournalContents {
  const buf = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
  const entries: JournalEntry[] = [];
  const offsets: number[] = [];
  let pos = 0;
  let line = 0;
  let corrupt: JournalCorruptError | null = null;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl === -1) break; // torn tail
    line++;
    const text = buf.subarray(pos, nl).toString("utf8");
    if (text.trim() !== "") {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(text) as JournalEntry;
        if (!isCall(entry) && (typeof entry.hash !== "string" || !Array.isArray(entry.txs))) throw new Error("neither a block nor a call");
      } catch (err) {
        corrupt = new JournalCorruptError(file, line, pos, (err as Error).message);
        break;
      }
      offsets.push(pos);
      entries.push(entry);
    }
    pos = nl + 1;
  }
  offsets.push(pos);
  return { entries, offsets, tornBytes: corrupt ? 0 : buf.length - pos, corrupt };
}

/** An open journal: appends are written and fsynced before they return. */
export class JournalWriter {
  private fd: number;
  private bytes: number;

  constructor(readonly file: string) {
    const existed = fs.existsSync(file);
    this.fd = fs.openSync(file, "a");
    this.bytes = fs.fstatSync(this.fd).size;
    if (!existed) fsyncDir(file);
  }

  /** The journal's length in bytes (where the next entry starts). */
  get size(): number {
    return this.bytes;
  }

  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    const out = Buffer.from(entries.map((e) => JSON.stringify(e) + "\n").join(""));
    let written = 0;
    while (written < out.length) written += fs.writeSync(this.fd, out, written);
    fs.fsyncSync(this.fd);
    this.bytes += out.length;
  }

  /** Cuts the journal back to `bytes` (an entry boundary), durably. */
  truncate(bytes: number): void {
    fs.ftruncateSync(this.fd, bytes);
    fs.fsyncSync(this.fd);
    this.bytes = bytes;
  }

  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/** Cuts a journal file at `bytes`, keeping what is cut in `<file>.discarded-<time>` (nothing is thrown away silently). */
export function truncateJournalFile(file: string, bytes: number): string | null {
  const size = fs.statSync(file).size;
  if (size <= bytes) return null;
  const tail = Buffer.alloc(size - bytes);
  const fd = fs.openSync(file, "r+");
  try {
    fs.readSync(fd, tail, 0, tail.length, bytes);
    const kept = `${file}.discarded-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.writeFileSync(kept, tail);
    fs.ftruncateSync(fd, bytes);
    fs.fsyncSync(fd);
    return kept;
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(file: string): void {
  try {
    const fd = fs.openSync(path.dirname(file), "r");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // not supported on this platform
  }
}
