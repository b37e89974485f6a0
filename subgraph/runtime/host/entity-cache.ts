/**
 * The per-block entity cache between the mappings and the EntityStore (graph-node
 * graph/src/components/store/entity_cache.rs): store.get sees the previous block's state, then this
 * block's committed handler writes, then the running handler's writes. Sets merge field by field
 * (a null removes a field); a remove followed by a set in the same block overwrites; an unchanged
 * entity produces no new version. A failed handler's layer is discarded.
 */
import { formatEntityId, validateEntity, type SchemaModel, type EntityTypeModel } from "../schema";
import { ValueKind, type Entity, type EntityId, type Value } from "../entity";
import type { EntityModification, EntityStore } from "../store/types";
import { DeterministicHostError } from "./errors";
import { hexToBytes } from "../asc/ethereum";

/** An entity's state in a cache layer: its fields, or null when removed (with the remove remembered). */
interface Slot {
  entityType: string;
  id: EntityId;
  entity: Entity | null;
}

/** Byte-wise equality (ids are a few dozen bytes: a loop, no Buffer wrappers). */
function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case ValueKind.NULL: return true;
    case ValueKind.BYTES: return bytesEqual(a.value, (b as typeof a).value);
    case ValueKind.BIGDECIMAL: return a.value.digits === (b as typeof a).value.digits && a.value.exp === (b as typeof a).value.exp;
    case ValueKind.ARRAY: {
      const other = (b as typeof a).value;
      return a.value.length === other.length && a.value.every((v, i) => valuesEqual(v, other[i]));
    }
    default: return a.value === (b as { value: unknown }).value;
  }
}

export function entitiesEqual(a: Entity, b: Entity): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !valuesEqual(v, w)) return false;
  }
  return true;
}

export class EntityCache {
  /** Committed handler writes of this block, in first-write order. */
  private readonly block = new Map<string, Slot>();
  /** Writes of the running handler. */
  private handler = new Map<string, Slot>();
  /** Entities read from the store in this block (previous-block state; null = absent), by key. */
  private readonly loaded = new Map<string, Entity | null>();

  constructor(
    private readonly store: EntityStore,
    private readonly schema: SchemaModel,
    readonly blockNumber: number,
    private readonly options: { rejectUndefinedFields: boolean; blockTimestamp?: number } = { rejectUndefinedFields: true },
  ) {}

  /** Ids generated in this block (graph-node SeqGenerator id_seq: not given back by a failed handler). */
  private idSeq = 0;

  /**
   * graph-node runtime/wasm/src/host_exports.rs store_set: a timeseries entity (or an `"auto"` id)
   * gets a node-assigned id, (block << 32) + seq for Int8 and block ++ seq big-endian for Bytes
   * (graph/src/data/store/id.rs generate_id); String ids cannot be generated.
   */
  private generateId(type: EntityTypeModel): string {
    const seq = this.idSeq++;
    if (type.idType === "Int8") return ((BigInt(this.blockNumber) << 32n) + BigInt(seq)).toString();
    if (type.idType === "Bytes") {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(this.blockNumber >>> 0, 0);
      b.writeUInt32BE(seq >>> 0, 4);
      return `0x${b.toString("hex")}`;
    }
    throw new DeterministicHostError("INVALID_ID", "String does not support generating ids", { entityType: type.name, field: "id" });
  }

  private type(entityType: string, id: string): EntityTypeModel {
    const type = this.schema.entityTypes.get(entityType);
    if (!type) {
      throw new DeterministicHostError("UNKNOWN_ENTITY_TYPE", `Entity ${entityType}[${id}]: unknown entity type \`${entityType}\``, { entityType, id });
    }
    return type;
  }

  /** The typed id of `id` (as the mapping passes it, a string) for `type`'s id type. */
  typedId(type: EntityTypeModel, id: string): EntityId {
    if (type.idType === "Bytes") {
      if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(id)) {
        throw new DeterministicHostError("INVALID_ID", `Entity ${type.name}[${id}]: id \`${id}\` is not a valid hex string for a Bytes id`, { entityType: type.name, id, field: "id" });
      }
      return hexToBytes(id);
    }
    if (type.idType === "Int8") {
      if (!/^-?\d+$/.test(id)) throw new DeterministicHostError("INVALID_ID", `Entity ${type.name}[${id}]: id \`${id}\` is not an Int8`, { entityType: type.name, id, field: "id" });
      return BigInt(id);
    }
    return id;
  }

  private key(entityType: string, id: EntityId): string {
    return `${entityType}\u0000${formatEntityId(id)}`;
  }

  /**
   * The key of an id as the mapping passed it: a Bytes id's text is already its hex (validated by
   * typedId), so it is normalised rather than re-encoded from the bytes — same key as key().
   */
  private keyOfText(type: EntityTypeModel, id: string, typed: EntityId): string {
    if (type.idType === "Bytes") return `${type.name}\u0000${id.startsWith("0x") ? id.toLowerCase() : `0x${id.toLowerCase()}`}`;
    return this.key(type.name, typed);
  }

  /** The previous block's version of an entity, read from the store once per block. */
  private stored(entityType: string, id: EntityId, key: string): Entity | null {
    let e = this.loaded.get(key);
    if (e === undefined) {
      e = this.store.get(entityType, id);
      this.loaded.set(key, e);
    }
    return e;
  }

  private lookup(entityType: string, id: EntityId, key: string): Entity | null {
    const slot = this.handler.get(key) ?? this.block.get(key);
    if (slot) return slot.entity;
    return this.stored(entityType, id, key);
  }

  /** store.get. The cached entity itself, not a copy: callers only read it (the host copies it into WASM). */
  get(entityType: string, id: string): Entity | null {
    const type = this.type(entityType, id);
    const typed = this.typedId(type, id);
    return this.lookup(entityType, typed, this.keyOfText(type, id, typed));
  }

  /** store.get_in_block: only what this block wrote (null if untouched or removed). */
  getInBlock(entityType: string, id: string): Entity | null {
    const type = this.type(entityType, id);
    const typed = this.typedId(type, id);
    const key = this.keyOfText(type, id, typed);
    const slot = this.handler.get(key) ?? this.block.get(key);
    return slot?.entity ? new Map(slot.entity) : null;
  }

  set(entityType: string, givenId: string, data: Entity): void {
    const type = this.type(entityType, givenId);
    let id = givenId;
    if (id === "auto" || type.timeseries) {
      id = this.generateId(type);
      data = new Map(data);
      data.delete("id");
      // The timestamp of a timeseries point is the block's time (µs), whatever the mapping set.
      if (type.timeseries) data.set("timestamp", { kind: ValueKind.TIMESTAMP, value: BigInt(this.options.blockTimestamp ?? 0) * 1_000_000n });
    }
    const typed = this.typedId(type, id);
    const key = this.keyOfText(type, id, typed);
    const idText = key.slice(entityType.length + 1);
    const dataId = data.get("id");
    const sameBytes = dataId?.kind === ValueKind.BYTES && typed instanceof Uint8Array && bytesEqual(dataId.value, typed);
    if (dataId && dataId.kind !== ValueKind.NULL && !sameBytes) {
      const given = dataId.kind === ValueKind.BYTES ? formatEntityId(dataId.value) : dataId.kind === ValueKind.STRING ? dataId.value : String((dataId as { value: unknown }).value);
      if (given.toLowerCase() !== idText.toLowerCase() && given !== id) {
        throw new DeterministicHostError(
          "ID_MISMATCH",
          `Value of ${entityType} attribute 'id' conflicts with ID passed to \`store.set()\`: ${given} != ${id}`,
          { entityType, id: idText, field: "id" },
        );
      }
    }
    const inBlock = this.handler.get(key) ?? this.block.get(key);
    let base: Entity | null;
    if (type.immutable) {
      // Immutable entities may be overwritten only in the block that created them.
      if (!inBlock) {
        // Existence only: one indexed lookup of the row's block, no entity decoded (every new fact
        // of a block goes through here). An entity already loaded as absent needs no query, nor does
        // a timeseries point: its id was just generated from this block's number.
        const known = this.loaded.get(key);
        const at = known === null || type.timeseries ? null : this.store.immutableInsertedAt(entityType, typed);
        if (at !== null) {
          // graph-node's text (graph/src/components/store/write.rs).
          throw new DeterministicHostError(
            "IMMUTABLE_REINSERT",
            `entity ${entityType}[${idText}] is immutable; inserting it at block ${this.blockNumber} is not possible as it was already inserted at block ${at}`,
            { entityType, id: idText, block: this.blockNumber, insertedAt: at },
          );
        }
      }
      base = inBlock?.entity ?? null;
    } else {
      base = inBlock ? inBlock.entity : this.stored(entityType, typed, key);
    }
    const merged: Entity = new Map(base ?? []);
    for (const [k, v] of data) {
      if (v.kind === ValueKind.NULL) merged.delete(k);
      else merged.set(k, v);
    }
    merged.set("id", type.idType === "Bytes" ? { kind: ValueKind.BYTES, value: typed as Uint8Array } : type.idType === "Int8" ? { kind: ValueKind.INT8, value: typed as bigint } : { kind: ValueKind.STRING, value: typed as string });
    if (!this.options.rejectUndefinedFields) {
      for (const k of [...merged.keys()]) if (!type.fieldMap.has(k)) merged.delete(k);
    }
    try {
      validateEntity(this.schema, entityType, typed, merged, { rejectUndefinedFields: this.options.rejectUndefinedFields, idText });
    } catch (err) {
      const e = err as Error & { code?: string; details?: Record<string, unknown> };
      throw new DeterministicHostError(e.code ?? "ENTITY_VALIDATION", e.message, { ...(e.details ?? {}) }, { cause: err });
    }
    this.handler.set(key, { entityType, id: typed, entity: merged });
  }

  remove(entityType: string, id: string): void {
    const type = this.type(entityType, id);
    const typed = this.typedId(type, id);
    this.handler.set(this.key(entityType, typed), { entityType, id: typed, entity: null });
  }

  /** store.loadRelated: children of `field` (derived) of entity `id`, stored set merged with in-block writes. */
  loadRelated(entityType: string, id: string, field: string): Entity[] {
    const type = this.type(entityType, id);
    const f = type.fieldMap.get(field);
    if (!f || f.derivedFrom === null) {
      throw new DeterministicHostError("NOT_DERIVED", `Entity ${entityType}[${id}]: field \`${field}\` is not a derived field`, { entityType, id, field });
    }
    const childType = f.typeName;
    const typed = this.typedId(type, id);
    const key = this.keyOfText(type, id, typed);
    const idText = key.slice(entityType.length + 1);
    const refers = (e: Entity): boolean => {
      const v = e.get(f.derivedFrom!);
      if (!v) return false;
      const match = (x: Value) => (x.kind === ValueKind.BYTES ? formatEntityId(x.value) : x.kind === ValueKind.STRING ? x.value : x.kind === ValueKind.INT8 ? x.value.toString() : null) === idText;
      return v.kind === ValueKind.ARRAY ? v.value.some(match) : match(v);
    };
    const out = new Map<string, Entity>();
    const childTypes = this.schema.interfaces.get(childType)?.implementers ?? [childType];
    for (const ct of childTypes) {
      for (const e of this.store.findByField(ct, f.derivedFrom, typed)) out.set(this.key(ct, e.get("id")!.kind === ValueKind.BYTES ? (e.get("id") as { value: Uint8Array }).value : (e.get("id") as { value: string }).value), e);
    }
    for (const layer of [this.block, this.handler]) {
      for (const [key, slot] of layer) {
        if (!childTypes.includes(slot.entityType)) continue;
        if (slot.entity && refers(slot.entity)) out.set(key, slot.entity);
        else out.delete(key);
      }
    }
    return [...out.values()].map((e) => new Map(e));
  }

  /** The running handler succeeded: fold its writes into the block. */
  commitHandler(): void {
    for (const [key, slot] of this.handler) {
      this.block.set(key, slot);
    }
    this.handler = new Map();
  }

  /** The running handler failed: forget its writes. */
  discardHandler(): void {
    this.handler = new Map();
  }

  /** The block's modifications (unchanged entities and removes of never-stored entities dropped). */
  modifications(): EntityModification[] {
    const mods: EntityModification[] = [];
    for (const [key, slot] of this.block) {
      const stored = this.stored(slot.entityType, slot.id, key);
      if (slot.entity === null) {
        if (stored) mods.push({ op: "remove", entityType: slot.entityType, id: slot.id });
      } else if (!stored || !entitiesEqual(stored, slot.entity)) {
        mods.push({ op: "set", entityType: slot.entityType, id: slot.id, entity: slot.entity });
      }
    }
    return mods;
  }

  get size(): number {
    return this.block.size + this.handler.size;
  }
}
