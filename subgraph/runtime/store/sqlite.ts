/**
 * The on-disk entity store: SQLite through better-sqlite3 (synchronous, as WASM host imports
 * need), laid out like graph-node's relational schema. This file opens the database and wires
 * the store's jobs together:
 * - ddl.ts: tables, indexes and per-table statements (block ranges, vid$ = (block << 32) + seq);
 * - writes.ts: one block per transaction, reverts, deterministic failure;
 * - reads.ts: entities, derived look-ups, deployment state, the statement cache.
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
import type { Entity, EntityId } from "../entity";
import type { EntityTypeModel, SchemaModel } from "../schema/model";
import { createOrCheckSchema, prepareTable, type TableLayout, type TableStatements } from "./ddl";
import { entityFromJson, type SqlValue } from "./encoding";
import { StoreError } from "./errors";
import { StatementCache, deploymentState, readByField, readCurrent, readInsertedAt, rowToEntity, toPtr } from "./reads";
import { Rollups, type AggRow } from "./rollup";
import type { BlockPtr, DeploymentState, DynamicDataSource, EntityModification, EntityStore, FatalError, SubgraphError } from "./types";
import { failAt, revertBlocks, writeBlock, type WriteContext } from "./writes";

export { BLOCK_MAX, q, type TableLayout } from "./ddl";

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
  /**
   * The current (not rolled up) bucket rows of an aggregation interval table at `block`, from the
   * source points matching `filter` (SQL over the source table aliased `c`, with `params`).
   */
  aggregationCurrent(table: EntityTypeModel, block: number, filter: string, params: SqlValue[]): AggRow[];
}

/** Open (or create) the store of one deployment. */
export function openStore(params: OpenStoreParameters): SqliteEntityStore {
  const { dir } = params;
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
  private readonly writer: WriteContext;
  private readonly rollups: Rollups;
  private closed = false;
  private batching = false;
  private readonly stmt: {
    meta: Database.Statement;
    allDds: Database.Statement;
    blockHash: Database.Statement;
    blockByHash: Database.Statement;
    blockByNumber: Database.Statement;
    markSynced: Database.Statement;
    firstError: Database.Statement;
    errors: Database.Statement;
  };

  constructor(db: Database.Database, file: string, p: OpenStoreParameters) {
    this.db = db;
    this.file = file;
    this.model = p.schema;
    this.deploymentId = p.deploymentId;
    this.network = p.network;
    this.cache = new StatementCache(db, 512);
    createOrCheckSchema(db, { file, schema: p.schema, deploymentId: p.deploymentId, network: p.network, startBlock: p.startBlock });
    this.stmt = {
      meta: db.prepare(`SELECT * FROM "meta$deployment" WHERE k = 1`),
      allDds: db.prepare(`SELECT template, address, context, created_at_block FROM "meta$dds" ORDER BY id`),
      blockHash: db.prepare(`SELECT hash FROM "meta$blocks" WHERE number = ?`),
      blockByHash: db.prepare(`SELECT * FROM "meta$blocks" WHERE hash = ?`),
      blockByNumber: db.prepare(`SELECT * FROM "meta$blocks" WHERE number = ?`),
      markSynced: db.prepare(`UPDATE "meta$deployment" SET synced_at = ? WHERE k = 1 AND synced_at IS NULL`),
      firstError: db.prepare(`SELECT MIN(block_number) AS b FROM "meta$errors" WHERE deterministic = 1`),
      errors: db.prepare(`SELECT message, block_number, block_hash, handler, deterministic FROM "meta$errors" ORDER BY id`),
    };
    for (const type of this.model.entityTypes.values()) this.tables.set(type.name, prepareTable(db, type));
    this.rollups = new Rollups(db, this.model);
    this.writer = {
      db,
      tables: this.tables,
      statementsFor: (t) => this.statementsFor(t),
      rollups: this.rollups,
      stmt: {
        setHead: db.prepare(
          `UPDATE "meta$deployment" SET head_number = ?, head_hash = ?, head_parent_hash = ?, head_timestamp = ?, entity_count = entity_count + ? WHERE k = 1`,
        ),
        insertBlock: db.prepare(`INSERT OR REPLACE INTO "meta$blocks" (number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)`),
        insertDds: db.prepare(`INSERT INTO "meta$dds" (template, address, context, created_at_block) VALUES (?, ?, ?, ?)`),
        insertError: db.prepare(`INSERT INTO "meta$errors" (message, block_number, block_hash, handler, deterministic) VALUES (?, ?, ?, ?, ?)`),
      },
    };
  }

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
    return rowToEntity(layout, row);
  }

  // ------------------------------------------------------------------ reads

  state(): DeploymentState {
    this.ensureOpen();
    const first = (this.stmt.firstError.get() as { b: number | null }).b;
    return deploymentState(this.stmt.meta.get() as Record<string, unknown>, first === null ? null : Number(first));
  }

  nonFatalErrors(): SubgraphError[] {
    this.ensureOpen();
    return (this.stmt.errors.all() as Array<{ message: string; block_number: number; block_hash: string; handler: string | null; deterministic: number }>).map((r) => ({
      message: r.message,
      block: { number: Number(r.block_number), hash: r.block_hash },
      handler: r.handler,
      deterministic: Number(r.deterministic) === 1,
    }));
  }

  get(entityType: string, id: EntityId): Entity | null {
    this.ensureOpen();
    return readCurrent(this.statementsFor(entityType), id);
  }

  findByField(entityType: string, field: string, parentId: EntityId): Entity[] {
    this.ensureOpen();
    return readByField(this.cache, this.statementsFor(entityType), entityType, field, parentId);
  }

  immutableInsertedAt(entityType: string, id: EntityId): number | null {
    this.ensureOpen();
    return readInsertedAt(this.statementsFor(entityType), id);
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

  aggregationCurrent(table: EntityTypeModel, block: number, filter: string, params: SqlValue[]): AggRow[] {
    this.ensureOpen();
    return this.rollups.current(table, block, filter, params);
  }

  blockByNumber(number: number): BlockPtr | null {
    this.ensureOpen();
    return toPtr(this.stmt.blockByNumber.get(number));
  }

  // ------------------------------------------------------------------ writes

  transactBlock(block: BlockPtr, mods: EntityModification[], dataSources: DynamicDataSource[], errors: SubgraphError[] = []): void {
    this.ensureOpen();
    writeBlock(this.writer, this.state(), block, mods, dataSources, errors);
  }

  revertTo(to: BlockPtr): void {
    this.ensureOpen();
    revertBlocks(this.writer, this.state(), to);
  }

  fail(block: BlockPtr, error: FatalError): void {
    this.ensureOpen();
    failAt(this.writer, this.state(), block, error);
  }

  markSynced(blockNumber: number): void {
    this.ensureOpen();
    this.stmt.markSynced.run(blockNumber);
  }

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
