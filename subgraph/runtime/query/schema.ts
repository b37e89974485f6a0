/**
 * The Graph's query schema generated from the entity model (graph/src/schema/api.rs), as SDL
 * built into a graphql-js schema so that introspection (and GraphiQL) sees what graph-node serves.
 */
import { buildSchema, type GraphQLSchema } from "graphql";
import type { AggregationModel, EntityTypeModel, FieldModel, InterfaceModel, SchemaModel, StoredScalar } from "../schema/model";

type TypeModel = EntityTypeModel | InterfaceModel;

const NUMERIC_OPS = ["", "_not", "_gt", "_lt", "_gte", "_lte", "_in", "_not_in"];
const STRING_OPS = [
  ...NUMERIC_OPS,
  "_contains", "_contains_nocase", "_not_contains", "_not_contains_nocase",
  "_starts_with", "_starts_with_nocase", "_not_starts_with", "_not_starts_with_nocase",
  "_ends_with", "_ends_with_nocase", "_not_ends_with", "_not_ends_with_nocase",
];

/** The filter operators graph-node generates for a field (api.rs field_filter_ops). */
export function filterOps(field: FieldModel): string[] {
  if (field.derivedFrom !== null) return [];
  if (field.list) {
    const ops = ["", "_not", "_contains", "_not_contains"];
    if (field.stored === "String") ops.push("_contains_nocase", "_not_contains_nocase");
    return ops;
  }
  if (field.isReference) return field.stored === "Int8" ? NUMERIC_OPS : STRING_OPS;
  if (field.kind === "enum" || field.stored === "Boolean") return ["", "_not", "_in", "_not_in"];
  if (field.typeName === "String") return STRING_OPS;
  if (field.typeName === "Bytes") return [...NUMERIC_OPS, "_contains", "_not_contains"];
  return NUMERIC_OPS;
}

/**
 * Filter operators of an aggregation's `where` (api.rs field_filter_ops with FilterOps::Aggregation):
 * only id, timestamp and dimensions; numbers and timestamps take "", gt, lt, gte, lte, in; other
 * scalars (and references, by their id's scalar) only equality; enums keep the object operators.
 */
export function aggregationFilterOps(agg: AggregationModel, field: FieldModel): string[] {
  if (agg.aggregates.some((a) => a.field.name === field.name) || field.list) return [];
  if (field.kind === "enum") return ["", "_not", "_in", "_not_in"];
  const scalar = field.isReference ? (field.stored === "Int8" ? "Int" : "String") : field.typeName;
  return ["BigInt", "BigDecimal", "Int", "Int8", "Timestamp"].includes(scalar) ? ["", "_gt", "_lt", "_gte", "_lte", "_in"] : [""];
}

/** The operators a `where` key may use on `field` of `t` (an entity type, interface or aggregation table). */
export function opsFor(model: SchemaModel, t: EntityTypeModel | InterfaceModel, field: FieldModel): string[] {
  if (t.kind === "entity" && t.aggregation) return aggregationFilterOps(model.aggregations.get(t.aggregation.name)!, field);
  return filterOps(field);
}

/** GraphQL input type of a filter value on `field`. */
export function filterValueType(field: FieldModel): string {
  if (field.isReference) return field.stored === "Int8" ? "Int" : "String";
  if (field.kind === "enum") return field.typeName;
  return field.typeName;
}

/** Whether a field can appear in `orderBy` as `f__g`'s `g` (a scalar, non-list, stored field). */
function sortableChild(f: FieldModel): boolean {
  return !f.list && !f.isReference && f.derivedFrom === null;
}

export function orderByValues(model: SchemaModel, t: TypeModel): string[] {
  const values: string[] = [];
  for (const f of t.fields) {
    values.push(f.name);
    if (f.isReference && !f.list && f.derivedFrom === null) {
      const child = model.entityTypes.get(f.typeName) ?? model.interfaces.get(f.typeName)!;
      for (const g of child.fields) if (sortableChild(g)) values.push(`${f.name}__${g.name}`);
    }
  }
  return values;
}

const gqlScalar = (s: StoredScalar | "ID"): string => s;

function desc(text: string | null, indent = "  "): string {
  return text ? `${indent}${JSON.stringify(text)}\n` : "";
}

function collectionArgs(target: string): string {
  return `(skip: Int = 0, first: Int = 100, orderBy: ${target}_orderBy, orderDirection: OrderDirection, where: ${target}_filter)`;
}

/** The API schema as SDL. */
export function apiSchemaSdl(model: SchemaModel): string {
  const out: string[] = [];
  out.push(
    `scalar BigDecimal\nscalar BigInt\nscalar Bytes\nscalar Int8\n"A string representation of microseconds UNIX timestamp (16 digits)"\nscalar Timestamp`,
    `enum OrderDirection { asc desc }`,
    `enum _SubgraphErrorPolicy_ {\n  "Data will be returned even if the subgraph has indexing errors"\n  allow\n  "If the subgraph has indexing errors, data will be omitted. The default."\n  deny\n}`,
    `input BlockChangedFilter { number_gte: Int! }`,
    `input Block_height { hash: Bytes number: Int number_gte: Int }`,
    `type _Block_ {\n  "The hash of the block"\n  hash: Bytes\n  "The block number"\n  number: Int!\n  "Integer representation of the timestamp stored in blocks for the chain"\n  timestamp: Int\n  "The hash of the parent block"\n  parentHash: Bytes\n}`,
    `"The type for the top-level _meta field"\ntype _Meta_ {\n  block: _Block_!\n  "The deployment ID"\n  deployment: String!\n  "If \`true\`, the subgraph encountered indexing errors at some past block"\n  hasIndexingErrors: Boolean!\n}`,
  );
  for (const e of model.enums.values()) out.push(`${desc(e.description, "")}enum ${e.name} {\n${e.values.map((v) => `  ${v}`).join("\n")}\n}`);

  const types: TypeModel[] = [...model.interfaces.values(), ...model.entityTypes.values()];
  for (const t of types) {
    const fields = t.fields.map((f) => {
      const args = f.list && f.isReference ? collectionArgs(f.typeName) : "";
      return `${desc(f.description)}  ${f.name}${args}: ${f.graphqlType}`;
    });
    const head = t.kind === "interface" ? `interface ${t.name}` : `type ${t.name}${t.interfaces.length ? ` implements ${t.interfaces.join(" & ")}` : ""}`;
    out.push(`${desc(t.description, "")}${head} {\n${fields.join("\n")}\n}`);

    const filter: string[] = [];
    for (const f of t.fields) {
      const vt = filterValueType(f);
      for (const op of filterOps(f)) {
        const listOp = op === "_in" || op === "_not_in" || f.list;
        filter.push(`  ${f.name}${op}: ${listOp ? `[${vt}!]` : vt}`);
      }
      if (f.isReference) filter.push(`  ${f.name}_: ${f.typeName}_filter`);
    }
    filter.push(`  "Filter for the block changed event."\n  _change_block: BlockChangedFilter`, `  and: [${t.name}_filter]`, `  or: [${t.name}_filter]`);
    out.push(`input ${t.name}_filter {\n${filter.join("\n")}\n}`);
    out.push(`enum ${t.name}_orderBy {\n${orderByValues(model, t).map((v) => `  ${v}`).join("\n")}\n}`);
  }

  const aggregations = [...model.aggregations.values()];
  if (aggregations.length) {
    out.push(
      `enum Aggregation_interval {\n  hour\n  day\n}`,
      `"Indicates whether the current, partially filled bucket should be included in the response. Defaults to \`exclude\`"\nenum Aggregation_current {\n  "Exclude the current, partially filled bucket from the response"\n  exclude\n  "Include the current, partially filled bucket in the response"\n  include\n}`,
    );
  }
  for (const agg of aggregations) {
    out.push(`${desc(agg.description, "")}type ${agg.name} {\n${agg.fields.map((f) => `${desc(f.description)}  ${f.name}: ${f.graphqlType}`).join("\n")}\n}`);
    const filter: string[] = [];
    for (const f of agg.fields) {
      const vt = filterValueType(f);
      for (const op of aggregationFilterOps(agg, f)) filter.push(`  ${f.name}${op}: ${op === "_in" || op === "_not_in" ? `[${vt}!]` : vt}`);
      if (f.isReference && !agg.aggregates.some((a) => a.field === f)) filter.push(`  ${f.name}_: ${f.typeName}_filter`);
    }
    filter.push(`  "Filter for the block changed event."\n  _change_block: BlockChangedFilter`, `  and: [${agg.name}_filter]`, `  or: [${agg.name}_filter]`);
    out.push(`input ${agg.name}_filter {\n${filter.join("\n")}\n}`);
    // graph-node orders the enum as the non-aggregate fields, then the aggregates.
    const aggFields = new Set(agg.aggregates.map((a) => a.field.name));
    const ordered = { ...agg.tables.values().next().value!, fields: [...agg.fields.filter((f) => !aggFields.has(f.name)), ...agg.fields.filter((f) => aggFields.has(f.name))] };
    out.push(`enum ${agg.name}_orderBy {\n${orderByValues(model, ordered).map((v) => `  ${v}`).join("\n")}\n}`);
  }

  const root: string[] = [];
  for (const t of types) {
    const common = `block: Block_height, subgraphError: _SubgraphErrorPolicy_! = deny`;
    const idType = t.idType === "Int8" ? "Int8" : t.idType === "Bytes" ? "ID" : "ID";
    root.push(`  ${t.singular}(id: ${idType}!, "The block at which the query should be executed. Can either be a \`{ hash: Bytes }\` value containing a block hash, a \`{ number: Int }\` containing the block number, or a \`{ number_gte: Int }\` containing the minimum block number. In the case of \`number_gte\`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted." ${common}): ${t.name}`);
    root.push(`  ${t.plural}(skip: Int = 0, first: Int = 100, orderBy: ${t.name}_orderBy, orderDirection: OrderDirection, where: ${t.name}_filter, ${common}): [${t.name}!]!`);
  }
  // graph/src/schema/api.rs query_field_for_fulltext: text, first, skip, block, where, subgraphError.
  for (const ft of model.fulltexts) {
    root.push(`  ${ft.name}(text: String!, first: Int = 100, skip: Int = 0, block: Block_height, where: ${ft.entity}_filter, subgraphError: _SubgraphErrorPolicy_! = deny): [${ft.entity}!]!`);
  }
  // graph/src/schema/api.rs query_fields_for_agg_type: the plural only, with interval and current.
  for (const agg of aggregations) {
    root.push(
      `  "Collection of aggregated \`${agg.name}\` values"\n  ${agg.plural}(skip: Int = 0, first: Int = 100, interval: Aggregation_interval!, orderBy: ${agg.name}_orderBy, orderDirection: OrderDirection, current: Aggregation_current, where: ${agg.name}_filter, block: Block_height, subgraphError: _SubgraphErrorPolicy_! = deny): [${agg.name}!]!`,
    );
  }
  root.push(`  "Access to subgraph metadata"\n  _meta(block: Block_height): _Meta_`);
  out.push(`type Query {\n${root.join("\n")}\n}`);
  return out.join("\n\n") + "\n";
}

export function buildApiSchema(model: SchemaModel): GraphQLSchema {
  return buildSchema(apiSchemaSdl(model), { assumeValidSDL: false });
}

export { gqlScalar };
