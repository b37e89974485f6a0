/**
 * JSON as graph-node reads it (serde_json with `arbitrary_precision`, without `preserve_order`):
 * numbers keep their source text, object keys come back sorted (BTreeMap) with the last duplicate
 * winning, input must be valid UTF-8 and a single JSON value.
 */
import { JsonKind, type JsonValue } from "../asc/heap";
import { DeterministicHostError } from "./errors";
import { BaseError } from "../../../core/errors";

class JsonSyntaxError extends BaseError<{ position: number }> {
  override readonly name = "JsonSyntaxError" as const;
  readonly code = "JSON_SYNTAX" as const;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJson(bytes: Uint8Array): JsonValue {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new JsonSyntaxError("invalid UTF-8 in JSON input", { position: 0 });
  }
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${i}`, { position: i });
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (c === 0x5c) i += 2;
      else if (c < 0x20) fail("control character in string");
      else i++;
    }
    return fail("EOF while parsing a string");
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const map = new Map<string, JsonValue>();
      ws();
      if (text[i] === "}") {
        i++;
      } else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail("expected a key");
          const k = str();
          ws();
          if (text[i] !== ":") fail("expected `:`");
          i++;
          map.set(k, value());
          ws();
          if (text[i] === ",") { i++; continue; }
          if (text[i] === "}") { i++; break; }
          fail("expected `,` or `}`");
        }
      }
      const keys = [...map.keys()].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
      return { kind: JsonKind.OBJECT, value: keys.map((k) => [k, map.get(k)!]) };
    }
    if (c === "[") {
      i++;
      const items: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
      } else {
        for (;;) {
          items.push(value());
          ws();
          if (text[i] === ",") { i++; continue; }
          if (text[i] === "]") { i++; break; }
          fail("expected `,` or `]`");
        }
      }
      return { kind: JsonKind.ARRAY, value: items };
    }
    if (c === '"') return { kind: JsonKind.STRING, value: str() };
    if (text.startsWith("true", i)) { i += 4; return { kind: JsonKind.BOOL, value: true }; }
    if (text.startsWith("false", i)) { i += 5; return { kind: JsonKind.BOOL, value: false }; }
    if (text.startsWith("null", i)) { i += 4; return { kind: JsonKind.NULL }; }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return { kind: JsonKind.NUMBER, value: m[0] };
    }
    return fail(i >= text.length ? "EOF while parsing a value" : "expected value");
  };
  const v = value();
  ws();
  if (i !== text.length) fail("trailing characters");
  return v;
}

/** json.fromBytes: a parse failure is a deterministic error. */
export function jsonFromBytes(bytes: Uint8Array): JsonValue {
  if (bytes.length > 10_000_000) throw new DeterministicHostError("JSON_TOO_LARGE", "JSON size exceeds max size of 10000000", { fn: "json.fromBytes" });
  try {
    return parseJson(bytes);
  } catch (cause) {
    throw new DeterministicHostError(
      "JSON_PARSE",
      `Failed to parse JSON from byte array. Bytes (truncated to 1024 chars): \`[${[...bytes.subarray(0, 1024)].join(", ")}]\`: ${(cause as Error).message}`,
      { fn: "json.fromBytes" },
      { cause },
    );
  }
}

/** json.try_fromBytes: null on failure (the mapping sees `isError`). */
export function jsonTryFromBytes(bytes: Uint8Array): JsonValue | null {
  try {
    return jsonFromBytes(bytes);
  } catch {
    return null;
  }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/** Rust `i64::from_str`: optional sign, decimal digits, in range. */
export function jsonToI64(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s) || BigInt(s) < I64_MIN || BigInt(s) > I64_MAX) {
    throw new DeterministicHostError("JSON_TO_I64", `JSON \`${s}\` cannot be parsed as i64`, { fn: "json.toI64", input: s });
  }
  return BigInt(s);
}
export function jsonToU64(s: string): bigint {
  if (!/^\+?\d+$/.test(s) || BigInt(s) > U64_MAX) {
    throw new DeterministicHostError("JSON_TO_U64", `JSON \`${s}\` cannot be parsed as u64`, { fn: "json.toU64", input: s });
  }
  return BigInt(s);
}
/** Rust `f64::from_str` (decimal, exponent, inf/nan words). */
export function jsonToF64(s: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (m) return m[2].toLowerCase() === "nan" ? NaN : m[1] === "-" ? -Infinity : Infinity;
  throw new DeterministicHostError("JSON_TO_F64", `JSON \`${s}\` cannot be parsed as f64`, { fn: "json.toF64", input: s });
}
export function jsonToBigInt(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) throw new DeterministicHostError("JSON_TO_BIG_INT", `JSON \`${s}\` is not a decimal string`, { fn: "json.toBigInt", input: s });
  return BigInt(s);
}
