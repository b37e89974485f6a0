/**
 * The store's SQLite schema: one table per entity type laid out like graph-node's relational
 * schema (store/postgres/src/relational.rs), the deployment metadata tables, and the prepared
 * statements each entity table needs.
 *
 * - Mutable types carry a block range [lo$, hi$) (hi$ = BLOCK_MAX means open).
 * - Immutable (and timeseries) types carry block$ and a unique id.
 * - vid$ = (block << 32) + seq, seq counting the block's writes in order.
 */
import type Database from "better-sqlite3";
import type { EntityTypeModel, FieldModel, FulltextModel, SchemaModel } from "../schema/model";
import { StoreError } from "./errors";

/** Upper bound of an open block range (graph-node's unbounded int4range). */
export const BLOCK_MAX = 2147483647;

/** Bumped when the on-disk layout changes: an older store is refused, not migrated. */
export const SCHEMA_VERSION = 3;

export const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

/** Physical layout of one entity table, for the query layer. */
export interface TableLayout {
  type: EntityTypeModel;
  /** Quoted table name. */
  table: string;
  immutable: boolean;
  /** Stored fields in column order (derived fields excluded). */
  columns: FieldModel[];
}

/** The prepared statements of one entity table used by writes and point reads. */
export interface TableStatements {
  layout: TableLayout;
  insert: Database.Statement;
  current: Database.Statement;
  /** Immutable tables: the row's vid$ and block$ only (what a write needs to know). */
  existing: Database.Statement;
  clamp: Database.Statement;
  deleteVid: Database.Statement;
  updateVid: Database.Statement;
  insertedAt: Database.Statement;
}

export interface DeploymentIdentity {
  file: string;
  schema: SchemaModel;
  deploymentId: string;
  network: string;
  startBlock: number;
}

function sqlType(f: FieldModel): string {
  if (f.list) return "TEXT";
  switch (f.stored) {
    case "String":
      return "TEXT";
    case "Bytes":
    case "BigInt":
    case "BigDecimal":
      return "BLOB";
    default:
      return "INTEGER";
  }
}

/** DDL of one entity table with graph-node's attribute indexes (lists and booleans excepted). */
export function entityTableDdl(type: EntityTypeModel): string[] {
  const ddl: string[] = [];
  const t = q(type.table);
  const cols = type.fields.filter((f) => f.column !== null).map((f) => `${q(f.column!)} ${sqlType(f)}${f.name === "id" ? " NOT NULL" : ""}`);
  if (type.immutable) {
    ddl.push(`CREATE TABLE ${t} ("vid$" INTEGER PRIMARY KEY, ${cols.join(", ")}, "block$" INTEGER NOT NULL)`);
    ddl.push(`CREATE UNIQUE INDEX ${q(`${type.table}$id`)} ON ${t} ("id")`);
    ddl.push(`CREATE INDEX ${q(`${type.table}$block`)} ON ${t} ("block$")`);
  } else {
    ddl.push(`CREATE TABLE ${t} ("vid$" INTEGER PRIMARY KEY, ${cols.join(", ")}, "lo$" INTEGER NOT NULL, "hi$" INTEGER NOT NULL)`);
    ddl.push(`CREATE UNIQUE INDEX ${q(`${type.table}$current`)} ON ${t} ("id") WHERE "hi$" = ${BLOCK_MAX}`);
    ddl.push(`CREATE INDEX ${q(`${type.table}$id_range`)} ON ${t} ("id", "lo$", "hi$")`);
    ddl.push(`CREATE INDEX ${q(`${type.table}$lo`)} ON ${t} ("lo$")`);
    ddl.push(`CREATE INDEX ${q(`${type.table}$hi`)} ON ${t} ("hi$") WHERE "hi$" <> ${BLOCK_MAX}`);
  }
  for (const f of type.fields) {
    if (f.column === null || f.name === "id" || f.list || f.stored === "Boolean") continue;
    ddl.push(`CREATE INDEX ${q(`${type.table}$attr$${f.column}`)} ON ${t} (${q(f.column)})`);
  }
  return ddl;
}

/**
 * DDL of one interval table of an @aggregation (graph-node's `stats_hour`): immutable rows with
 * block$, the node-chosen Int8 id, the bucket's timestamp, and an index on (dimensions…,
 * timestamp) for the cumulative look-up of the previous bucket (store/postgres/src/relational/
 * rollup.rs #rollup-query-indexing).
 */
export function aggregationTableDdl(type: EntityTypeModel, dimensions: FieldModel[]): string[] {
  const ddl = entityTableDdl(type);
  const t = q(type.table);
  ddl.push(`CREATE INDEX ${q(`${type.table}$dims_ts`)} ON ${t} (${[...dimensions.map((d) => q(d.column!)), `"timestamp"`].join(", ")})`);
  return ddl;
}

/**
 * FTS5 tokenizer standing in for a Postgres text search configuration (docs/subgraph-query.md
 * lists the differences): Porter stemming for English, no stemming otherwise; case folded,
 * diacritics kept (Postgres configurations do not unaccent).
 */
export function fulltextTokenizer(language: FulltextModel["language"]): string {
  return language === "en" ? "porter unicode61 remove_diacritics 0" : "unicode61 remove_diacritics 0";
}

/**
 * DDL of one @fulltext index: an FTS5 table over the entity table's versions (external content,
 * rowid = vid$, like graph-node's tsvector column that lives in each version's row) kept in step by
 * triggers, so writes, in-place updates, reverts and deletes keep it consistent in the same transaction.
 */
export function fulltextDdl(ft: FulltextModel, type: EntityTypeModel): string[] {
  const fts = q(ft.table);
  const t = q(type.table);
  const cols = ft.fields.map((f) => q(type.fieldMap.get(f)!.column!));
  const news = ft.fields.map((f) => `new.${q(type.fieldMap.get(f)!.column!)}`);
  const olds = ft.fields.map((f) => `old.${q(type.fieldMap.get(f)!.column!)}`);
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return [
    `CREATE VIRTUAL TABLE ${fts} USING fts5(${cols.join(", ")}, content=${lit(type.table)}, content_rowid='vid$', tokenize=${lit(fulltextTokenizer(ft.language))})`,
    `CREATE TRIGGER ${q(`${ft.table}$ins`)} AFTER INSERT ON ${t} BEGIN INSERT INTO ${fts} (rowid, ${cols.join(", ")}) VALUES (new."vid$", ${news.join(", ")}); END`,
    `CREATE TRIGGER ${q(`${ft.table}$del`)} AFTER DELETE ON ${t} BEGIN INSERT INTO ${fts} (${fts}, rowid, ${cols.join(", ")}) VALUES ('delete', old."vid$", ${olds.join(", ")}); END`,
    `CREATE TRIGGER ${q(`${ft.table}$upd`)} AFTER UPDATE OF ${cols.join(", ")} ON ${t} BEGIN ` +
      `INSERT INTO ${fts} (${fts}, rowid, ${cols.join(", ")}) VALUES ('delete', old."vid$", ${olds.join(", ")}); ` +
      `INSERT INTO ${fts} (rowid, ${cols.join(", ")}) VALUES (new."vid$", ${news.join(", ")}); END`,
  ];
}

/**
 * Create the tables of a new store, or check that an existing one holds this deployment and
 * schema (a store is never silently reused for another deployment or schema).
 */
export function createOrCheckSchema(db: Database.Database, p: DeploymentIdentity): void {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta$deployment'`).get();
  if (exists) {
    const row = db.prepare(`SELECT deployment_id, schema_source, version FROM "meta$deployment" WHERE k = 1`).get() as
      | { deployment_id: string; schema_source: string; version: number }
      | undefined;
    if (!row) throw new StoreError("STORE_OPEN", `the store at ${p.file} has no deployment row`, { file: p.file });
    if (row.deployment_id !== p.deploymentId) {
      throw new StoreError("DEPLOYMENT_MISMATCH", `the store at ${p.file} holds deployment ${row.deployment_id}, not ${p.deploymentId}`, {
        file: p.file,
        stored: row.deployment_id,
        requested: p.deploymentId,
      });
    }
    if (row.schema_source !== p.schema.source || row.version !== SCHEMA_VERSION) {
      throw new StoreError("SCHEMA_MISMATCH", `the store at ${p.file} was created for a different schema.graphql; use a new data directory`, {
        file: p.file,
      });
    }
    return;
  }
  const ddl: string[] = [
    `CREATE TABLE "meta$deployment" (
      k INTEGER PRIMARY KEY CHECK (k = 1), version INTEGER NOT NULL, deployment_id TEXT NOT NULL, network TEXT NOT NULL,
      schema_source TEXT NOT NULL, earliest_block INTEGER NOT NULL,
      head_number INTEGER, head_hash TEXT, head_parent_hash TEXT, head_timestamp INTEGER,
      fatal_error TEXT, synced_at INTEGER, reorg_count INTEGER NOT NULL DEFAULT 0, entity_count INTEGER NOT NULL DEFAULT 0)`,
    `CREATE TABLE "meta$blocks" (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT NOT NULL, timestamp INTEGER NOT NULL)`,
    `CREATE INDEX "meta$blocks_hash" ON "meta$blocks" (hash)`,
    `CREATE TABLE "meta$dds" (id INTEGER PRIMARY KEY, template TEXT NOT NULL, address TEXT NOT NULL, context TEXT, created_at_block INTEGER NOT NULL)`,
    // Non-fatal deterministic handler errors (graph-node's subgraph_error table; block_number is
    // the lower end of its block range, so a revert below it deletes the error).
    `CREATE TABLE "meta$errors" (id INTEGER PRIMARY KEY, message TEXT NOT NULL, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, handler TEXT, deterministic INTEGER NOT NULL)`,
  ];
  for (const type of p.schema.entityTypes.values()) ddl.push(...entityTableDdl(type));
  for (const ft of p.schema.fulltexts) ddl.push(...fulltextDdl(ft, p.schema.entityTypes.get(ft.entity)!));
  for (const agg of p.schema.aggregations.values()) for (const t of agg.tables.values()) ddl.push(...aggregationTableDdl(t, agg.dimensions));
  db.transaction(() => {
    for (const s of ddl) db.exec(s);
    db.prepare(`INSERT INTO "meta$deployment" (k, version, deployment_id, network, schema_source, earliest_block) VALUES (1, ?, ?, ?, ?, ?)`).run(
      SCHEMA_VERSION,
      p.deploymentId,
      p.network,
      p.schema.source,
      p.startBlock,
    );
  })();
}

/** Prepare the statements of one entity table. */
export function prepareTable(db: Database.Database, type: EntityTypeModel): TableStatements {
  const layout: TableLayout = { type, table: q(type.table), immutable: type.immutable, columns: type.fields.filter((f) => f.column !== null) };
  const t = layout.table;
  const colNames = layout.columns.map((f) => q(f.column!));
  const current = db.prepare(type.immutable ? `SELECT * FROM ${t} WHERE "id" = ?` : `SELECT * FROM ${t} WHERE "id" = ? AND "hi$" = ${BLOCK_MAX}`);
  current.safeIntegers(true);
  const existing = db.prepare(type.immutable ? `SELECT "vid$", "block$" FROM ${t} WHERE "id" = ?` : `SELECT 1`);
  existing.safeIntegers(true);
  const setList = colNames.map((c) => `${c} = ?`).join(", ");
  return {
    layout,
    current,
    existing,
    insert: db.prepare(
      type.immutable
        ? `INSERT INTO ${t} ("vid$", ${colNames.join(", ")}, "block$") VALUES (?, ${colNames.map(() => "?").join(", ")}, ?)`
        : `INSERT INTO ${t} ("vid$", ${colNames.join(", ")}, "lo$", "hi$") VALUES (?, ${colNames.map(() => "?").join(", ")}, ?, ${BLOCK_MAX})`,
    ),
    clamp: db.prepare(type.immutable ? `SELECT 1` : `UPDATE ${t} SET "hi$" = ? WHERE "vid$" = ?`),
    deleteVid: db.prepare(`DELETE FROM ${t} WHERE "vid$" = ?`),
    updateVid: db.prepare(`UPDATE ${t} SET ${setList} WHERE "vid$" = ?`),
    insertedAt: db.prepare(type.immutable ? `SELECT "block$" AS b FROM ${t} WHERE "id" = ?` : `SELECT NULL AS b WHERE 0`),
  };
}
