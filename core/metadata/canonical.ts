import { CanonicalJsonError } from "./errors";
import { jsonPath } from "./validate";

/**
 * Canonical JSON: object keys sorted by UTF-16 code units (as RFC 8785 JCS), no insignificant
 * whitespace, every string (keys included) in Unicode NFC, numbers in ECMAScript form (JCS),
 * `undefined` object members dropped. Equal metadata therefore serialises to equal bytes and,
 * added with the Kubo layout, to an equal CID.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, [], new Set());
}

export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

function serialize(value: unknown, path: PropertyKey[], seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.normalize("NFC"));
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError({ path: jsonPath(path), reason: `${value} is not representable in JSON` });
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case "object": {
      if (value === null) return "null";
      if (seen.has(value)) throw new CanonicalJsonError({ path: jsonPath(path), reason: "is a circular reference" });
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          return `[${value.map((item, i) => {
            if (item === undefined) throw new CanonicalJsonError({ path: jsonPath([...path, i]), reason: "undefined is not allowed in arrays" });
            return serialize(item, [...path, i], seen);
          }).join(",")}]`;
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new CanonicalJsonError({ path: jsonPath(path), reason: `a ${proto?.constructor?.name ?? "non-plain"} object is not plain JSON` });
        }
        const entries = new Map<string, unknown>();
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          const key = k.normalize("NFC");
          if (entries.has(key)) throw new CanonicalJsonError({ path: jsonPath([...path, k]), reason: "duplicates another key after NFC normalisation" });
          entries.set(key, v);
        }
        const keys = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(entries.get(k), [...path, k], seen)}`).join(",")}}`;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new CanonicalJsonError({ path: jsonPath(path), reason: `a ${typeof value} is not representable in JSON` });
  }
}
