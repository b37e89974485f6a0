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
  | "INDEXING_ERROR"
  | "VALIDATION"
  | "FULLTEXT_SYNTAX";

/**
 * Errors graph-node does not attest (graph/src/data/query/error.rs is_attestable): their
 * result may differ between indexers, so the `graph-attestable` header is false.
 */
const NOT_ATTESTABLE: ReadonlySet<QueryErrorCode> = new Set<QueryErrorCode>(["RANGE_ARGUMENT", "AMBIGUOUS_DERIVED", "INDEXING_ERROR"]);

export class QueryError extends BaseError<Record<string, unknown>> {
  override readonly name = "QueryError" as const;
  readonly code: QueryErrorCode;
  readonly locations?: Array<{ line: number; column: number }>;
  constructor(code: QueryErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown; locations?: Array<{ line: number; column: number }> }) {
    super(message, details, options);
    this.code = code;
    this.locations = options?.locations;
  }

  get attestable(): boolean {
    return !NOT_ATTESTABLE.has(this.code);
  }
}
