import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSchema } from "../../../subgraph/runtime/schema";
import { ValueKind, type Entity } from "../../../subgraph/runtime/entity";
import { openStore, type BlockPtr } from "../../../subgraph/runtime/store";
import { dumpDatabase } from "./dump";

const SCHEMA = readFileSync(path.join(__dirname, "../fixtures/probe/schema.graphql"), "utf8");
const ptr = (n: number): BlockPtr => ({ number: n, hash: `0x${n.toString(16).padStart(64, "0")}`, parentHash: `0x${(n - 1).toString(16).padStart(64, "0")}`, timestamp: 1_700_000_000 + n });
const fact = (id: string, value: number): Entity => new Map([["id", { kind: ValueKind.STRING, value: id }], ["value", { kind: ValueKind.INT, value }]]);

describe("subgraph/ingest: blocks grouped in one SQLite transaction (store batches)", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-batch-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("behavior: a failing block inside a batch writes nothing of itself and keeps the earlier blocks; other connections see the group only once committed", () => {
    const store = openStore({ dir, schema: parseSchema(SCHEMA), deploymentId: "probe", network: "hardhat", startBlock: 1 });
    try {
      store.beginBatch();
      store.transactBlock(ptr(1), [{ op: "set", entityType: "Fact", id: "a", entity: fact("a", 1) }], []);
      store.transactBlock(ptr(2), [{ op: "set", entityType: "Fact", id: "b", entity: fact("b", 2) }], []);
      // Not yet visible to another connection (a crash now loses blocks 1–2 as a whole).
      expect(dumpDatabase(store.file).head).to.equal(null);
      // Block 3 writes one new entity, then re-inserts immutable `a`: the whole block is refused.
      expect(() =>
        store.transactBlock(ptr(3), [
          { op: "set", entityType: "Fact", id: "c", entity: fact("c", 3) },
          { op: "set", entityType: "Fact", id: "a", entity: fact("a", 9) },
        ], []),
      ).to.throw(/entity Fact\[a\] is immutable; inserting it at block 3 is not possible as it was already inserted at block 1/);
      expect(() => store.beginBatch()).to.throw(/already open/);
      store.endBatch();
      const d = dumpDatabase(store.file);
      expect(d.head?.number).to.equal(2);
      const table = store.model.entityTypes.get("Fact")!.table;
      expect(d.tables[table].map((r) => r[1])).to.deep.equal(["a", "b"]);
      expect(store.state().head?.number).to.equal(2);
      store.endBatch(); // no-op without a batch
    } finally {
      store.close();
    }
  });
});
