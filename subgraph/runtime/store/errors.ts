/** Typed errors of the entity store. */
export type StoreErrorCode =
  | "STORE_OPEN"
  | "SCHEMA_MISMATCH"
  | "DEPLOYMENT_MISMATCH"
  | "UNKNOWN_ENTITY_TYPE"
  | "INVALID_VALUE"
  | "DUPLICATE_BLOCK_PROCESSING"
  | "DEPLOYMENT_FAILED"
  | "IMMUTABLE_ENTITY"
  | "INVALID_REVERT"
  | "INVALID_BATCH"
  | "CLOSED";

export class StoreError extends Error {
  override readonly name = "StoreError" as const;
  readonly code: StoreErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: StoreErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}
