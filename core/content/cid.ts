import { CID } from "multiformats/cid";
import { InvalidCidError } from "./errors";

/** dag-pb and raw: the codecs a UnixFS file can be addressed by. */
const DAG_PB = 0x70;
const RAW = 0x55;

/**
 * Parses a CID given as a string or a CID object; anything else, or a CID of a codec that cannot
 * hold a UnixFS file, becomes an InvalidCidError naming `field`.
 */
export function parseCid(value: unknown, field = "cid"): CID {
  let cid: CID | null = null;
  if (typeof value === "string") {
    const s = value.trim();
    if (s.length === 0) throw new InvalidCidError({ field, value, reason: "empty" });
    try {
      cid = CID.parse(s);
    } catch (cause) {
      throw new InvalidCidError({ field, value, reason: (cause as Error).message || "does not parse" }, { cause });
    }
  } else {
    cid = CID.asCID(value as object | null);
    if (cid === null) {
      throw new InvalidCidError({ field, value: String(value), reason: `expected a CID string, got ${typeof value}` });
    }
  }
  if (cid.code !== DAG_PB && cid.code !== RAW) {
    throw new InvalidCidError({ field, value: cid.toString(), reason: `codec 0x${cid.code.toString(16)} is not dag-pb or raw` });
  }
  return cid;
}

/** A string-keyed identity for a CID that ignores v0/v1 differences (base32 CIDv1). */
export function cidKey(cid: CID): string {
  return cid.toV1().toString();
}
