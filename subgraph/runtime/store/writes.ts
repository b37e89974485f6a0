/**
 * Writes of the store, each in one SQLite transaction (graph-node's transact_block_operations and
 * revert_block_operations, store/postgres/src/deployment_store.rs):
 * - a block's entity modifications with its dynamic data sources, block hash and head pointer;
 * - a revert to an ancestor block (versions created above it deleted, those it clamped re-opened);
 * - a deterministic failure (head moved to the failing block, nothing else written).
 */
import type Database from "better-sqlite3";
import type { Entity, EntityId } from "../entity";
import { formatEntityId } from "../schema/validate";
import { BLOCK_MAX, type TableLayout, type TableStatements } from "./ddl";
import { entityToJson, fieldToSql, type SqlValue } from "./encoding";
import { StoreError } from "./errors";
import { idToSql } from "./reads";
import type { Rollups } from "./rollup";
import type { BlockPtr, DeploymentState, DynamicDataSource, EntityModification, FatalError, SubgraphError } from "./types";

/** What the writers need of an open store. */
export interface WriteContext {
  db: Database.Database;
  tables: Map<string, TableStatements>;
  statementsFor(entityType: string): TableStatements;
  /** Aggregation rollups (graph-node Layout::rollup), run after a block's entity writes. */
  rollups: Rollups;
  stmt: {
    setHead: Database.Statement;
    insertBlock: Database.Statement;
    insertDds: Database.Statement;
    insertError: Database.Statement;
  };
}

function sameSql(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  return String(a) === String(b);
}

function encodeRow(layout: TableLayout, entityType: string, id: EntityId, entity: Entity): SqlValue[] {
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

/** Commit one block: entity writes in order, data sources, block hash and head, atomically. */
export function writeBlock(
  ctx: WriteContext,
  st: DeploymentState,
  block: BlockPtr,
  mods: EntityModification[],
  dataSources: DynamicDataSource[],
  errors: SubgraphError[] = [],
): void {
  if (st.fatalError) {
    throw new StoreError("DEPLOYMENT_FAILED", `the deployment failed at block ${st.fatalError.block.number}: ${st.fatalError.message}`, {
      block: block.number,
    });
  }
  if (st.head && block.number <= st.head.number) {
    throw new StoreError("DUPLICATE_BLOCK_PROCESSING", `block ${block.number} is not above the current head ${st.head.number} (duplicate block processing)`, {
      block: block.number,
      head: st.head.number,
    });
  }
  if (!Number.isInteger(block.number) || block.number < 0 || block.number >= BLOCK_MAX) {
    throw new StoreError("INVALID_VALUE", `invalid block number ${block.number}`, { block: block.number });
  }
  const B = block.number;
  const base = BigInt(B) << 32n;
  ctx.db.transaction(() => {
    let seq = 0n;
    let countDelta = 0;
    for (const mod of mods) {
      const s = ctx.statementsFor(mod.entityType);
      const { layout } = s;
      if (mod.op === "set" && layout.immutable) {
        // A new immutable row is the common case: insert it, and look the id up only when the
        // unique index refuses it (no SELECT per new fact).
        const row = encodeRow(layout, mod.entityType, mod.id, mod.entity);
        try {
          s.insert.run(base + seq, ...row, B);
          seq++;
          countDelta++;
          continue;
        } catch (err) {
          if ((err as { code?: string }).code !== "SQLITE_CONSTRAINT_UNIQUE") throw err;
        }
        const cur = s.existing.get(idToSql(layout.type, mod.id)) as Record<string, unknown>;
        const at = Number(cur["block$"]);
        if (at !== B) {
          throw new StoreError(
            "IMMUTABLE_ENTITY",
            `entity ${mod.entityType}[${formatEntityId(mod.id)}] is immutable; inserting it at block ${B} is not possible as it was already inserted at block ${at}`,
            { entityType: mod.entityType, id: formatEntityId(mod.id), block: B, insertedAt: at },
          );
        }
        s.updateVid.run(...row, cur["vid$"]);
        continue;
      }
      const cur = (layout.immutable ? s.existing : s.current).get(idToSql(layout.type, mod.id)) as Record<string, unknown> | undefined;
      if (mod.op === "set") {
        const row = encodeRow(layout, mod.entityType, mod.id, mod.entity);
        if (cur) {
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
            throw new StoreError("IMMUTABLE_ENTITY", `entity ${mod.entityType}[${formatEntityId(mod.id)}] is immutable and cannot be removed at block ${B}`, {
              entityType: mod.entityType,
              id: formatEntityId(mod.id),
              block: B,
            });
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
    // Buckets that ended between the previous block's time and this block's are rolled up now,
    // with this block's number, after its writes (deployment_store.rs transact_block_operations).
    if (st.head && ctx.rollups.targets.length) ctx.rollups.rollup(st.head.timestamp, block.timestamp, B);
    for (const ds of dataSources) {
      ctx.stmt.insertDds.run(ds.template, ds.address.toLowerCase(), ds.context ? entityToJson(ds.context) : null, ds.createdAtBlock);
    }
    for (const e of errors) ctx.stmt.insertError.run(e.message, e.block.number, e.block.hash.toLowerCase(), e.handler, e.deterministic ? 1 : 0);
    ctx.stmt.insertBlock.run(B, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp);
    ctx.stmt.setHead.run(B, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp, countDelta);
  })();
}

/** Revert everything above `to` in one transaction; the head becomes `to`, reorg_count + 1. */
export function revertBlocks(ctx: WriteContext, st: DeploymentState, to: BlockPtr): void {
  if (st.head && to.number > st.head.number) {
    throw new StoreError("INVALID_REVERT", `cannot revert to block ${to.number}, above the head ${st.head.number}`, {
      to: to.number,
      head: st.head.number,
    });
  }
  const P = to.number;
  const db = ctx.db;
  db.transaction(() => {
    let count = 0;
    for (const { layout } of ctx.tables.values()) {
      if (layout.immutable) {
        db.prepare(`DELETE FROM ${layout.table} WHERE "block$" > ?`).run(P);
        count += Number((db.prepare(`SELECT COUNT(*) AS n FROM ${layout.table}`).get() as { n: number }).n);
      } else {
        db.prepare(`DELETE FROM ${layout.table} WHERE "lo$" > ?`).run(P);
        db.prepare(`UPDATE ${layout.table} SET "hi$" = ${BLOCK_MAX} WHERE "hi$" <> ${BLOCK_MAX} AND "hi$" > ?`).run(P);
        count += Number((db.prepare(`SELECT COUNT(*) AS n FROM ${layout.table} WHERE "hi$" = ${BLOCK_MAX}`).get() as { n: number }).n);
      }
    }
    ctx.rollups.revert(P);
    db.prepare(`DELETE FROM "meta$dds" WHERE created_at_block > ?`).run(P);
    db.prepare(`DELETE FROM "meta$errors" WHERE block_number > ?`).run(P);
    db.prepare(`DELETE FROM "meta$blocks" WHERE number > ?`).run(P);
    ctx.stmt.insertBlock.run(P, to.hash.toLowerCase(), to.parentHash.toLowerCase(), to.timestamp);
    const fatal = st.fatalError && st.fatalError.block.number > P ? null : st.fatalError;
    db.prepare(
      `UPDATE "meta$deployment" SET head_number = ?, head_hash = ?, head_parent_hash = ?, head_timestamp = ?, reorg_count = reorg_count + 1, entity_count = ?, fatal_error = ? WHERE k = 1`,
    ).run(P, to.hash.toLowerCase(), to.parentHash.toLowerCase(), to.timestamp, count, fatal ? JSON.stringify(fatal) : null);
  })();
}

/** Mark the deployment failed at `block` (head moves there, no entity is written). */
export function failAt(ctx: WriteContext, st: DeploymentState, block: BlockPtr, error: FatalError): void {
  ctx.db.transaction(() => {
    if (!st.head || block.number > st.head.number) {
      ctx.stmt.insertBlock.run(block.number, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp);
      ctx.stmt.setHead.run(block.number, block.hash.toLowerCase(), block.parentHash.toLowerCase(), block.timestamp, 0);
    }
    ctx.db.prepare(`UPDATE "meta$deployment" SET fatal_error = ? WHERE k = 1`).run(JSON.stringify(error));
  })();
}
