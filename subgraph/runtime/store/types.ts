/**
 * The contract between the WASM host (which writes entities while running handlers) and the
 * on-disk entity store (which versions them by block range and answers GraphQL queries).
 *
 * Entity values are graph-node's (subgraph/runtime/entity). Every method is synchronous: WASM
 * host imports cannot await.
 */

import type { Entity, EntityId } from "../entity";

export interface BlockPtr {
  number: number;
  /** 0x-prefixed 32-byte hash, lowercase. */
  hash: string;
  parentHash: string;
  /** Unix seconds. */
  timestamp: number;
}

/** One write of a block, in the order the handlers made them. `set` carries the merged, validated entity. */
export type EntityModification =
  | { op: "set"; entityType: string; id: EntityId; entity: Entity }
  | { op: "remove"; entityType: string; id: EntityId };

/** A data source created from a template while indexing (dataSource.create). */
export interface DynamicDataSource {
  template: string;
  address: string;
  context: Entity | null;
  createdAtBlock: number;
}

/** A handler error as graph-node records it (graph/src/data/subgraph/schema.rs SubgraphError). */
export interface SubgraphError {
  message: string;
  block: { number: number; hash: string };
  handler: string | null;
  deterministic: boolean;
}

/** The error that stopped the deployment. */
export type FatalError = SubgraphError;

export interface DeploymentState {
  /** Last block whose writes are committed; null before the first block. */
  head: BlockPtr | null;
  earliestBlock: number;
  fatalError: FatalError | null;
  /**
   * Lowest block of any deterministic error (fatal or not): queries at or above it carry
   * `indexing_error` and `_meta.hasIndexingErrors` (graph-node DeploymentState.first_error_block).
   */
  firstErrorBlock: number | null;
  /** Block number at which the subgraph first came within 10 blocks of the chain head. */
  syncedAt: number | null;
  reorgCount: number;
  entityCount: number;
}

/** The synchronous, block-versioned entity store the host writes to and the query API reads. */
export interface EntityStore {
  /** Current state of the deployment (head pointer, error, sync). */
  state(): DeploymentState;
  /** Latest version of an entity as of the committed head (what store.get sees before this block's writes). */
  get(entityType: string, id: EntityId): Entity | null;
  /** Entities of `entityType` whose `field` equals `parentId` or (list field) contains it, as of the head. */
  findByField(entityType: string, field: string, parentId: EntityId): Entity[];
  /**
   * Commit one block atomically: its entity writes, new dynamic data sources, and the head
   * pointer (must be > the current head). Nothing is written if it throws. `errors` are the
   * deterministic errors of handlers whose writes were discarded (the nonFatalErrors feature).
   */
  transactBlock(block: BlockPtr, mods: EntityModification[], dataSources: DynamicDataSource[], errors?: SubgraphError[]): void;
  /** Non-fatal errors recorded by transactBlock (not reverted), oldest first. */
  nonFatalErrors(): SubgraphError[];
  /** Revert everything above `to` (and dynamic data sources created after it); head becomes `to`. */
  revertTo(to: BlockPtr): void;
  /** Mark the deployment failed at a block, in one transaction (head moves to that block, nothing else is written). */
  fail(block: BlockPtr, error: FatalError): void;
  /** Record the block at which indexing caught up with the chain head (first time only). */
  markSynced(blockNumber: number): void;
  dynamicDataSources(): DynamicDataSource[];
  /** Hash of an already-indexed block, for reorg detection (null if not kept). */
  blockHash(number: number): string | null;
  /** Pointer of an already-indexed block (reorg walk-back, per-block reverts), or null if not kept. */
  blockByNumber(number: number): BlockPtr | null;
  /**
   * Block at which the stored immutable entity `entityType[id]` was inserted (graph-node names it in
   * the "already inserted at block M" error), or null when no such entity is stored.
   */
  immutableInsertedAt(entityType: string, id: EntityId): number | null;
  /**
   * Group the following transactBlock / fail / markSynced calls in one transaction until endBatch()
   * (ingestion of a scanned range of small blocks). Each block still applies all-or-nothing together
   * with its head pointer; a crash loses the open group as a whole (the head is then the block before
   * it), never part of a block. A store without transactions implements both as no-ops.
   */
  beginBatch(): void;
  /** Commit the open group; a no-op without one. */
  endBatch(): void;
  close(): void;
}
