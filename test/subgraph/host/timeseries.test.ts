/**
 * Timeseries points get node-assigned ids and the block's timestamp, as graph-node's store_set does
 * (runtime/wasm/src/host_exports.rs: `entity_id == "auto" || timeseries` → SeqGenerator::id;
 * `timestamp` ← block_time; graph/src/data/store/id.rs generate_id: Int8 = (block << 32) + seq,
 * Bytes = block ++ seq big-endian, String refused). Aggregations over them are not implemented yet.
 */
import { expect } from "chai";
import { ValueKind, type Entity } from "../../../subgraph/runtime/entity";
import { EntityCache } from "../../../subgraph/runtime/host/entity-cache";
import { createQueryEngine } from "../../../subgraph/runtime/query";
import { parseSchema } from "../../../subgraph/runtime/schema";
import { openStore } from "../../../subgraph/runtime/store";
import { blockPtr, tmpDir } from "../query/fixture";

const SCHEMA = `
type Point @entity(timeseries: true) { id: Int8! timestamp: Timestamp! amount: BigInt! }
type Tag @entity(immutable: true) { id: Bytes! label: String! }
type Named @entity(immutable: true) { id: String! label: String! }
`;

const point = (amount: bigint, id: bigint = 0n): Entity =>
  new Map([
    ["id", { kind: ValueKind.INT8, value: id }],
    ["timestamp", { kind: ValueKind.TIMESTAMP, value: 1n }],
    ["amount", { kind: ValueKind.BIGINT, value: amount }],
  ]);

describe("subgraph/host: timeseries ids and timestamps", () => {
  it("default: every point of a block gets (block << 32) + seq and the block time in µs, whatever the mapping set", () => {
    const store = openStore({ dir: tmpDir("tantieme-ts"), schema: parseSchema(SCHEMA), deploymentId: "QmTs", network: "hardhat", startBlock: 1 });
    try {
      const ptr = blockPtr(7);
      const cache = new EntityCache(store, store.model, 7, { rejectUndefinedFields: true, blockTimestamp: ptr.timestamp });
      cache.set("Point", "0", point(5n));
      cache.commitHandler();
      cache.set("Point", "0", point(6n));
      cache.discardHandler(); // a failed handler does not give its sequence number back
      cache.set("Point", "0", point(8n));
      cache.commitHandler();
      store.transactBlock(ptr, cache.modifications(), []);
      const r = createQueryEngine(store).execute({ query: `{ points(orderBy: id) { id timestamp amount } }` });
      const us = String(BigInt(ptr.timestamp) * 1_000_000n);
      expect(r).to.deep.equal({
        data: { points: [{ id: String((7n << 32n) + 0n), timestamp: us, amount: "5" }, { id: String((7n << 32n) + 2n), timestamp: us, amount: "8" }] },
      });
    } finally {
      store.close();
    }
  });
  it("behavior: an \"auto\" id on a Bytes-id type is block ++ seq (big-endian); String ids cannot be generated", () => {
    const store = openStore({ dir: tmpDir("tantieme-ts"), schema: parseSchema(SCHEMA), deploymentId: "QmTs", network: "hardhat", startBlock: 1 });
    try {
      const cache = new EntityCache(store, store.model, 3, { rejectUndefinedFields: true, blockTimestamp: 0 });
      cache.set("Tag", "auto", new Map([["label", { kind: ValueKind.STRING, value: "x" }]]));
      cache.commitHandler();
      expect(cache.modifications().map((m) => Buffer.from(m.id as Uint8Array).toString("hex"))).to.deep.equal(["0000000300000000"]);
      expect(() => cache.set("Named", "auto", new Map([["label", { kind: ValueKind.STRING, value: "x" }]]))).to.throw("String does not support generating ids");
    } finally {
      store.close();
    }
  });
});
