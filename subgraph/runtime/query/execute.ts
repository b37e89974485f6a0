/**
 * Executes The Graph's GraphQL queries against the SQLite store with graph-node's semantics.
 * Entities are fetched level by level: every entity-valued field of a level is loaded for all
 * parents in one SQL query per concrete type (per-parent windows with ROW_NUMBER), not N+1.
 */
import {
  GraphQLError,
  Kind,
  execute as gqlExecute,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { AGGREGATION_INTERVALS, concreteTypes, type AggregationInterval, type AggregationModel, type EntityTypeModel, type FieldModel, type FulltextModel, type SchemaModel } from "../schema/model";
import type { AggRow } from "../store/rollup";
import { bigDecimalToString, bytesToHex, decodeBigDecimal, decodeBigInt, type SqlValue } from "../store/encoding";
import type { SqliteEntityStore } from "../store/sqlite";
import type { DeploymentState } from "../store/types";
import { QueryError } from "./errors";
import { tsqueryToFts5 } from "./fulltext";
import { buildApiSchema } from "./schema";
import { compileFilter, compileOrder, idFromJsonExpr, idJsonExpr, parseBytes, q, visible, type FilterContext, type TypeModel } from "./sql";

export const MAX_FIRST = 1000;
export const MAX_SKIP = 4294967295;

export interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown> | null;
}

export interface GraphQLResponseError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
}

export interface GraphQLResult {
  data?: Record<string, unknown>;
  errors?: GraphQLResponseError[];
}

type Roots = Map<string, { type: TypeModel; many: boolean; fulltext?: FulltextModel; aggregation?: AggregationModel }>;

interface Node {
  type: EntityTypeModel;
  row: Record<string, unknown>;
}

interface Ctx {
  store: SqliteEntityStore;
  model: SchemaModel;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  state: DeploymentState;
}

/** A result with what graph-node's HTTP layer needs beside the body (graph/src/data/query/result.rs). */
export interface QueryOutcome {
  result: GraphQLResult;
  /** `graph-attestable`: false when any error is not attestable (indexing_error among them). */
  attestable: boolean;
  /**
   * `graph-indexed`: the head the query ran against, or null when the query failed before
   * running (parse errors, unavailable blocks), as graph-node's QueryResults.indexed_block.
   */
  indexed: { hash: string; number: number; timestamp: number | null } | null;
}

export interface QueryEngine {
  readonly schema: GraphQLSchema;
  execute(body: GraphQLRequestBody): GraphQLResult;
  run(body: GraphQLRequestBody): QueryOutcome;
}

export function createQueryEngine(store: SqliteEntityStore): QueryEngine {
  const schema = buildApiSchema(store.model);
  const roots: Roots = new Map();
  for (const t of [...store.model.entityTypes.values(), ...store.model.interfaces.values()]) {
    roots.set(t.singular, { type: t, many: false });
    roots.set(t.plural, { type: t, many: true });
  }
  for (const ft of store.model.fulltexts) roots.set(ft.name, { type: store.model.entityTypes.get(ft.entity)!, many: true, fulltext: ft });
  for (const agg of store.model.aggregations.values()) roots.set(agg.plural, { type: agg.tables.values().next().value!, many: true, aggregation: agg });
  const runBody = (body: GraphQLRequestBody): QueryOutcome => {
    let doc: DocumentNode;
    try {
      doc = parse(body.query);
    } catch (e) {
      const ge = e as GraphQLError;
      return { result: { errors: [{ ...(ge.locations ? { locations: [...ge.locations] } : {}), message: ge.message }] }, attestable: true, indexed: null };
    }
    try {
      return run(store, schema, roots, doc, body.variables ?? {});
    } catch (e) {
      if (e instanceof QueryError) return { result: { errors: [errorJson(e)] }, attestable: e.attestable, indexed: null };
      throw e;
    }
  };
  return { schema, run: runBody, execute: (body) => runBody(body).result };
}

/** A block constraint as graph-node groups root fields by it (graph/src/data/query BlockConstraint). */
function constraintKey(ctx: Ctx, fn: FieldNode): string {
  const b = arg(ctx, fn, "block");
  if (b === undefined || b === null || typeof b !== "object") return "latest";
  const o = b as { hash?: unknown; number?: unknown; number_gte?: unknown };
  if (o.hash !== undefined && o.hash !== null) return `hash:${String(o.hash).toLowerCase().replace(/^0x/, "")}`;
  if (o.number !== undefined && o.number !== null) return `number:${String(o.number)}`;
  if (o.number_gte !== undefined && o.number_gte !== null) return `min:${String(o.number_gte)}`;
  return "latest";
}

interface Group {
  fields: Array<[string, FieldNode[]]>;
  /** Deny if any field of the group denies (graphql/src/execution/query.rs block_constraint). */
  allow: boolean;
  block: number;
}

/** One group's result, as graph-node's QueryResult: data omitted when it failed. */
interface GroupResult {
  data?: Record<string, unknown>;
  errors: QueryError[];
}

function run(
  store: SqliteEntityStore,
  schema: GraphQLSchema,
  roots: Roots,
  doc: DocumentNode,
  variables: Record<string, unknown>,
): QueryOutcome {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length === 0) throw new QueryError("PARSE", "The query is empty");
  if (ops.length > 1) throw new QueryError("OPERATION_NAME_REQUIRED", "Operation name required");
  const op = ops[0]!;
  if (op.operation !== "query") throw new QueryError("NOT_SUPPORTED", `Not supported: ${op.operation === "mutation" ? "Mutations" : "Subscriptions"} are not supported`);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const vars: Record<string, unknown> = {};
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (variables[name] !== undefined) vars[name] = variables[name];
    else if (def.defaultValue) vars[name] = valueOf(def.defaultValue, {});
  }
  const ctx: Ctx = { store, model: store.model, variables: vars, fragments, state: store.state() };

  // Consecutive root fields with the same block constraint form one group, executed and
  // post-processed on its own (graphql/src/runner.rs execute, store/resolver.rs locate_blocks).
  const groups: Group[] = [];
  let prev: string | null = null;
  for (const [key, fns] of collectFields(ctx, "Query", [], [op.selectionSet])) {
    const fn = fns[0]!;
    const k = constraintKey(ctx, fn);
    const allow = arg(ctx, fn, "subgraphError") === "allow";
    if (k === prev) {
      const g = groups[groups.length - 1]!;
      g.fields.push([key, fns]);
      if (!allow) g.allow = false;
    } else groups.push({ fields: [[key, fns]], allow, block: 0 });
    prev = k;
  }
  // Every block is located before anything runs: one unavailable block fails the whole query.
  for (const g of groups) g.block = resolveBlock(ctx, arg(ctx, g.fields[0]![1][0]!, "block"));

  const results = groups.map((g) => postProcess(ctx, g, executeGroup(ctx, schema, roots, op, doc, g)));
  const out: GraphQLResult = {};
  const withData = results.filter((r) => r.data !== undefined);
  if (withData.length) out.data = Object.assign({}, ...withData.map((r) => r.data));
  const errors = results.flatMap((r) => r.errors);
  if (errors.length) out.errors = errors.map(errorJson);
  const head = ctx.state.head!;
  return { result: out, attestable: errors.every((e) => e.attestable), indexed: { hash: head.hash, number: head.number, timestamp: head.timestamp } };
}

/** graph-node's QueryError serialisation: `locations` (when the error has a position), then `message`. */
function errorJson(e: QueryError): GraphQLResponseError {
  return e.locations ? { locations: e.locations, message: e.message } : { message: e.message };
}

function executeGroup(
  ctx: Ctx,
  schema: GraphQLSchema,
  roots: Roots,
  op: OperationDefinitionNode,
  doc: DocumentNode,
  g: Group,
): GroupResult {
  const data: Record<string, unknown> = {};
  const errors: QueryError[] = [];
  const introspection: FieldNode[] = [];
  const block = g.block;
  for (const [key, fns] of g.fields) {
    const fn = fns[0]!;
    const name = fn.name.value;
    try {
      if (name === "__schema" || name === "__type") {
        introspection.push(...fns);
        data[key] = null;
      } else if (name === "__typename") {
        data[key] = "Query";
      } else if (name === "_meta") {
        data[key] = resolveMeta(ctx, fns, block);
      } else {
        const root = roots.get(name);
        if (!root) throw new QueryError("UNKNOWN_FIELD", `Type \`Query\` has no field \`${name}\``, { field: name }, { locations: loc(fn) });
        const t = root.type;
        let nodes: Node[];
        if (root.aggregation) {
          nodes = selectAggregation(ctx, root.aggregation, fn, block);
        } else if (root.fulltext) {
          nodes = selectPage(ctx, t, fulltextArgs(ctx, fn, root.fulltext), block, null).map((r) => r.node);
        } else if (root.many) {
          nodes = selectPage(ctx, t, pageArgs(ctx, fn), block, null).map((r) => r.node);
        } else {
          const id = arg(ctx, fn, "id");
          nodes = id === undefined || id === null ? [] : byId(ctx, t, id, block, fn);
        }
        const resolved = resolveLevel(ctx, nodes, fns, block);
        data[key] = root.many ? resolved : (resolved[0] ?? null);
      }
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      errors.push(e);
    }
  }
  if (introspection.length && !errors.length) {
    const idoc: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [{ ...op, selectionSet: { kind: Kind.SELECTION_SET, selections: introspection } }, ...doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
    };
    const r = gqlExecute({ schema, document: idoc, variableValues: ctx.variables }) as { data?: Record<string, unknown>; errors?: readonly GraphQLError[] };
    if (r.errors?.length) errors.push(...r.errors.map((e) => new QueryError("VALIDATION", e.message)));
    else for (const k of Object.keys(r.data ?? {})) data[k] = r.data![k];
  }
  return errors.length ? { errors } : { data, errors };
}

const DEBUG_FIELDS = new Set(["_meta", "_logs"]);
const KEPT_ON_DENY = ["_meta", "_logs", "__schema", "__type"];

/** Indexing errors at the group's block (graphql/src/store/resolver.rs post_process). */
function postProcess(ctx: Ctx, g: Group, r: GroupResult): GroupResult {
  const first = ctx.state.firstErrorBlock;
  if (first === null || first > g.block || r.errors.length || r.data === undefined) return r;
  // Only debugging fields (by response key): no error, these are for looking at failed subgraphs.
  if (Object.keys(r.data).every((k) => DEBUG_FIELDS.has(k))) return r;
  const errors = [new QueryError("INDEXING_ERROR", "indexing_error")];
  if (g.allow) return { data: r.data, errors };
  const kept: Record<string, unknown> = {};
  for (const k of KEPT_ON_DENY) if (k in r.data) kept[k] = r.data[k];
  return Object.keys(kept).length ? { data: kept, errors } : { errors };
}

function loc(fn: FieldNode): Array<{ line: number; column: number }> | undefined {
  if (!fn.loc) return undefined;
  const { line, column } = fn.loc.startToken;
  return [{ line, column }];
}

// ------------------------------------------------------------------ arguments

function valueOf(v: ValueNode, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case Kind.VARIABLE:
      return vars[v.name.value];
    case Kind.INT: {
      const n = Number(v.value);
      return Number.isSafeInteger(n) ? n : BigInt(v.value);
    }
    case Kind.FLOAT:
      return Number(v.value);
    case Kind.STRING:
    case Kind.ENUM:
      return v.value;
    case Kind.BOOLEAN:
      return v.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return v.values.map((x) => valueOf(x, vars));
    case Kind.OBJECT: {
      const o: Record<string, unknown> = {};
      for (const f of v.fields) {
        const val = valueOf(f.value, vars);
        if (val !== undefined) o[f.name.value] = val;
      }
      return o;
    }
  }
}

function arg(ctx: Ctx, fn: FieldNode, name: string): unknown {
  const a = fn.arguments?.find((x) => x.name.value === name);
  return a ? valueOf(a.value, ctx.variables) : undefined;
}

interface PageArgs {
  first: number;
  skip: number;
  orderBy: unknown;
  orderDirection: unknown;
  where: unknown;
  /** A fulltext query field: match and order by rank ascending, then id (graph-node's default direction). */
  fulltext?: { model: FulltextModel; match: string };
}

/** Arguments of a fulltext query field; orderBy/orderDirection are not arguments there and are ignored. */
function fulltextArgs(ctx: Ctx, fn: FieldNode, model: FulltextModel): PageArgs {
  const text = arg(ctx, fn, "text");
  if (typeof text !== "string") {
    throw new QueryError("VALUE_PARSE", "No value provided for required argument: `text`", {}, { locations: loc(fn) });
  }
  return {
    first: rangeArg(ctx, fn, "first", 100, 1, MAX_FIRST),
    skip: rangeArg(ctx, fn, "skip", 0, 0, MAX_SKIP),
    orderBy: undefined,
    orderDirection: undefined,
    where: arg(ctx, fn, "where"),
    fulltext: { model, match: tsqueryToFts5(text) },
  };
}

function rangeArg(ctx: Ctx, fn: FieldNode, name: "first" | "skip", dflt: number, min: number, max: number): number {
  const v = arg(ctx, fn, name);
  if (v === undefined || v === null) return dflt;
  const n = typeof v === "bigint" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new QueryError("RANGE_ARGUMENT", `The \`${name}\` argument must be between 0 and ${max}, but is ${String(v)}`, { argument: name, value: String(v) });
  }
  return n;
}

function pageArgs(ctx: Ctx, fn: FieldNode): PageArgs {
  return {
    first: rangeArg(ctx, fn, "first", 100, 1, MAX_FIRST),
    skip: rangeArg(ctx, fn, "skip", 0, 0, MAX_SKIP),
    orderBy: arg(ctx, fn, "orderBy"),
    orderDirection: arg(ctx, fn, "orderDirection"),
    where: arg(ctx, fn, "where"),
  };
}

/**
 * An aggregation's query field (graph-node docs/aggregations.md "Querying"): the interval's table,
 * ordered by timestamp descending unless `orderBy` is given (graphql/src/store/query.rs
 * build_order), and with `current: include` the current bucket computed from the points not yet
 * rolled up, filtered at the points and not re-filtered (relational_queries.rs
 * query_no_window_one_entity), merged into the same order and page.
 */
function selectAggregation(ctx: Ctx, agg: AggregationModel, fn: FieldNode, block: number): Node[] {
  const interval = arg(ctx, fn, "interval");
  if (interval === undefined || interval === null) {
    throw new QueryError("VALUE_PARSE", "No value provided for required argument: `interval`", {}, { locations: loc(fn) });
  }
  if (typeof interval !== "string" || !(AGGREGATION_INTERVALS as readonly string[]).includes(interval)) {
    throw new QueryError("SCALAR_COERCION", `Failed to coerce value \`${String(interval)}\` of field \`interval\` to enum type \`Aggregation_interval\`. Possible values are: ${AGGREGATION_INTERVALS.join(", ")}`, { argument: "interval" });
  }
  const current = arg(ctx, fn, "current") ?? "exclude";
  if (current !== "exclude" && current !== "include") {
    throw new QueryError("SCALAR_COERCION", `Failed to coerce value \`${String(current)}\` of field \`current\` to enum type \`Aggregation_current\`. Possible values are: exclude, include`, { argument: "current" });
  }
  const table = agg.tables.get(interval as AggregationInterval);
  if (!table) {
    throw new QueryError("NOT_SUPPORTED", `Aggregation \`${agg.name}\` has no \`${interval}\` interval; its intervals are ${agg.intervals.join(", ")}`, { interval });
  }
  const a = pageArgs(ctx, fn);
  if (a.orderBy === undefined || a.orderBy === null) {
    a.orderBy = "timestamp";
    a.orderDirection = "desc";
  }
  let currentRows: AggRow[] | undefined;
  if (current === "include") {
    const source = ctx.model.entityTypes.get(agg.source)!;
    const fctx: FilterContext = { model: ctx.model, block, head: ctx.state.head!.number, params: [] };
    const filter = compileFilter(fctx, table, source, "c", a.where, false);
    currentRows = ctx.store.aggregationCurrent(table, block, filter, fctx.params);
  }
  return selectPage(ctx, table, a, block, null, currentRows).map((r) => r.node);
}

// ------------------------------------------------------------------ blocks

function resolveBlock(ctx: Ctx, block: unknown): number {
  const st = ctx.state;
  if (!st.head) {
    throw new QueryError(
      "NOT_SYNCED",
      `Subgraph \`${ctx.store.deploymentId}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it`,
    );
  }
  const head = st.head.number;
  const queryable = (n: number, label: string): number => {
    if (n > head) {
      throw new QueryError(
        "VALUE_PARSE",
        `Failed to decode \`${label}\` value: \`subgraph ${ctx.store.deploymentId} has only indexed up to block number ${head} and data for block number ${n} is therefore not yet available\``,
        { block: n, head },
      );
    }
    if (n < st.earliestBlock) {
      throw new QueryError(
        "VALUE_PARSE",
        `Failed to decode \`${label}\` value: \`subgraph ${ctx.store.deploymentId} only has data starting at block number ${st.earliestBlock} and data for block number ${n} is therefore not available\``,
        { block: n, earliest: st.earliestBlock },
      );
    }
    return n;
  };
  if (block === undefined || block === null) return head;
  if (typeof block !== "object") throw new QueryError("VALUE_PARSE", "Failed to decode `block` value: `expected an object`");
  const b = block as { hash?: unknown; number?: unknown; number_gte?: unknown };
  if (b.hash !== undefined && b.hash !== null) {
    const hash = `0x${parseBytes(b.hash, "hash").toString("hex")}`;
    const ptr = ctx.store.blockByHash(hash);
    if (!ptr) throw new QueryError("VALUE_PARSE", "Failed to decode `block.hash` value: `no block with that hash found`", { hash });
    return queryable(ptr.number, "block.number");
  }
  if (b.number !== undefined && b.number !== null) {
    if (typeof b.number !== "number" || !Number.isInteger(b.number)) throw new QueryError("VALUE_PARSE", "Failed to decode `block.number` value: `not an Int`");
    return queryable(b.number, "block.number");
  }
  if (b.number_gte !== undefined && b.number_gte !== null) {
    const n = Number(b.number_gte);
    if (head < n) {
      throw new QueryError(
        "VALUE_PARSE",
        `Failed to decode \`block.number_gte\` value: \`subgraph ${ctx.store.deploymentId} has only indexed up to block number ${head} and data for block number ${n} is therefore not yet available\``,
        { block: n, head },
      );
    }
    return head;
  }
  return head;
}

function resolveMeta(ctx: Ctx, fns: FieldNode[], B: number): Record<string, unknown> | null {
  const fn = fns[0]!;
  const blockArg = arg(ctx, fn, "block") as { number?: unknown } | undefined | null;
  const byNumber = !!blockArg && blockArg.number !== undefined && blockArg.number !== null;
  const ptr = byNumber ? null : ctx.store.blockByNumber(B);
  const firstError = ctx.state.firstErrorBlock;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of collectFields(ctx, "_Meta_", [], fns.map((f) => f.selectionSet!).filter(Boolean))) {
    const name = sub[0]!.name.value;
    if (name === "__typename") out[key] = "_Meta_";
    else if (name === "deployment") out[key] = ctx.store.deploymentId;
    else if (name === "hasIndexingErrors") out[key] = firstError !== null && firstError <= B;
    else if (name === "block") {
      const blk: Record<string, unknown> = {};
      for (const [bk, bf] of collectFields(ctx, "_Block_", [], sub.map((f) => f.selectionSet!).filter(Boolean))) {
        const bn = bf[0]!.name.value;
        if (bn === "number") blk[bk] = B;
        else if (bn === "hash") blk[bk] = ptr ? ptr.hash : null;
        else if (bn === "timestamp") blk[bk] = ptr ? ptr.timestamp : null;
        else if (bn === "parentHash") blk[bk] = ptr ? ptr.parentHash : null;
        else if (bn === "__typename") blk[bk] = "_Block_";
        else throw new QueryError("UNKNOWN_FIELD", `Type \`_Block_\` has no field \`${bn}\``);
      }
      out[key] = blk;
    } else throw new QueryError("UNKNOWN_FIELD", `Type \`_Meta_\` has no field \`${name}\``);
  }
  return out;
}

// ------------------------------------------------------------------ selection sets

function directiveSkips(ctx: Ctx, node: { directives?: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: ValueNode }[] }[] }): boolean {
  for (const d of node.directives ?? []) {
    const ifArg = d.arguments?.find((a) => a.name.value === "if");
    const cond = ifArg ? valueOf(ifArg.value, ctx.variables) === true : false;
    if (d.name.value === "skip" && cond) return true;
    if (d.name.value === "include" && !cond) return true;
  }
  return false;
}

function collectFields(ctx: Ctx, typeName: string, interfaces: string[], sets: SelectionSetNode[], out = new Map<string, FieldNode[]>()): Map<string, FieldNode[]> {
  const applies = (cond: string | undefined) => !cond || cond === typeName || interfaces.includes(cond);
  for (const set of sets) {
    for (const sel of set.selections) {
      if (directiveSkips(ctx, sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const list = out.get(key);
        if (list) list.push(sel);
        else out.set(key, [sel]);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (applies(sel.typeCondition?.name.value)) collectFields(ctx, typeName, interfaces, [sel.selectionSet], out);
      } else {
        const frag = ctx.fragments.get(sel.name.value);
        if (frag && applies(frag.typeCondition.name.value)) collectFields(ctx, typeName, interfaces, [frag.selectionSet], out);
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ fetching

function idParam(t: TypeModel, id: unknown, fn?: FieldNode): SqlValue {
  if (t.idType === "Bytes") return parseBytes(id, "id");
  if (t.idType === "Int8") {
    if (typeof id === "bigint") return id;
    if ((typeof id === "number" && Number.isInteger(id)) || (typeof id === "string" && /^-?\d+$/.test(id))) return BigInt(id);
    throw new QueryError("SCALAR_COERCION", `Failed to coerce value \`${String(id)}\` of field \`id\` to scalar type \`Int8\``, {}, { locations: fn ? loc(fn) : undefined });
  }
  return String(id);
}

function byId(ctx: Ctx, t: TypeModel, id: unknown, block: number, fn: FieldNode): Node[] {
  const p = idParam(t, id, fn);
  for (const ct of concreteTypes(ctx.model, t.name)) {
    const row = ctx.store.prepare(`SELECT * FROM ${q(ct.table)} c WHERE c."id" = ? AND ${visible("c", ct, block, ctx.state.head!.number)}`).get(p) as Record<string, unknown> | undefined;
    if (row) return [{ type: ct, row }];
  }
  return [];
}

type Link =
  | { kind: "direct"; pairs: Array<[string, string]> }
  | { kind: "derived"; field: string; parentIds: string[] };

/** One page of entities of `t` (an entity type or interface), optionally windowed per parent. */
function selectPage(ctx: Ctx, t: TypeModel, a: PageArgs, block: number, link: Link | null, current?: AggRow[]): Array<{ pk: string | null; node: Node }> {
  const types = t.kind === "entity" && t.aggregation ? [t] : concreteTypes(ctx.model, t.name);
  if (!types.length) return [];
  const head = ctx.state.head!.number;
  const order = a.fulltext ? { expr: () => `ft."rank"`, desc: false } : compileOrder(ctx.model, t, a.orderBy, a.orderDirection, block, head);
  const fctx: FilterContext = { model: ctx.model, block, head, params: [] };
  const single = types.length === 1;
  const subs: string[] = types.map((ct, i) => {
    let from = `${q(ct.table)} c`;
    let pk = "NULL";
    const conds: string[] = [visible("c", ct, block, head)];
    if (link?.kind === "direct") {
      fctx.params.push(JSON.stringify(link.pairs));
      from = `json_each(?) p JOIN ${q(ct.table)} c ON c."id" = ${idFromJsonExpr("(p.value ->> 1)", ct.idType)}`;
      pk = "(p.value ->> 0)";
    } else if (link?.kind === "derived") {
      const back = ct.fieldMap.get(link.field)!;
      fctx.params.push(JSON.stringify(link.parentIds));
      if (back.list) {
        from = `${q(ct.table)} c JOIN json_each(c.${q(back.column!)}) j`;
        conds.push(`j.value IN (SELECT value FROM json_each(?))`);
        pk = "j.value";
      } else {
        conds.push(`c.${q(back.column!)} IN (SELECT ${idFromJsonExpr("value", back.stored)} FROM json_each(?))`);
        pk = idJsonExpr(`c.${q(back.column!)}`, back.stored);
      }
    }
    if (a.fulltext) {
      // The FTS5 index holds every version (rowid = vid$); visibility picks the version at `block`.
      // Rank: FTS5's bm25 for both `rank` and `proximityRank` (higher = better, like ts_rank).
      const lit = `'${a.fulltext.match.replace(/'/g, "''")}'`;
      const fts = q(a.fulltext.model.table);
      from = `${from} JOIN (SELECT rowid AS "vid", -bm25(${fts}) AS "rank" FROM ${fts} WHERE ${fts} MATCH ${lit}) ft ON ft."vid" = c."vid$"`;
    }
    conds.push(compileFilter(fctx, t, ct, "c", a.where, false));
    const o = order.expr ? order.expr(ct, "c") : "NULL";
    return `SELECT ${single ? "c.*, " : ""}${i} AS "__t", c."vid$" AS "__vid", c."id" AS "__id", ${o} AS "__o", ${pk} AS "__pk" FROM ${from} WHERE ${conds.map((c) => `(${c})`).join(" AND ")}`;
  });
  if (current?.length && single) {
    // The current bucket's rows join the page unfiltered, in the table's column order (c.*).
    const ct = types[0]!;
    const cols = ["vid$", ...ct.fields.filter((f) => f.column !== null).map((f) => f.column!), "block$"];
    const selects = current.map((row) => `SELECT ${cols.map((c) => { fctx.params.push(row[c] ?? null); return `? AS ${q(c)}`; }).join(", ")}`);
    const o = order.expr ? order.expr(ct, "cur") : "NULL";
    subs.push(`SELECT cur.*, 0 AS "__t", NULL AS "__vid", cur."id" AS "__id", ${o} AS "__o", NULL AS "__pk" FROM (${selects.join(" UNION ALL ")}) cur`);
  }
  const dir = order.desc ? "DESC" : "ASC";
  const nulls = order.desc ? "NULLS FIRST" : "NULLS LAST";
  const orderSql = order.expr ? `"__o" ${dir} ${nulls}, "__id" ${dir}` : `"__id" ${dir}`;
  const union = subs.join(" UNION ALL ");
  let sql: string;
  if (link) {
    sql = `SELECT * FROM (SELECT u.*, ROW_NUMBER() OVER (PARTITION BY "__pk" ORDER BY ${orderSql}) AS "__rn" FROM (${union}) u) WHERE "__rn" > ${a.skip} AND "__rn" <= ${a.skip + a.first} ORDER BY "__pk", "__rn"`;
  } else {
    sql = `SELECT * FROM (${union}) ORDER BY ${orderSql} LIMIT ${a.first} OFFSET ${a.skip}`;
  }
  const rows = ctx.store.prepare(sql).all(...fctx.params) as Array<Record<string, unknown>>;
  if (single) return rows.map((row) => ({ pk: row.__pk === null ? null : String(row.__pk), node: { type: types[0]!, row } }));
  // Interfaces: fetch the full rows of each concrete type by vid.
  const full = new Map<string, Record<string, unknown>>();
  types.forEach((ct, i) => {
    const vids = rows.filter((r) => Number(r.__t) === i).map((r) => String(r.__vid));
    if (!vids.length) return;
    const got = ctx.store.prepare(`SELECT * FROM ${q(ct.table)} WHERE "vid$" IN (SELECT value FROM json_each(?))`).all(`[${vids.join(",")}]`) as Array<Record<string, unknown>>;
    for (const g of got) full.set(`${i}:${String(g["vid$"])}`, g);
  });
  return rows.map((r) => ({
    pk: r.__pk === null ? null : String(r.__pk),
    node: { type: types[Number(r.__t)]!, row: full.get(`${Number(r.__t)}:${String(r.__vid)}`)! },
  }));
}

// ------------------------------------------------------------------ resolution

function idJson(n: Node): string {
  const id = n.row.id;
  if (Buffer.isBuffer(id)) return bytesToHex(id);
  return String(id);
}

function scalarOut(f: FieldModel, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (f.list) {
    const arr = JSON.parse(String(raw)) as unknown[];
    if (f.stored === "Int" || f.stored === "Boolean" || f.stored === "String" || f.stored === "Bytes") return arr;
    return arr.map((x) => String(x));
  }
  switch (f.stored) {
    case "String":
      return String(raw);
    case "Bytes":
      return bytesToHex(raw as Buffer);
    case "Int":
      return Number(raw);
    case "Boolean":
      return Number(raw) !== 0;
    case "Int8":
    case "Timestamp":
      return String(raw);
    case "BigInt":
      return decodeBigInt(raw as Buffer).toString();
    case "BigDecimal":
      return bigDecimalToString(decodeBigDecimal(raw as Buffer));
  }
}

function resolveLevel(ctx: Ctx, nodes: Node[], fns: FieldNode[], block: number): Array<Record<string, unknown>> {
  const results = nodes.map(() => ({}) as Record<string, unknown>);
  const sets = fns.map((f) => f.selectionSet).filter((s): s is SelectionSetNode => !!s);
  const byType = new Map<EntityTypeModel, number[]>();
  nodes.forEach((n, i) => {
    const l = byType.get(n.type);
    if (l) l.push(i);
    else byType.set(n.type, [i]);
  });
  // Keys in selection order for each node's type.
  for (const [type, idxs] of byType) {
    const collected = collectFields(ctx, type.name, type.interfaces, sets);
    for (const [key, kfns] of collected) {
      const name = kfns[0]!.name.value;
      if (name === "__typename") {
        for (const i of idxs) results[i]![key] = type.name;
        continue;
      }
      const f = type.fieldMap.get(name);
      if (!f) throw new QueryError("UNKNOWN_FIELD", `Type \`${type.name}\` has no field \`${name}\``, { type: type.name, field: name }, { locations: loc(kfns[0]!) });
      if (!f.isReference) {
        for (const i of idxs) results[i]![key] = scalarOut(f, nodes[i]!.row[f.column!]);
        continue;
      }
      const children = loadChildren(ctx, type, f, idxs.map((i) => nodes[i]!), kfns[0]!, block);
      const flat: Node[] = [];
      const spans: Array<[number, number]> = [];
      for (const c of children) {
        spans.push([flat.length, c.length]);
        flat.push(...c);
      }
      const resolved = resolveLevel(ctx, flat, kfns, block);
      idxs.forEach((i, j) => {
        const [start, len] = spans[j]!;
        const mine = resolved.slice(start, start + len);
        if (f.list) results[i]![key] = mine;
        else {
          if (f.derivedFrom !== null && mine.length > 1) {
            throw new QueryError(
              "AMBIGUOUS_DERIVED",
              `Ambiguous result for derived field \`${f.name}\`: Multiple \`${f.typeName}\` entities refer back via \`${f.derivedFrom}\``,
              { field: f.name },
              { locations: loc(kfns[0]!) },
            );
          }
          results[i]![key] = mine[0] ?? null;
        }
      });
    }
  }
  return results;
}

/** Children of `parents` through `f`, one array per parent (in parent order). */
function loadChildren(ctx: Ctx, parentType: EntityTypeModel, f: FieldModel, parents: Node[], fn: FieldNode, block: number): Node[][] {
  const target = ctx.model.entityTypes.get(f.typeName) ?? ctx.model.interfaces.get(f.typeName)!;
  if (f.derivedFrom === null && !f.list) {
    // Plain reference: look the ids up.
    const ids = parents.map((p) => p.row[f.column!]).filter((v) => v !== null && v !== undefined);
    const found = new Map<string, Node>();
    if (ids.length) {
      const json = JSON.stringify([...new Set(ids.map((v) => (Buffer.isBuffer(v) ? bytesToHex(v) : String(v))))]);
      for (const ct of concreteTypes(ctx.model, target.name)) {
        const rows = ctx.store
          .prepare(`SELECT * FROM ${q(ct.table)} c WHERE c."id" IN (SELECT ${idFromJsonExpr("value", ct.idType)} FROM json_each(?)) AND ${visible("c", ct, block, ctx.state.head!.number)}`)
          .all(json) as Array<Record<string, unknown>>;
        for (const row of rows) {
          const n = { type: ct, row };
          found.set(idJson(n), n);
        }
      }
    }
    return parents.map((p) => {
      const v = p.row[f.column!];
      if (v === null || v === undefined) return [];
      const n = found.get(Buffer.isBuffer(v) ? bytesToHex(v) : String(v));
      return n ? [n] : [];
    });
  }
  const a: PageArgs = f.list ? pageArgs(ctx, fn) : { first: 2, skip: 0, orderBy: undefined, orderDirection: undefined, where: undefined };
  let link: Link;
  if (f.derivedFrom !== null) {
    link = { kind: "derived", field: f.derivedFrom, parentIds: [...new Set(parents.map(idJson))] };
  } else {
    const pairs: Array<[string, string]> = [];
    parents.forEach((p, i) => {
      const raw = p.row[f.column!];
      if (raw === null || raw === undefined) return;
      const seen = new Set<string>();
      for (const el of JSON.parse(String(raw)) as unknown[]) {
        const s = String(el);
        if (seen.has(s)) continue;
        seen.add(s);
        pairs.push([String(i), s]);
      }
    });
    link = { kind: "direct", pairs };
  }
  const rows = selectPage(ctx, target, a, block, link);
  const byPk = new Map<string, Node[]>();
  for (const r of rows) {
    const l = byPk.get(r.pk!);
    if (l) l.push(r.node);
    else byPk.set(r.pk!, [r.node]);
  }
  return parents.map((p, i) => byPk.get(link.kind === "direct" ? String(i) : idJson(p)) ?? []);
}
