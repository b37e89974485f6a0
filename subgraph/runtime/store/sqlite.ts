/**
 * The on-disk entity store: SQLite through better-sqlite3 (synchronous, as WASM host imports
 * need), laid out like graph-node's relational schema.
 *
 * - One table per entity type, one column per stored field (filters and orders run in SQL).
 * - Mutable types carry a block range [lo$, hi$) (hi$ = BLOCK_MAX means open); a create inserts
 *   [B, ∞), an update clamps the current version to [lo, B) and inserts [B, ∞), a remove clamps.
 * - Immutable (and timeseries) types carry block$ and a unique id.
 * - vid$ = (block << 32) + seq, seq counting the block's writes in order.
 * - Each block commits in one SQLite transaction with the head pointer, entity count, dynamic
 *   data sources and the block hash; revertTo deletes versions created above the target and
 *   re-opens the versions it clamped, in one transaction.
 *
 * Durability: WAL with synchronous=NORMAL. A committed transaction is in the WAL file before
 * `transactBlock` returns, so a kill -9 of the process never loses or tears a committed block
 * (the OS still holds the written pages); only a power loss/OS crash can drop the last few
 * commits, which leaves an older but consistent head that ingestion resumes from. FULL would add
 * an fsync per block, which costs far more than the indexing itself at thousands of blocks.
 */
import Database from "better-sqlite3";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EntityTypeModel, FieldModel, SchemaModel } from "../schema/model";
import { formatEntityId } from "../schema/validate";
import { StoreError } from "./errors";
import { bytesToHex, entityFromJson, entityToJson, fieldFromSql, fieldToSql, scalarToSql, type SqlValue } from "./encoding";
import {
  ValueKind,
  type BlockPtr,
  type DeploymentState,
  type DynamicDataSource,
  type Entity,
  type EntityId,
  type EntityModification,
  type EntityStore,
  type FatalError,
} from "./types";

/** Upper bound of an open block range (graph-node's unbounded int4range). */
export const BLOCK_MAX = 2147483647;

export interface OpenStoreParameters {
  /** Directory for the database file (created if missing). */
  dir: string;
  schema: SchemaModel;
  /** Deployment id (IPFS hash of the manifest, or any stable name). */
  deploymentId: string;
  network: string;
  /** Lowest startBlock of the manifest's data sources; the earliest queryable block. */
  startBlock: number;
  /** Database file name inside `dir`. Default `subgraph.sqlite`. */
  fileName?: string;
}

/** Physical layout of one entity table, for the query layer. */
export interface TableLayout {
  type: EntityTypeModel;
  /** Quoted table name. */
  table: string;
  immutable: boolean;
  /** Stored fields in column order (derived fields excluded). */
  columns: FieldModel[];
}

/** EntityStore plus the read API the GraphQL layer needs. */
export interface SqliteEntityStore extends EntityStore {
  readonly model: SchemaModel;
  readonly deploymentId: string;
  readonly network: string;
  readonly file: string;
  layout(entityType: string): TableLayout;
  /** A cached prepared statement (bounded LRU). Reads return integers as bigint. */
  prepare(sql: string): Database.Statement;
  /** Decode a row read from an entity table. */
  rowToEntity(layout: TableLayout, row: Record<string, unknown>): Entity;
  /** Block pointer of an indexed block by hash (lowercase 0x), or null. */
  blockByHash(hash: string): BlockPtr | null;
}

export const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

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

function idToSql(type: EntityTypeModel, id: EntityId): SqlValue {
  switch (type.idType) {
    case "String":
      if (typeof id !== "string") throw new StoreError("INVALID_VALUE", `entity type \`${type.name}\` has String ids, got ${typeof id}`, { entityType: type.name });
      return id;
    case "Bytes":
      if (!(id instanceof Uint8Array)) throw new StoreError("INVALID_VALUE", `entity type \`${type.name}\` has Bytes ids, got ${typeof id}`, { entityType: type.name });
      return Buffer.from(id);
    case "Int8":
      if (typeof id !== "bigint") throw new StoreError("INVALID_VALUE", `entity type \`${type.name}\` has Int8 ids, got ${typeof id}`, { entityType: type.name });
      return id;
  }
}

/** JSON form of an id inside list columns. */
function idToJson(type: { idType: string }, id: EntityId): string {
  if (id instanceof Uint8Array) return bytesToHex(id);
  return id.toString();
}

function sameSql(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  return String(a) === String(b);
}

const SCHEMA_VERSION = 1;

class StatementCache {
  private readonly map = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database, private readonly max: number) {}
  get(sql: string): Database.Statement {
    let s = this.map.get(sql);
    if (s) {
      this.map.delete(sql);
      this.map.set(sql, s);
      return s;
    }
    s = this.db.prepare(sql);
    if (s.reader) s.safeIntegers(true);
    this.map.set(sql, s);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return s;
  }
}

interface TableStatements {
  layout: TableLayout;
  insert: Database.Statement;
  current: Database.Statement;
  /** Immutable tables: the row's vid$ and block$ only (what a write needs to know). */
  existing: Database.Statement;
  clamp: Database.Statement;
  deleteVid: Database.Statement;
  updateVid: Database.Statement;
}

/** Open (or create) the store of one deployment. */
export function openStore(params: OpenStoreParameters): SqliteEntityStore {
  const { dir, schema, deploymentId, network, startBlock } = params;
  let db: Database.Database;
  const file = path.join(dir, params.fileName ?? "subgraph.sqlite");
  try {
    fs.mkdirSync(dir, { recursive: true });
    db = new Database(file);
  } catch (cause) {
    throw new StoreError("STORE_OPEN", `cannot open the store at ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("cache_size = -32768"); // 32 MB of page cache: the indexes of a busy range stay in memory, RSS stays bounded
  db.pragma("temp_store = MEMORY");
  db.pragma("foreign_keys = OFF");
  // graph-node's LIKE is case-sensitive (Postgres); `_nocase` filters use lower() explicitly.
  db.pragma("case_sensitive_like = ON");
  try {
    return new SqliteStore(db, file, params);
  } catch (e) {
    db.close();
    throw e;
  }
}

class SqliteStore implements SqliteEntityStore {
  readonly model: SchemaModel;
  readonly deploymentId: string;
  readonly network: string;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly cache: StatementCache;
  private readonly tables = new Map<string, TableStatements>();
  private closed = false;
  private readonly stmt: {
    meta: Database.Statement;
    setHead: Database.Statement;
    insertBlock: Database.Statement;
    insertDds: Database.Statement;
    allDds: Database.Statement;
    blockHash: Database.Statement;
    blockByHash: Database.Statement;
    blockByNumber: Database.Statement;
  };

  constructor(db: Database.Database, file: string, p: OpenStoreParameters) {
    this.db = db;
    this.file = file;
    this.model = p.schema;
    this.deploymentId = p.deploymentId;
    this.network = p.network;
    this.cache = new StatementCache(db, 512);
    this.migrate(p);
    this.stmt = {
      meta: db.prepare(`SELECT * FROM "meta$deployment" WHERE k = 1`),
      setHead: db.prepare(
        `UPDATE "meta$deployment" SET head_number = ?, head_hash = ?, head_parent_hash = ?, head_timestamp = ?, entity_count = entity_count + ? WHERE k = 1`,
      ),
      insertBlock: db.prepare(`INSERT OR REPLACE INTO "meta$blocks" (number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)`),
      insertDds: db.prepare(`INSERT INTO "meta$dds" (template, address, context, created_at_block) VALUES (?, ?, ?, ?)`),
      allDds: db.prepare(`SELECT template, address, context, created_at_block FROM "meta$dds" ORDER BY id`),
      blockHash: db.prepare(`SELECT hash FROM "meta$blocks" WHERE number = ?`),
      blockByHash: db.prepare(`SELECT * FROM "meta$blocks" WHERE hash = ?`),
      blockByNumber: db.prepare(`SELECT * FROM "meta$blocks" WHERE number = ?`),
    };
    for (const type of this.model.entityTypes.values()) this.tables.set(type.name, this.prepareTable(type));
  }

  // ------------------------------------------------------------------ DDL

  private migrate(p: OpenStoreParameters): void {
    const db = this.db;
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta$deployment'`).get();
    if (exists) {
      const row = db.prepare(`SELECT deployment_id, schema_source, version FROM "meta$deployment" WHERE k = 1`).get() as
        | { deployment_id: string; schema_source: string; version: number }
        | undefined;
      if (!row) throw new StoreError("STORE_OPEN", `the store at ${this.file} has no deployment row`, { file: this.file });
      if (row.deployment_id !== p.deploymentId) {
        throw new StoreError("DEPLOYMENT_MISMATCH", `the store at ${this.file} holds deployment ${row.deployment_id}, not ${p.deploymentId}`, {
          file: this.file,
          stored: row.deployment_id,
          requested: p.deploymentId,
        });
      }
      if (row.schema_source !== p.schema.source || row.version !== SCHEMA_VERSION) {
        throw new StoreError("SCHEMA_MISMATCH", `the store at ${this.file} was created for a different schema.graphql; use a new data directory`, {
          file: this.file,
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
    ];
    for (const type of p.schema.entityTypes.values()) {
      const t = q(type.table);
      const cols = type.fields
        .filter((f) => f.column !== null)
        .map((f) => `${q(f.column!)} ${sqlType(f)}${f.name === "id" ? " NOT NULL" : ""}`);
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
      // Attribute indexes like graph-node's, except lists and booleans.
      for (const f of type.fields) {
        if (f.column === null || f.name === "id" || f.list || f.stored === "Boolean") continue;
        ddl.push(`CREATE INDEX ${q(`${type.table}$attr$${f.column}`)} ON ${t} (${q(f.column)})`);
      }
    }
    db.transaction(() => {
      for (const s of ddl) db.exec(s);
      db.prepare(
        `INSERT INTO "meta$deployment" (k, version, deployment_id, network, schema_source, earliest_block) VALUES (1, ?, ?, ?, ?, ?)`,
      ).run(SCHEMA_VERSION, p.deploymentId, p.network, p.schema.source, p.startBlock);
    })();
  }

  private prepareTable(type: EntityTypeModel): TableStatements {
    const layout: TableLayout = { type, table: q(type.table), immutable: type.immutable, columns: type.fields.filter((f) => f.column !== null) };
    const t = layout.table;
    const colNames = layout.columns.map((f) => q(f.column!));
    const db = this.db;
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
    };
  }

  // ------------------------------------------------------------------ helpers

  private ensureOpen(): void {
    if (this.closed) throw new StoreError("CLOSED", "the store is closed");
  }

  private statementsFor(entityType: string): TableStatements {
    const s = this.tables.get(entityType);
    if (!s) throw new StoreError("UNKNOWN_ENTITY_TYPE", `unknown entity type \`${entityType}\``, { entityType });
    return s;
  }

  layout(entityType: string): TableLayout {
    return this.statementsFor(entityType).layout;
  }

  prepare(sql: string): Database.Statement {
    this.ensureOpen();
    return this.cache.get(sql);
  }

  rowToEntity(layout: TableLayout, row: Record<string, unknown>): Entity {
    const e: Entity = new Map();
    for (const f of layout.columns) {
      const raw = row[f.column!] as SqlValue | undefined;
      if (raw === null || raw === undefined) continue;
      e.set(f.name, fieldFromSql(f.stored, f.list, raw));
    }
    return e;
  }

  private encodeRow(layout: TableLayout, entityType: string, id: EntityId, entity: Entity): SqlValue[] {
    return layout.columns.map((f) => {
      if (f.name === "id") return idToSql(layout.type, id);
      try {
        return fieldToSql(f.stored, f.list, entity.get(f.name), f.name);
      } catch (cause) {
        if (cause instanceof StoreError) {
          throw new StoreError("INVALID_VALUE", `Entity ${entityType}[${formatEntityId(id)}]: ${cause.message}`, { entityType, field: f.name }, { cause });
        }
        throw cause;
      }
    });
  }

  // ------------------------------------------------------------------ EntityStore

  state(): DeploymentState {
    this.ensureOpen();
    const r = this.stmt.meta.get() as Record<string, unknown>;
    return {
      head:
        r.head_number === null
          ? null
          : {
              number: Number(r.head_number),
              hash: String(r.head_hash),
              parentHash: String(r.head_parent_hash),
              timestamp: Number(r.head_timestamp),
            },
      earliestBlock: Number(r.earliest_block),
      fatalError: r.fatal_error === null ? null : (JSON.parse(String(r.fatal_error)) as FatalError),
      syncedAt: r.synced_at === null ? null : Number(r.synced_at),
      reorgCount: Number(r.reorg_count),
      entityCount: Number(r.entity_count),
    };
  }

  get(entityType: string, id: EntityId): Entity | null {
    this.ensureOpen();
    const s = this.statementsFor(entityType);
    const row = s.current.get(idToSql(s.layout.type, id)) as Record<string, unknown> | undefined;
    return row ? this.rowToEntity(s.layout, row) : null;
  }

  findByField(entityType: string, field: string, parentId: EntityId): Entity[] {
    this.ensureOpen();
    const s = this.statementsFor(entityType);
    const f = s.layout.type.fieldMap.get(field);
    if (!f || f.column === null) {
      throw new StoreError("UNKNOWN_ENTITY_TYPE", `entity type \`${entityType}\` has no stored field \`${field}\``, { entityType, field });
    }
    const live = s.layout.immutable ? "1" : `"hi$" = ${BLOCK_MAX}`;
    let sql: string;
    let param: SqlValue;
    if (f.list) {
      sql = `SELECT * FROM ${s.layout.table} WHERE ${live} AND EXISTS (SELECT 1 FROM json_each(${q(f.column)}) WHERE value = ?) ORDER BY "id"`;
      param = idToJson(s.layout.type, parentId);
    } else {
      sql = `SELECT * FROM ${s.layout.table} WHERE ${live} AND ${q(f.column)} = ? ORDER BY "id"`;
      param = parentId instanceof Uint8Array ? Buffer.from(parentId) : parentId;
    }
    return (this.prepare(sql).all(param) as Record<string, unknown>[]).map((r) => this.rowToEntity(s.layout, r));
  }

  transactBlock(block: BlockPtr, mods: EntityModification[], dataSources: DynamicDataSource[]): void {
    this.ensureOpen();
    const st = this.state();
    if (st.fatalError) {
      throw new StoreError("DEPLOYMENT_FAILED", `the deployment failed at block ${st.fatalError.block.number}: ${st.fatalError.message}`, {
        block: block.number,
      });
    }
    if (st.head && block.number <= st.head.number) {
      throw new StoreError(
        "DUPLICATE_BLOCK_PROCESSING",
        `block ${block.number} is not above the current head ${st.head.number} (duplicate block processing)`,
        { block: block.number, head: st.head.number },
      );
    }
    if (!Number.isInteger(block.number) || block.number < 0 || block.number >= BLOCK_MAX) {
      throw new StoreError("INVALID_VALUE", `invalid block number ${block.number}`, { block: block.number });
    }
    const B = block.number;
    const base = BigInt(B) << 32n;
    this.db.transaction(() => {
      let seq = 0n;
      let countDelta = 0;
      for (const mod of mods) {
        const s = this.statementsFor(mod.entityType);
        const { layout } = s;
        const idSql = idToSql(layout.type, mod.id);
        const cur = (layout.immutable ? s.existing : s.current).get(idSql) as Record<string, unknown> | undefined;
        if (mod.op === "set") {
          const row = this.encodeRow(layout, mod.entityType, mod.id, mod.entity);
          if (layout.immutable) {
            if (cur) {
              const at = Number(cur["block$"]);
              if (at !== B) {
                throw new StoreError(
                  "IMMUTABLE_ENTITY",
                  `entity ${mod.entityType}[${formatEntityId(mod.id)}] is immutable; inserting it at block ${B} is not possible as it was already inserted at block ${at}`,
                  { entityType: mod.entityType, id: formatEntityId(mod.id), block: B, insertedAt: at },
                );
              }
              s.updateVid.run(...row, cur["vid$"]);
            } else {
              s.insert.run(base + seq++, ...row, B);
              countDelta++;
            }
          } else if (cur) {
            if (layout.columns.every((f, i) => sameSql(cur[f.column!], row[i]))) continue;
            if (Number(cur["lo$"]) === B) {
              s.updateVid.run(...row, cur["vid$"]);
            } else {
              s.clamp.run(B, cur["vid$"]);
              s.insert.run(base + seq++, ...row, B);
            }
          } else {
            s.insert.run(base + seq++, ...row, B);
            countDelta++;
          }
        } else {
          if (!cur) continue;
          if (layout.immutable) {
            if (Number(cur["block$"]) !== B) {
              throw new StoreError(
                "IMMUTABLE_ENTITY",
                `entity ${mod.entityType}[${formatEntityId(mod.id)}] is immutable and cannot be removed at block ${B}`,
                { entityType: mod.entityType, id: formatEntityId(mod.id), block: B },
              );
            }
            s.deleteVid.run(cur["vid$"]);
          } else if (Number(cur["lo$"]) === B) {
            s.deleteVid.run(cur["vid$"]);
          } else {
            s.clamp.run(B, cur["vid$"]);
          }
          countDelta--;
        }
      }
      for (const ds of dataSources) {
        this.stmt.insertDds.run(ds.template, ds.address.toLowerCase(), ds.context ? entityToJson(ds.context) : null, ds.createdAtBlock);
      }
      this.stmt.insertBlock.run(B, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp);
      this.stmt.setHead.run(B, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp, countDelta);
    })();
  }

  revertTo(to: BlockPtr): void {
    this.ensureOpen();
    const st = this.state();
    if (st.head && to.number > st.head.number) {
      throw new StoreError("INVALID_REVERT", `cannot revert to block ${to.number}, above the head ${st.head.number}`, {
        to: to.number,
        head: st.head.number,
      });
    }
    const P = to.number;
    this.db.transaction(() => {
      let count = 0;
      for (const { layout } of this.tables.values()) {
        if (layout.immutable) {
          this.db.prepare(`DELETE FROM ${layout.table} WHERE "block$" > ?`).run(P);
          count += Number((this.db.prepare(`SELECT COUNT(*) AS n FROM ${layout.table}`).get() as { n: number }).n);
        } else {
          this.db.prepare(`DELETE FROM ${layout.table} WHERE "lo$" > ?`).run(P);
          this.db.prepare(`UPDATE ${layout.table} SET "hi$" = ${BLOCK_MAX} WHERE "hi$" <> ${BLOCK_MAX} AND "hi$" > ?`).run(P);
          count += Number((this.db.prepare(`SELECT COUNT(*) AS n FROM ${layout.table} WHERE "hi$" = ${BLOCK_MAX}`).get() as { n: number }).n);
        }
      }
      this.db.prepare(`DELETE FROM "meta$dds" WHERE created_at_block > ?`).run(P);
      this.db.prepare(`DELETE FROM "meta$blocks" WHERE number > ?`).run(P);
      this.stmt.insertBlock.run(P, to.hash.toLowerCase(), to.parentHash.toLowerCase(), to.timestamp);
      const fatal = st.fatalError && st.fatalError.block.number > P ? null : st.fatalError;
      this.db
        .prepare(
          `UPDATE "meta$deployment" SET head_number = ?, head_hash = ?, head_parent_hash = ?, head_timestamp = ?, reorg_count = reorg_count + 1, entity_count = ?, fatal_error = ? WHERE k = 1`,
        )
        .run(P, to.hash.toLowerCase(), to.parentHash.toLowerCase(), to.timestamp, count, fatal ? JSON.stringify(fatal) : null);
    })();
  }

  fail(block: BlockPtr, error: FatalError): void {
    this.ensureOpen();
    const st = this.state();
    this.db.transaction(() => {
      if (!st.head || block.number > st.head.number) {
        this.stmt.insertBlock.run(block.number, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp);
        this.stmt.setHead.run(block.number, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp, 0);
      }
      this.db.prepare(`UPDATE "meta$deployment" SET fatal_error = ? WHERE k = 1`).run(JSON.stringify(error));
    })();
  }

  markSynced(blockNumber: number): void {
    this.ensureOpen();
    this.db.prepare(`UPDATE "meta$deployment" SET synced_at = ? WHERE k = 1 AND synced_at IS NULL`).run(blockNumber);
  }

  dynamicDataSources(): DynamicDataSource[] {
    this.ensureOpen();
    return (this.stmt.allDds.all() as Array<{ template: string; address: string; context: string | null; created_at_block: number }>).map((r) => ({
      template: r.template,
      address: r.address,
      context: r.context === null ? null : entityFromJson(r.context),
      createdAtBlock: Number(r.created_at_block),
    }));
  }

  blockHash(number: number): string | null {
    this.ensureOpen();
    const r = this.stmt.blockHash.get(number) as { hash: string } | undefined;
    return r ? r.hash : null;
  }

  blockByHash(hash: string): BlockPtr | null {
    this.ensureOpen();
    return toPtr(this.stmt.blockByHash.get(hash.toLowerCase()));
  }

  blockByNumber(number: number): BlockPtr | null {
    this.ensureOpen();
    return toPtr(this.stmt.blockByNumber.get(number));
  }

  private readonly insertedAtStatements = new Map<string, Database.Statement>();

  immutableInsertedAt(entityType: string, id: EntityId): number | null {
    this.ensureOpen();
    const layout = this.layout(entityType);
    if (!layout.immutable) return null;
    let stmt = this.insertedAtStatements.get(entityType);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT "block$" AS b FROM ${layout.table} WHERE "id" = ?`);
      this.insertedAtStatements.set(entityType, stmt);
    }
    const row = stmt.get(idToSql(layout.type, id)) as { b: number | bigint } | undefined;
    return row ? Number(row.b) : null;
  }

  private batching = false;

  beginBatch(): void {
    this.ensureOpen();
    if (this.batching || this.db.inTransaction) throw new StoreError("INVALID_BATCH", "beginBatch: a transaction is already open", {});
    this.db.exec("BEGIN IMMEDIATE");
    this.batching = true;
  }

  endBatch(): void {
    if (!this.batching) return;
    this.batching = false;
    if (!this.closed && this.db.inTransaction) this.db.exec("COMMIT");
  }

  close(): void {
    if (this.closed) return;
    this.endBatch();
    this.closed = true;
    this.db.close();
  }
}

function toPtr(r: unknown): BlockPtr | null {
  if (!r) return null;
  const row = r as { number: number; hash: string; parent_hash: string; timestamp: number };
  return { number: Number(row.number), hash: row.hash, parentHash: row.parent_hash, timestamp: Number(row.timestamp) };
}

export { ValueKind, scalarToSql };
