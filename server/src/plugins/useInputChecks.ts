import type { Plugin } from "graphql-yoga";
import { ApiError } from "../errors";

export interface UseInputChecksOptions {
  /** Deepest nesting of objects and lists in `variables` and `extensions`. */
  maxVariableDepth?: number;
}

/** A UTF-16 string without lone surrogates (String.prototype.isWellFormed, ES2024). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/** Why a JSON value is refused, or null: nesting over `maxDepth`, or a string that is not valid Unicode (a lone surrogate). Iterative: no recursion for a hostile depth. */
export function checkJsonValue(value: unknown, root: string, maxDepth: number): { path: string; reason: string } | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (!isWellFormed(v)) return { path, reason: "contains a lone surrogate: not valid Unicode text" };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= maxDepth) return { path, reason: `nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: `${path}.${i}`, depth: depth + 1 }));
    else
      for (const [k, x] of Object.entries(v)) {
        if (!isWellFormed(k)) return { path, reason: "has a key with a lone surrogate: not valid Unicode text" };
        stack.push({ v: x, path: `${path}.${k}`, depth: depth + 1 });
      }
  }
  return null;
}

/**
 * Checks the request's GraphQL parameters before parsing: the query and every string in the
 * variables must be valid Unicode (a lone surrogate cannot be encoded for the chain or IPFS), and
 * variables are nested at most maxVariableDepth levels. Refusals are BAD_USER_INPUT (400) naming
 * the variable.
 */
export function useInputChecks(options: UseInputChecksOptions = {}): Plugin {
  const maxDepth = options.maxVariableDepth ?? 32;
  return {
    onParams({ params, setResult }) {
      const refuse = (field: string, reason: string) => setResult({ errors: [new ApiError("BAD_USER_INPUT", `${field}: ${reason}`, { field })] });
      if (typeof params.query === "string" && !isWellFormed(params.query)) return refuse("query", "contains a lone surrogate: not valid Unicode text");
      if (params.variables != null) {
        const bad = checkJsonValue(params.variables, "variables", maxDepth);
        if (bad) return refuse(bad.path, bad.reason);
      }
      if (params.extensions != null) {
        const bad = checkJsonValue(params.extensions, "extensions", maxDepth);
        if (bad) return refuse(bad.path, bad.reason);
      }
    },
  };
}
