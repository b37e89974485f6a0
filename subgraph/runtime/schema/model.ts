/**
 * The entity model of a subgraph, parsed from schema.graphql. One model serves the WASM host
 * (store.set validation), the store (one table per entity type, one column per field) and the
 * query API (the generated GraphQL schema). Rules and messages follow graph-node
 * (graph/src/schema/input/mod.rs validations, graph/src/schema/mod.rs error texts).
 */
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from "graphql";
import { SchemaError } from "./errors";
import { ExprError, identifiers, parseExpr, type Expr } from "./expr";
import { camelCasedNames } from "./inflector";

/** Scalars of a subgraph schema (graph-node ValueType). `ID` is stored as `String`. */
export type ScalarName = "ID" | "String" | "Bytes" | "Int" | "Int8" | "BigInt" | "BigDecimal" | "Boolean" | "Timestamp";
/** The kind a value is stored as (graph-node ValueType): enums are Strings, references take the id type. */
export type StoredScalar = Exclude<ScalarName, "ID">;
/** Types an entity id may have. */
export type IdType = "String" | "Bytes" | "Int8";

export const SCALARS: readonly ScalarName[] = ["ID", "String", "Bytes", "Int", "Int8", "BigInt", "BigDecimal", "Boolean", "Timestamp"];

export interface FieldModel {
  name: string;
  description: string | null;
  /** The named (innermost) type: a scalar, enum, entity type or interface. */
  typeName: string;
  kind: "scalar" | "enum" | "entity" | "interface";
  /** What the value (or each list element) is stored as; references use the target's id type. */
  stored: StoredScalar;
  list: boolean;
  /** Outer `!`. */
  nonNull: boolean;
  /** `!` on list elements (`[T!]`); equals nonNull for non-lists. */
  elementNonNull: boolean;
  /** `@derivedFrom(field:)`, or null. Derived fields are not stored. */
  derivedFrom: string | null;
  /** Whether the field references an entity type or interface. */
  isReference: boolean;
  /** The GraphQL type as written, e.g. `[Work!]!`. */
  graphqlType: string;
  /** SQL column (unquoted) in the owner's table; null for derived fields. */
  column: string | null;
}

interface TypeCommon {
  name: string;
  description: string | null;
  fields: FieldModel[];
  /** Fields by name. */
  fieldMap: Map<string, FieldModel>;
  idType: IdType;
  /** Root query field names (graph-node camel_cased_names). */
  singular: string;
  plural: string;
}

export interface EntityTypeModel extends TypeCommon {
  kind: "entity";
  immutable: boolean;
  timeseries: boolean;
  interfaces: string[];
  /** SQL table name (unquoted). */
  table: string;
  /**
   * Set on the per-interval tables of an `@aggregation` (graph-node's `Stats_hour` object types):
   * the type is named like the aggregation (its GraphQL type), the table like `Stats_hour`.
   */
  aggregation?: { name: string; interval: AggregationInterval };
}

/** graph-node AggregationInterval, in increasing length (graph/src/schema/input/mod.rs). */
export type AggregationInterval = "hour" | "day";
export const AGGREGATION_INTERVALS: readonly AggregationInterval[] = ["hour", "day"];
export const INTERVAL_SECONDS: Record<AggregationInterval, number> = { hour: 3600, day: 86400 };

/** graph-node AggregateFn. */
export type AggregateFn = "sum" | "count" | "min" | "max" | "first" | "last";
const AGGREGATE_FNS: readonly AggregateFn[] = ["sum", "max", "min", "count", "first", "last"];

/** One `@aggregate` field (graph-node Aggregate). */
export interface AggregateModel {
  field: FieldModel;
  fn: AggregateFn;
  /** The `arg` as written; null for `count` without one. */
  arg: string | null;
  /** The parsed `arg`; null for `count`. */
  expr: Expr | null;
  cumulative: boolean;
}

/** One `@aggregation` type (graph-node Aggregation). */
export interface AggregationModel {
  kind: "aggregation";
  name: string;
  description: string | null;
  /** The timeseries entity type aggregated. */
  source: string;
  /** Sorted and deduplicated, like graph-node's parse_intervals. */
  intervals: AggregationInterval[];
  /** All fields: id, timestamp, dimensions and aggregates, in schema order. */
  fields: FieldModel[];
  fieldMap: Map<string, FieldModel>;
  /** Fields without @aggregate other than id and timestamp: the group key. */
  dimensions: FieldModel[];
  aggregates: AggregateModel[];
  idType: "Int8";
  /** The query field is the plural (graph/src/schema/api.rs query_fields_for_agg_type). */
  singular: string;
  plural: string;
  /** The immutable table of each interval, modelled as an entity type named like the aggregation. */
  tables: Map<AggregationInterval, EntityTypeModel>;
}

export interface InterfaceModel extends TypeCommon {
  kind: "interface";
  /** Entity types implementing it, in schema order. */
  implementers: string[];
}

export interface EnumModel {
  name: string;
  description: string | null;
  values: string[];
}

/** graph-node's fulltext languages (graph/src/schema/fulltext.rs FulltextLanguage). */
export const FULLTEXT_LANGUAGES = ["simple", "da", "nl", "en", "fi", "fr", "de", "hu", "it", "no", "pt", "ro", "ru", "es", "sv", "tr"] as const;
export type FulltextLanguage = (typeof FULLTEXT_LANGUAGES)[number];

/** One `@fulltext` directive of the `_Schema_` type (graph/src/schema/fulltext.rs FulltextDefinition). */
export interface FulltextModel {
  /** The generated query field's name. */
  name: string;
  language: FulltextLanguage;
  algorithm: "rank" | "proximityRank";
  /** The one included entity type (graph-node takes the first include only). */
  entity: string;
  /** Included String fields, in directive order. */
  fields: string[];
  /** Unquoted SQL name of its FTS5 table. */
  table: string;
}

export interface SchemaModel {
  /** schema.graphql as given. */
  source: string;
  entityTypes: Map<string, EntityTypeModel>;
  interfaces: Map<string, InterfaceModel>;
  enums: Map<string, EnumModel>;
  fulltexts: FulltextModel[];
  /** `@aggregation` types by name. */
  aggregations: Map<string, AggregationModel>;
}

/** Options of parseSchema. */
export interface ParseSchemaOptions {
  /** The manifest's specVersion; aggregations need 1.1.0 or later. Default: latest. */
  specVersion?: string;
}

/** Names the generated query schema uses; a subgraph may not define them (graph-node reserved types). */
const RESERVED_TYPES = new Set([
  "Query", "Subscription", "Mutation", "_Meta_", "_Block_", "Block_height", "BlockChangedFilter", "OrderDirection",
  "_SubgraphErrorPolicy_", "Aggregation_interval", "Aggregation_current",
]);

const ID_TYPES: Record<string, IdType> = { ID: "String", String: "String", Bytes: "Bytes", Int8: "Int8" };

function invalid(message: string, type?: string, field?: string): SchemaError {
  return new SchemaError("SCHEMA_INVALID", message, { type, field, reason: message });
}

function directive(node: { directives?: readonly ConstDirectiveNode[] }, name: string): ConstDirectiveNode | undefined {
  return node.directives?.find((d) => d.name.value === name);
}

function boolArg(type: string, d: ConstDirectiveNode, name: string): boolean | undefined {
  const arg = d.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind !== Kind.BOOLEAN) {
    throw invalid(`The \`${name}\` argument of the @entity directive must be a boolean`, type);
  }
  return arg.value.value;
}

function printType(t: TypeNode): string {
  if (t.kind === Kind.NON_NULL_TYPE) return `${printType(t.type)}!`;
  if (t.kind === Kind.LIST_TYPE) return `[${printType(t.type)}]`;
  return t.name.value;
}

interface RawField {
  node: FieldDefinitionNode;
  typeName: string;
  list: boolean;
  nonNull: boolean;
  elementNonNull: boolean;
}

function unwrap(owner: string, node: FieldDefinitionNode): RawField {
  let t: TypeNode = node.type;
  let nonNull = false;
  let list = false;
  let elementNonNull = false;
  if (t.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    t = t.type;
  }
  if (t.kind === Kind.LIST_TYPE) {
    list = true;
    t = t.type;
    if (t.kind === Kind.NON_NULL_TYPE) {
      elementNonNull = true;
      t = t.type;
    }
    if (t.kind !== Kind.NAMED_TYPE) {
      throw new SchemaError("SCHEMA_UNSUPPORTED", `Type \`${owner}\`, field \`${node.name.value}\`: nested lists are not supported`, {
        type: owner,
        field: node.name.value,
        reason: "nested list",
      });
    }
  } else {
    elementNonNull = nonNull;
  }
  return { node, typeName: (t as { name: { value: string } }).name.value, list, nonNull, elementNonNull };
}

/** Assign SQL names that stay distinct under SQLite's case-insensitive identifiers. */
function uniqueNames(names: string[], prefix: string): string[] {
  const seen = new Set<string>();
  return names.map((n, i) => {
    let candidate = `${prefix}${n}`;
    if (seen.has(candidate.toLowerCase())) candidate = `${prefix}${n}$${i}`;
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

/**
 * Parse and validate schema.graphql.
 * @throws SchemaError (code SCHEMA_PARSE, SCHEMA_INVALID or SCHEMA_UNSUPPORTED) naming the type and field.
 */
export function parseSchema(source: string, options: ParseSchemaOptions = {}): SchemaModel {
  let doc;
  try {
    doc = parse(source, { noLocation: false });
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new SchemaError("SCHEMA_PARSE", `Invalid schema: ${msg}`, { reason: msg }, { cause });
  }

  const objects: ObjectTypeDefinitionNode[] = [];
  const aggregationDefs: ObjectTypeDefinitionNode[] = [];
  const ifaces: InterfaceTypeDefinitionNode[] = [];
  const enums = new Map<string, EnumModel>();
  const missingEntity: string[] = [];
  const reserved: string[] = [];
  let schemaType: ObjectTypeDefinitionNode | null = null;

  for (const def of doc.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION: {
        const name = def.name.value;
        if (RESERVED_TYPES.has(name)) reserved.push(name);
        if (name === "_Schema_") {
          schemaType = def;
          break;
        }
        if (directive(def, "aggregation")) {
          aggregationDefs.push(def);
          break;
        }
        if (!directive(def, "entity")) missingEntity.push(name);
        objects.push(def);
        break;
      }
      case Kind.INTERFACE_TYPE_DEFINITION:
        if (RESERVED_TYPES.has(def.name.value)) reserved.push(def.name.value);
        ifaces.push(def);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
        if (RESERVED_TYPES.has(def.name.value)) reserved.push(def.name.value);
        enums.set(def.name.value, {
          name: def.name.value,
          description: def.description?.value ?? null,
          values: (def.values ?? []).map((v) => v.name.value),
        });
        break;
      default:
        // unions, scalars, directive definitions, schema extensions: ignored like graph-node does
        break;
    }
  }
  if (reserved.length) throw invalid(`The following type names are reserved: \`${reserved.join(", ")}\``, reserved[0]);
  if (missingEntity.length) {
    throw invalid(`@entity directive missing on the following types: \`${missingEntity.join(", ")}\``, missingEntity[0]);
  }

  const entityNames = new Set(objects.map((o) => o.name.value));
  const ifaceNames = new Set(ifaces.map((i) => i.name.value));
  const aggregationNames = new Set(aggregationDefs.map((a) => a.name.value));
  let aggregationOwner = false;
  const kindOf = (typeName: string): FieldModel["kind"] | null => {
    if (aggregationNames.has(typeName) && !aggregationOwner) {
      throw new SchemaError("SCHEMA_UNSUPPORTED", `a field of type \`${typeName}\` refers to an aggregation; fields referencing aggregations are not supported by the embedded runtime`, {
        type: typeName,
        reason: "aggregation reference",
      });
    }
    if ((SCALARS as readonly string[]).includes(typeName)) return "scalar";
    if (enums.has(typeName)) return "enum";
    if (entityNames.has(typeName)) return "entity";
    if (ifaceNames.has(typeName)) return "interface";
    return null;
  };

  // Id types first: references store the target's id type.
  const idTypeOf = new Map<string, IdType>();
  for (const o of objects) {
    const idField = o.fields?.find((f) => f.name.value === "id");
    if (!idField) throw invalid(`Type ${o.name.value} is missing an \`id\` field`, o.name.value, "id");
    const printed = printType(idField.type);
    const base = printed.endsWith("!") ? printed.slice(0, -1) : null;
    const idType = base !== null ? ID_TYPES[base] : undefined;
    if (!idType) {
      throw invalid(
        `The \`id\` field of type \`${o.name.value}\` has type \`${printed}\` but only \`ID!\`, \`String!\`, \`Bytes!\` and \`Int8!\` are allowed`,
        o.name.value,
        "id",
      );
    }
    idTypeOf.set(o.name.value, idType);
  }
  const implementersOf = new Map<string, string[]>();
  for (const i of ifaces) implementersOf.set(i.name.value, []);
  for (const o of objects) {
    for (const i of o.interfaces ?? []) {
      const list = implementersOf.get(i.name.value);
      if (!list) throw invalid(`Interface \`${i.name.value}\` not defined`, o.name.value);
      list.push(o.name.value);
    }
  }
  for (const [iname, impls] of implementersOf) {
    const ids = [...new Set(impls.map((n) => idTypeOf.get(n)!))];
    if (ids.length > 1) {
      throw invalid(`Implementors of interface \`${iname}\` use different id types \`${ids.join(", ")}\`. They must all use the same type`, iname);
    }
    // An interface without implementers still needs an id type for its (empty) queries.
    idTypeOf.set(iname, ids[0] ?? ID_TYPES[
      (() => {
        const f = ifaces.find((x) => x.name.value === iname)!.fields?.find((x) => x.name.value === "id");
        const p = f ? printType(f.type) : "ID!";
        return p.endsWith("!") ? p.slice(0, -1) : "ID";
      })()
    ] ?? "String");
  }

  const buildFields = (owner: string, nodes: readonly FieldDefinitionNode[]): FieldModel[] => {
    const raws = nodes.map((n) => unwrap(owner, n));
    const stored = raws.filter((r) => !directive(r.node, "derivedFrom"));
    const columns = uniqueNames(stored.map((r) => r.node.name.value), "");
    const columnOf = new Map(stored.map((r, i) => [r.node.name.value, columns[i]!]));
    const seen = new Set<string>();
    return raws.map((r) => {
      const fname = r.node.name.value;
      if (seen.has(fname)) throw invalid(`Type \`${owner}\` defines field \`${fname}\` twice`, owner, fname);
      seen.add(fname);
      const kind = kindOf(r.typeName);
      if (kind === null) throw invalid(`Type \`${owner}\`, field \`${fname}\`: type \`${r.typeName}\` is not defined`, owner, fname);
      const d = directive(r.node, "derivedFrom");
      let derivedFrom: string | null = null;
      if (d) {
        const arg = d.arguments?.find((a) => a.name.value === "field");
        if (!arg || arg.value.kind !== Kind.STRING) {
          throw invalid(`Field \`${fname}\` in type \`${owner}\` has invalid @derivedFrom: the @derivedFrom directive must have a \`field\` argument`, owner, fname);
        }
        derivedFrom = arg.value.value;
      }
      const isReference = kind === "entity" || kind === "interface";
      const storedAs: StoredScalar =
        kind === "enum" ? "String" : isReference ? idTypeOf.get(r.typeName)! : r.typeName === "ID" ? "String" : (r.typeName as StoredScalar);
      return {
        name: fname,
        description: r.node.description?.value ?? null,
        typeName: r.typeName,
        kind,
        stored: storedAs,
        list: r.list,
        nonNull: r.nonNull,
        elementNonNull: r.elementNonNull,
        derivedFrom,
        isReference,
        graphqlType: printType(r.node.type),
        column: derivedFrom === null ? columnOf.get(fname)! : null,
      };
    });
  };

  const tables = uniqueNames(objects.map((o) => o.name.value), "");
  const entityTypes = new Map<string, EntityTypeModel>();
  objects.forEach((o, idx) => {
    const name = o.name.value;
    const d = directive(o, "entity")!;
    const timeseries = boolArg(name, d, "timeseries") ?? false;
    const immutable = boolArg(name, d, "immutable") ?? timeseries;
    if (timeseries && !immutable) throw invalid(`Timeseries ${name} is marked as mutable, it must be immutable`, name);
    if (timeseries && idTypeOf.get(name) !== "Int8") throw invalid(`Timeseries \`${name}\` must have an \`id\` field of type \`Int8\``, name, "id");
    const fields = buildFields(name, o.fields ?? []);
    const fieldMap = new Map(fields.map((f) => [f.name, f]));
    if (timeseries) {
      const ts = fieldMap.get("timestamp");
      if (!ts) throw invalid(`Timeseries ${name} is missing a \`timestamp\` field`, name, "timestamp");
      if (ts.typeName !== "Timestamp") throw invalid(`Type ${name} has a \`timestamp\` field of type ${ts.graphqlType}, but it must be of type Timestamp`, name, "timestamp");
    }
    entityTypes.set(name, {
      kind: "entity",
      name,
      description: o.description?.value ?? null,
      immutable,
      timeseries,
      interfaces: (o.interfaces ?? []).map((i) => i.name.value),
      fields,
      fieldMap,
      idType: idTypeOf.get(name)!,
      ...camelCasedNames(name),
      table: tables[idx]!,
    });
  });

  const interfaces = new Map<string, InterfaceModel>();
  for (const i of ifaces) {
    const name = i.name.value;
    const fields = buildFields(name, i.fields ?? []);
    interfaces.set(name, {
      kind: "interface",
      name,
      description: i.description?.value ?? null,
      fields,
      fieldMap: new Map(fields.map((f) => [f.name, f])),
      idType: idTypeOf.get(name)!,
      implementers: implementersOf.get(name)!,
      ...camelCasedNames(name),
    });
  }

  // Interface conformance.
  for (const e of entityTypes.values()) {
    for (const iname of e.interfaces) {
      const iface = interfaces.get(iname)!;
      const missing = iface.fields.filter((f) => {
        const own = e.fieldMap.get(f.name);
        return !own || own.graphqlType !== f.graphqlType;
      });
      if (missing.length) {
        throw invalid(
          `Entity type \`${e.name}\` does not satisfy interface \`${iname}\` because it is missing the following fields: ${missing.map((f) => f.name).join(", ")}`,
          e.name,
        );
      }
    }
  }

  // @derivedFrom targets.
  const all: Array<EntityTypeModel | InterfaceModel> = [...entityTypes.values(), ...interfaces.values()];
  for (const t of all) {
    for (const f of t.fields) {
      if (f.derivedFrom === null) continue;
      const bad = (reason: string) => invalid(`Field \`${f.name}\` in type \`${t.name}\` has invalid @derivedFrom: ${reason}`, t.name, f.name);
      if (!f.isReference) throw bad(`field type \`${f.typeName}\` is not an entity type or interface`);
      const target = entityTypes.get(f.typeName) ?? interfaces.get(f.typeName)!;
      const back = target.fieldMap.get(f.derivedFrom);
      if (!back) throw bad(`field \`${f.derivedFrom}\` does not exist on type \`${f.typeName}\``);
      if (back.derivedFrom !== null) throw bad(`field \`${f.derivedFrom}\` on type \`${f.typeName}\` is itself derived`);
      const accepts = new Set([t.name, ...(t.kind === "entity" ? t.interfaces : [])]);
      if (!back.isReference || !accepts.has(back.typeName)) {
        throw bad(`field \`${f.derivedFrom}\` on type \`${f.typeName}\` must have the type \`${t.name}\`, \`${t.name}!\`, \`[${t.name}!]\` or \`[${t.name}!]!\``);
      }
    }
  }

  if (aggregationDefs.length && options.specVersion !== undefined && compareVersions(options.specVersion, "1.1.0") < 0) {
    throw invalid(`Aggregations are not supported with spec version ${options.specVersion}; please migrate the subgraph to the latest version`, aggregationDefs[0]!.name.value);
  }
  const aggregations = new Map<string, AggregationModel>();
  const takenTables = new Set([...entityTypes.values()].map((e) => e.table.toLowerCase()));
  aggregationOwner = true;
  for (const def of aggregationDefs) {
    const agg = parseAggregation(def, entityTypes, (owner, nodes) => buildFields(owner, nodes), takenTables);
    aggregations.set(agg.name, agg);
  }
  aggregationOwner = false;

  return { source, entityTypes, interfaces, enums, fulltexts: schemaType ? parseFulltexts(schemaType, entityTypes) : [], aggregations };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((x) => Number(x) || 0);
  const pb = b.split(".").map((x) => Number(x) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const NUMERIC: ReadonlySet<string> = new Set(["Int", "Int8", "BigInt", "BigDecimal"]);
/** graph-node's ValueType coercion order (graph/src/data/store/mod.rs `impl PartialOrd for ValueType`). */
const NUMERIC_RANK: Record<string, number> = { Int: 0, Int8: 1, BigInt: 2, BigDecimal: 3 };
const scalarValueType = (typeName: string): string | null =>
  typeName === "ID" ? "String" : (SCALARS as readonly string[]).includes(typeName) ? typeName : null;

/**
 * An `@aggregation` type with graph-node's validation (graph/src/schema/input/mod.rs
 * validate_aggregations: valid_timestamp_field, no_derived_fields, aggregate_field_types,
 * aggregate_directive, aggregation_intervals — the first error is reported).
 */
function parseAggregation(
  def: ObjectTypeDefinitionNode,
  entityTypes: Map<string, EntityTypeModel>,
  buildFields: (owner: string, nodes: readonly FieldDefinitionNode[]) => FieldModel[],
  takenTables: Set<string>,
): AggregationModel {
  const name = def.name.value;
  const nodes = def.fields ?? [];
  const nodeOf = (f: string) => nodes.find((n) => n.name.value === f);
  const baseOf = (n: FieldDefinitionNode) => unwrap(name, n).typeName;
  const errors: SchemaError[] = [];
  // valid_timestamp_field
  const ts = nodeOf("timestamp");
  if (!ts) errors.push(invalid(`Timeseries ${name} is missing a \`timestamp\` field`, name, "timestamp"));
  else if (baseOf(ts) !== "Timestamp") errors.push(invalid(`Type ${name} has a \`timestamp\` field of type ${baseOf(ts)}, but it must be of type Timestamp`, name, "timestamp"));
  // no_derived_fields
  for (const n of nodes) {
    if (directive(n, "derivedFrom")) errors.push(invalid(`Aggregation ${name} has a derived field ${n.name.value} but fields in aggregations can not be derived`, name, n.name.value));
  }
  const fnOf = (d: ConstDirectiveNode): string | null => {
    const v = d.arguments?.find((a) => a.name.value === "fn")?.value;
    return v && (v.kind === Kind.STRING || v.kind === Kind.ENUM) ? v.value : null;
  };
  // aggregate_field_types
  for (const n of nodes) {
    const d = directive(n, "aggregate");
    if (!d) continue;
    const fn = fnOf(d);
    const firstLast = fn === "first" || fn === "last";
    const base = baseOf(n);
    const vt = scalarValueType(base);
    if (vt !== null) {
      if (NUMERIC.has(vt)) continue;
      if ((vt === "Bytes" || vt === "String") && firstLast) continue;
      if (firstLast) errors.push(invalid(`Aggregation '${name}', field '${n.name.value}': first/last aggregates must use a numeric, byte array, string or a reference type`, name, n.name.value));
      else errors.push(invalid(`Aggregation ${name}, field${n.name.value}: aggregates must use a numeric type, one of Int, Int8, BigInt, and BigDecimal`, name, n.name.value));
    } else if (!(firstLast && entityTypes.has(base))) {
      errors.push(invalid(`Type \`${name}\`, field \`${n.name.value}\`: type \`${base}\` is not defined`, name, n.name.value));
    }
  }
  // aggregate_directive
  const aggDir = directive(def, "aggregation")!;
  const argOf = (d: ConstDirectiveNode, a: string) => d.arguments?.find((x) => x.name.value === a)?.value;
  const sourceV = argOf(aggDir, "source");
  let source: EntityTypeModel | undefined;
  const parsedAggregates: Array<{ node: FieldDefinitionNode; fn: AggregateFn; arg: string | null; expr: Expr | null; cumulative: boolean }> = [];
  if (!sourceV) errors.push(invalid(`Aggregation ${name} is missing the \`source\` argument`, name));
  else if (sourceV.kind !== Kind.STRING) errors.push(invalid(`Aggregation ${name} has an invalid argument for \`source\`: it must be the name of a timeseries`, name));
  else if (!entityTypes.has(sourceV.value)) errors.push(invalid(`Aggregaton ${name} uses ${sourceV.value} as the source, but there is no timeseries of that name`, name));
  else if (!entityTypes.get(sourceV.value)!.timeseries) errors.push(invalid(`Aggregation ${name} uses ${sourceV.value} as the source, but that type is not a timeseries`, name));
  else {
    source = entityTypes.get(sourceV.value)!;
    const idNode = nodeOf("id");
    if (!idNode) errors.push(invalid(`Type ${name} does not have an \`id\` field`, name, "id"));
    else {
      const idBase = baseOf(idNode);
      const idType = idBase === "ID" || idBase === "String" ? "String" : idBase === "Bytes" || idBase === "Int8" ? idBase : null;
      if (idType === null) errors.push(invalid(`Entity type ${name} uses illegal type ${idBase} for id column`, name, "id"));
      else if (idType !== source.idType) {
        errors.push(invalid(`The type of the \`id\` field for aggregation ${name} must be ${source.idType}, the same as in the source, but is ${idType}`, name, "id"));
      }
    }
    let hasAggregate = false;
    for (const n of nodes) {
      const fname = n.name.value;
      if (fname === "id" || fname === "timestamp") continue;
      const d = directive(n, "aggregate");
      if (!d) {
        const src = source.fieldMap.get(fname);
        if (!src) errors.push(invalid(`Aggregation ${name} uses ${source.name} as the source, but that does not have a field ${fname}`, name, fname));
        else if (src.typeName !== baseOf(n)) errors.push(invalid(`Field ${fname} in aggregation ${name} has type ${baseOf(n)} but its type in the source is ${src.typeName}`, name, fname));
        continue;
      }
      hasAggregate = true;
      const fnV = argOf(d, "fn");
      if (!fnV) {
        errors.push(invalid(`Field ${fname} in aggregation ${name} is missing the \`fn\` argument`, name, fname));
        continue;
      }
      if (fnV.kind !== Kind.STRING && fnV.kind !== Kind.ENUM) {
        errors.push(invalid(`Field ${fname} in aggregation ${name} uses the unknown aggregation function \`${printValue(fnV)}\``, name, fname));
        continue;
      }
      if (!(AGGREGATE_FNS as readonly string[]).includes(fnV.value)) {
        errors.push(invalid(`Field ${fname} in aggregation ${name} uses the unknown aggregation function \`${fnV.value}\``, name, fname));
        continue;
      }
      const fn = fnV.value as AggregateFn;
      const argV = argOf(d, "arg");
      const cumV = argOf(d, "cumulative");
      const cumulativeOk = !cumV || cumV.kind === Kind.BOOLEAN;
      const cumulative = cumV?.kind === Kind.BOOLEAN ? cumV.value : false;
      if (argV && argV.kind !== Kind.STRING) {
        errors.push(invalid(`Field ${fname} in aggregation ${name} has an invalid argument for \`arg\`: it must be a string`, name, fname));
        continue;
      }
      if (!argV) {
        if (fn !== "count") {
          errors.push(invalid(`Field ${fname} in aggregation ${name} is missing the \`arg\` argument since the function ${fn} requires it`, name, fname));
          continue;
        }
        // graph-node skips the cumulative check for count without arg; a non-boolean then fails later.
        if (!cumulativeOk) errors.push(invalid(`Field ${fname} in aggregation ${name} has an invalid value for \`cumulative\`. It needs to be a boolean`, name, fname));
        parsedAggregates.push({ node: n, fn, arg: null, expr: null, cumulative });
        continue;
      }
      if (!cumulativeOk) {
        errors.push(invalid(`Field ${fname} in aggregation ${name} has an invalid value for \`cumulative\`. It needs to be a boolean`, name, fname));
        continue;
      }
      const arg = argV.value;
      let expr: Expr;
      try {
        expr = parseExpr(arg);
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        errors.push(invalid(e.kind === "parse" ? `Failed to parse expression: ${e.message}` : e.message, name, fname));
        continue;
      }
      const firstLast = fn === "first" || fn === "last";
      const identError = (ident: string): SchemaError | null => {
        const af = source!.fieldMap.get(ident);
        if (!af) return invalid(`Field ${fname} in aggregation ${name} has \`arg\` ${arg} but the source type does not have such a field`, name, fname);
        const argType = af.list ? null : scalarValueType(af.typeName);
        if (argType !== null && NUMERIC.has(argType)) {
          const fieldType = scalarValueType(baseOf(n));
          if (fieldType === null || !NUMERIC.has(fieldType)) {
            return invalid(`Aggregation ${name}, field${fname}: aggregates must use a numeric type, one of Int, Int8, BigInt, and BigDecimal`, name, fname);
          }
          if (NUMERIC_RANK[argType]! > NUMERIC_RANK[fieldType]!) {
            return invalid(`Field ${fname} in aggregation ${name} has \`arg\` ${arg} of type ${argType} but it is of the wider type ${fieldType} in the source`, name, fname);
          }
          return null;
        }
        if (firstLast && (argType === "Bytes" || argType === "String")) return null;
        if (firstLast && argType === null && !af.list && af.typeName === baseOf(n)) return null;
        return invalid(`Field ${fname} in aggregation ${name} has arg \`${arg}\` but that is not a numeric field in ${source!.name}`, name, fname);
      };
      // graph-node stops at the first identifier its check refuses.
      const bad = identifiers(expr).map(identError).find((x) => x !== null);
      if (bad) {
        errors.push(bad);
        continue;
      }
      parsedAggregates.push({ node: n, fn, arg, expr: fn === "count" ? null : expr, cumulative });
    }
    if (!hasAggregate) errors.push(invalid(`Aggregation ${name} has no @aggregate fields`, name));
  }
  // aggregation_intervals
  const intervalsV = argOf(aggDir, "intervals");
  const intervals: AggregationInterval[] = [];
  if (!intervalsV) errors.push(invalid(`Aggregation ${name} is missing an \`intervals\` argument for the timeseries directive`, name));
  else if (intervalsV.kind !== Kind.LIST || intervalsV.values.length === 0 || intervalsV.values.some((v) => v.kind !== Kind.STRING)) {
    errors.push(invalid(`Aggregation ${name} has an invalid argument for \`intervals\`: it must be a non-empty list of strings`, name));
  } else {
    for (const v of intervalsV.values) {
      const iv = (v as { value: string }).value;
      if (!(AGGREGATION_INTERVALS as readonly string[]).includes(iv)) errors.push(invalid(`Aggregation ${name}: the interval ${iv} is not supported`, name));
      else if (!intervals.includes(iv as AggregationInterval)) intervals.push(iv as AggregationInterval);
    }
    intervals.sort((a, b) => INTERVAL_SECONDS[a] - INTERVAL_SECONDS[b]);
  }
  if (errors.length) throw errors[0]!;

  const fields = buildFields(name, nodes);
  const fieldMap = new Map(fields.map((f) => [f.name, f]));
  const aggregates: AggregateModel[] = parsedAggregates.map((a) => ({ field: fieldMap.get(a.node.name.value)!, fn: a.fn, arg: a.arg, expr: a.expr, cumulative: a.cumulative }));
  const dimensions = fields.filter((f) => f.name !== "id" && f.name !== "timestamp" && !aggregates.some((a) => a.field === f));
  const names = camelCasedNames(name);
  const tables = new Map<AggregationInterval, EntityTypeModel>();
  for (const interval of intervals) {
    let table = `${name}_${interval}`;
    while (takenTables.has(table.toLowerCase())) table = `${table}$`;
    takenTables.add(table.toLowerCase());
    tables.set(interval, {
      kind: "entity",
      name,
      description: def.description?.value ?? null,
      immutable: true,
      timeseries: false,
      interfaces: [],
      fields,
      fieldMap,
      idType: "Int8",
      ...names,
      table,
      aggregation: { name, interval },
    });
  }
  return {
    kind: "aggregation",
    name,
    description: def.description?.value ?? null,
    source: source!.name,
    intervals,
    fields,
    fieldMap,
    dimensions,
    aggregates,
    idType: "Int8",
    ...names,
    tables,
  };
}

function printValue(v: ConstValueNode): string {
  switch (v.kind) {
    case Kind.INT:
    case Kind.FLOAT:
    case Kind.STRING:
    case Kind.ENUM:
      return v.kind === Kind.STRING ? JSON.stringify(v.value) : v.value;
    case Kind.BOOLEAN:
      return String(v.value);
    case Kind.NULL:
      return "null";
    default:
      return "…";
  }
}

/** graph-node's validation of `_Schema_` and its @fulltext directives (graph/src/schema/input/mod.rs validate_fulltext_directives). */
function parseFulltexts(def: ObjectTypeDefinitionNode, entityTypes: Map<string, EntityTypeModel>): FulltextModel[] {
  if ((def.fields ?? []).length) throw invalid("_Schema_ type is only for @fulltext and must not have any fields", "_Schema_");
  if ((def.directives ?? []).some((d) => d.name.value !== "fulltext")) throw invalid("The _Schema_ type only allows @fulltext directives", "_Schema_");
  const argOf = (d: ConstDirectiveNode, n: string) => d.arguments?.find((a) => a.name.value === n)?.value;
  const out: FulltextModel[] = [];
  const directives = (def.directives ?? []).filter((d) => d.name.value === "fulltext");
  for (const d of directives) {
    const nameV = argOf(d, "name");
    if (nameV?.kind !== Kind.STRING) throw invalid("Fulltext directive name undefined", "_Schema_");
    const name = nameV.value;
    // graph-node compares with the fields of every entity type (names and their camel-cased forms).
    for (const t of entityTypes.values()) {
      for (const f of t.fields) {
        const { singular, plural } = camelCasedNames(f.name);
        if (name === singular || name === plural || name === f.name) {
          throw invalid(`Fulltext directive name overlaps with an existing entity field or a top-level query field: ${name}`, "_Schema_");
        }
      }
      // Not checked by graph-node (its API schema would then have two fields of that name): refused here.
      if (name === t.singular || name === t.plural) {
        throw invalid(`Fulltext directive name overlaps with an existing entity field or a top-level query field: ${name}`, "_Schema_");
      }
    }
    if (directives.filter((x) => { const v = argOf(x, "name"); return v?.kind === Kind.STRING && v.value === name; }).length > 1) {
      throw invalid(`Fulltext directive name overlaps with type: ${name}`, "_Schema_");
    }
    const langV = argOf(d, "language");
    if (langV?.kind !== Kind.ENUM) throw invalid("Fulltext language is undefined", "_Schema_");
    if (!(FULLTEXT_LANGUAGES as readonly string[]).includes(langV.value)) throw invalid(`Fulltext language is invalid: ${langV.value}`, "_Schema_");
    const algV = argOf(d, "algorithm");
    if (algV?.kind !== Kind.ENUM) throw invalid("Fulltext algorithm is undefined", "_Schema_");
    if (algV.value !== "rank" && algV.value !== "proximityRank") throw invalid(`Fulltext algorithm is invalid: ${algV.value}`, "_Schema_");
    const incV = argOf(d, "include");
    if (incV?.kind !== Kind.LIST || incV.values.length === 0) throw invalid("Fulltext directive requires an 'include' list", "_Schema_");
    let first: { entity: string; fields: string[] } | null = null;
    for (const inc of incV.values) {
      if (inc.kind !== Kind.OBJECT) throw invalid("Fulltext 'include' list must contain an object", "_Schema_");
      const ent = inc.fields.find((f) => f.name.value === "entity")?.value;
      const flds = inc.fields.find((f) => f.name.value === "fields")?.value;
      if (ent?.kind !== Kind.STRING || flds?.kind !== Kind.LIST) {
        throw invalid("Fulltext 'include' object must contain 'entity' (String) and 'fields' (List) attributes", "_Schema_");
      }
      const type = entityTypes.get(ent.value);
      if (!type) throw invalid("Fulltext directive includes an entity not found on the subgraph schema", "_Schema_");
      const names: string[] = [];
      for (const fv of flds.values) {
        if (fv.kind !== Kind.OBJECT) throw invalid("Fulltext 'include' object must contain 'entity' (String) and 'fields' (List) attributes", "_Schema_");
        const n = fv.fields.find((f) => f.name.value === "name")?.value;
        if (n?.kind !== Kind.STRING) throw invalid("Fulltext include field must have a 'name' attribute", "_Schema_");
        const field = type.fieldMap.get(n.value);
        if (!field || field.typeName !== "String") throw invalid(`Fulltext entity field, ${n.value}, not found or not a string`, ent.value, n.value);
        names.push(n.value);
      }
      first ??= { entity: ent.value, fields: names };
    }
    out.push({ name, language: langV.value as FulltextLanguage, algorithm: algV.value, entity: first!.entity, fields: first!.fields, table: `${entityTypes.get(first!.entity)!.table}$fts$${out.length}` });
  }
  return out;
}

/** The entity type or interface named `name`, or undefined. */
export function lookupType(model: SchemaModel, name: string): EntityTypeModel | InterfaceModel | undefined {
  return model.entityTypes.get(name) ?? model.interfaces.get(name);
}

/** Concrete entity types behind a type name (itself, or an interface's implementers). */
export function concreteTypes(model: SchemaModel, name: string): EntityTypeModel[] {
  const e = model.entityTypes.get(name);
  if (e) return [e];
  const i = model.interfaces.get(name);
  return i ? i.implementers.map((n) => model.entityTypes.get(n)!) : [];
}
