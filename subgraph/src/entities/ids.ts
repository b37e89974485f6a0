// Entity id encodings. The API computes the same ids, so every rule here is documented in
// docs/subgraph.md ("Entity ids") and must never change without a re-index.
//
// - uint256 on-chain ids (works, offers, licences): the 32-byte big-endian encoding of the number,
//   i.e. exactly `abi.encode(uint256)` — `0x000…0001` for id 1.
// - split versions: work id (32 bytes) ++ version as 4 bytes big-endian.
// - facts (event entities): `txHash ++ logIndex` with graph-ts' `concatI32` (4 bytes little-endian),
//   the convention of The Graph's best practices.
// - pairs (account ++ currency, work ++ currency, split ++ currency, split ++ recipient,
//   distribution ++ recipient): the plain concatenation of the two byte strings.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

/** A uint256 as 32 bytes, big-endian (`abi.encode(uint256)`). */
export function uint256Id(value: BigInt): Bytes {
  // BigInt is little-endian two's complement with a minimal length (a value with its top bit set
  // carries one extra 0x00 byte, which never holds a bit of a uint256).
  let out = new Bytes(32);
  let length = value.length < 32 ? value.length : 32;
  for (let i = 0; i < length; i++) {
    out[31 - i] = value[i];
  }
  return out;
}

/** A u32 as 4 bytes, big-endian. */
export function u32BigEndian(value: BigInt): Bytes {
  let out = new Bytes(4);
  let length = value.length < 4 ? value.length : 4;
  for (let i = 0; i < length; i++) {
    out[3 - i] = value[i];
  }
  return out;
}

/** Id of split version `version` of work `workId`: uint256Id(workId) ++ version (u32 big-endian). */
export function splitVersionId(workId: BigInt, version: BigInt): Bytes {
  return uint256Id(workId).concat(u32BigEndian(version));
}

/** Id of an event entity: `txHash ++ logIndex` (logIndex as i32, little-endian, graph-ts concatI32). */
export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

/** Id of a pair entity: `a ++ b`. */
export function pairId(a: Bytes, b: Bytes): Bytes {
  return a.concat(b);
}

/** Id of an identifier: the WorkKind as one byte ++ the bytes12 identifier. */
export function identifierId(kind: i32, identifier: Bytes): Bytes {
  let out = new Bytes(1);
  out[0] = kind as u8;
  return out.concat(identifier);
}

/** Id of metadata version `version` of work `workId`: uint256Id(workId) ++ version (u32 big-endian). */
export function metadataVersionId(workId: BigInt, version: BigInt): Bytes {
  return uint256Id(workId).concat(u32BigEndian(version));
}
