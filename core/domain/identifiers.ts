import { getAddress, isHexString } from "ethers";
import { BaseError } from "../errors";
import { checkIsrc, checkIswc, iswcCheckDigit, normalizeIsrc, normalizeIswc } from "../metadata/identifiers";

/** A value that failed to parse as an identifier, with the reason. */
export class InvalidIdentifierError extends BaseError<{ kind: IdentifierKind; value: unknown; reason: string }> {
  override readonly name = "InvalidIdentifierError" as const;
  readonly code = "INVALID_IDENTIFIER" as const;
  constructor(
    readonly kind: IdentifierKind,
    readonly value: unknown,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${JSON.stringify(value)} is not a valid ${kind}: ${reason}`, { kind, value, reason }, options);
  }
}

export type IdentifierKind = "ISRC" | "ISWC" | "address" | "id" | "bytes32" | "hash";

/**
 * ISRC (ISO 3901): CC-XXX-YY-NNNNN — country (2 letters), registrant (3 alphanumerics), year (2
 * digits), designation (5 digits). Hyphens, spaces and lower case are accepted on input; the
 * canonical form is the 12 characters without separators, upper case (as stored on-chain). The
 * syntax rule is the metadata validator's (core/metadata/identifiers.ts), the one rule.
 */
export function parseIsrc(input: unknown): string {
  if (typeof input !== "string") throw new InvalidIdentifierError("ISRC", input, "must be a string");
  const compact = normalizeIsrc(input);
  const problem = checkIsrc(compact);
  if (problem) throw new InvalidIdentifierError("ISRC", input, problem);
  return compact;
}

export { iswcCheckDigit };

/**
 * ISWC (ISO 15707): T + 9 digits + check digit. `T-034.524.680-1` and `T0345246801` are accepted;
 * the check digit is verified by the metadata validator's rule; the canonical form here is the 11
 * characters without separators (as stored on-chain; metadata documents carry T-DDDDDDDDD-C).
 */
export function parseIswc(input: unknown): string {
  if (typeof input !== "string") throw new InvalidIdentifierError("ISWC", input, "must be a string");
  const display = normalizeIswc(input);
  const problem = checkIswc(display);
  if (problem) throw new InvalidIdentifierError("ISWC", input, problem);
  return display.replace(/-/g, "");
}

/**
 * Checksummed forms of addresses already seen, by input spelling: EIP-55 is a keccak-256 per call
 * (in JavaScript, ~30 µs), and a service checks the same licensees over and over. Bounded: emptied
 * when full.
 */
const checksummed = new Map<string, string>();
const CHECKSUM_CACHE_SIZE = 10_000;

/** A 20-byte hex address (checksummed on output; a wrong mixed-case checksum is refused). */
export function parseAddress(input: unknown): string {
  if (typeof input !== "string") throw new InvalidIdentifierError("address", input, "must be a string");
  const known = checksummed.get(input);
  if (known !== undefined) return known;
  if (!/^0x[0-9a-fA-F]{40}$/.test(input)) throw new InvalidIdentifierError("address", input, "expected 0x followed by 40 hex digits");
  let address: string;
  try {
    address = getAddress(input);
  } catch (cause) {
    throw new InvalidIdentifierError("address", input, "bad EIP-55 checksum", { cause });
  }
  if (checksummed.size >= CHECKSUM_CACHE_SIZE) checksummed.clear();
  checksummed.set(input, address);
  return address;
}

const UINT256_MAX = (1n << 256n) - 1n;

/**
 * A uint256 id (work, offer, licence) given as a decimal string, or as the subgraph's 32-byte
 * big-endian hex id. Ids start at 1.
 */
export function parseId(input: unknown): bigint {
  if (typeof input === "number" && Number.isSafeInteger(input) && input > 0) return BigInt(input);
  if (typeof input !== "string") throw new InvalidIdentifierError("id", input, "must be a decimal string or a 32-byte hex id");
  const s = input.trim();
  let value: bigint;
  if (/^[0-9]{1,78}$/.test(s)) value = BigInt(s);
  else if (/^0x[0-9a-fA-F]{64}$/.test(s)) value = BigInt(s);
  else throw new InvalidIdentifierError("id", input, "must be a decimal integer or 0x + 64 hex digits");
  if (value === 0n) throw new InvalidIdentifierError("id", input, "ids start at 1");
  if (value > UINT256_MAX) throw new InvalidIdentifierError("id", input, "exceeds uint256");
  return value;
}

/** The subgraph id of a uint256: 32-byte big-endian, lower-case hex. */
export function idToBytes32(id: bigint): string {
  return "0x" + id.toString(16).padStart(64, "0");
}

/** A 32-byte hex value (transaction hash, split hash). */
export function parseBytes32(input: unknown, kind: "bytes32" | "hash" = "bytes32"): string {
  if (typeof input !== "string" || !isHexString(input, 32)) throw new InvalidIdentifierError(kind, input, "expected 0x followed by 64 hex digits");
  return input.toLowerCase();
}

/** Whether a work reference is an ISRC, an ISWC or an id, decided by its syntax. */
export type WorkRef = { by: "id"; id: bigint } | { by: "isrc"; isrc: string } | { by: "iswc"; iswc: string };

/** A work reference: an id (decimal or 32-byte hex), an ISRC, or an ISWC. */
export function parseWorkRef(input: unknown): WorkRef {
  if (typeof input === "string") {
    const s = input.trim();
    if (/^\d+$/.test(s) || /^0x[0-9a-fA-F]{64}$/.test(s)) return { by: "id", id: parseId(s) };
    if (/^T[-.\s\d]+$/i.test(s)) return { by: "iswc", iswc: parseIswc(s) };
    return { by: "isrc", isrc: parseIsrc(s) };
  }
  return { by: "id", id: parseId(input) };
}

/**
 * A compact ISRC (12 characters) or ISWC (11) as the `bytes12` Works.register takes: ASCII,
 * right-padded with zero bytes; no identifier is twelve zero bytes.
 */
export function identifierToBytes12(identifier: string | null | undefined): string {
  if (identifier && identifier.length > 12) throw new InvalidIdentifierError("ISRC", identifier, "an identifier has at most 12 characters");
  return "0x" + Buffer.from(identifier ?? "", "ascii").toString("hex").padEnd(24, "0");
}
