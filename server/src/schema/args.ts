import { badInput } from "../errors";
import {
  InvalidIdentifierError,
  InvalidRightError,
  InvalidTerritoryError,
  parseAddress,
  parseCountryCode,
  parseId,
  parseWorkRef,
  type WorkRef,
} from "../../../core/domain";

/** Argument parsers: each throws BAD_USER_INPUT naming `field` and the reason. */

function reason(err: unknown): string {
  if (err instanceof InvalidIdentifierError) return `${JSON.stringify(err.value)} is not a valid ${err.kind} (${err.reason})`;
  if (err instanceof InvalidTerritoryError || err instanceof InvalidRightError) return err.message;
  throw err;
}

export function address(value: unknown, field: string): string {
  try {
    return parseAddress(value);
  } catch (err) {
    throw badInput(field, reason(err));
  }
}

export function optionalAddress(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : address(value, field);
}

export function id(value: unknown, field: string): bigint {
  try {
    return parseId(value);
  } catch (err) {
    throw badInput(field, reason(err));
  }
}

export function workRef(value: unknown, field: string): WorkRef {
  try {
    return parseWorkRef(value);
  } catch (err) {
    throw badInput(field, `${JSON.stringify(value)} is not a work id, an ISRC or an ISWC (${err instanceof InvalidIdentifierError ? err.reason : (err as Error).message})`);
  }
}

export function country(value: unknown, field: string): string {
  try {
    return parseCountryCode(value);
  } catch (err) {
    throw badInput(field, reason(err));
  }
}

const MAX_UINT40 = (1n << 40n) - 1n;

/** A unix time in seconds (decimal string or number), 0 ≤ t < 2^40. */
export function timestamp(value: unknown, field: string): bigint {
  let t: bigint;
  if (typeof value === "number" && Number.isSafeInteger(value)) t = BigInt(value);
  else if (typeof value === "string" && /^\d{1,20}$/.test(value.trim())) t = BigInt(value.trim());
  else throw badInput(field, `${JSON.stringify(value)} is not a unix time in seconds`);
  if (t < 0n || t > MAX_UINT40) throw badInput(field, "must be between 0 and 2^40 − 1 seconds");
  return t;
}

/** A non-negative integer amount below 2^bits (wei or token units). */
export function amount(value: unknown, field: string, bits = 256): bigint {
  let v: bigint;
  if (typeof value === "number" && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === "string" && /^\d{1,78}$/.test(value.trim())) v = BigInt(value.trim());
  else throw badInput(field, `${JSON.stringify(value)} is not a non-negative integer amount`);
  if (v < 0n || v >= 1n << BigInt(bits)) throw badInput(field, `must be below 2^${bits}`);
  return v;
}

export function page(first: unknown, skip: unknown, maxFirst = 1000): { first: number; skip: number } {
  const f = first ?? 100;
  const s = skip ?? 0;
  if (!Number.isInteger(f) || (f as number) < 1 || (f as number) > maxFirst) throw badInput("first", `must be between 1 and ${maxFirst}`);
  if (!Number.isInteger(s) || (s as number) < 0 || (s as number) > 5000) throw badInput("skip", "must be between 0 and 5000");
  return { first: f as number, skip: s as number };
}
