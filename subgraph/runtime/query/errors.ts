import { BaseError } from "../../../core/errors";
/** A GraphQL query error with graph-node's message text (graph/src/data/query/error.rs). */
export type QueryErrorCode =
  | "PARSE"
  | "OPERATION_NAME_REQUIRED"
  | "NOT_SUPPORTED"
  | "UNKNOWN_FIELD"
  | "RANGE_ARGUMENT"
  | "ORDER_BY_NOT_SUPPORTED"
  | "INVALID_FILTER"
  | "CHILD_FILTER_NESTING"
  | "MIXED_OR_FILTER"
  | "VALUE_PARSE"
  | "SCALAR_COERCION"
  | "AMBIGUOUS_DERIVED"
  | "NOT_SYNCED"
  | "INDEXING_ERROR";

export class QueryError extends BaseError<Record<string, unknown>> {
  override readonly name = "QueryError" as const;
  readonly code: QueryErrorCode;
  readonly locations?: Array<{ line: number; column: number }>;
  constructor(code: QueryErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown; locations?: Array<{ line: number; column: number }> }) {
    super(message, details, options);
    this.code = code;
    this.locations = options?.locations;
  }
}
