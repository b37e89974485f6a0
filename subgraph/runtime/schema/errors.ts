import { BaseError } from "../../../core/errors";
/**
 * Typed errors of the schema layer. Messages follow graph-node's texts
 * (graph/src/schema/mod.rs SchemaValidationError, graph/src/data/store/mod.rs
 * EntityValidationError) so that a subgraph fails here the way it would there.
 */

export type SchemaErrorCode =
  | "SCHEMA_PARSE"
  | "SCHEMA_INVALID"
  | "SCHEMA_UNSUPPORTED";

/** schema.graphql could not be parsed or violates graph-node's schema rules. */
export class SchemaError extends BaseError<{ type?: string; field?: string; reason: string }> {
  override readonly name = "SchemaError" as const;
  readonly code: SchemaErrorCode;
  constructor(
    code: SchemaErrorCode,
    message: string,
    details: { type?: string; field?: string; reason: string },
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
    this.code = code;
  }
}

export type EntityValidationErrorCode =
  | "UNKNOWN_ENTITY_TYPE"
  | "MISSING_VALUE"
  | "INVALID_FIELD_TYPE"
  | "MISMATCHED_LIST_ELEMENT"
  | "DERIVED_FIELD_SET"
  | "UNDEFINED_FIELDS"
  | "ID_MISMATCH";

/** An entity does not match its type in the schema (graph-node Entity::validate). Deterministic. */
export class EntityValidationError extends BaseError<{ entityType: string; id: string; field?: string; reason: string }> {
  override readonly name = "EntityValidationError" as const;
  readonly code: EntityValidationErrorCode;
  constructor(
    code: EntityValidationErrorCode,
    message: string,
    details: { entityType: string; id: string; field?: string; reason: string },
  ) {
    super(message, details);
    this.code = code;
  }
}
