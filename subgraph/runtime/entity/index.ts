/**
 * Entity values as graph-node keeps them (graph/src/data/store/mod.rs `Value`), shared by the
 * AssemblyScript memory ABI (asc/), the schema validation (schema/), the host (host/) and the
 * store (store/). Nothing here knows how values are stored or transported.
 */

/** graph-node store ValueKind numbering (graph-ts `ValueKind`). */
export enum ValueKind {
  STRING = 0,
  INT = 1,
  BIGDECIMAL = 2,
  BOOL = 3,
  ARRAY = 4,
  NULL = 5,
  BYTES = 6,
  BIGINT = 7,
  INT8 = 8,
  TIMESTAMP = 9,
}

/** A BigDecimal as graph-node keeps it: value = digits × 10^exp, normalised. */
export interface BigDecimalValue {
  digits: bigint;
  exp: number;
}

export type Value =
  | { kind: ValueKind.STRING; value: string }
  | { kind: ValueKind.INT; value: number }
  | { kind: ValueKind.BIGDECIMAL; value: BigDecimalValue }
  | { kind: ValueKind.BOOL; value: boolean }
  | { kind: ValueKind.ARRAY; value: Value[] }
  | { kind: ValueKind.NULL }
  | { kind: ValueKind.BYTES; value: Uint8Array }
  | { kind: ValueKind.BIGINT; value: bigint }
  | { kind: ValueKind.INT8; value: bigint }
  | { kind: ValueKind.TIMESTAMP; value: bigint };

/** An entity's fields, `id` included. */
export type Entity = Map<string, Value>;

/** Entity ids are strings or bytes (Bytes ids), or Int8 for timeseries. */
export type EntityId = string | Uint8Array | bigint;
