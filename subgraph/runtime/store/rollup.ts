/**
 * Rollups of timeseries into `@aggregation` tables, as graph-node does them
 * (store/postgres/src/relational/rollup.rs for what a bucket holds, store/postgres/src/relational.rs
 * `Layout::rollup` for when):
 * - when a block's time falls in a later bucket than the previous block's, the bucket the previous
 *   block was in is rolled up, for every aggregation and interval (shorter intervals first), in the
 *   same transaction as the block's writes and marked with that block's number (block$), so a
 *   revert below it removes the rollup;
 * - a bucket row per group of dimension values: `id` = the largest source id of the group,
 *   `timestamp` = the bucket's start, the aggregates over the group's points in id order
 *   (`first`/`last` by id, `count` counts points, `sum`/`min`/`max` skip nulls);
 * - cumulative aggregates combine with the group's latest earlier bucket row (`sum`/`count` add,
 *   `min`/`max` compare, `first` keeps the earlier value, `last` the new one);
 * - the current (not yet rolled up) bucket is computed on demand for `current: include`.
 *
 * graph-node runs these as SQL over Postgres numerics; SQLite has none, so the points are read
 * and the aggregates computed here, with exact integer/decimal arithmetic (schema/expr.ts).
 */
import type Database from "better-sqlite3";
import { normalize } from "../host/bigdecimal";
import { evaluate, ExprEvalError, identifiers, numCompare, roundToInt, type EValue, type Num } from "../schema/expr";
import { INTERVAL_SECONDS, type AggregateModel, type AggregationModel, type EntityTypeModel, type FieldModel, type SchemaModel } from "../schema/model";
import { q } from "./ddl";
import { decodeBigDecimal, decodeBigInt, encodeBigDecimal, encodeBigInt, type SqlValue } from "./encoding";
import { StoreError } from "./errors";

const US = 1_000_000n;

/** One aggregation table to maintain: an aggregation at one interval. */
export interface RollupTarget {
  aggregation: AggregationModel;
  table: EntityTypeModel;
  source: EntityTypeModel;
  seconds: number;
  /**
   * The source columns a rollup reads (`id`, `timestamp`, the dimensions, the fields the aggregate
   * expressions name), quoted: a narrower row for the sort by id and the iterator than `SELECT *`.
   */
  columns: string[];
}

function sourceColumns(agg: AggregationModel, source: EntityTypeModel): string[] {
  const names = new Set(["id", "timestamp", ...agg.dimensions.map((d) => d.name)]);
  for (const a of agg.aggregates) if (a.expr) for (const n of identifiers(a.expr)) names.add(n);
  const cols: string[] = [];
  for (const n of names) {
    const f = source.fieldMap.get(n);
    if (f?.column) cols.push(q(f.column));
  }
  return cols;
}

/** A computed bucket row: column name → SQL value (the interval table's columns, block$ aside). */
export type AggRow = Record<string, SqlValue>;

function sqlToEValue(f: FieldModel, raw: unknown): EValue {
  if (raw === null || raw === undefined) return null;
  if (f.list) return { raw };
  switch (f.stored) {
    case "Int":
    case "Int8":
    case "Timestamp":
      return { int: true, v: BigInt(raw as bigint) };
    case "BigInt":
      return { int: false, v: { digits: decodeBigInt(raw as Buffer), exp: 0 } };
    case "BigDecimal":
      return { int: false, v: decodeBigDecimal(raw as Buffer) };
    case "Boolean":
      return Number(raw) !== 0;
    default:
      return { raw };
  }
}

function isNum(v: EValue): v is Num {
  return typeof v === "object" && v !== null && "int" in v;
}

/** An aggregate's value → the SQL value of its field (graph-node stores into the field's column type). */
function toSql(agg: AggregationModel, a: AggregateModel, v: EValue): SqlValue {
  if (v === null) return null;
  const f = a.field;
  const fail = (why: string) =>
    new StoreError("AGGREGATION_VALUE", `Aggregation ${agg.name}, field ${f.name}: ${why}`, { aggregation: agg.name, field: f.name });
  if (!isNum(v)) {
    if (typeof v === "boolean") throw fail("a boolean cannot be stored");
    return v.raw as SqlValue;
  }
  switch (f.stored) {
    case "Int": {
      const n = roundToInt(v);
      if (n > 2147483647n || n < -2147483648n) throw fail(`integer out of range: ${n}`);
      return Number(n);
    }
    case "Int8": {
      const n = roundToInt(v);
      if (n > 9223372036854775807n || n < -9223372036854775808n) throw fail(`bigint out of range: ${n}`);
      return n;
    }
    case "BigInt":
      return encodeBigInt(roundToInt(v));
    case "BigDecimal":
      return encodeBigDecimal(normalize(v.int ? { digits: v.v, exp: 0 } : v.v));
    default:
      throw fail(`a number cannot be stored in a ${f.typeName} field`);
  }
}

interface Group {
  id: bigint;
  ts: bigint;
  dims: SqlValue[];
  /** Per aggregate: running value. */
  values: EValue[];
  /** Per aggregate: whether a value was seen (first/last/min/max/sum ignore nothing else). */
  seen: boolean[];
}

function keyOf(dims: SqlValue[]): string {
  return JSON.stringify(dims.map((d) => (Buffer.isBuffer(d) ? `x${d.toString("hex")}` : typeof d === "bigint" ? `n${d}` : d)));
}

function compareAny(a: EValue, b: EValue): number {
  if (isNum(a) && isNum(b)) return numCompare(a, b);
  const ra = (a as { raw: unknown }).raw;
  const rb = (b as { raw: unknown }).raw;
  if (Buffer.isBuffer(ra) && Buffer.isBuffer(rb)) return Buffer.compare(ra, rb);
  return Buffer.compare(Buffer.from(String(ra)), Buffer.from(String(rb)));
}

function add(a: Num, b: Num): Num {
  if (a.int && b.int) return { int: true, v: a.v + b.v };
  const x = a.int ? { digits: a.v, exp: 0 } : a.v;
  const y = b.int ? { digits: b.v, exp: 0 } : b.v;
  const exp = Math.min(x.exp, y.exp);
  return { int: false, v: { digits: x.digits * 10n ** BigInt(x.exp - exp) + y.digits * 10n ** BigInt(y.exp - exp), exp } };
}

/**
 * Aggregate source rows (ordered by id) into one row per group of dimension values. `bucketOf`
 * maps a point's timestamp (µs) to its bucket start. The rows are consumed one at a time (a
 * statement's iterator): memory holds the groups, not the bucket's points — a busy hour has
 * hundreds of thousands.
 */
function aggregate(target: RollupTarget, rows: Iterable<Record<string, unknown>>, bucketOf: (ts: bigint) => bigint): Group[] {
  const { aggregation: agg, source } = target;
  const groups = new Map<string, Group>();
  const dimCols = agg.dimensions.map((d) => source.fieldMap.get(d.name)!.column!);
  for (const row of rows) {
    const dims = dimCols.map((c) => row[c] as SqlValue);
    const key = keyOf(dims);
    const id = BigInt(row.id as bigint);
    const ts = bucketOf(BigInt(row.timestamp as bigint));
    let g = groups.get(key);
    if (!g) {
      g = { id, ts, dims, values: agg.aggregates.map(() => null), seen: agg.aggregates.map(() => false) };
      groups.set(key, g);
    }
    if (id > g.id) g.id = id;
    if (ts > g.ts) g.ts = ts;
    const field = (name: string): EValue => {
      const f = source.fieldMap.get(name);
      if (!f) throw new ExprEvalError(`unknown field ${name}`);
      return sqlToEValue(f, row[f.column!]);
    };
    agg.aggregates.forEach((a, i) => {
      if (a.fn === "count") {
        g.values[i] = { int: true, v: ((g.values[i] as Num | null)?.v as bigint | undefined ?? 0n) + 1n };
        return;
      }
      let v: EValue;
      try {
        v = evaluate(a.expr!, field);
      } catch (e) {
        if (e instanceof ExprEvalError) {
          throw new StoreError("AGGREGATION_VALUE", `Aggregation ${agg.name}, field ${a.field.name}: \`${a.arg}\`: ${e.message}`, { aggregation: agg.name, field: a.field.name });
        }
        throw e;
      }
      switch (a.fn) {
        case "first":
          if (!g.seen[i]) {
            g.values[i] = v;
            g.seen[i] = true;
          }
          return;
        case "last":
          g.values[i] = v;
          g.seen[i] = true;
          return;
      }
      if (v === null) return;
      if (!isNum(v) && a.fn === "sum") throw new StoreError("AGGREGATION_VALUE", `Aggregation ${agg.name}, field ${a.field.name}: sum of a non-number`, { aggregation: agg.name, field: a.field.name });
      const cur = g.values[i]!;
      if (cur === null) g.values[i] = v;
      else if (a.fn === "sum") g.values[i] = add(cur as Num, v as Num);
      else if (a.fn === "min" ? compareAny(v, cur) < 0 : compareAny(v, cur) > 0) g.values[i] = v;
    });
  }
  return [...groups.values()];
}

/** graph-node's `combine` of a cumulative aggregate with the group's previous bucket value. */
function combine(a: AggregateModel, prev: EValue, cur: EValue): EValue {
  switch (a.fn) {
    case "sum":
    case "count":
      if (prev === null) return cur;
      if (cur === null) return prev;
      return add(prev as Num, cur as Num);
    case "min":
    case "max":
      if (prev === null) return cur;
      if (cur === null) return prev;
      return (a.fn === "min" ? compareAny(cur, prev) < 0 : compareAny(cur, prev) > 0) ? cur : prev;
    case "first":
      return prev ?? cur;
    case "last":
      return cur;
  }
}

/** The rollup machinery of one store. */
export class Rollups {
  readonly targets: RollupTarget[];
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    model: SchemaModel,
  ) {
    const targets: RollupTarget[] = [];
    for (const agg of model.aggregations.values()) {
      for (const [interval, table] of agg.tables) {
        const source = model.entityTypes.get(agg.source)!;
        targets.push({ aggregation: agg, table, source, seconds: INTERVAL_SECONDS[interval], columns: sourceColumns(agg, source) });
      }
    }
    // graph-node's agg_mappings are ordered by interval; shorter intervals roll up first.
    this.targets = targets.sort((a, b) => a.seconds - b.seconds);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (s.reader) s.safeIntegers(true);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /**
   * Roll up, at block `block` (time `now`, seconds), every bucket that ended after the previous
   * block's time `last` (graph-node Layout::rollup with last_rollup = the previous block's time:
   * only the first bucket of the range holds points, since no block was written in between).
   */
  rollup(last: number, now: number, block: number): void {
    for (const t of this.targets) {
      const first = Math.floor(last / t.seconds);
      const end = Math.floor(now / t.seconds);
      if (first >= end) break;
      const start = BigInt(first * t.seconds) * US;
      this.rollupBucket(t, start, start + BigInt(t.seconds) * US, block);
    }
  }

  private rollupBucket(t: RollupTarget, start: bigint, end: bigint, block: number): void {
    const rows = this.stmt(`SELECT ${t.columns.join(", ")} FROM ${q(t.source.table)} WHERE "timestamp" >= ? AND "timestamp" < ? ORDER BY "id"`).iterate(start, end) as Iterable<Record<string, unknown>>;
    const groups = aggregate(t, rows, () => start);
    if (!groups.length) return;
    const cols = t.table.fields.filter((f) => f.column !== null);
    const insert = this.stmt(`INSERT INTO ${q(t.table.table)} ("vid$", ${cols.map((f) => q(f.column!)).join(", ")}, "block$") VALUES (?, ${cols.map(() => "?").join(", ")}, ?)`);
    const maxVid = this.stmt(`SELECT MAX("vid$") AS v FROM ${q(t.table.table)} WHERE "block$" = ?`).get(block) as { v: bigint | null };
    let vid = maxVid.v === null ? BigInt(block) << 32n : BigInt(maxVid.v) + 1n;
    for (const g of groups) {
      const row = this.finish(t, g, start);
      insert.run(vid++, ...cols.map((f) => row[f.column!] ?? null), block);
    }
  }

  /** A group → the table row, combining cumulative aggregates with the group's latest bucket before `before` (µs). */
  private finish(t: RollupTarget, g: Group, before: bigint | null): AggRow {
    const agg = t.aggregation;
    const row: AggRow = { id: g.id, timestamp: g.ts };
    agg.dimensions.forEach((d, i) => (row[d.column!] = g.dims[i]!));
    let prev: Record<string, unknown> | undefined;
    if (agg.aggregates.some((a) => a.cumulative)) {
      const conds = agg.dimensions.map((d, i) => (g.dims[i] === null ? `${q(d.column!)} IS NULL` : `${q(d.column!)} = ?`));
      const params = g.dims.filter((d) => d !== null);
      prev = this.stmt(
        `SELECT * FROM ${q(t.table.table)} WHERE ${before === null ? "1" : `"timestamp" < ?`}${conds.length ? ` AND ${conds.join(" AND ")}` : ""} ORDER BY "timestamp" DESC LIMIT 1`,
      ).get(...(before === null ? [] : [before]), ...params) as Record<string, unknown> | undefined;
    }
    agg.aggregates.forEach((a, i) => {
      let v: EValue = g.values[i] ?? null;
      if (a.cumulative && prev) v = combine(a, sqlToEValue(a.field, prev[a.field.column!]), v);
      row[a.field.column!] = toSql(agg, a, v);
    });
    return row;
  }

  /**
   * The current, partially filled bucket of `table` as graph-node's select_current_sql computes
   * it: the points after the table's last rollup (its latest timestamp + interval + 1 s, exactly as
   * graph-node), visible at `block`, matching `filter` (SQL over the source table aliased `c`),
   * grouped by dimensions; timestamp = the latest point's bucket start, id = the largest point id.
   */
  current(table: EntityTypeModel, block: number, filter: string, params: SqlValue[]): AggRow[] {
    const t = this.targets.find((x) => x.table === table);
    if (!t) return [];
    const maxTs = (this.stmt(`SELECT MAX("timestamp") AS m FROM ${q(table.table)}`).get() as { m: bigint | null }).m;
    const lastRollup = maxTs === null ? null : BigInt(maxTs) + BigInt(t.seconds + 1) * US;
    // Not cached: the filter's SQL varies with every query (the statement cache would only grow).
    const select = this.db.prepare(`SELECT ${t.columns.map((c) => `c.${c}`).join(", ")} FROM ${q(t.source.table)} c WHERE c."timestamp" >= ? AND c."block$" <= ? AND (${filter}) ORDER BY c."id"`);
    select.safeIntegers(true);
    const rows = select.iterate(lastRollup ?? -(2n ** 62n), block, ...params) as Iterable<Record<string, unknown>>;
    const span = BigInt(t.seconds) * US;
    const groups = aggregate(t, rows, (ts) => ts - (((ts % span) + span) % span));
    return groups.map((g) => this.finish(t, g, lastRollup ?? -(2n ** 62n)));
  }

  /** Delete rollups written above block `p` (part of a revert). */
  revert(p: number): void {
    for (const t of this.targets) this.stmt(`DELETE FROM ${q(t.table.table)} WHERE "block$" > ?`).run(p);
  }
}
