/**
 * ethereum.encode / ethereum.decode over ethers' AbiCoder with alloy's single-value semantics
 * (`DynSolValue::abi_encode` = `abi.encode(value)`, `DynSolType::abi_decode` = `abi.decode(data, (T))`).
 * Failures return null to the mapping, as graph-node does.
 */
import { ParamType, hexlify, type Result } from "ethers";
import { EthKind, type EthValue } from "../asc/heap";
import { hexToBytes } from "../asc/ethereum";
import { abiTypeOf, decodeAbi, encodeAbi } from "./abi-decode";


/** Parsed ParamTypes by type string (parsing dominates small encode/decode calls). Bounded. */
const types = new Map<string, ParamType>();
function paramType(signature: string): ParamType {
  let t = types.get(signature);
  if (!t) {
    t = ParamType.from(signature);
    if (types.size >= 1024) types.clear();
    types.set(signature, t);
  }
  return t;
}

export function ethTypeOf(v: EthValue): string {
  switch (v.kind) {
    case EthKind.ADDRESS: return "address";
    case EthKind.FIXED_BYTES: return `bytes${v.value.length}`;
    case EthKind.BYTES: return "bytes";
    case EthKind.INT: return "int256";
    case EthKind.UINT: return "uint256";
    case EthKind.BOOL: return "bool";
    case EthKind.STRING: return "string";
    case EthKind.FIXED_ARRAY: return `${v.value.length ? ethTypeOf(v.value[0]) : "uint256"}[${v.value.length}]`;
    case EthKind.ARRAY: return `${v.value.length ? ethTypeOf(v.value[0]) : "uint256"}[]`;
    case EthKind.TUPLE: return `(${v.value.map(ethTypeOf).join(",")})`;
  }
}

/** The value as ethers' AbiCoder takes it (reference for tests). */
export function toEthers(v: EthValue): unknown {
  switch (v.kind) {
    case EthKind.ADDRESS: return hexlify(v.value);
    case EthKind.FIXED_BYTES:
    case EthKind.BYTES: return hexlify(v.value);
    case EthKind.INT:
    case EthKind.UINT: return v.value;
    case EthKind.BOOL: return v.value;
    case EthKind.STRING: return v.value;
    default: return v.value.map(toEthers);
  }
}

export function ethEncode(v: EthValue): Uint8Array | null {
  try {
    return encodeAbi([abiTypeOf(paramType(ethTypeOf(v)))], [v]);
  } catch {
    return null;
  }
}

export function fromEthers(t: ParamType, v: unknown): EthValue {
  if (t.baseType === "tuple") {
    const r = v as Result;
    return { kind: EthKind.TUPLE, value: t.components!.map((c, i) => fromEthers(c, r[i])) };
  }
  if (t.baseType === "array") {
    const items = (v as Result).map((x: unknown) => fromEthers(t.arrayChildren!, x));
    return { kind: t.arrayLength === -1 ? EthKind.ARRAY : EthKind.FIXED_ARRAY, value: items };
  }
  if (t.baseType === "address") return { kind: EthKind.ADDRESS, value: hexToBytes(v as string) };
  if (t.baseType === "bool") return { kind: EthKind.BOOL, value: v as boolean };
  if (t.baseType === "string") return { kind: EthKind.STRING, value: v as string };
  if (t.baseType === "bytes") return { kind: EthKind.BYTES, value: hexToBytes(v as string) };
  if (t.baseType.startsWith("bytes")) return { kind: EthKind.FIXED_BYTES, value: hexToBytes(v as string) };
  if (t.baseType.startsWith("uint")) return { kind: EthKind.UINT, value: BigInt(v as bigint) };
  if (t.baseType.startsWith("int")) return { kind: EthKind.INT, value: BigInt(v as bigint) };
  throw new Error(`unsupported ABI type ${t.format()}`);
}

export function ethDecode(types: string, data: Uint8Array): EthValue | null {
  try {
    return decodeAbi([abiTypeOf(paramType(types))], data)[0];
  } catch {
    return null;
  }
}
