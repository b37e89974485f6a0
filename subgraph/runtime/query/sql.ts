/**
 * Translation of The Graph's `where`/`orderBy`/`first`/`skip` arguments into SQLite over the
 * store's tables, with graph-node's semantics (store/postgres/src/relational_queries.rs,
 * graphql/src/store/query.rs).
 */
import type { EntityTypeModel, FieldModel, InterfaceModel, SchemaModel, StoredScalar } from "../schema/model";
import { concreteTypes } from "../schema/model";
import { encodeBigDecimal, encodeBigInt, parseBigDecimal, bigDecimalToString, type SqlValue } from "../store/encoding";
import { BLOCK_MAX } from "../store/sqlite";
import { QueryError } from "./errors";
import { opsFor } from "./schema";

export type TypeModel = EntityTypeModel | InterfaceModel;
export const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

/**
 * Visibility of a version at `block`. At the head (block ≥ head) the current versions are exactly
 * those with an open range, which the partial index on (id) WHERE hi$ = ∞ serves.
 */
export function visible(alias: string, t: EntityTypeModel, block: number, head = Number.MAX_SAFE_INTEGER): string {
  if (block >= head) return t.immutable ? "1" : `${alias}."hi$" = ${BLOCK_MAX}`;
  return t.immutable ? `${alias}."block$" <= ${block}` : `${alias}."lo$" <= ${block} AND ${alias}."hi$" > ${block}`;
}

/** SQL expression rendering an id column as the JSON text used inside list columns. */
export function idJsonExpr(col: string, idType: string): string {
  if (idType === "Bytes") return `('0x' || lower(hex(${col})))`;
  if (idType === "Int8") return `CAST(${col} AS TEXT)`;
  return col;
}

/** SQL expression decoding that JSON text back to the column's type. */
export function idFromJsonExpr(expr: string, idType: string): string {
  if (idType === "Bytes") return `unhex(substr(${expr}, 3))`;
  if (idType === "Int8") return `CAST(${expr} AS INTEGER)`;
  return expr;
}

// ------------------------------------------------------------------ value coercion

function describe(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "bigint" ? v.toString() : JSON.stringify(v);
}

function coercionError(v: unknown, field: string, type: string): QueryError {
  return new QueryError("SCALAR_COERCION", `Failed to coerce value \`${describe(v)}\` of field \`${field}\` to scalar type \`${type}\``, { field, type });
}

export function parseBytes(v: unknown, field: string): Buffer {
  if (typeof v !== "string") throw coercionError(v, field, "Bytes");
  const hex = v.startsWith("0x") || v.startsWith("0X") ? v.slice(2) : v;
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) throw coercionError(v, field, "Bytes");
  return Buffer.from(hex, "hex");
}

function toBigInt(v: unknown, field: string, type: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  throw coercionError(v, field, type);
}

/** A filter value → SQL parameter for a column of `stored` type (references use the id type). */
export function scalarParam(stored: StoredScalar, v: unknown, field: string): SqlValue {
  switch (stored) {
    case "String":
      if (typeof v !== "string") throw coercionError(v, field, "String");
      return v;
    case "Bytes":
      return parseBytes(v, field);
    case "Int":
      if (typeof v !== "number" || !Number.isInteger(v) || v > 2147483647 || v < -2147483648) throw coercionError(v, field, "Int");
      return v;
    case "Int8":
      return toBigInt(v, field, "Int8");
    case "Timestamp":
      return toBigInt(v, field, "Timestamp");
    case "Boolean":
      if (typeof v !== "boolean") throw coercionError(v, field, "Boolean");
      return v ? 1 : 0;
    case "BigInt":
      return encodeBigInt(toBigInt(v, field, "BigInt"));
    case "BigDecimal": {
      const d = typeof v === "string" || typeof v === "number" || typeof v === "bigint" ? parseBigDecimal(String(v)) : null;
      if (!d) throw coercionError(v, field, "BigDecimal");
      return encodeBigDecimal(d);
    }
  }
}

/** A filter list element → the canonical JSON value stored in list columns. */
export function elementJson(stored: StoredScalar, v: unknown, field: string): string | number | boolean {
  switch (stored) {
    case "String":
      if (typeof v !== "string") throw coercionError(v, field, "String");
      return v;
    case "Bytes":
      return `0x${parseBytes(v, field).toString("hex")}`;
    case "Int":
      return scalarParam("Int", v, field) as number;
    case "Boolean":
      if (typeof v !== "boolean") throw coercionError(v, field, "Boolean");
      return v;
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return toBigInt(v, field, stored).toString();
    case "BigDecimal": {
      const d = parseBigDecimal(String(v));
      if (!d) throw coercionError(v, field, "BigDecimal");
      return bigDecimalToString(d);
    }
  }
}

function enumCheck(model: SchemaModel, f: FieldModel, v: unknown): void {
  if (f.kind !== "enum" || v === null) return;
  const e = model.enums.get(f.typeName)!;
  if (typeof v !== "string" || !e.values.includes(v)) {
    throw new QueryError(
      "SCALAR_COERCION",
      `Failed to coerce value \`${describe(v)}\` of field \`${f.name}\` to enum type \`${f.typeName}\`. Possible values are: ${e.values.join(", ")}`,
      { field: f.name },
    );
  }
}

// ------------------------------------------------------------------ filters

const ALL_OPS = [
  "_not_contains_nocase", "_not_starts_with_nocase", "_not_ends_with_nocase", "_contains_nocase", "_starts_with_nocase",
  "_ends_with_nocase", "_not_starts_with", "_not_ends_with", "_not_contains", "_starts_with", "_ends_with", "_contains",
  "_not_in", "_not", "_gte", "_lte", "_gt", "_lt", "_in",
];

export interface FilterContext {
  model: SchemaModel;
  block: number;
  /** The deployment head (visibility shortcut at the head). */
  head: number;
  params: SqlValue[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function splitKey(t: TypeModel, key: string): { field: FieldModel; op: string } | null {
  const exact = t.fieldMap.get(key);
  if (exact) return { field: exact, op: "" };
  for (const op of ALL_OPS) {
    if (key.endsWith(op)) {
      const f = t.fieldMap.get(key.slice(0, -op.length));
      if (f) return { field: f, op };
    }
  }
  return null;
}

function likePattern(v: string, op: string): string {
  const base = op.replace(/^_not/, "").replace(/_nocase$/, "");
  if (base === "_contains") return v.startsWith("%") || v.endsWith("%") ? v : `%${v}%`;
  if (base === "_starts_with") return v.endsWith("%") ? v : `${v}%`;
  return v.startsWith("%") ? v : `%${v}`; // _ends_with
}

/**
 * Compile a `where` object over concrete table `c` (alias) of type `ct`, with fields looked up
 * on `t` (the queried entity type or interface).
 */
export function compileFilter(ctx: FilterContext, t: TypeModel, ct: EntityTypeModel, alias: string, where: unknown, childLevel: boolean): string {
  if (where === null || where === undefined) return "1";
  if (!isObject(where)) throw new QueryError("INVALID_FILTER", "Filter must by an object");
  const keys = Object.keys(where).filter((k) => where[k] !== undefined);
  if (keys.includes("or")) {
    const columnKeys = keys.filter((k) => k !== "or" && k !== "and" && k !== "_change_block");
    if (columnKeys.length) {
      throw new QueryError(
        "MIXED_OR_FILTER",
        `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${columnKeys.join(", ")} alongside 'or' operator.\n\n` +
          `Instead of:\nwhere: { ${columnKeys[0]}: ..., or: [...] }\n\nUse:\nwhere: { or: [{ ${columnKeys[0]}: ..., ... }, { ${columnKeys[0]}: ..., ... }] }`,
        { fields: columnKeys },
      );
    }
  }
  const parts: string[] = [];
  for (const key of keys) {
    const value = where[key];
    if (key === "and" || key === "or") {
      if (value === null) continue;
      const list = Array.isArray(value) ? value : [value];
      const sub = list.map((w) => `(${compileFilter(ctx, t, ct, alias, w, childLevel)})`);
      parts.push(key === "and" ? (sub.length ? sub.join(" AND ") : "1") : sub.length ? sub.join(" OR ") : "0");
      continue;
    }
    if (key === "_change_block") {
      if (!isObject(value) || typeof value.number_gte !== "number") throw new QueryError("INVALID_FILTER", "Filter must by an object");
      parts.push(ct.immutable ? `${alias}."block$" >= ${Math.trunc(value.number_gte)}` : `${alias}."lo$" >= ${Math.trunc(value.number_gte)}`);
      continue;
    }
    const refField = key.endsWith("_") ? t.fieldMap.get(key.slice(0, -1)) : undefined;
    // Aggregations have child filters on reference dimensions only (not on first/last aggregates).
    if (refField?.isReference && !(t.kind === "entity" && t.aggregation && !opsFor(ctx.model, t, refField).length)) {
      const f = t.fieldMap.get(key.slice(0, -1))!;
      if (childLevel) {
        throw new QueryError("CHILD_FILTER_NESTING", `Child filter nesting not supported by value \`${key}\`: \`${describeFilter(value)}\``, { key });
      }
      parts.push(childFilter(ctx, ct, alias, f, value));
      continue;
    }
    const split = splitKey(t, key);
    if (!split || !opsFor(ctx.model, t, split.field).includes(split.op)) {
      throw new QueryError("UNKNOWN_FIELD", `Type \`${t.name}_filter\` has no field \`${key}\``, { key });
    }
    const ownField = ct.fieldMap.get(split.field.name) ?? split.field;
    parts.push(columnFilter(ctx, ownField, `${alias}.${q(ownField.column!)}`, split.op, value, key));
  }
  return parts.length ? parts.map((p) => `(${p})`).join(" AND ") : "1";
}

function describeFilter(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
}

function childFilter(ctx: FilterContext, ct: EntityTypeModel, alias: string, f: FieldModel, where: unknown): string {
  const target = ctx.model.entityTypes.get(f.typeName) ?? ctx.model.interfaces.get(f.typeName)!;
  const own = ct.fieldMap.get(f.name) ?? f;
  const alts: string[] = [];
  for (const child of concreteTypes(ctx.model, f.typeName)) {
    const ca = `c${ctx.params.length}_${alts.length}`;
    const filter = compileFilter(ctx, target, child, ca, where, true);
    let link: string;
    if (own.derivedFrom !== null) {
      const back = child.fieldMap.get(own.derivedFrom)!;
      link = back.list
        ? `EXISTS (SELECT 1 FROM json_each(${ca}.${q(back.column!)}) j WHERE j.value = ${idJsonExpr(`${alias}."id"`, ct.idType)})`
        : `${ca}.${q(back.column!)} = ${alias}."id"`;
    } else if (own.list) {
      link = `${ca}."id" IN (SELECT ${idFromJsonExpr("j.value", child.idType)} FROM json_each(${alias}.${q(own.column!)}) j)`;
    } else {
      link = `${ca}."id" = ${alias}.${q(own.column!)}`;
    }
    alts.push(`EXISTS (SELECT 1 FROM ${q(child.table)} ${ca} WHERE ${visible(ca, child, ctx.block, ctx.head)} AND ${link} AND ${filter})`);
  }
  return alts.length ? alts.join(" OR ") : "0";
}

function columnFilter(ctx: FilterContext, f: FieldModel, col: string, op: string, value: unknown, key: string): string {
  const p = (v: SqlValue): string => {
    ctx.params.push(v);
    return "?";
  };
  if (f.list) {
    if (value === null) {
      if (op === "") return `${col} IS NULL`;
      if (op === "_not") return `${col} IS NOT NULL`;
      throw new QueryError("INVALID_FILTER", `Non-list value passed to \`${key}\` filter`, { key });
    }
    if (!Array.isArray(value)) throw new QueryError("INVALID_FILTER", `Non-list value passed to \`${key}\` filter`, { key });
    const json = JSON.stringify(value.map((v) => (enumCheck(ctx.model, f, v), elementJson(f.stored, v, f.name))));
    switch (op) {
      case "":
        return `${col} = ${p(json)}`;
      case "_not":
        return `${col} <> ${p(json)}`;
      case "_contains":
        return `${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(${p(json)}) v WHERE v.value NOT IN (SELECT value FROM json_each(${col})))`;
      case "_not_contains":
        return `${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(${col}) a JOIN json_each(${p(json)}) b ON a.value = b.value)`;
      case "_contains_nocase":
        return `EXISTS (SELECT 1 FROM json_each(${col}) a, json_each(${p(json)}) b WHERE lower(a.value) LIKE lower(b.value))`;
      case "_not_contains_nocase":
        return `${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(${col}) a, json_each(${p(json)}) b WHERE lower(a.value) LIKE lower(b.value))`;
    }
    throw new QueryError("UNKNOWN_FIELD", `Type has no field \`${key}\``, { key });
  }
  const one = (v: unknown): SqlValue => {
    enumCheck(ctx.model, f, v);
    return scalarParam(f.stored, v, f.name);
  };
  switch (op) {
    case "":
      return value === null ? `${col} IS NULL` : `${col} = ${p(one(value))}`;
    case "_not":
      return value === null ? `${col} IS NOT NULL` : `${col} <> ${p(one(value))}`;
    case "_gt":
    case "_lt":
    case "_gte":
    case "_lte": {
      if (value === null) throw new QueryError("INVALID_FILTER", `Filter not supported by value \`null\`: \`${key}\``, { key });
      const sym = { _gt: ">", _lt: "<", _gte: ">=", _lte: "<=" }[op];
      return `${col} ${sym} ${p(one(value))}`;
    }
    case "_in":
    case "_not_in": {
      if (!Array.isArray(value)) {
        if (value === null) return "0";
        throw new QueryError("INVALID_FILTER", `Non-list value passed to \`${key}\` filter`, { key });
      }
      if (value.length === 0) return "0";
      const hasNull = value.some((v) => v === null);
      const vals = value.filter((v) => v !== null).map((v) => p(one(v)));
      if (op === "_in") {
        const inList = vals.length ? `${col} IN (${vals.join(", ")})` : "0";
        return hasNull ? `${col} IS NULL OR ${inList}` : inList;
      }
      const notIn = vals.length ? `${col} NOT IN (${vals.join(", ")})` : "0";
      return hasNull ? `${col} IS NOT NULL OR ${notIn}` : notIn;
    }
  }
  // String / Bytes pattern operators
  if (value === null) throw new QueryError("INVALID_FILTER", `Filter not supported by value \`null\`: \`${key}\``, { key });
  const negate = op.startsWith("_not");
  if (f.stored === "Bytes" && !f.isReference) {
    if (op !== "_contains" && op !== "_not_contains") throw new QueryError("UNKNOWN_FIELD", `Type has no field \`${key}\``, { key });
    return `instr(${col}, ${p(parseBytes(value, f.name))}) ${negate ? "= 0" : "> 0"}`;
  }
  if (typeof value !== "string") throw coercionError(value, f.name, "String");
  const nocase = op.endsWith("_nocase");
  const text = f.stored === "Bytes" ? `('0x' || lower(hex(${col})))` : col;
  const pattern = likePattern(value, op);
  const like = nocase ? `lower(${text}) LIKE lower(${p(pattern)})` : `${text} LIKE ${p(pattern)}`;
  return negate ? `NOT (${like})` : like;
}

// ------------------------------------------------------------------ ordering

export interface OrderSpec {
  /** SQL expression per concrete type (alias `c`), null means plain id order. */
  expr: ((ct: EntityTypeModel, alias: string) => string) | null;
  desc: boolean;
}

export function compileOrder(model: SchemaModel, t: TypeModel, orderBy: unknown, direction: unknown, block: number, head: number): OrderSpec {
  const desc = direction === "desc";
  if (orderBy === null || orderBy === undefined) return { expr: null, desc: false };
  if (typeof orderBy !== "string") throw new QueryError("ORDER_BY_NOT_SUPPORTED", `Ordering by \`${describe(orderBy)}\` is not supported for type \`${t.name}\``);
  const notSupported = () => new QueryError("ORDER_BY_NOT_SUPPORTED", `Ordering by \`${orderBy}\` is not supported for type \`${t.name}\``, { orderBy });
  const sep = orderBy.indexOf("__");
  if (sep > 0) {
    const f = t.fieldMap.get(orderBy.slice(0, sep));
    if (!f || !f.isReference || f.list || f.derivedFrom !== null) throw notSupported();
    const childModel = model.entityTypes.get(f.typeName) ?? model.interfaces.get(f.typeName)!;
    const g = childModel.fieldMap.get(orderBy.slice(sep + 2));
    if (!g || g.list || g.isReference || g.derivedFrom !== null) throw notSupported();
    return {
      desc,
      expr: (ct, alias) => {
        const own = ct.fieldMap.get(f.name)!;
        const subs = concreteTypes(model, f.typeName).map((child) => {
          const cg = child.fieldMap.get(g.name)!;
          return `(SELECT s.${q(cg.column!)} FROM ${q(child.table)} s WHERE s."id" = ${alias}.${q(own.column!)} AND ${visible("s", child, block, head)})`;
        });
        return subs.length === 1 ? subs[0]! : `COALESCE(${subs.join(", ")})`;
      },
    };
  }
  const f = t.fieldMap.get(orderBy);
  if (!f || f.list || f.derivedFrom !== null) throw notSupported();
  if (f.name === "id") return { expr: null, desc };
  return { desc, expr: (ct, alias) => `${alias}.${q(ct.fieldMap.get(f.name)!.column!)}` };
}

export { BLOCK_MAX };
