/**
 * The AssemblyScript memory ABI of graph-cli's compiled mappings (AS 0.19, `--runtime stub`), as
 * graph-node reads and writes it (runtime/wasm/src/asc_abi, runtime/wasm/src/to_from).
 *
 * Every managed object has a 20-byte header; `rtId` is the u32 at ptr − 8 and `rtSize` (payload
 * bytes) the u32 at ptr − 4. Objects are allocated with `__new(size, id_of_type(TypeId))`: graph-ts
 * TypeIds (exported as `TypeId.*` globals) are not runtime ids. Memory may grow on any allocation,
 * so views are re-created on every access.
 */
import { Wasm, type WasmMemory } from "./wasm";
import { ValueKind, type BigDecimalValue, type Entity, type Value } from "../entity";
import { BaseError } from "../../../core/errors";

export class AscAbiError extends BaseError<{ pointer?: number; what: string; reason: string }> {
  override readonly name = "AscAbiError" as const;
  readonly code: "ASC_NULL_POINTER" | "ASC_OUT_OF_BOUNDS" | "ASC_MISSING_EXPORT" | "ASC_BAD_VALUE";
  constructor(code: AscAbiError["code"], message: string, details: AscAbiError["details"], options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

/** graph-ts TypeId names the host allocates (global/global.ts). */
export type TypeIdName =
  | "String" | "ArrayBuffer" | "Uint8Array" | "BigDecimal" | "ArrayString" | "ArrayUint8Array"
  | "ArrayEthereumValue" | "ArrayStoreValue" | "ArrayJsonValue" | "ArrayEventParam"
  | "ArrayTypedMapEntryStringJsonValue" | "ArrayTypedMapEntryStringStoreValue"
  | "EventParam" | "EthereumTransaction" | "EthereumBlock" | "EthereumEvent" | "EthereumValue"
  | "StoreValue" | "JsonValue" | "TypedMapEntryStringStoreValue" | "TypedMapEntryStringJsonValue"
  | "TypedMapStringStoreValue" | "TypedMapStringJsonValue" | "WrappedBool" | "WrappedJsonValue"
  | "ResultJsonValueBool" | "TransactionReceipt" | "Log" | "ArrayLog" | "ArrayH256";

/** graph-ts `JSONValueKind`. */
export enum JsonKind { NULL = 0, BOOL = 1, NUMBER = 2, STRING = 3, ARRAY = 4, OBJECT = 5 }
/** A JSON value keeping numbers as their source text (graph-node keeps serde_json::Number). */
export type JsonValue =
  | { kind: JsonKind.NULL }
  | { kind: JsonKind.BOOL; value: boolean }
  | { kind: JsonKind.NUMBER; value: string }
  | { kind: JsonKind.STRING; value: string }
  | { kind: JsonKind.ARRAY; value: JsonValue[] }
  | { kind: JsonKind.OBJECT; value: [string, JsonValue][] };

/** graph-ts `ethereum.ValueKind`. */
export enum EthKind { ADDRESS = 0, FIXED_BYTES = 1, BYTES = 2, INT = 3, UINT = 4, BOOL = 5, STRING = 6, FIXED_ARRAY = 7, ARRAY = 8, TUPLE = 9 }
export type EthValue =
  | { kind: EthKind.ADDRESS | EthKind.FIXED_BYTES | EthKind.BYTES; value: Uint8Array }
  | { kind: EthKind.INT | EthKind.UINT; value: bigint }
  | { kind: EthKind.BOOL; value: boolean }
  | { kind: EthKind.STRING; value: string }
  | { kind: EthKind.FIXED_ARRAY | EthKind.ARRAY | EthKind.TUPLE; value: EthValue[] };

export interface MappingExports {
  memory: WasmMemory;
  __new(size: number, rtId: number): number;
  id_of_type(typeId: number): number;
  _start?: () => void;
  [name: string]: unknown;
}

const HEADER_RT_ID = 8;
const HEADER_RT_SIZE = 4;

const SMALL = 1n << 48n;

/** Up to this many bytes, copies and zero fills are plain loops (cheaper than a TypedArray builtin call). */
const SMALL_COPY = 64;

/**
 * Minimal little-endian two's complement bytes of `v` (graph-node BigInt::to_signed_bytes_le, i.e.
 * num-bigint's: zero is one byte `[0]`).
 */
export function bigIntToBytes(v: bigint): Uint8Array {
  if (v === 0n) return Uint8Array.of(0);
  if (v >= -SMALL && v < SMALL) {
    // Block numbers, indexes, small amounts: plain number arithmetic, no string round trip.
    let x = Number(v);
    const out: number[] = [];
    for (;;) {
      const byte = x & 0xff;
      out.push(byte);
      x = Math.floor(x / 256);
      if ((x === 0 && (byte & 0x80) === 0) || (x === -1 && (byte & 0x80) !== 0)) break;
    }
    // An indexed copy: Uint8Array.from walks the array's iterator (the slowest part of this function).
    const bytes = new Uint8Array(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = out[i];
    return bytes;
  }
  // Bytes needed: the magnitude (of ~v for negatives) plus a clear sign bit.
  const magnitude = (v < 0n ? -v - 1n : v).toString(16);
  let n = Math.ceil(magnitude.length / 2);
  if (magnitude.length % 2 === 0 && magnitude.charCodeAt(0) >= 0x38 /* '8' */) n++;
  const unsigned = v < 0n ? (1n << BigInt(8 * n)) + v : v;
  const out = Buffer.from(unsigned.toString(16).padStart(2 * n, "0"), "hex").reverse();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const HEX_DIGIT = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** Inverse of {@link bigIntToBytes}; any length (graph-node BigInt::from_signed_bytes_le). */
export function bytesToBigInt(b: Uint8Array): bigint {
  const n = b.length;
  if (n === 0) return 0n;
  const negative = (b[n - 1] & 0x80) !== 0;
  if (n <= 6) {
    // Ids, counts, timestamps, block numbers: exact in a double, one BigInt at the end.
    let x = 0;
    for (let i = n - 1; i >= 0; i--) x = x * 256 + b[i];
    return BigInt(negative ? x - 2 ** (8 * n) : x);
  }
  // Larger magnitudes (amounts, hashes): one hex parse instead of a BigInt operation per byte.
  let hex = "0x";
  for (let i = n - 1; i >= 0; i--) hex += HEX_BYTE[b[i]];
  const v = BigInt(hex);
  return negative ? v - (1n << BigInt(8 * n)) : v;
}

export class AscHeap {
  private readonly typeIds = new Map<string, number>();
  private readonly rtIds = new Map<string, number>();

  constructor(readonly exports: MappingExports) {
    for (const [name, value] of Object.entries(exports)) {
      if (name.startsWith("TypeId.") && value instanceof Wasm.Global) this.typeIds.set(name.slice(7), Number((value as { value: number }).value));
    }
  }

  private buffer: ArrayBuffer | null = null;
  private view: DataView | null = null;
  private bytes: Uint8Array | null = null;

  /** Views over the current memory; re-created only when memory grew (the buffer is replaced). */
  // memory.grow detaches the old ArrayBuffer (byteLength 0): only then are the views re-created.
  private get dv(): DataView {
    if (this.buffer === null || this.buffer.byteLength === 0) this.remap();
    return this.view!;
  }
  private get u8(): Uint8Array {
    if (this.buffer === null || this.buffer.byteLength === 0) this.remap();
    return this.bytes!;
  }
  private remap(): void {
    const b = this.exports.memory.buffer as ArrayBuffer;
    this.buffer = b;
    this.view = new DataView(b);
    this.bytes = new Uint8Array(b);
  }

  rtId(name: TypeIdName): number {
    let id = this.rtIds.get(name);
    if (id === undefined) {
      const typeId = this.typeIds.get(name);
      if (typeId === undefined) {
        throw new AscAbiError("ASC_MISSING_EXPORT", `the mapping does not export TypeId.${name}`, { what: name, reason: "missing TypeId global" });
      }
      id = this.exports.id_of_type(typeId);
      this.rtIds.set(name, id);
    }
    return id;
  }

  /** Allocate `size` zeroed payload bytes of graph-ts type `type`. */
  alloc(size: number, type: TypeIdName): number {
    const ptr = this.exports.__new(size, this.rtId(type));
    const u8 = this.u8;
    // Structs and enums are a few bytes: a loop beats a TypedArray.fill call over the whole memory.
    if (size <= SMALL_COPY) for (let i = ptr; i < ptr + size; i++) u8[i] = 0;
    else u8.fill(0, ptr, ptr + size);
    return ptr;
  }

  /** Allocate `size` payload bytes the caller overwrites entirely (no zero fill). */
  private allocFull(size: number, type: TypeIdName): number {
    return this.exports.__new(size, this.rtId(type));
  }

  private check(ptr: number, what: string): void {
    if (ptr === 0) throw new AscAbiError("ASC_NULL_POINTER", `null pointer reading ${what}`, { pointer: ptr, what, reason: "null pointer" });
    if (ptr < 20 || ptr > this.u8.length) {
      throw new AscAbiError("ASC_OUT_OF_BOUNDS", `pointer ${ptr} out of bounds reading ${what}`, { pointer: ptr, what, reason: "out of bounds" });
    }
  }

  u32(ptr: number): number {
    return this.dv.getUint32(ptr, true);
  }
  setU32(ptr: number, v: number): void {
    this.dv.setUint32(ptr, v, true);
  }
  rtSize(ptr: number): number {
    return this.u32(ptr - HEADER_RT_SIZE);
  }
  runtimeIdOf(ptr: number): number {
    return this.u32(ptr - HEADER_RT_ID);
  }

  // ─── String (UTF-16LE) ───────────────────────────────────────────────────
  readString(ptr: number): string {
    this.check(ptr, "String");
    const len = this.rtSize(ptr);
    return Buffer.from(this.u8.buffer, ptr, len).toString("utf16le");
  }
  /**
   * Memory below this address holds the same objects after every restore of the instance
   * (asc/snapshot.ts: data segments and `_start`'s objects); above it, memory is reused by the next
   * call. Infinity while the instance is never restored (the stub runtime never reuses memory).
   */
  staticEnd = Infinity;
  /**
   * Strings read by pointer, for names (entity types, field names): the mapping passes the same
   * literal again and again. Only strings below `staticEnd` are kept: AssemblyScript strings are
   * immutable, and memory there is never reused for another object.
   */
  private readonly names = new Map<number, string>();
  readName(ptr: number): string {
    let s = this.names.get(ptr);
    if (s === undefined) {
      s = this.readString(ptr);
      if (ptr < this.staticEnd) this.names.set(ptr, s);
    }
    return s;
  }
  writeString(s: string): number {
    const size = s.length * 2;
    const ptr = this.allocFull(size, "String");
    // Encoded straight into the instance's memory (UTF-16LE, two bytes per code unit).
    Buffer.from(this.u8.buffer, ptr, size).write(s, "utf16le");
    return ptr;
  }

  // ─── ArrayBuffer and Uint8Array views (Bytes, Address, BigInt) ──────────
  readArrayBuffer(ptr: number): Uint8Array {
    this.check(ptr, "ArrayBuffer");
    return this.u8.slice(ptr, ptr + this.rtSize(ptr));
  }
  writeArrayBuffer(bytes: Uint8Array): number {
    const ptr = this.allocFull(bytes.length, "ArrayBuffer");
    const u8 = this.u8;
    // Ids, addresses, hashes, BigInts: a loop beats a TypedArray.set call for a few dozen bytes.
    if (bytes.length <= SMALL_COPY) for (let i = 0; i < bytes.length; i++) u8[ptr + i] = bytes[i];
    else u8.set(bytes, ptr);
    return ptr;
  }
  /** A copy of the bytes a Uint8Array/Bytes/Address/BigInt view covers. */
  readBytes(ptr: number): Uint8Array {
    this.check(ptr, "Uint8Array");
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    const u8 = this.u8;
    if (byteLength <= SMALL_COPY && dataStart + byteLength <= u8.length) {
      // A small array is allocated inside the JS heap and copied by index (slice() allocates an ArrayBuffer).
      const out = new Uint8Array(byteLength);
      for (let i = 0; i < byteLength; i++) out[i] = u8[dataStart + i];
      return out;
    }
    return u8.slice(dataStart, dataStart + byteLength);
  }
  /**
   * The bytes a Uint8Array/Bytes view covers as a Buffer over the instance's memory, not a copy:
   * valid only until the next allocation (memory may grow); for immediate conversions (hex, UTF-8).
   */
  bytesView(ptr: number): Buffer {
    this.check(ptr, "Uint8Array");
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    const u8 = this.u8;
    // Clamped to the memory like slice() in readBytes.
    const start = Math.min(dataStart, u8.length);
    const end = Math.max(start, Math.min(dataStart + byteLength, u8.length));
    return Buffer.from(u8.buffer, start, end - start);
  }
  /**
   * `0x` and the lowercase hex of a Uint8Array/Bytes view, written straight into a new String
   * (UTF-16LE): no intermediate Buffer or JS string (typeConversion.bytesToHex, called for ids).
   */
  bytesToHexString(ptr: number): number {
    this.check(ptr, "Uint8Array");
    const dataStart = this.u32(ptr + 4);
    const byteLength = Math.max(0, Math.min(this.u32(ptr + 8), this.u8.length - dataStart));
    const out = this.allocFull(4 + 4 * byteLength, "String");
    const u8 = this.u8;
    u8[out] = 0x30; // '0'
    u8[out + 1] = 0;
    u8[out + 2] = 0x78; // 'x'
    u8[out + 3] = 0;
    for (let i = 0, o = out + 4; i < byteLength; i++, o += 4) {
      const b = u8[dataStart + i];
      u8[o] = HEX_DIGIT[b >> 4];
      u8[o + 1] = 0;
      u8[o + 2] = HEX_DIGIT[b & 15];
      u8[o + 3] = 0;
    }
    return out;
  }
  writeBytes(bytes: Uint8Array): number {
    const buffer = this.writeArrayBuffer(bytes);
    const ptr = this.alloc(12, "Uint8Array");
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, bytes.length);
    return ptr;
  }
  readBigInt(ptr: number): bigint {
    return bytesToBigInt(this.readBytes(ptr));
  }
  writeBigInt(v: bigint): number {
    return this.writeBytes(bigIntToBytes(v));
  }

  // ─── BigDecimal {digits: BigInt, exp: BigInt} ────────────────────────────
  readBigDecimal(ptr: number): BigDecimalValue {
    this.check(ptr, "BigDecimal");
    const digits = this.readBigInt(this.u32(ptr));
    const exp = this.readBigInt(this.u32(ptr + 4));
    return { digits, exp: Number(exp) };
  }
  writeBigDecimal(v: BigDecimalValue): number {
    const digits = this.writeBigInt(v.digits);
    const exp = this.writeBigInt(BigInt(v.exp));
    const ptr = this.alloc(8, "BigDecimal");
    this.setU32(ptr, digits);
    this.setU32(ptr + 4, exp);
    return ptr;
  }

  // ─── Array<ref> {buffer, dataStart, byteLength, length} ──────────────────
  readPointerArray(ptr: number): number[] {
    this.check(ptr, "Array");
    const dataStart = this.u32(ptr + 4);
    const length = this.u32(ptr + 12);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.u32(dataStart + 4 * i));
    return out;
  }
  writePointerArray(ptrs: number[], type: TypeIdName): number {
    const buffer = this.alloc(ptrs.length * 4, "ArrayBuffer");
    ptrs.forEach((p, i) => this.setU32(buffer + 4 * i, p));
    const ptr = this.alloc(16, type);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, ptrs.length * 4);
    this.setU32(ptr + 12, ptrs.length);
    return ptr;
  }
  readStringArray(ptr: number): string[] {
    return this.readPointerArray(ptr).map((p) => this.readString(p));
  }
  writeStringArray(items: string[]): number {
    return this.writePointerArray(items.map((s) => this.writeString(s)), "ArrayString");
  }

  // ─── Enums {kind i32, pad, data u64} ─────────────────────────────────────
  // The payload is read and written as two u32 words: a pointer, an i32 or a bool needs no BigInt.
  private enumKind(ptr: number, what: string): number {
    this.check(ptr, what);
    return this.dv.getInt32(ptr, true);
  }
  /** The payload's low word: a pointer (unsigned) or a bool byte. */
  private enumWord(ptr: number): number {
    return this.dv.getUint32(ptr + 8, true);
  }
  private writeEnum(kind: number, word: number, type: TypeIdName): number {
    const ptr = this.alloc(16, type);
    const dv = this.dv;
    dv.setInt32(ptr, kind, true);
    dv.setUint32(ptr + 8, word >>> 0, true);
    return ptr;
  }
  /** An i32 payload, sign-extended to 64 bits as graph-node's `i32 as u64`. */
  private writeEnumI32(kind: number, v: number, type: TypeIdName): number {
    const ptr = this.writeEnum(kind, v, type);
    if (v < 0) this.dv.setInt32(ptr + 12, -1, true);
    return ptr;
  }
  private writeEnum64(kind: number, v: bigint, type: TypeIdName): number {
    const ptr = this.alloc(16, type);
    this.dv.setInt32(ptr, kind, true);
    this.dv.setBigUint64(ptr + 8, BigInt.asUintN(64, v), true);
    return ptr;
  }

  readStoreValue(ptr: number): Value {
    const kind = this.enumKind(ptr, "store Value");
    switch (kind) {
      case ValueKind.STRING: return { kind, value: this.readString(this.enumWord(ptr)) };
      case ValueKind.INT: return { kind, value: this.dv.getInt32(ptr + 8, true) };
      case ValueKind.BIGDECIMAL: return { kind, value: this.readBigDecimal(this.enumWord(ptr)) };
      case ValueKind.BOOL: return { kind, value: (this.enumWord(ptr) & 0xff) !== 0 };
      case ValueKind.ARRAY: return { kind, value: this.readPointerArray(this.enumWord(ptr)).map((p) => this.readStoreValue(p)) };
      case ValueKind.NULL: return { kind };
      case ValueKind.BYTES: return { kind, value: this.readBytes(this.enumWord(ptr)) };
      case ValueKind.BIGINT: return { kind, value: this.readBigInt(this.enumWord(ptr)) };
      case ValueKind.INT8:
      case ValueKind.TIMESTAMP: return { kind, value: this.dv.getBigInt64(ptr + 8, true) };
      default:
        throw new AscAbiError("ASC_BAD_VALUE", `invalid store value kind ${kind}`, { pointer: ptr, what: "store Value", reason: `unknown kind ${kind}` });
    }
  }
  writeStoreValue(v: Value): number {
    switch (v.kind) {
      case ValueKind.STRING: return this.writeEnum(v.kind, this.writeString(v.value), "StoreValue");
      case ValueKind.INT: return this.writeEnumI32(v.kind, v.value, "StoreValue");
      case ValueKind.BIGDECIMAL: return this.writeEnum(v.kind, this.writeBigDecimal(v.value), "StoreValue");
      case ValueKind.BOOL: return this.writeEnum(v.kind, v.value ? 1 : 0, "StoreValue");
      case ValueKind.ARRAY: {
        const items = this.writePointerArray(v.value.map((e) => this.writeStoreValue(e)), "ArrayStoreValue");
        return this.writeEnum(v.kind, items, "StoreValue");
      }
      case ValueKind.NULL: return this.writeEnum(v.kind, 0, "StoreValue");
      case ValueKind.BYTES: return this.writeEnum(v.kind, this.writeBytes(v.value), "StoreValue");
      case ValueKind.BIGINT: return this.writeEnum(v.kind, this.writeBigInt(v.value), "StoreValue");
      case ValueKind.INT8:
      case ValueKind.TIMESTAMP: return this.writeEnum64(v.kind, v.value, "StoreValue");
    }
  }

  // ─── TypedMap<string, V> {entries: Array<TypedMapEntry{key, value}>} ─────
  readEntity(ptr: number): Entity {
    this.check(ptr, "Entity");
    const out: Entity = new Map();
    for (const entry of this.readPointerArray(this.u32(ptr))) {
      out.set(this.readName(this.u32(entry)), this.readStoreValue(this.u32(entry + 4)));
    }
    return out;
  }
  /**
   * Field names written into this instance, by text. AssemblyScript strings are immutable, so one
   * copy of each entity field name serves every entity written to WASM. A name written during a
   * call lies above `staticEnd`, in memory the next restore reuses: it is written again right after
   * that restore and becomes part of the restored state (see rewriteFieldNames).
   */
  private readonly fieldNames = new Map<string, number>();
  /** Whether a field name was written above `staticEnd` since the last restore. */
  private transientFieldNames = false;
  /**
   * Right after the instance was restored: writes again the field names the previous call wrote
   * (their memory was reused), so that they can join the restored state. True when there were any;
   * the caller then extends the snapshot over them and raises `staticEnd`.
   */
  rewriteFieldNames(): boolean {
    if (!this.transientFieldNames) return false;
    for (const [k, ptr] of this.fieldNames) if (ptr >= this.staticEnd) this.fieldNames.set(k, this.writeString(k));
    this.transientFieldNames = false;
    return true;
  }
  writeEntity(e: Entity): number {
    const entries: number[] = [];
    for (const [k, v] of e) {
      let key = this.fieldNames.get(k);
      if (key === undefined) {
        key = this.writeString(k);
        this.fieldNames.set(k, key);
        if (key >= this.staticEnd) this.transientFieldNames = true;
      }
      const value = this.writeStoreValue(v);
      const entry = this.alloc(8, "TypedMapEntryStringStoreValue");
      this.setU32(entry, key);
      this.setU32(entry + 4, value);
      entries.push(entry);
    }
    const array = this.writePointerArray(entries, "ArrayTypedMapEntryStringStoreValue");
    const ptr = this.alloc(4, "TypedMapStringStoreValue");
    this.setU32(ptr, array);
    return ptr;
  }
  writeEntityArray(items: Entity[]): number {
    // graph-ts declares Array<Entity>; graph-node allocates it as an array of store TypedMaps.
    return this.writePointerArray(items.map((e) => this.writeEntity(e)), "ArrayTypedMapEntryStringStoreValue");
  }

  // ─── JSONValue ───────────────────────────────────────────────────────────
  writeJsonValue(v: JsonValue): number {
    switch (v.kind) {
      case JsonKind.NULL: return this.writeEnum(v.kind, 0, "JsonValue");
      case JsonKind.BOOL: return this.writeEnum(v.kind, v.value ? 1 : 0, "JsonValue");
      case JsonKind.NUMBER:
      case JsonKind.STRING: return this.writeEnum(v.kind, this.writeString(v.value), "JsonValue");
      case JsonKind.ARRAY:
        return this.writeEnum(v.kind, this.writePointerArray(v.value.map((e) => this.writeJsonValue(e)), "ArrayJsonValue"), "JsonValue");
      case JsonKind.OBJECT: {
        const entries = v.value.map(([k, val]) => {
          const key = this.writeString(k);
          const value = this.writeJsonValue(val);
          const entry = this.alloc(8, "TypedMapEntryStringJsonValue");
          this.setU32(entry, key);
          this.setU32(entry + 4, value);
          return entry;
        });
        const array = this.writePointerArray(entries, "ArrayTypedMapEntryStringJsonValue");
        const map = this.alloc(4, "TypedMapStringJsonValue");
        this.setU32(map, array);
        return this.writeEnum(v.kind, map, "JsonValue");
      }
    }
  }
  /** Result<JSONValue, bool> {_value: Wrapped<JSONValue> | null, _error: Wrapped<bool> | null}. */
  writeJsonResult(v: JsonValue | null): number {
    const result = this.alloc(8, "ResultJsonValueBool");
    if (v === null) {
      const wrapped = this.alloc(4, "WrappedBool");
      this.u8[wrapped] = 1;
      this.setU32(result + 4, wrapped);
    } else {
      const value = this.writeJsonValue(v);
      const wrapped = this.alloc(4, "WrappedJsonValue");
      this.setU32(wrapped, value);
      this.setU32(result, wrapped);
    }
    return result;
  }

  // ─── ethereum.Value ──────────────────────────────────────────────────────
  readEthValue(ptr: number): EthValue {
    const kind = this.enumKind(ptr, "ethereum.Value");
    const pointer = this.enumWord(ptr);
    switch (kind) {
      case EthKind.ADDRESS:
      case EthKind.FIXED_BYTES:
      case EthKind.BYTES: return { kind, value: this.readBytes(pointer) };
      case EthKind.INT:
      case EthKind.UINT: return { kind, value: this.readBigInt(pointer) };
      case EthKind.BOOL: return { kind, value: (pointer & 0xff) !== 0 };
      case EthKind.STRING: return { kind, value: this.readString(pointer) };
      case EthKind.FIXED_ARRAY:
      case EthKind.ARRAY:
      case EthKind.TUPLE: return { kind, value: this.readPointerArray(pointer).map((p) => this.readEthValue(p)) };
      default:
        throw new AscAbiError("ASC_BAD_VALUE", `invalid ethereum value kind ${kind}`, { pointer: ptr, what: "ethereum.Value", reason: `unknown kind ${kind}` });
    }
  }
  writeEthValue(v: EthValue): number {
    switch (v.kind) {
      case EthKind.ADDRESS:
      case EthKind.FIXED_BYTES:
      case EthKind.BYTES: return this.writeEnum(v.kind, this.writeBytes(v.value), "EthereumValue");
      case EthKind.INT:
      case EthKind.UINT: return this.writeEnum(v.kind, this.writeBigInt(v.value), "EthereumValue");
      case EthKind.BOOL: return this.writeEnum(v.kind, v.value ? 1 : 0, "EthereumValue");
      case EthKind.STRING: return this.writeEnum(v.kind, this.writeString(v.value), "EthereumValue");
      default:
        return this.writeEnum(v.kind, this.writePointerArray(v.value.map((e) => this.writeEthValue(e)), "ArrayEthereumValue"), "EthereumValue");
    }
  }

  /** Writes `[u32 pointers]` as a plain object of `type` (struct of pointer fields). */
  writeStruct(fields: number[], type: TypeIdName): number {
    const ptr = this.alloc(fields.length * 4, type);
    fields.forEach((f, i) => this.setU32(ptr + 4 * i, f));
    return ptr;
  }
}
