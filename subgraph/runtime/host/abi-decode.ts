/**
 * Solidity ABI decoding straight into the runtime's EthValue (no ethers Result objects): event
 * parameters on the hot path and `ethereum.decode`. Non-validating like alloy's `abi_decode` /
 * ethabi: an address is the word's low 20 bytes, a bool any non-zero word, intN/uintN the word's low
 * N bits (two's complement for intN), strings decoded as lossy UTF-8. Truncated data or an offset /
 * length pointing outside the data throws AbiDecodeError.
 */
import type { ParamType } from "ethers";
import { hexToBytes } from "../asc/ethereum";
import { EthKind, type EthValue } from "../asc/heap";
import { BaseError } from "../../../core/errors";

export type AbiType =
  | { kind: "address" | "bool" | "bytes" | "string" }
  | { kind: "int" | "uint"; bits: number }
  | { kind: "fixedBytes"; size: number }
  | { kind: "array"; child: AbiType }
  | { kind: "fixedArray"; child: AbiType; length: number }
  | { kind: "tuple"; components: AbiType[] };

export class AbiDecodeError extends BaseError<{ type: string; offset: number; reason: string }> {
  override readonly name = "AbiDecodeError" as const;
  readonly code = "ABI_DECODE" as const;
  constructor(type: string, offset: number, reason: string) {
    super(`cannot decode ${type} at offset ${offset}: ${reason}`, { type, offset, reason });
  }
}

const cache = new WeakMap<ParamType, AbiType>();

/** The AbiType of an ethers ParamType (cached per ParamType object). */
export function abiTypeOf(p: ParamType): AbiType {
  let t = cache.get(p);
  if (t) return t;
  const base = p.baseType;
  if (base === "tuple") t = { kind: "tuple", components: p.components!.map(abiTypeOf) };
  else if (base === "array") t = p.arrayLength === -1 ? { kind: "array", child: abiTypeOf(p.arrayChildren!) } : { kind: "fixedArray", child: abiTypeOf(p.arrayChildren!), length: p.arrayLength! };
  else if (base === "address" || base === "bool" || base === "bytes" || base === "string") t = { kind: base };
  else if (/^bytes\d+$/.test(base)) t = { kind: "fixedBytes", size: Number(base.slice(5)) };
  else if (/^u?int\d*$/.test(base)) {
    const unsigned = base.startsWith("u");
    const bits = Number(base.slice(unsigned ? 4 : 3) || 256);
    t = { kind: unsigned ? "uint" : "int", bits };
  } else throw new AbiDecodeError(p.format(), 0, `unsupported ABI type ${base}`);
  cache.set(p, t);
  return t;
}

export function isDynamic(t: AbiType): boolean {
  switch (t.kind) {
    case "bytes":
    case "string":
    case "array":
      return true;
    case "fixedArray":
      return isDynamic(t.child);
    case "tuple":
      return t.components.some(isDynamic);
    default:
      return false;
  }
}

/** Bytes a value of `t` occupies in its enclosing head. */
function headSize(t: AbiType): number {
  if (isDynamic(t)) return 32;
  if (t.kind === "fixedArray") return t.length * headSize(t.child);
  if (t.kind === "tuple") return t.components.reduce((n, c) => n + headSize(c), 0);
  return 32;
}

const describe = (t: AbiType): string => {
  switch (t.kind) {
    case "int":
    case "uint":
      return `${t.kind}${t.bits}`;
    case "fixedBytes":
      return `bytes${t.size}`;
    case "array":
      return `${describe(t.child)}[]`;
    case "fixedArray":
      return `${describe(t.child)}[${t.length}]`;
    case "tuple":
      return `(${t.components.map(describe).join(",")})`;
    default:
      return t.kind;
  }
};

class Reader {
  private readonly view: Buffer;
  constructor(readonly data: Uint8Array) {
    this.view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  /** The 32-byte word at `at` must be inside the data. */
  need(t: AbiType, at: number): void {
    if (at < 0 || at + 32 > this.data.length) throw new AbiDecodeError(describe(t), at, `data too short (${this.data.length} bytes)`);
  }

  word(t: AbiType, at: number): bigint {
    this.need(t, at);
    const v = this.view;
    // Most words (amounts, ids, offsets, lengths, flags) fit in their low 8 bytes: one BigInt.
    if (v.readUInt32BE(at) === 0 && v.readUInt32BE(at + 4) === 0 && v.readUInt32BE(at + 8) === 0 && v.readUInt32BE(at + 12) === 0 && v.readUInt32BE(at + 16) === 0 && v.readUInt32BE(at + 20) === 0) {
      return v.readBigUInt64BE(at + 24);
    }
    return (v.readBigUInt64BE(at) << 192n) | (v.readBigUInt64BE(at + 8) << 128n) | (v.readBigUInt64BE(at + 16) << 64n) | v.readBigUInt64BE(at + 24);
  }

  /** A word used as an offset or length: must fit in the data. */
  size(t: AbiType, at: number): number {
    const w = this.word(t, at);
    if (w > BigInt(this.data.length)) throw new AbiDecodeError(describe(t), at, `offset or length ${w} exceeds the data (${this.data.length} bytes)`);
    return Number(w);
  }

  slice(t: AbiType, at: number, length: number): Uint8Array {
    if (at + length > this.data.length) throw new AbiDecodeError(describe(t), at, `needs ${length} bytes, data has ${this.data.length - at}`);
    return this.data.slice(at, at + length);
  }

  tuple(types: AbiType[], start: number): EthValue[] {
    const out: EthValue[] = new Array(types.length);
    let pos = start;
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (isDynamic(t)) {
        out[i] = this.value(t, start + this.size(t, pos));
        pos += 32;
      } else {
        out[i] = this.value(t, pos);
        pos += headSize(t);
      }
    }
    return out;
  }

  value(t: AbiType, at: number): EthValue {
    switch (t.kind) {
      case "uint": {
        const w = this.word(t, at);
        return { kind: EthKind.UINT, value: t.bits === 256 ? w : BigInt.asUintN(t.bits, w) };
      }
      case "int":
        return { kind: EthKind.INT, value: BigInt.asIntN(t.bits, this.word(t, at)) };
      case "address":
        this.need(t, at);
        return { kind: EthKind.ADDRESS, value: this.data.slice(at + 12, at + 32) };
      case "bool":
        return { kind: EthKind.BOOL, value: this.word(t, at) !== 0n };
      case "fixedBytes":
        this.need(t, at);
        return { kind: EthKind.FIXED_BYTES, value: this.data.slice(at, at + t.size) };
      case "bytes":
        return { kind: EthKind.BYTES, value: this.slice(t, at + 32, this.size(t, at)) };
      case "string":
        return { kind: EthKind.STRING, value: Buffer.from(this.slice(t, at + 32, this.size(t, at))).toString("utf8") };
      case "array": {
        const n = this.size(t, at);
        if (n * headSize(t.child) > this.data.length) throw new AbiDecodeError(describe(t), at, `array length ${n} exceeds the data`);
        return { kind: EthKind.ARRAY, value: this.tuple(new Array<AbiType>(n).fill(t.child), at + 32) };
      }
      case "fixedArray":
        return { kind: EthKind.FIXED_ARRAY, value: this.tuple(new Array<AbiType>(t.length).fill(t.child), at) };
      case "tuple":
        return { kind: EthKind.TUPLE, value: this.tuple(t.components, at) };
    }
  }
}

/** `abi.decode(data, (T1, …, Tn))`: the values of a parameter list (event data, function results). */
export function decodeAbi(types: AbiType[], data: Uint8Array): EthValue[] {
  return new Reader(data).tuple(types, 0);
}

/**
 * One static value from an indexed event topic: 32 bytes, or their `0x` hex as the RPC returns
 * them. A well-formed hex topic of a number, bool or address is read straight from the string (six
 * topics per licence purchase: no buffer and reader for each); anything else goes through the
 * reader as bytes.
 */
export function decodeTopic(t: AbiType, topic: Uint8Array | string): EthValue {
  if (typeof topic === "string") {
    if (topic.length === 66 && HEX_WORD.test(topic)) {
      switch (t.kind) {
        case "uint": {
          const w = BigInt(topic);
          return { kind: EthKind.UINT, value: t.bits === 256 ? w : BigInt.asUintN(t.bits, w) };
        }
        case "int":
          return { kind: EthKind.INT, value: BigInt.asIntN(t.bits, BigInt(topic)) };
        case "bool":
          return { kind: EthKind.BOOL, value: BigInt(topic) !== 0n };
        case "address":
          return { kind: EthKind.ADDRESS, value: hexToBytes(topic.slice(26)) };
      }
    }
    topic = hexToBytes(topic);
  }
  return new Reader(topic).value(t, 0);
}
const HEX_WORD = /^0[xX][0-9a-fA-F]{64}$/;

/** A value that cannot be encoded as the given type (ethereum.encode then returns null). */
export class AbiEncodeError extends BaseError<{ type: string; reason: string }> {
  override readonly name = "AbiEncodeError" as const;
  readonly code = "ABI_ENCODE" as const;
  constructor(type: string, reason: string) {
    super(`cannot encode ${type}: ${reason}`, { type, reason });
  }
}

const U256 = 1n << 256n;

function wordOf(v: bigint): Buffer {
  const b = Buffer.alloc(32);
  let x = v < 0n ? v + U256 : v;
  for (let i = 31; i >= 0 && x > 0n; i--) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

function padRight(bytes: Uint8Array): Buffer {
  const b = Buffer.alloc(Math.ceil(bytes.length / 32) * 32);
  b.set(bytes);
  return b;
}

function isBytesKind(v: EthValue): v is Extract<EthValue, { value: Uint8Array }> {
  return v.kind === EthKind.ADDRESS || v.kind === EthKind.FIXED_BYTES || v.kind === EthKind.BYTES;
}

function encodeValue(t: AbiType, v: EthValue): Buffer {
  switch (t.kind) {
    case "uint":
    case "int": {
      if (v.kind !== EthKind.INT && v.kind !== EthKind.UINT) throw new AbiEncodeError(describe(t), `expected a number, got kind ${v.kind}`);
      const x = v.value;
      const ok = t.kind === "uint" ? x >= 0n && x < 1n << BigInt(t.bits) : x >= -(1n << BigInt(t.bits - 1)) && x < 1n << BigInt(t.bits - 1);
      if (!ok) throw new AbiEncodeError(describe(t), `value ${x} out of bounds`);
      return wordOf(x);
    }
    case "address": {
      if (!isBytesKind(v) || v.value.length !== 20) throw new AbiEncodeError("address", "expected 20 bytes");
      const b = Buffer.alloc(32);
      b.set(v.value, 12);
      return b;
    }
    case "bool":
      if (v.kind !== EthKind.BOOL) throw new AbiEncodeError("bool", `expected a bool, got kind ${v.kind}`);
      return wordOf(v.value ? 1n : 0n);
    case "fixedBytes": {
      if (!isBytesKind(v) || v.value.length !== t.size) throw new AbiEncodeError(describe(t), `expected ${t.size} bytes`);
      const b = Buffer.alloc(32);
      b.set(v.value);
      return b;
    }
    case "bytes":
    case "string": {
      let bytes: Uint8Array;
      if (v.kind === EthKind.STRING) bytes = Buffer.from(v.value, "utf8");
      else if (isBytesKind(v)) bytes = v.value;
      else throw new AbiEncodeError(t.kind, `expected ${t.kind}, got kind ${v.kind}`);
      return Buffer.concat([wordOf(BigInt(bytes.length)), padRight(bytes)]);
    }
    case "array":
      if (v.kind !== EthKind.ARRAY && v.kind !== EthKind.FIXED_ARRAY && v.kind !== EthKind.TUPLE) throw new AbiEncodeError(describe(t), "expected an array");
      return Buffer.concat([wordOf(BigInt(v.value.length)), encodeSequence(new Array<AbiType>(v.value.length).fill(t.child), v.value)]);
    case "fixedArray":
      if ((v.kind !== EthKind.ARRAY && v.kind !== EthKind.FIXED_ARRAY && v.kind !== EthKind.TUPLE) || v.value.length !== t.length) throw new AbiEncodeError(describe(t), `expected ${t.length} items`);
      return encodeSequence(new Array<AbiType>(t.length).fill(t.child), v.value);
    case "tuple":
      if ((v.kind !== EthKind.ARRAY && v.kind !== EthKind.FIXED_ARRAY && v.kind !== EthKind.TUPLE) || v.value.length !== t.components.length) throw new AbiEncodeError(describe(t), `expected ${t.components.length} components`);
      return encodeSequence(t.components, v.value);
  }
}

/** Head/tail encoding of a parameter sequence (tuple body). */
function encodeSequence(types: AbiType[], values: EthValue[]): Buffer {
  const heads: Buffer[] = [];
  const tails: Buffer[] = [];
  let headLength = 0;
  for (const t of types) headLength += headSize(t);
  let tailLength = 0;
  for (let i = 0; i < types.length; i++) {
    const encoded = encodeValue(types[i], values[i]);
    if (isDynamic(types[i])) {
      heads.push(wordOf(BigInt(headLength + tailLength)));
      tails.push(encoded);
      tailLength += encoded.length;
    } else heads.push(encoded);
  }
  return Buffer.concat([...heads, ...tails]);
}

/** `abi.encode(v1, …, vn)` for the given types. */
export function encodeAbi(types: AbiType[], values: EthValue[]): Uint8Array {
  if (types.length !== values.length) throw new AbiEncodeError(`(${types.map(describe).join(",")})`, `expected ${types.length} values, got ${values.length}`);
  return new Uint8Array(encodeSequence(types, values));
}
