/**
 * `@aggregation` over timeseries, written from graph-node's behaviour:
 * - what a bucket holds and how cumulative aggregates combine: store/postgres/src/relational/rollup.rs
 *   (the `rollup` test's Stats/OpenClose/Lifetime schemas) and docs/aggregations.md;
 * - when buckets are rolled up (the first block in a later bucket, marked with its number, reverted
 *   with it): store/postgres/src/relational.rs `Layout::rollup`, AggregationInterval::buckets in
 *   graph/src/schema/input/mod.rs;
 * - the query field: graph/src/schema/api.rs query_fields_for_agg_type / field_filter_ops
 *   (Aggregation), graphql/src/store/query.rs (default order timestamp desc),
 *   relational_queries.rs find_rollup/query_no_window_one_entity and rollup.rs select_current
 *   (`current: include`).
 * Points are written through the host's EntityCache, so ids and timestamps are node-assigned as in
 * graph-node (runtime/wasm/src/host_exports.rs).
 */
import { expect } from "chai";
import { ValueKind, type Entity, type Value } from "../../../subgraph/runtime/entity";
import { EntityCache } from "../../../subgraph/runtime/host/entity-cache";
import { createQueryEngine, type GraphQLResult } from "../../../subgraph/runtime/query";
import { parseSchema } from "../../../subgraph/runtime/schema";
import { evaluate, parseExpr, type EValue } from "../../../subgraph/runtime/schema/expr";
import { openStore, type BlockPtr, type SqliteEntityStore } from "../../../subgraph/runtime/store";
import { tmpDir } from "./fixture";

const SCHEMA = `
type Token @entity(immutable: true) { id: Bytes! name: String! }
type Data @entity(timeseries: true) {
  id: Int8!
  timestamp: Timestamp!
  token: Token!
  price: BigDecimal!
  amount: Int!
}
type Stats @aggregation(intervals: ["day", "hour"], source: "Data") {
  id: Int8!
  timestamp: Timestamp!
  token: Token!
  sum: BigDecimal! @aggregate(fn: "sum", arg: "price")
  max: Int! @aggregate(fn: "max", arg: "amount")
  value: BigDecimal! @aggregate(fn: "sum", arg: "price * amount")
  open: BigDecimal! @aggregate(fn: "first", arg: "price")
  close: BigDecimal! @aggregate(fn: "last", arg: "price")
  count: Int8! @aggregate(fn: "count")
  totalCount: Int8! @aggregate(fn: "count", cumulative: true)
  totalSum: BigDecimal! @aggregate(fn: "sum", arg: "price", cumulative: true)
  low: BigDecimal! @aggregate(fn: "min", arg: "price", cumulative: true)
}
type Total @aggregation(intervals: ["day"], source: "Data") {
  id: Int8!
  timestamp: Timestamp!
  big: Int! @aggregate(fn: "max", arg: "case when amount > 5 then amount else 0 end")
  most: BigDecimal! @aggregate(fn: "max", arg: "greatest(price, amount)")
}
`;

/** 2023-11-15T00:00:00Z: a day (and hour) boundary. */
const DAY = 1_700_006_400;
const H = 3600;
const A = "0x" + "aa".repeat(20);
const B = "0x" + "bb".repeat(20);
const us = (s: number) => String(BigInt(s) * 1_000_000n);

const bytes = (hex: string): Value => ({ kind: ValueKind.BYTES, value: Buffer.from(hex.slice(2), "hex") });
const point = (token: string, price: string, amount: number): Entity =>
  new Map<string, Value>([
    ["token", bytes(token)],
    ["price", { kind: ValueKind.BIGDECIMAL, value: { digits: BigInt(price.replace(".", "")), exp: price.includes(".") ? -price.split(".")[1]!.length : 0 } }],
    ["amount", { kind: ValueKind.INT, value: amount }],
  ]);

function ptr(n: number, time: number, fork = ""): BlockPtr {
  const h = (x: number) => `0x${(fork + x.toString(16)).padStart(64, "0")}`;
  return { number: n, hash: h(n), parentHash: n === 0 ? `0x${"0".repeat(64)}` : h(n - 1), timestamp: time };
}

class Chain {
  store: SqliteEntityStore;
  private n = 0;
  private readonly dir = tmpDir("tantieme-agg");
  constructor(private readonly schema = SCHEMA) {
    this.store = openStore({ dir: this.dir, schema: parseSchema(schema), deploymentId: "QmAgg", network: "hardhat", startBlock: 1 });
    const cache = new EntityCache(this.store, this.store.model, 1, { rejectUndefinedFields: true, blockTimestamp: DAY - 7 * H });
    for (const [id, name] of [[A, "a"], [B, "b"]] as const) {
      cache.set("Token", id, new Map<string, Value>([["id", bytes(id)], ["name", { kind: ValueKind.STRING, value: name }]]));
    }
    cache.commitHandler();
    this.store.transactBlock(ptr(++this.n, DAY - 7 * H), cache.modifications(), []);
  }
  /** One block at `time` (seconds) writing `points`; returns its number. */
  block(time: number, points: Entity[] = []): number {
    const n = ++this.n;
    const cache = new EntityCache(this.store, this.store.model, n, { rejectUndefinedFields: true, blockTimestamp: time });
    for (const p of points) cache.set("Data", "auto", p);
    cache.commitHandler();
    this.store.transactBlock(ptr(n, time), cache.modifications(), []);
    return n;
  }
  /** Close and reopen the store (a restart of the indexer). */
  reopen(): void {
    this.store.close();
    this.store = openStore({ dir: this.dir, schema: parseSchema(this.schema), deploymentId: "QmAgg", network: "hardhat", startBlock: 1 });
  }
  revertTo(n: number, time: number): void {
    this.store.revertTo(ptr(n, time));
    this.n = n;
  }
  query(q: string): GraphQLResult {
    return createQueryEngine(this.store).execute({ query: q });
  }
}

const id = (block: number, seq: number) => String((BigInt(block) << 32n) + BigInt(seq));

describe("subgraph/query: @aggregation rollups and the aggregation query field", () => {
  let chain: Chain;
  beforeEach(() => {
    chain = new Chain();
  });
  afterEach(() => chain.store.close());

  const HOURLY = `{ stats_collection(interval: hour) { id timestamp token { name } sum max value open close count totalCount totalSum low } }`;

  it("default: an hour is rolled up when the first block of a later hour is processed, one row per dimension value", () => {
    const b2 = chain.block(DAY + 10, [point(A, "1.5", 2), point(B, "10", 1)]);
    const b3 = chain.block(DAY + 20, [point(A, "2", 4), point(A, "0.5", 3)]);
    // Still inside the first hour: nothing rolled up yet (rollup.rs: buckets are written when they end).
    expect(chain.query(HOURLY)).to.deep.equal({ data: { stats_collection: [] } });
    chain.block(DAY + H + 5, [point(B, "7", 9)]);
    const rows = chain.query(HOURLY);
    // Ordered by timestamp desc, then id desc (query.rs: default order for aggregations).
    expect(rows).to.deep.equal({
      data: {
        stats_collection: [
          { id: id(b3, 1), timestamp: us(DAY), token: { name: "a" }, sum: "4", max: 4, value: "12.5", open: "1.5", close: "0.5", count: "3", totalCount: "3", totalSum: "4", low: "0.5" },
          { id: id(b2, 1), timestamp: us(DAY), token: { name: "b" }, sum: "10", max: 1, value: "10", open: "10", close: "10", count: "1", totalCount: "1", totalSum: "10", low: "10" },
        ],
      },
    });
    // The day has not ended: no daily rows.
    expect(chain.query(`{ stats_collection(interval: day) { id } totals(interval: day) { id } }`)).to.deep.equal({ data: { stats_collection: [], totals: [] } });
  });

  it("behavior: cumulative aggregates add the group's latest earlier bucket, even hours back; groups without points get no row", () => {
    chain.block(DAY + 10, [point(A, "1", 1), point(B, "3", 1)]);
    chain.block(DAY + 3 * H + 1, [point(A, "2", 1), point(A, "0.25", 1)]);
    chain.block(DAY + 4 * H, []);
    const r = chain.query(`{ stats_collection(interval: hour, orderBy: timestamp, orderDirection: asc, where: { token: "${A}" }) { timestamp count totalCount sum totalSum open close low } }`);
    expect(r).to.deep.equal({
      data: {
        stats_collection: [
          { timestamp: us(DAY), count: "1", totalCount: "1", sum: "1", totalSum: "1", open: "1", close: "1", low: "1" },
          { timestamp: us(DAY + 3 * H), count: "2", totalCount: "3", sum: "2.25", totalSum: "3.25", open: "2", close: "0.25", low: "0.25" },
        ],
      },
    });
    expect(chain.query(`{ stats_collection(interval: hour, where: { token: "${B}" }) { timestamp totalCount } }`)).to.deep.equal({
      data: { stats_collection: [{ timestamp: us(DAY), totalCount: "1" }] },
    });
  });

  it("behavior: days roll up at the first block of a later day; expressions (case, greatest) are evaluated per point", () => {
    chain.block(DAY + 10, [point(A, "1.5", 7), point(B, "10", 1)]);
    chain.block(DAY + 5 * H, [point(A, "2", 30)]);
    chain.block(DAY + 24 * H + 1, []);
    expect(chain.query(`{ totals(interval: day) { timestamp big most } stats_collection(interval: day, orderBy: sum) { token { name } sum count } }`)).to.deep.equal({
      data: {
        totals: [{ timestamp: us(DAY), big: 30, most: "30" }],
        stats_collection: [
          { token: { name: "a" }, sum: "3.5", count: "2" },
          { token: { name: "b" }, sum: "10", count: "1" },
        ],
      },
    });
  });

  it("behavior: a revert below the rolling block removes its rollups; replaying rolls them up again", () => {
    chain.block(DAY + 10, [point(A, "1", 1)]);
    const b3 = chain.block(DAY + 20, [point(A, "2", 1)]);
    chain.block(DAY + H + 1, [point(A, "5", 1)]);
    expect(chain.query(`{ stats_collection(interval: hour) { sum } }`)).to.deep.equal({ data: { stats_collection: [{ sum: "3" }] } });
    chain.revertTo(b3, DAY + 20);
    expect(chain.query(`{ stats_collection(interval: hour) { sum } }`)).to.deep.equal({ data: { stats_collection: [] } });
    chain.block(DAY + H + 2, [point(A, "7", 1)]);
    expect(chain.query(`{ stats_collection(interval: hour) { sum totalSum } }`)).to.deep.equal({ data: { stats_collection: [{ sum: "3", totalSum: "3" }] } });
  });

  it("behavior: after a restart the previous block's time is the stored head's, so the open hour still rolls up (graph-node would derive it from the aggregation tables)", () => {
    chain.block(DAY + 10, [point(A, "1", 1)]);
    chain.reopen();
    chain.block(DAY + H + 10, [point(A, "2", 1)]);
    expect(chain.query(`{ stats_collection(interval: hour) { timestamp sum } }`)).to.deep.equal({ data: { stats_collection: [{ timestamp: us(DAY), sum: "1" }] } });
  });

  it("args: current: include adds the partial bucket from the points not yet rolled up, filtered at the points; exclude is the default", () => {
    chain.block(DAY + 10, [point(A, "1", 1), point(B, "3", 1)]);
    chain.block(DAY + H + 10, [point(A, "2", 5)]);
    const b4 = chain.block(DAY + H + 20, [point(A, "4", 6), point(B, "1", 1)]);
    const q = (args: string) => chain.query(`{ stats_collection(interval: hour${args}) { id timestamp token { name } sum count totalCount } }`);
    expect(q("")).to.deep.equal(q(", current: exclude"));
    expect(q(`, current: include, where: { token: "${A}" }`)).to.deep.equal({
      data: {
        stats_collection: [
          { id: id(b4, 0), timestamp: us(DAY + H), token: { name: "a" }, sum: "6", count: "2", totalCount: "3" },
          { id: id(2, 0), timestamp: us(DAY), token: { name: "a" }, sum: "1", count: "1", totalCount: "1" },
        ],
      },
    });
    // Filters apply to the points: the timestamp filter cuts the partial bucket's points, not its row
    // (whose timestamp is the bucket's start); same timestamp, so the larger id comes first.
    expect(chain.query(`{ stats_collection(interval: hour, current: include, where: { timestamp_gte: "${us(DAY + H + 15)}" }) { timestamp token { name } sum } }`)).to.deep.equal({
      data: { stats_collection: [{ timestamp: us(DAY + H), token: { name: "b" }, sum: "1" }, { timestamp: us(DAY + H), token: { name: "a" }, sum: "4" }] },
    });
    // Time travel: at block b4 - 1 the partial bucket holds only the points visible then.
    expect(chain.query(`{ stats_collection(interval: hour, current: include, block: { number: ${b4 - 1} }, where: { token: "${A}" }, first: 1) { sum } }`)).to.deep.equal({
      data: { stats_collection: [{ sum: "2" }] },
    });
  });

  it("behavior: the current bucket starts at graph-node's last_rollup (latest bucket + interval + 1 s): a point in that first second shows up only once rolled up", () => {
    chain.block(DAY + 10, [point(A, "1", 1)]);
    chain.block(DAY + H, [point(A, "2", 1)]); // rolls up the first hour; its own point is at the boundary
    chain.block(DAY + H + 1, [point(A, "4", 1)]);
    const q = () => chain.query(`{ stats_collection(interval: hour, current: include) { timestamp sum } }`);
    expect(q()).to.deep.equal({ data: { stats_collection: [{ timestamp: us(DAY + H), sum: "4" }, { timestamp: us(DAY), sum: "1" }] } });
    chain.block(DAY + 2 * H, []);
    expect(q()).to.deep.equal({ data: { stats_collection: [{ timestamp: us(DAY + H), sum: "6" }, { timestamp: us(DAY), sum: "1" }] } });
  });

  it("args: where on id, timestamp and dimensions (with child filters), orderBy on aggregates, first/skip", () => {
    chain.block(DAY + 10, [point(A, "1", 1), point(B, "3", 1)]);
    chain.block(DAY + H + 10, [point(A, "2", 5)]);
    chain.block(DAY + 2 * H + 10, [point(B, "4", 6)]);
    chain.block(DAY + 3 * H, []);
    const r = chain.query(`{
      a: stats_collection(interval: hour, where: { timestamp_gt: "${us(DAY)}", timestamp_lte: "${us(DAY + 2 * H)}" }, orderBy: sum, orderDirection: desc) { timestamp sum }
      b: stats_collection(interval: hour, where: { token_: { name: "b" } }) { sum }
      c: stats_collection(interval: hour, orderBy: totalSum, first: 2, skip: 1) { totalSum }
      d: stats_collection(interval: hour, where: { timestamp_in: ["${us(DAY)}"], token: "${A}" }) { sum }
    }`);
    expect(r).to.deep.equal({
      data: {
        a: [{ timestamp: us(DAY + 2 * H), sum: "4" }, { timestamp: us(DAY + H), sum: "2" }],
        b: [{ sum: "4" }, { sum: "3" }],
        c: [{ totalSum: "3" }, { totalSum: "3" }],
        d: [{ sum: "1" }],
      },
    });
  });

  it("error: aggregates cannot be filtered, interval is required and must be hour or day, and the aggregation's own", () => {
    chain.block(DAY + 10, [point(A, "1", 1)]);
    expect(chain.query(`{ stats_collection(interval: hour, where: { sum_gt: "1" }) { id } }`).errors![0]!.message).to.equal("Type `Stats_filter` has no field `sum_gt`");
    expect(chain.query(`{ stats_collection(interval: hour, where: { token_not: "${A}" }) { id } }`).errors![0]!.message).to.equal("Type `Stats_filter` has no field `token_not`");
    expect(chain.query(`{ stats_collection { id } }`).errors).to.deep.equal([{ locations: [{ line: 1, column: 3 }], message: "No value provided for required argument: `interval`" }]);
    expect(chain.query(`{ stats_collection(interval: week) { id } }`).errors![0]!.message).to.equal(
      "Failed to coerce value `week` of field `interval` to enum type `Aggregation_interval`. Possible values are: hour, day",
    );
    expect(chain.query(`{ stats_collection(interval: hour, current: all) { id } }`).errors![0]!.message).to.equal(
      "Failed to coerce value `all` of field `current` to enum type `Aggregation_current`. Possible values are: exclude, include",
    );
    expect(chain.query(`{ totals(interval: hour) { id } }`).errors![0]!.message).to.equal("Aggregation `Total` has no `hour` interval; its intervals are day");
  });

  it("behavior: the API schema has graph-node's aggregation field, filter and enums (api.rs `aggregation` test)", () => {
    const schema = createQueryEngine(chain.store).schema;
    const field = schema.getQueryType()!.getFields()["stats_collection"]!;
    expect(field.args.map((a) => `${a.name}: ${String(a.type)}`)).to.deep.equal([
      "skip: Int",
      "first: Int",
      "interval: Aggregation_interval!",
      "orderBy: Stats_orderBy",
      "orderDirection: OrderDirection",
      "current: Aggregation_current",
      "where: Stats_filter",
      "block: Block_height",
      "subgraphError: _SubgraphErrorPolicy_!",
    ]);
    expect(String(field.type)).to.equal("[Stats!]!");
    expect(schema.getQueryType()!.getFields()["stat"]).to.equal(undefined);
    const filter = Object.keys((schema.getType("Total_filter") as unknown as { getFields(): Record<string, unknown> }).getFields()).sort();
    expect(filter).to.deep.equal(["_change_block", "and", "id", "id_gt", "id_gte", "id_in", "id_lt", "id_lte", "or", "timestamp", "timestamp_gt", "timestamp_gte", "timestamp_in", "timestamp_lt", "timestamp_lte"]);
  });
});

describe("subgraph/store: aggregation values", () => {
  it("behavior: first/last of String, Bytes and references take the smallest/largest point id (test_schemas/ts_valid_non_numeric_first_last.graphql)", () => {
    const chain = new Chain(`
      type Token @entity(immutable: true) { id: Bytes! name: String! }
      type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: Token! price: BigDecimal! amount: Int! }
      type Names @aggregation(intervals: ["hour"], source: "Data") {
        id: Int8!
        timestamp: Timestamp!
        firstToken: Token! @aggregate(fn: "first", arg: "token")
        lastToken: Token! @aggregate(fn: "last", arg: "token")
        lowest: Int! @aggregate(fn: "min", arg: "amount")
        halves: Int! @aggregate(fn: "sum", arg: "amount / 2")
        rounded: BigDecimal! @aggregate(fn: "sum", arg: "(price / 3)::int4")
      }`);
    try {
      chain.block(DAY + 1, [point(B, "5", 7), point(A, "4", 3)]);
      chain.block(DAY + 2, [point(A, "1", 9)]);
      chain.block(DAY + H, []);
      // amount / 2 is integer division (7/2 + 3/2 + 9/2 = 3 + 1 + 4); (price/3)::int4 rounds half away
      // from zero (2 + 1 + 0). The arg's fields are checked against the aggregate's type, casts aside
      // (input/mod.rs check_ident), so the cast still needs a BigDecimal aggregate for a BigDecimal price.
      expect(chain.query(`{ names_collection(interval: hour) { firstToken { name } lastToken { name } lowest halves rounded } }`)).to.deep.equal({
        data: { names_collection: [{ firstToken: { name: "b" }, lastToken: { name: "a" }, lowest: 3, halves: 8, rounded: "3" }] },
      });
    } finally {
      chain.store.close();
    }
  });

  it("args: expressions evaluate like Postgres: null propagation, case, coalesce, nullif, least, mod, div, sign, is distinct from", () => {
    const fields: Record<string, EValue> = { a: { int: true, v: 7n }, b: { int: true, v: -2n }, d: { int: false, v: { digits: 25n, exp: -1 } }, n: null };
    const ev = (src: string) => {
      const v = evaluate(parseExpr(src), (f) => fields[f]!);
      if (v === null || typeof v === "boolean") return v;
      if ("int" in v) return v.int ? v.v.toString() : `${v.v.digits}e${v.v.exp}`;
      return v;
    };
    expect(ev("a / b")).to.equal("-3");
    expect(ev("a % b")).to.equal("1");
    expect(ev("a + n")).to.equal(null);
    expect(ev("coalesce(n, b, a)")).to.equal("-2");
    expect(ev("nullif(a, 7)")).to.equal(null);
    expect(ev("least(a, b, d)")).to.equal("-2");
    expect(ev("greatest(a, d)")).to.equal("7");
    expect(ev("case when n is null then d * 2 else 0 end")).to.equal("50e-1");
    expect(ev("case a when 7 then 1 else 2 end")).to.equal("1");
    expect(ev("mod(a, 4) + div(a, 2) + sign(b)")).to.equal("5");
    expect(ev("n is distinct from a")).to.equal(true);
    expect(ev("not (a > b and b < 0)")).to.equal(false);
    expect(ev("2 ^ 3 * -a")).to.equal("-56e0");
    expect(ev("d::int + cast(a as numeric)")).to.equal("10e0");
  });
});

describe("subgraph/schema: @aggregation validation (graph-node's texts)", () => {
  const DATA = `type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: Bytes! price: BigDecimal! amount: Int! }`;
  const stats = (body: string, directive = `intervals: ["hour", "day"], source: "Data"`) =>
    `${DATA}\ntype Stats @aggregation(${directive}) { id: Int8! timestamp: Timestamp! ${body} }`;
  const refused = (schema: string, message: string, opts: { specVersion?: string } = {}) => {
    expect(() => parseSchema(schema, opts)).to.throw(message);
    try {
      parseSchema(schema, opts);
    } catch (e) {
      expect((e as Error).message).to.equal(message);
    }
  };

  // graph/src/schema/test_schemas/ts_*.graphql with their expected SchemaValidationError (texts from
  // graph/src/schema/mod.rs); schemas whose entity type references the aggregation (`Token.stats`)
  // lose that field here, since such fields are refused by the embedded runtime (docs/subgraph-query.md).
  const cases: Array<[string, string, string]> = [
    ["ts_data_not_timeseries", `type Data @entity { id: Int8! timestamp: Timestamp! price: BigDecimal! }\ntype Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! timestamp: Timestamp! sum: BigDecimal! @aggregate(fn: "sum", arg: "price") }`, "Aggregation Stats uses Data as the source, but that type is not a timeseries"],
    ["ts_id_type_mismatch", `type Data @entity(timeseries: true) { id: Bytes! timestamp: Timestamp! price: BigDecimal! }\ntype Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! timestamp: Timestamp! sum: BigDecimal! @aggregate(fn: "sum", arg: "price") }`, "Timeseries `Data` must have an `id` field of type `Int8`"],
    ["ts_no_id", `${DATA}\ntype Stats @aggregation(intervals: ["hour"], source: "Data") { timestamp: Timestamp! sum: BigDecimal! @aggregate(fn: "sum", arg: "price") }`, "Type Stats does not have an `id` field"],
    ["ts_invalid_timestamp_aggregation", `${DATA}\ntype Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! timestamp: Int8! sum: BigDecimal! @aggregate(fn: "sum", arg: "price") }`, "Type Stats has a `timestamp` field of type Int8, but it must be of type Timestamp"],
    ["ts_invalid_interval", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`, `intervals: ["fortnight"], source: "Data"`), "Aggregation Stats: the interval fortnight is not supported"],
    ["ts_empty_intervals", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`, `intervals: [], source: "Data"`), "Aggregation Stats has an invalid argument for `intervals`: it must be a non-empty list of strings"],
    ["ts_wrong_interval", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`, `intervals: [60, 1440], source: "Data"`), "Aggregation Stats has an invalid argument for `intervals`: it must be a non-empty list of strings"],
    ["ts_no_interval", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`, `source: "Data"`), "Aggregation Stats is missing an `intervals` argument for the timeseries directive"],
    ["ts_invalid_fn", stats(`doit: BigDecimal! @aggregate(fn: "doit", arg: "price")`), "Field doit in aggregation Stats uses the unknown aggregation function `doit`"],
    ["ts_missing_fn", stats(`max: BigDecimal! @aggregate(arg: "price")`), "Field max in aggregation Stats is missing the `fn` argument"],
    ["ts_missing_arg", stats(`max: BigDecimal! @aggregate(fn: "max")`), "Field max in aggregation Stats is missing the `arg` argument since the function max requires it"],
    ["ts_invalid_arg", stats(`token: Bytes! max: BigDecimal! @aggregate(fn: "max", arg: "token")`), "Field max in aggregation Stats has arg `token` but that is not a numeric field in Data"],
    ["ts_invalid_cumulative", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price", cumulative: "maybe")`), "Field sum in aggregation Stats has an invalid value for `cumulative`. It needs to be a boolean"],
    ["ts_no_aggregate", stats(`token: Bytes!`), "Aggregation Stats has no @aggregate fields"],
    ["ts_derived_from", `type Token @entity { id: Bytes! data: [Data!]! @derivedFrom(field: "token") }\ntype Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: Token! price: BigDecimal! }\ntype Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! timestamp: Timestamp! token: Token! @derivedFrom(field: "stats") sum: BigDecimal! @aggregate(fn: "sum", arg: "price") }`, "Aggregation Stats has a derived field token but fields in aggregations can not be derived"],
    ["ts_expr_random", stats(`max_price: BigDecimal! @aggregate(fn: "max", arg: "random()")`), "Function random is not supported"],
    ["ts_expr_syntax_err", stats(`max_price: BigDecimal! @aggregate(fn: "max", arg: "greatest(price,")`), "Failed to parse expression: sql parser error: Expected: an expression, found: EOF"],
    ["ts_invalid_first_type_reference", stats(`firstBlockNumber: BlockNumber! @aggregate(fn: "first", arg: "amount")`), "Type `Stats`, field `firstBlockNumber`: type `BlockNumber` is not defined"],
    ["input/mod.rs AggregationNonMatchingArg", stats(`max: Int! @aggregate(fn: "max", arg: "price")`), "Field max in aggregation Stats has `arg` price of type BigDecimal but it is of the wider type Int in the source"],
    ["input/mod.rs NonNumericAggregate", stats(`max: Boolean! @aggregate(fn: "max", arg: "amount")`), "Aggregation Stats, fieldmax: aggregates must use a numeric type, one of Int, Int8, BigInt, and BigDecimal"],
    ["input/mod.rs InvalidFirstLastAggregate", stats(`flag: Boolean! @aggregate(fn: "first", arg: "amount")`), "Aggregation 'Stats', field 'flag': first/last aggregates must use a numeric, byte array, string or a reference type"],
    ["input/mod.rs AggregationUnknownSource", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`, `intervals: ["hour"], source: "Nope"`), "Aggregaton Stats uses Nope as the source, but there is no timeseries of that name"],
    ["input/mod.rs AggregationUnknownField", stats(`pool: Bytes! sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`), "Aggregation Stats uses Data as the source, but that does not have a field pool"],
    ["input/mod.rs AggregationNonMatchingType", stats(`token: String! sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`), "Field token in aggregation Stats has type String but its type in the source is Bytes"],
    ["input/mod.rs AggregationUnknownArg", stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price * volume")`), "Field sum in aggregation Stats has `arg` price * volume but the source type does not have such a field"],
    ["sqlexpr.rs: sqlparser parses ceil() as Expr::Ceil, refused", stats(`c: BigDecimal! @aggregate(fn: "sum", arg: "ceil(price)")`), "Expressions using Ceil are not supported"],
    ["sqlexpr.rs check_binary_op", stats(`c: BigDecimal! @aggregate(fn: "sum", arg: "price || amount")`), "binary operator || is not supported"],
  ];
  for (const [source, schema, message] of cases) {
    it(`error: ${source}: ${message}`, () => refused(schema, message));
  }

  it("error: aggregations need specVersion 1.1.0 (input/mod.rs AggregationsNotSupported)", () => {
    refused(stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`), "Aggregations are not supported with spec version 1.0.0; please migrate the subgraph to the latest version", { specVersion: "1.0.0" });
    expect(() => parseSchema(stats(`sum: BigDecimal! @aggregate(fn: "sum", arg: "price")`), { specVersion: "1.1.0" })).to.not.throw();
  });

  it("default: ts_expr_simple and ts_valid_non_numeric_first_last are valid; intervals are sorted and deduplicated", () => {
    const simple = parseSchema(
      `type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! price0: BigDecimal! price1: BigDecimal! }
      type Stats @aggregation(intervals: ["day", "hour", "day"], source: "Data") {
        id: Int8!
        timestamp: Timestamp!
        max_price: BigDecimal! @aggregate(fn: "max", arg: "greatest(price0, price1)")
        abs_price: BigDecimal! @aggregate(fn: "sum", arg: "abs(price0) + abs(price1)")
        price0_sq: BigDecimal! @aggregate(fn: "sum", arg: "power(price0, 2)")
        sum_sq: BigDecimal! @aggregate(fn: "sum", arg: "price0 * price0")
        sum_sq_cross: BigDecimal! @aggregate(fn: "sum", arg: "price0 * price1")
        max_some: BigDecimal! @aggregate(fn: "max", arg: "case when price0 > price1 then price0 else 0 end")
        max_cast: BigDecimal! @aggregate(fn: "sum", arg: "(price0/7)::int4")
      }`,
    );
    expect(simple.aggregations.get("Stats")!.intervals).to.deep.equal(["hour", "day"]);
    const firstLast = parseSchema(
      `type EntityA @entity(immutable: true) { id: ID! }
      type EntityC @entity(immutable: true) { id: Bytes! }
      type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! fieldA: EntityA! fieldC: EntityC! fieldD: String! fieldE: Bytes! }
      type Stats @aggregation(intervals: ["hour", "day"], source: "Data") {
        id: Int8!
        timestamp: Timestamp!
        firstA: EntityA! @aggregate(fn: "first", arg: "fieldA")
        lastC: EntityC! @aggregate(fn: "last", arg: "fieldC")
        firstD: String! @aggregate(fn: "first", arg: "fieldD")
        lastE: Bytes! @aggregate(fn: "last", arg: "fieldE")
      }`,
    );
    expect(firstLast.aggregations.get("Stats")!.aggregates.map((a) => `${a.fn}(${a.arg})`)).to.deep.equal(["first(fieldA)", "last(fieldC)", "first(fieldD)", "last(fieldE)"]);
  });

  it("error: an entity field referencing an aggregation (ts_valid's `Token.stats`) is refused by the embedded runtime", () => {
    expect(() =>
      parseSchema(`type Token @entity { id: Bytes! stats: Stats! @derivedFrom(field: "token") }
      type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: Token! price: BigDecimal! }
      type Stats @aggregation(intervals: ["hour", "day"], source: "Data") { id: Int8! timestamp: Timestamp! token: Token! max: BigDecimal! @aggregate(fn: "max", arg: "price") }`),
    ).to.throw("a field of type `Stats` refers to an aggregation; fields referencing aggregations are not supported by the embedded runtime");
  });
});
