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
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from "graphql";
import { SchemaError } from "./errors";
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
export function parseSchema(source: string): SchemaModel {
  let doc;
  try {
    doc = parse(source, { noLocation: false });
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new SchemaError("SCHEMA_PARSE", `Invalid schema: ${msg}`, { reason: msg }, { cause });
  }

  const objects: ObjectTypeDefinitionNode[] = [];
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
          throw new SchemaError("SCHEMA_UNSUPPORTED", `Aggregation \`${name}\`: @aggregation is not supported by the embedded runtime`, {
            type: name,
            reason: "aggregation",
          });
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
  const kindOf = (typeName: string): FieldModel["kind"] | null => {
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
    const fields = buildFields(name, o.fields ?? []);
    const fieldMap = new Map(fields.map((f) => [f.name, f]));
    if (timeseries) {
      const ts = fieldMap.get("timestamp");
      if (!ts) throw invalid(`Timeseries ${name} is missing a \`timestamp\` field`, name, "timestamp");
      if (ts.typeName !== "Timestamp") throw invalid(`Type ${name} has a \`timestamp\` field of type ${ts.graphqlType}, but it must be of type Timestamp`, name, "timestamp");
      if (idTypeOf.get(name) !== "Int8") throw invalid(`Timeseries ${name} must have an \`id\` of type \`Int8!\``, name, "id");
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

  return { source, entityTypes, interfaces, enums, fulltexts: schemaType ? parseFulltexts(schemaType, entityTypes) : [] };
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
