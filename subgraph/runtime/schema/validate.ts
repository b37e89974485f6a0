/**
 * graph-node's `Entity::validate` (graph/src/data/store/mod.rs) over the schema model, for the
 * host's store.set: required fields present, values of the declared type, derived fields unset,
 * and (apiVersion ≥ 0.0.8) no undefined fields.
 */
import { ValueKind, type Entity, type EntityId, type Value } from "../entity";
import { EntityValidationError } from "./errors";
import type { FieldModel, SchemaModel, StoredScalar } from "./model";

const KIND_OF: Record<StoredScalar, ValueKind> = {
  String: ValueKind.STRING,
  Bytes: ValueKind.BYTES,
  Int: ValueKind.INT,
  Int8: ValueKind.INT8,
  BigInt: ValueKind.BIGINT,
  BigDecimal: ValueKind.BIGDECIMAL,
  Boolean: ValueKind.BOOL,
  Timestamp: ValueKind.TIMESTAMP,
};

const KIND_NAME: Record<ValueKind, string> = {
  [ValueKind.STRING]: "String",
  [ValueKind.INT]: "Int",
  [ValueKind.BIGDECIMAL]: "BigDecimal",
  [ValueKind.BOOL]: "Boolean",
  [ValueKind.ARRAY]: "List",
  [ValueKind.NULL]: "Null",
  [ValueKind.BYTES]: "Bytes",
  [ValueKind.BIGINT]: "BigInt",
  [ValueKind.INT8]: "Int8",
  [ValueKind.TIMESTAMP]: "Timestamp",
};

/** Render an id the way graph-node prints entity keys (`Bytes` as 0x-hex). */
export function formatEntityId(id: EntityId): string {
  if (typeof id === "string") return id;
  if (typeof id === "bigint") return id.toString();
  return `0x${Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString("hex")}`;
}

/** Display of a value inside error messages (close to graph-node's `Display for Value`). */
export function displayValue(v: Value): string {
  switch (v.kind) {
    case ValueKind.STRING:
      return v.value;
    case ValueKind.INT:
      return String(v.value);
    case ValueKind.BOOL:
      return String(v.value);
    case ValueKind.NULL:
      return "null";
    case ValueKind.BYTES:
      return formatEntityId(v.value);
    case ValueKind.BIGINT:
    case ValueKind.INT8:
    case ValueKind.TIMESTAMP:
      return v.value.toString();
    case ValueKind.BIGDECIMAL:
      return `${v.value.digits}e${v.value.exp}`;
    case ValueKind.ARRAY:
      return `[${v.value.map(displayValue).join(", ")}]`;
  }
}

function assignable(v: Value, want: StoredScalar, isList: boolean): boolean {
  if (v.kind === ValueKind.NULL) return true;
  if (v.kind === ValueKind.ARRAY) return isList && v.value.every((e) => assignable(e, want, false));
  return !isList && v.kind === KIND_OF[want];
}

export interface ValidateEntityOptions {
  /** Reject fields the type does not define (graph-node apiVersion ≥ 0.0.8). Default true. */
  rejectUndefinedFields?: boolean;
  /** `formatEntityId(id)` when the caller already has it (the id's text in error messages). */
  idText?: string;
}

/**
 * Validate a complete (merged) entity of `entityType` with key `id`.
 * @throws EntityValidationError with graph-node's message.
 */
export function validateEntity(model: SchemaModel, entityType: string, id: EntityId, entity: Entity, options: ValidateEntityOptions = {}): void {
  const idText = options.idText ?? formatEntityId(id);
  const type = model.entityTypes.get(entityType);
  if (!type) {
    throw new EntityValidationError("UNKNOWN_ENTITY_TYPE", `Entity ${entityType}[${idText}]: unknown entity type \`${entityType}\``, {
      entityType,
      id: idText,
      reason: "unknown entity type",
    });
  }
  if (options.rejectUndefinedFields ?? true) {
    let undefinedFields: string[] | null = null;
    for (const k of entity.keys()) if (!type.fieldMap.has(k)) (undefinedFields ??= []).push(k);
    if (undefinedFields) {
      throw new EntityValidationError(
        "UNDEFINED_FIELDS",
        `Attempted to set undefined fields [${undefinedFields.join(", ")}] for the entity type \`${entityType}\`. Make sure those fields are defined in the schema.`,
        { entityType, id: idText, field: undefinedFields[0], reason: "undefined field" },
      );
    }
  }
  for (const field of type.fields) {
    checkField(type.name, idText, field, entity.get(field.name));
  }
}

/** The field's type as error messages name it (built only when a check fails). */
function expectedType(field: FieldModel): string {
  return field.list ? `[${field.stored}]` : field.stored;
}

function checkField(entityType: string, id: string, field: FieldModel, value: Value | undefined): void {
  const present = value !== undefined && value.kind !== ValueKind.NULL;
  if (field.derivedFrom !== null) {
    if (present) {
      throw new EntityValidationError("DERIVED_FIELD_SET", `Entity ${entityType}[${id}]: field \`${field.name}\` is derived and cannot be set`, {
        entityType,
        id,
        field: field.name,
        reason: "derived field set",
      });
    }
    return;
  }
  if (!present) {
    if (field.nonNull) {
      throw new EntityValidationError("MISSING_VALUE", `Entity ${entityType}[${id}]: missing value for non-nullable field \`${field.name}\``, {
        entityType,
        id,
        field: field.name,
        reason: "missing value",
      });
    }
    return;
  }
  if (field.list && value.kind === ValueKind.ARRAY) {
    value.value.forEach((elt, index) => {
      if (!assignable(elt, field.stored, false)) {
        throw new EntityValidationError(
          "MISMATCHED_LIST_ELEMENT",
          `Entity ${entityType}[${id}]: field \`${field.name}\` is of type ${expectedType(field)}, but the value \`${displayValue(value)}\` contains a ${KIND_NAME[elt.kind]} at index ${index}`,
          { entityType, id, field: field.name, reason: "mismatched list element" },
        );
      }
    });
  }
  if (!assignable(value, field.stored, field.list)) {
    throw new EntityValidationError(
      "INVALID_FIELD_TYPE",
      `Entity ${entityType}[${id}]: the value \`${displayValue(value)}\` for field \`${field.name}\` must have type ${expectedType(field)} but has type ${KIND_NAME[value.kind]}`,
      { entityType, id, field: field.name, reason: "invalid field type" },
    );
  }
}
