/**
 * Reads of the store: decoding rows into entities, the current version of an entity, derived
 * look-ups for the host (loadRelated), deployment state and block pointers, and the bounded
 * statement cache the GraphQL layer prepares its SQL through.
 */
import type Database from "better-sqlite3";
import type { Entity, EntityId } from "../entity";
import type { EntityTypeModel } from "../schema/model";
import { BLOCK_MAX, q, type TableLayout, type TableStatements } from "./ddl";
import { bytesToHex, fieldFromSql, type SqlValue } from "./encoding";
import { StoreError } from "./errors";
import type { BlockPtr, DeploymentState, FatalError } from "./types";

/** Prepared statements in a bounded LRU; reads return integers as bigint. */
export class StatementCache {
  private readonly map = new Map<string, Database.Statement>();
  constructor(
    private readonly db: Database.Database,
    private readonly max: number,
  ) {}
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

export function idToSql(type: EntityTypeModel, id: EntityId): SqlValue {
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
function idToJson(id: EntityId): string {
  if (id instanceof Uint8Array) return bytesToHex(id);
  return id.toString();
}

export function rowToEntity(layout: TableLayout, row: Record<string, unknown>): Entity {
  const e: Entity = new Map();
  for (const f of layout.columns) {
    const raw = row[f.column!] as SqlValue | undefined;
    if (raw === null || raw === undefined) continue;
    e.set(f.name, fieldFromSql(f.stored, f.list, raw));
  }
  return e;
}

/** The open version of `id` (the head's), or null. */
export function readCurrent(s: TableStatements, id: EntityId): Entity | null {
  const row = s.current.get(idToSql(s.layout.type, id)) as Record<string, unknown> | undefined;
  return row ? rowToEntity(s.layout, row) : null;
}

/** Open versions of `s`'s type whose `field` equals `parentId` or (list field) contains it, by id. */
export function readByField(cache: StatementCache, s: TableStatements, entityType: string, field: string, parentId: EntityId): Entity[] {
  const f = s.layout.type.fieldMap.get(field);
  if (!f || f.column === null) {
    throw new StoreError("UNKNOWN_ENTITY_TYPE", `entity type \`${entityType}\` has no stored field \`${field}\``, { entityType, field });
  }
  const live = s.layout.immutable ? "1" : `"hi$" = ${BLOCK_MAX}`;
  let sql: string;
  let param: SqlValue;
  if (f.list) {
    sql = `SELECT * FROM ${s.layout.table} WHERE ${live} AND EXISTS (SELECT 1 FROM json_each(${q(f.column)}) WHERE value = ?) ORDER BY "id"`;
    param = idToJson(parentId);
  } else {
    sql = `SELECT * FROM ${s.layout.table} WHERE ${live} AND ${q(f.column)} = ? ORDER BY "id"`;
    param = parentId instanceof Uint8Array ? Buffer.from(parentId) : parentId;
  }
  return (cache.get(sql).all(param) as Record<string, unknown>[]).map((r) => rowToEntity(s.layout, r));
}

/** Block at which an immutable entity was inserted, or null. */
export function readInsertedAt(s: TableStatements, id: EntityId): number | null {
  if (!s.layout.immutable) return null;
  const row = s.insertedAt.get(idToSql(s.layout.type, id)) as { b: number | bigint } | undefined;
  return row ? Number(row.b) : null;
}

/** The deployment row as DeploymentState. */
export function deploymentState(r: Record<string, unknown>, firstNonFatal: number | null): DeploymentState {
  const fatalError = r.fatal_error === null ? null : (JSON.parse(String(r.fatal_error)) as FatalError);
  const blocks = [fatalError?.block.number, firstNonFatal ?? undefined].filter((n): n is number => n !== undefined);
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
    fatalError,
    firstErrorBlock: blocks.length ? Math.min(...blocks) : null,
    syncedAt: r.synced_at === null ? null : Number(r.synced_at),
    reorgCount: Number(r.reorg_count),
    entityCount: Number(r.entity_count),
  };
}

export function toPtr(r: unknown): BlockPtr | null {
  if (!r) return null;
  const row = r as { number: number; hash: string; parent_hash: string; timestamp: number };
  return { number: Number(row.number), hash: row.hash, parentHash: row.parent_hash, timestamp: Number(row.timestamp) };
}
