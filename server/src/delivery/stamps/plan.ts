/**
 * What every licence stamp shares: the plan (segments of the delivered copy), the fingerprint
 * and the bounded reader the format planners walk the original file with.
 */
import { BaseError } from "../../../../core/errors";

export type Segment = { kind: "source"; start: number; end: number } | { kind: "bytes"; data: Buffer };

export type StampKind = "wav-list-info" | "png-text" | "flac-vorbis-comment" | "mp3-id3v2" | "jpeg-com" | "none";

export interface StampPlan {
  stamp: StampKind;
  segments: Segment[];
  /** Size of the delivered copy. */
  size: number;
}

export interface Fingerprint {
  licenceId: string | null;
  recipient: string;
  workId: string;
}

/** Where the planner reads the original (plaintext) file. `read` returns bytes [start, end). */
export interface StampSource {
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/**
 * What a planner may read of one file: enough for every header walk a real file needs (a FLAC's
 * metadata block headers, an ID3v2 tag's frame headers, a JPEG's APPn segment headers), bounded so
 * that a crafted file cannot make the delivery read more. Past it the file is delivered unchanged.
 */
export const STAMP_READ_BUDGET = { bytes: 1024 * 1024, reads: 1024 };

/** The file is not what its header promises (or its metadata needs more than the budget): deliver it unchanged. */
export class NotStampable extends BaseError<{ reason: string }> {
  override readonly name = "NotStampable" as const;
  readonly code = "NOT_STAMPABLE" as const;
  constructor(reason: string) {
    super(reason, { reason });
  }
}

/** Bounded reads over a StampSource; bytes past the file or past the budget are NotStampable. */
export class StampReader {
  private bytesLeft: number;
  private readsLeft: number;

  constructor(
    private readonly source: StampSource,
    budget = STAMP_READ_BUDGET,
  ) {
    this.bytesLeft = budget.bytes;
    this.readsLeft = budget.reads;
  }

  get size(): number {
    return this.source.size;
  }

  /** Exactly `length` bytes at `start`. */
  async bytes(start: number, length: number): Promise<Buffer> {
    const end = start + length;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < 0 || length < 0 || end > this.source.size) throw new NotStampable(`bytes ${start}+${length} lie outside the file`);
    if (length === 0) return Buffer.alloc(0);
    if (length > this.bytesLeft || this.readsLeft === 0) throw new NotStampable("the file's metadata needs more reading than the stamp budget allows");
    this.bytesLeft -= length;
    this.readsLeft -= 1;
    const got = await this.source.read(start, end);
    if (got.byteLength !== length) throw new NotStampable(`short read at ${start}`);
    return Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  }

  /** Up to `length` bytes at `start` (fewer at the end of the file). */
  async upTo(start: number, length: number): Promise<Buffer> {
    return this.bytes(start, Math.max(0, Math.min(length, this.source.size - start)));
  }
}

/** The sentence every stamp carries (a comment field in each format). */
export function fingerprintText(f: Fingerprint): string {
  return `tantieme work ${f.workId}; ${f.licenceId ? `licence ${f.licenceId}` : "rights holder copy"}; delivered to ${f.recipient}`;
}

/** How every fingerprint text starts: a comment that starts so is ours, and is replaced on a new delivery. */
export const FINGERPRINT_PREFIX = "tantieme work ";

/** The key/value fields written where a format has named fields (FLAC Vorbis comments, ID3v2 TXXX). */
export function fingerprintFields(f: Fingerprint): [name: string, value: string][] {
  return [
    ["TANTIEME_LICENCE", f.licenceId ?? "rights holder copy"],
    ["TANTIEME_LICENSEE", f.recipient],
    ["TANTIEME_WORK", f.workId],
  ];
}

/** Is this field one of ours (matched case-insensitively, as Vorbis comment names are)? */
export function isFingerprintField(name: string): boolean {
  const n = name.toUpperCase();
  return n === "TANTIEME_LICENCE" || n === "TANTIEME_LICENSEE" || n === "TANTIEME_WORK";
}

export function plan(segments: Segment[], stamp: StampKind): StampPlan {
  const size = segments.reduce((n, s) => n + (s.kind === "bytes" ? s.data.length : s.end - s.start), 0);
  return { stamp, segments: segments.filter((s) => (s.kind === "bytes" ? s.data.length > 0 : s.end > s.start)), size };
}

export function unchanged(size: number): StampPlan {
  return plan([{ kind: "source", start: 0, end: size }], "none");
}

/** Source ranges [start, end) minus the sorted, disjoint `drop` ranges inside it. */
export function keep(start: number, end: number, drop: [number, number][]): Segment[] {
  const out: Segment[] = [];
  let at = start;
  for (const [s, e] of drop) {
    if (s > at) out.push({ kind: "source", start: at, end: s });
    at = Math.max(at, e);
  }
  if (end > at) out.push({ kind: "source", start: at, end });
  return out;
}
