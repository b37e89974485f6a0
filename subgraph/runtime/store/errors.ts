import { BaseError } from "../../../core/errors";
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
  | "AGGREGATION_VALUE"
  | "CLOSED";

export class StoreError extends BaseError<Record<string, unknown>> {
  override readonly name = "StoreError" as const;
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}
