import { Wasm } from "../asc/wasm";
import { BaseError } from "../../../core/errors";
/**
 * Errors raised while running mappings. graph-node distinguishes deterministic errors (the same
 * input always fails: the handler's writes are discarded and the subgraph fails at that block) from
 * non-deterministic ones (RPC, IPFS, DB: retried with backoff, nothing recorded).
 */

/** A deterministic failure of a host function or of the mapping itself (trap, abort, validation). */
export class DeterministicHostError extends BaseError<Record<string, unknown>> {
  override readonly name = "DeterministicHostError" as const;
  readonly code: string;
  readonly deterministic = true as const;
  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

/** A failure that may succeed on retry (RPC, IPFS, storage). Never recorded as a subgraph error. */
export class NonDeterministicHostError extends BaseError<Record<string, unknown>> {
  override readonly name = "NonDeterministicHostError" as const;
  readonly code: string;
  readonly deterministic = false as const;
  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

/** Loading a manifest or instantiating a mapping failed (missing file, unknown import, bad YAML). */
export class MappingLoadError extends BaseError<{ dataSource: string; file?: string; importName?: string; reason: string }> {
  override readonly name = "MappingLoadError" as const;
  readonly code: "UNKNOWN_IMPORT" | "MISSING_EXPORT" | "INVALID_WASM" | "START_FAILED";
  constructor(code: MappingLoadError["code"], message: string, details: MappingLoadError["details"], options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

/** The handler called abort() (assert, throw, unreachable path). Deterministic. */
export function abortMessage(message: string | null, file: string | null, line: number, column: number): string {
  return `Mapping aborted at ${file ?? "~lib/builtins.ts"}, line ${line}, column ${column}, with message: ${message ?? "(no message)"}`;
}

export function isDeterministic(err: unknown): boolean {
  if (err instanceof DeterministicHostError) return true;
  if (err instanceof NonDeterministicHostError) return false;
  // WebAssembly traps (unreachable, out of bounds, division by zero, …) are deterministic.
  if (err instanceof Wasm.RuntimeError) return !/call stack/i.test(err.message);
  if (err && typeof err === "object" && (err as { name?: string }).name === "EntityValidationError") return true;
  return false;
}
