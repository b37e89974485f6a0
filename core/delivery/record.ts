/**
 * One delivery of a licensed file, as the delivery service records it (server/src/delivery/
 * records.ts, one JSON line each) and as the API returns it to rights holders and licensees (the
 * web app's delivery tables read the same shape).
 */
export interface DeliveryRecord {
  id: string;
  /** ISO-8601 time the response ended. */
  at: string;
  workId: string;
  cid: string;
  /** JSON path of the file in the work metadata, e.g. `$.audio`. */
  field: string;
  /** The licence that allowed it; null for a rights holder. */
  licenceId: string | null;
  /** Who received it (the signed-in address). */
  recipient: string;
  role: "licensee" | "owner" | "split-recipient";
  /** Byte range of the delivered copy sent, inclusive; null for the whole file. */
  range: [number, number] | null;
  /** Size of the delivered copy (with its licence stamp). */
  size: number;
  /** Bytes actually sent. */
  bytes: number;
  /** sha256 (hex) of the bytes sent. */
  sha256: string;
  /** Which fingerprint was written into the file's metadata (a StampKind of stamp.ts: "wav-list-info", "png-text", "flac-vorbis-comment", "mp3-id3v2", "jpeg-com"), or "none". */
  stamp: string;
  complete: boolean;
}
