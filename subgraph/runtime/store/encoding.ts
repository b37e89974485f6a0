/**
 * Value encodings for SQLite, chosen so that SQL `=`, `<`, `ORDER BY` and `LIKE` behave like
 * graph-node's Postgres columns:
 * - String/ID/enum: TEXT, compared with BINARY collation (bytewise UTF-8, same as Postgres `C`).
 * - Bytes: BLOB (bytewise, a prefix sorts first, like bytea).
 * - Int, Int8, Timestamp (µs): INTEGER. Boolean: INTEGER 0/1.
 * - BigInt and BigDecimal: order-preserving BLOBs (see encodeBigInt / encodeBigDecimal), so that
 *   memcmp order is numeric order and equal numbers have equal encodings.
 * - Lists: JSON arrays of canonical element texts (Bytes as 0x-hex, BigInt/Int8/Timestamp as
 *   decimal strings, BigDecimal as plain decimal strings), so equal lists have equal text.
 */
import { ValueKind, type BigDecimalValue, type Entity, type Value } from "../entity";
import type { StoredScalar } from "../schema/model";
import { StoreError } from "./errors";

export type SqlValue = string | number | bigint | Buffer | null;

// ---------------------------------------------------------------- BigInt

function magnitudeBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return n === 0n ? Buffer.alloc(0) : Buffer.from(hex, "hex");
}

/** Order-preserving BLOB for an arbitrary-size signed integer: sign byte, length, magnitude. */
export function encodeBigInt(n: bigint): Buffer {
  if (n === 0n) return Buffer.from([0x80]);
  const neg = n < 0n;
  const mag = magnitudeBytes(neg ? -n : n);
  const out = Buffer.alloc(5 + mag.length);
  out[0] = neg ? 0x7f : 0x81;
  out.writeUInt32BE(neg ? ~mag.length >>> 0 : mag.length, 1);
  for (let i = 0; i < mag.length; i++) out[5 + i] = neg ? 0xff - mag[i]! : mag[i]!;
  return out;
}

export function decodeBigInt(b: Uint8Array): bigint {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf[0] === 0x80) return 0n;
  const neg = buf[0] === 0x7f;
  const body = Buffer.from(buf.subarray(5));
  if (neg) for (let i = 0; i < body.length; i++) body[i] = 0xff - body[i]!;
  const mag = body.length ? BigInt(`0x${body.toString("hex")}`) : 0n;
  return neg ? -mag : mag;
}

// ---------------------------------------------------------------- BigDecimal

/** Strip trailing zeros of the coefficient (zero is 0e0). */
export function normalizeBigDecimal(v: BigDecimalValue): BigDecimalValue {
  let { digits, exp } = v;
  if (digits === 0n) return { digits: 0n, exp: 0 };
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

const BIAS = 0x80000000;

/** Order-preserving BLOB: sign byte, biased adjusted exponent, significant digits (inverted for negatives). */
export function encodeBigDecimal(v: BigDecimalValue): Buffer {
  const { digits, exp } = normalizeBigDecimal(v);
  if (digits === 0n) return Buffer.from([0x80]);
  const neg = digits < 0n;
  const d = (neg ? -digits : digits).toString();
  const adjusted = exp + d.length - 1;
  const out = Buffer.alloc(5 + d.length + (neg ? 1 : 0));
  out[0] = neg ? 0x7f : 0x81;
  const e = (adjusted + BIAS) >>> 0;
  out.writeUInt32BE(neg ? ~e >>> 0 : e, 1);
  for (let i = 0; i < d.length; i++) out[5 + i] = neg ? 0xff - d.charCodeAt(i) : d.charCodeAt(i);
  if (neg) out[out.length - 1] = 0xff;
  return out;
}

export function decodeBigDecimal(b: Uint8Array): BigDecimalValue {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf[0] === 0x80) return { digits: 0n, exp: 0 };
  const neg = buf[0] === 0x7f;
  const rawE = buf.readUInt32BE(1);
  const adjusted = (neg ? ~rawE >>> 0 : rawE) - BIAS;
  let d = "";
  const end = neg ? buf.length - 1 : buf.length;
  for (let i = 5; i < end; i++) d += String.fromCharCode(neg ? 0xff - buf[i]! : buf[i]!);
  const digits = BigInt(d);
  return { digits: neg ? -digits : digits, exp: adjusted - d.length + 1 };
}

/** Plain decimal text, never exponent notation (graph-node prints `1324e6` as `1324000000`). */
export function bigDecimalToString(v: BigDecimalValue): string {
  const { digits, exp } = normalizeBigDecimal(v);
  const neg = digits < 0n;
  const d = (neg ? -digits : digits).toString();
  let s: string;
  if (exp >= 0) s = d + "0".repeat(exp);
  else if (-exp < d.length) s = `${d.slice(0, d.length + exp)}.${d.slice(d.length + exp)}`;
  else s = `0.${"0".repeat(-exp - d.length)}${d}`;
  return neg ? `-${s}` : s;
}

/** Parse a decimal text (`-1.5`, `1e-3`, `.5`, `10`). Returns null when not a number. */
export function parseBigDecimal(text: string): BigDecimalValue | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const intPart = m[2]!;
  const frac = m[3] ?? "";
  const e = m[4] ? Number(m[4]) : 0;
  let digits = BigInt((intPart + frac) || "0");
  if (m[1] === "-") digits = -digits;
  return normalizeBigDecimal({ digits, exp: e - frac.length });
}

// ---------------------------------------------------------------- hex

export function bytesToHex(b: Uint8Array): string {
  return `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex")}`;
}

// ---------------------------------------------------------------- values ↔ SQL

function kindName(v: Value): string {
  return ValueKind[v.kind] ?? String(v.kind);
}

function expectKind(v: Value, want: ValueKind, field: string): void {
  if (v.kind !== want) {
    throw new StoreError("INVALID_VALUE", `field \`${field}\` expects ${ValueKind[want]} but got ${kindName(v)}`, { field, kind: v.kind });
  }
}

/** One list element as the canonical JSON value stored inside list columns. */
export function elementToJson(stored: StoredScalar, v: Value, field: string): string | number | boolean {
  switch (stored) {
    case "String":
      expectKind(v, ValueKind.STRING, field);
      return (v as { value: string }).value;
    case "Bytes":
      expectKind(v, ValueKind.BYTES, field);
      return bytesToHex((v as { value: Uint8Array }).value);
    case "Int":
      expectKind(v, ValueKind.INT, field);
      return (v as { value: number }).value;
    case "Boolean":
      expectKind(v, ValueKind.BOOL, field);
      return (v as { value: boolean }).value;
    case "BigInt":
      expectKind(v, ValueKind.BIGINT, field);
      return (v as { value: bigint }).value.toString();
    case "Int8":
      expectKind(v, ValueKind.INT8, field);
      return (v as { value: bigint }).value.toString();
    case "Timestamp":
      expectKind(v, ValueKind.TIMESTAMP, field);
      return (v as { value: bigint }).value.toString();
    case "BigDecimal":
      expectKind(v, ValueKind.BIGDECIMAL, field);
      return bigDecimalToString((v as { value: BigDecimalValue }).value);
  }
}

export function elementFromJson(stored: StoredScalar, j: unknown): Value {
  switch (stored) {
    case "String":
      return { kind: ValueKind.STRING, value: String(j) };
    case "Bytes":
      return { kind: ValueKind.BYTES, value: new Uint8Array(Buffer.from(String(j).slice(2), "hex")) };
    case "Int":
      return { kind: ValueKind.INT, value: Number(j) };
    case "Boolean":
      return { kind: ValueKind.BOOL, value: Boolean(j) };
    case "BigInt":
      return { kind: ValueKind.BIGINT, value: BigInt(String(j)) };
    case "Int8":
      return { kind: ValueKind.INT8, value: BigInt(String(j)) };
    case "Timestamp":
      return { kind: ValueKind.TIMESTAMP, value: BigInt(String(j)) };
    case "BigDecimal":
      return { kind: ValueKind.BIGDECIMAL, value: parseBigDecimal(String(j))! };
  }
}

/** Scalar → SQL parameter. */
export function scalarToSql(stored: StoredScalar, v: Value, field: string): SqlValue {
  switch (stored) {
    case "String":
      expectKind(v, ValueKind.STRING, field);
      return (v as { value: string }).value;
    case "Bytes":
      expectKind(v, ValueKind.BYTES, field);
      return Buffer.from((v as { value: Uint8Array }).value);
    case "Int":
      expectKind(v, ValueKind.INT, field);
      return (v as { value: number }).value;
    case "Boolean":
      expectKind(v, ValueKind.BOOL, field);
      return (v as { value: boolean }).value ? 1 : 0;
    case "BigInt":
      expectKind(v, ValueKind.BIGINT, field);
      return encodeBigInt((v as { value: bigint }).value);
    case "Int8":
      expectKind(v, ValueKind.INT8, field);
      return (v as { value: bigint }).value;
    case "Timestamp":
      expectKind(v, ValueKind.TIMESTAMP, field);
      return (v as { value: bigint }).value;
    case "BigDecimal":
      expectKind(v, ValueKind.BIGDECIMAL, field);
      return encodeBigDecimal((v as { value: BigDecimalValue }).value);
  }
}

export function scalarFromSql(stored: StoredScalar, raw: SqlValue): Value {
  switch (stored) {
    case "String":
      return { kind: ValueKind.STRING, value: String(raw) };
    case "Bytes":
      return { kind: ValueKind.BYTES, value: new Uint8Array(raw as Buffer) };
    case "Int":
      return { kind: ValueKind.INT, value: Number(raw) };
    case "Boolean":
      return { kind: ValueKind.BOOL, value: Number(raw) !== 0 };
    case "BigInt":
      return { kind: ValueKind.BIGINT, value: decodeBigInt(raw as Buffer) };
    case "Int8":
      return { kind: ValueKind.INT8, value: BigInt(raw as bigint) };
    case "Timestamp":
      return { kind: ValueKind.TIMESTAMP, value: BigInt(raw as bigint) };
    case "BigDecimal":
      return { kind: ValueKind.BIGDECIMAL, value: decodeBigDecimal(raw as Buffer) };
  }
}

/** A field value (scalar or list) → SQL parameter. */
export function fieldToSql(stored: StoredScalar, list: boolean, v: Value | undefined, field: string): SqlValue {
  if (v === undefined || v.kind === ValueKind.NULL) return null;
  if (list) {
    if (v.kind !== ValueKind.ARRAY) {
      throw new StoreError("INVALID_VALUE", `field \`${field}\` expects a list but got ${kindName(v)}`, { field, kind: v.kind });
    }
    return JSON.stringify(v.value.map((e) => elementToJson(stored, e, field)));
  }
  return scalarToSql(stored, v, field);
}

export function fieldFromSql(stored: StoredScalar, list: boolean, raw: SqlValue): Value {
  if (raw === null) return { kind: ValueKind.NULL };
  if (list) {
    const arr = JSON.parse(String(raw)) as unknown[];
    return { kind: ValueKind.ARRAY, value: arr.map((j) => elementFromJson(stored, j)) };
  }
  return scalarFromSql(stored, raw);
}

// ---------------------------------------------------------------- tagged JSON (data source contexts)

type Tagged = [number, unknown];

function toTagged(v: Value): Tagged {
  switch (v.kind) {
    case ValueKind.STRING:
    case ValueKind.INT:
    case ValueKind.BOOL:
      return [v.kind, v.value];
    case ValueKind.NULL:
      return [v.kind, null];
    case ValueKind.BYTES:
      return [v.kind, bytesToHex(v.value)];
    case ValueKind.BIGINT:
    case ValueKind.INT8:
    case ValueKind.TIMESTAMP:
      return [v.kind, v.value.toString()];
    case ValueKind.BIGDECIMAL:
      return [v.kind, [v.value.digits.toString(), v.value.exp]];
    case ValueKind.ARRAY:
      return [v.kind, v.value.map(toTagged)];
  }
}

function fromTagged([kind, raw]: Tagged): Value {
  switch (kind as ValueKind) {
    case ValueKind.STRING:
      return { kind: ValueKind.STRING, value: raw as string };
    case ValueKind.INT:
      return { kind: ValueKind.INT, value: raw as number };
    case ValueKind.BOOL:
      return { kind: ValueKind.BOOL, value: raw as boolean };
    case ValueKind.NULL:
      return { kind: ValueKind.NULL };
    case ValueKind.BYTES:
      return { kind: ValueKind.BYTES, value: new Uint8Array(Buffer.from((raw as string).slice(2), "hex")) };
    case ValueKind.BIGINT:
      return { kind: ValueKind.BIGINT, value: BigInt(raw as string) };
    case ValueKind.INT8:
      return { kind: ValueKind.INT8, value: BigInt(raw as string) };
    case ValueKind.TIMESTAMP:
      return { kind: ValueKind.TIMESTAMP, value: BigInt(raw as string) };
    case ValueKind.BIGDECIMAL: {
      const [d, e] = raw as [string, number];
      return { kind: ValueKind.BIGDECIMAL, value: { digits: BigInt(d), exp: e } };
    }
    case ValueKind.ARRAY:
      return { kind: ValueKind.ARRAY, value: (raw as Tagged[]).map(fromTagged) };
  }
}

/** Lossless JSON of an Entity (used for data source contexts). */
export function entityToJson(e: Entity): string {
  return JSON.stringify([...e.entries()].map(([k, v]) => [k, toTagged(v)]));
}

export function entityFromJson(s: string): Entity {
  return new Map((JSON.parse(s) as Array<[string, Tagged]>).map(([k, t]) => [k, fromTagged(t)]));
}
