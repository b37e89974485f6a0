/**
 * Blocks handed to the store but not committed yet (a catch-up batch written by the block writer's
 * thread, see block-writer.ts): the latest version of every entity they wrote, so that the next
 * block's handlers read the state as of the previous block while the writes run on another thread
 * (graph-node store/postgres/src/writable.rs: `Queue::get` and `get_derived` look at the queued
 * writes before the database).
 */
import { ValueKind, type Entity, type EntityId, type Value } from "../entity";
import { formatEntityId } from "../schema/validate";
import type { EntityModification } from "./types";

interface Version {
  entityType: string;
  /** null: removed. */
  entity: Entity | null;
  /** Block that inserted an immutable entity (null for mutable types). */
  insertedAt: number | null;
}

export class PendingWrites {
  private readonly versions = new Map<string, Version>();

  static key(entityType: string, id: EntityId): string {
    return `${entityType}\u0000${formatEntityId(id)}`;
  }

  get size(): number {
    return this.versions.size;
  }

  /** A pending block's modifications, in order; `immutable(entityType)` tells the entity kind. */
  apply(block: number, mods: EntityModification[], immutable: (entityType: string) => boolean): void {
    for (const mod of mods) {
      const key = PendingWrites.key(mod.entityType, mod.id);
      if (mod.op === "set") {
        const before = this.versions.get(key);
        const insertedAt = immutable(mod.entityType) ? (before?.entity ? before.insertedAt : block) : null;
        this.versions.set(key, { entityType: mod.entityType, entity: mod.entity, insertedAt });
      } else {
        this.versions.set(key, { entityType: mod.entityType, entity: null, insertedAt: null });
      }
    }
  }

  /** The pending version: an entity, null (removed), or undefined (not written by a pending block). */
  get(entityType: string, id: EntityId): Entity | null | undefined {
    return this.versions.get(PendingWrites.key(entityType, id))?.entity;
  }

  /** Block at which a pending block inserted this immutable entity; null if removed; undefined if not pending. */
  insertedAt(entityType: string, id: EntityId): number | null | undefined {
    const v = this.versions.get(PendingWrites.key(entityType, id));
    if (!v) return undefined;
    return v.entity ? v.insertedAt : null;
  }

  /**
   * `stored` (the committed entities of `entityType` whose `field` refers to `parentId`, ordered by
   * id) with the pending versions applied: changed ones replaced, removed or no longer referring
   * ones dropped, new ones added, in id order.
   */
  related(entityType: string, field: string, parentId: EntityId, stored: Entity[]): Entity[] {
    const parent = formatEntityId(parentId);
    const refers = (v: Value | undefined): boolean => {
      if (!v) return false;
      if (v.kind === ValueKind.ARRAY) return v.value.some((x) => refers(x));
      if (v.kind === ValueKind.BYTES || v.kind === ValueKind.STRING || v.kind === ValueKind.INT8) return formatEntityId(v.value) === parent;
      return false;
    };
    const byKey = new Map<string, Entity>();
    for (const e of stored) byKey.set(PendingWrites.key(entityType, idOf(e)), e);
    for (const [key, v] of this.versions) {
      if (v.entityType !== entityType) continue;
      if (v.entity && refers(v.entity.get(field))) byKey.set(key, v.entity);
      else byKey.delete(key);
    }
    return [...byKey.values()].sort((a, b) => compareIds(idOf(a), idOf(b)));
  }

  clear(): void {
    this.versions.clear();
  }
}

function idOf(e: Entity): EntityId {
  const v = e.get("id");
  if (v?.kind === ValueKind.BYTES || v?.kind === ValueKind.STRING || v?.kind === ValueKind.INT8) return v.value;
  throw new Error("entity without id");
}

/** SQL's `ORDER BY "id"`: text by code unit, bytes as unsigned bytes, Int8 numerically. */
function compareIds(a: EntityId, b: EntityId): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
