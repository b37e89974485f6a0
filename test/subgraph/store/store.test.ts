import { expect } from "chai";
import fc from "fast-check";
import { replayable } from "../../helpers/fast-check";
import Database from "better-sqlite3";
import * as path from "node:path";
import { camelCasedNames, parseSchema, SchemaError, validateEntity, EntityValidationError } from "../../../subgraph/runtime/schema";
import {
  decodeBigDecimal, decodeBigInt, encodeBigDecimal, encodeBigInt, openStore, StoreError, bigDecimalToString, parseBigDecimal,
} from "../../../subgraph/runtime/store";
import { ValueKind, type Value } from "../../../subgraph/runtime/entity";
import { arr, blockPtr, bi, by, ent, FIXTURE_SCHEMA, hexBytes, i, openFixtureStore, populate, s, tmpDir, b, DEPLOYMENT } from "../query/fixture";

describe("subgraph/store: SQLite block-range entity store", () => {
  describe("behavior: order-preserving encodings", () => {
    it("behavior: BigInt encoding sorts like the numbers and round-trips", () => {
      const big = fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n });
      fc.assert(fc.property(big, big, (x, y) => {
        expect(decodeBigInt(encodeBigInt(x))).to.equal(x);
        const c = Buffer.compare(encodeBigInt(x), encodeBigInt(y));
        expect(Math.sign(c)).to.equal(x < y ? -1 : x > y ? 1 : 0);
      }), replayable({ numRuns: 500 }));
    });
    it("behavior: BigDecimal encoding sorts like the numbers, equal numbers encode equally", () => {
      const dec = fc.record({ digits: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), exp: fc.integer({ min: -60, max: 60 }) });
      const cmp = (a: { digits: bigint; exp: number }, c: { digits: bigint; exp: number }) => {
        const e = Math.min(a.exp, c.exp);
        const x = a.digits * 10n ** BigInt(a.exp - e);
        const y = c.digits * 10n ** BigInt(c.exp - e);
        return x < y ? -1 : x > y ? 1 : 0;
      };
      fc.assert(fc.property(dec, dec, (x, y) => {
        expect(cmp(decodeBigDecimal(encodeBigDecimal(x)), x)).to.equal(0);
        expect(Math.sign(Buffer.compare(encodeBigDecimal(x), encodeBigDecimal(y)))).to.equal(cmp(x, y));
      }), replayable({ numRuns: 500 }));
      expect(encodeBigDecimal({ digits: 150n, exp: -2 }).equals(encodeBigDecimal({ digits: 15n, exp: -1 }))).to.equal(true);
    });
    it("behavior: BigDecimal text never uses exponents", () => {
      expect(bigDecimalToString({ digits: 1324n, exp: 6 })).to.equal("1324000000");
      expect(bigDecimalToString({ digits: -5n, exp: -3 })).to.equal("-0.005");
      expect(parseBigDecimal("1e-3")).to.deep.equal({ digits: 1n, exp: -3 });
      expect(parseBigDecimal("abc")).to.equal(null);
    });
  });

  describe("behavior: versioning", () => {
    it("behavior: create/update/delete produce block ranges and vids (block<<32)+seq", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        const db = new Database(store.file, { readonly: true });
        db.defaultSafeIntegers(true);
        const rows = db.prepare(`SELECT "vid$" AS vid, id, "lo$" AS lo, "hi$" AS hi, score FROM "Account" ORDER BY "vid$"`).all() as Array<Record<string, bigint | string>>;
        db.close();
        expect(rows.map((r) => [r.vid, r.id, Number(r.lo), Number(r.hi)])).to.deep.equal([
          [(1n << 32n) + 0n, "a", 1, 3],
          [(1n << 32n) + 1n, "B", 1, 2147483647],
          [(1n << 32n) + 2n, "10", 1, 2147483647],
          [(1n << 32n) + 3n, "9", 1, 3],
          [(3n << 32n) + 0n, "a", 3, 2147483647],
        ]);
        expect(store.get("Account", "9")).to.equal(null);
        expect(store.get("Account", "a")!.get("score")).to.deep.equal(i(6));
        expect(store.state()).to.deep.include({ entityCount: 12, earliestBlock: 1, reorgCount: 0, fatalError: null, syncedAt: null });
        expect(store.state().head).to.deep.equal(blockPtr(5));
        expect(store.blockHash(3)).to.equal(blockPtr(3).hash);
      } finally {
        store.close();
      }
    });
    it("behavior: an unchanged entity writes no new version", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        const before = store.get("Account", "B")!;
        store.transactBlock(blockPtr(6), [{ op: "set", entityType: "Account", id: "B", entity: before }], []);
        const db = new Database(store.file, { readonly: true });
        const n = db.prepare(`SELECT COUNT(*) AS n FROM "Account" WHERE id = 'B'`).get() as { n: number };
        db.close();
        expect(n.n).to.equal(1);
      } finally {
        store.close();
      }
    });
    it("behavior: findByField over scalar and list references", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        expect(store.findByField("Work", "owner", "B").map((e) => e.get("title"))).to.deep.equal([s("Poster v2"), s("Logo")]);
        expect(store.findByField("Work", "contributors", "10").map((e) => e.get("title"))).to.deep.equal([s("Poster v2")]);
        expect(store.findByField("Purchase", "account", "a").length).to.equal(1);
      } finally {
        store.close();
      }
    });
    it("behavior: revertTo deletes later versions, unclamps, drops data sources and counts a reorg", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        store.transactBlock(blockPtr(6), [], [{ template: "Child", address: "0xAbC", context: ent({ k: bi(2n ** 200n) }), createdAtBlock: 6 }]);
        expect(store.dynamicDataSources()).to.deep.equal([{ template: "Child", address: "0xabc", context: ent({ k: bi(2n ** 200n) }), createdAtBlock: 6 }]);
        store.revertTo(blockPtr(2));
        expect(store.get("Account", "9")).to.not.equal(null);
        expect(store.get("Account", "a")!.get("score")).to.deep.equal(i(5));
        expect(store.get("Profile", "pa2")).to.equal(null);
        expect(store.get("Purchase", hexBytes("aa02"))).to.equal(null);
        expect(store.get("Work", hexBytes("02"))!.get("title")).to.deep.equal(s("Poster"));
        expect(store.dynamicDataSources()).to.deep.equal([]);
        expect(store.blockHash(3)).to.equal(null);
        expect(store.state()).to.deep.include({ reorgCount: 1, entityCount: 11 });
        expect(store.state().head).to.deep.equal(blockPtr(2));
        // a different chain continues from there
        store.transactBlock(blockPtr(3, "f"), [{ op: "set", entityType: "Account", id: "z", entity: ent({ id: s("z"), active: b(true) }) }], []);
        expect(store.blockHash(3)).to.equal(blockPtr(3, "f").hash);
      } finally {
        store.close();
      }
    });
    it("behavior: the store survives reopening (committed head, entities, data sources)", () => {
      const dir = tmpDir("tantieme-store");
      const first = openStore({ dir, schema: parseSchema(FIXTURE_SCHEMA), deploymentId: DEPLOYMENT, network: "hardhat", startBlock: 1 });
      populate(first);
      first.markSynced(4);
      first.markSynced(5);
      first.close();
      const again = openStore({ dir, schema: parseSchema(FIXTURE_SCHEMA), deploymentId: DEPLOYMENT, network: "hardhat", startBlock: 1 });
      try {
        expect(again.state().head).to.deep.equal(blockPtr(5));
        expect(again.state().syncedAt).to.equal(4);
        expect(again.get("Account", "a")!.get("tags")).to.deep.equal(arr(s("x"), s("Y")));
      } finally {
        again.close();
      }
      expect(() => openStore({ dir, schema: parseSchema(FIXTURE_SCHEMA + "\ntype Extra @entity { id: ID! }"), deploymentId: DEPLOYMENT, network: "hardhat", startBlock: 1 }))
        .to.throw(StoreError).with.property("code", "SCHEMA_MISMATCH");
      expect(() => openStore({ dir, schema: parseSchema(FIXTURE_SCHEMA), deploymentId: "QmOther", network: "hardhat", startBlock: 1 }))
        .to.throw(StoreError).with.property("code", "DEPLOYMENT_MISMATCH");
    });
  });

  describe("error", () => {
    it("error: a throw mid-block leaves nothing written (kill-safety of transactBlock)", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        const mods = [
          { op: "set" as const, entityType: "Account", id: "new", entity: ent({ id: s("new"), active: b(true) }) },
          { op: "set" as const, entityType: "Account", id: "B", entity: ent({ id: s("B"), active: b(true), score: s("not an int") }) },
        ];
        expect(() => store.transactBlock(blockPtr(6), mods, [{ template: "T", address: "0x1", context: null, createdAtBlock: 6 }]))
          .to.throw(StoreError, /Entity Account\[B\]: field `score` expects INT but got STRING/);
        expect(store.get("Account", "new")).to.equal(null);
        expect(store.get("Account", "B")!.get("active")).to.deep.equal(b(false));
        expect(store.dynamicDataSources()).to.deep.equal([]);
        expect(store.state().head).to.deep.equal(blockPtr(5));
        expect(store.blockHash(6)).to.equal(null);
      } finally {
        store.close();
      }
    });
    it("error: non-increasing blocks, immutable re-insert and remove, unknown types", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        expect(() => store.transactBlock(blockPtr(5), [], [])).to.throw(StoreError).with.property("code", "DUPLICATE_BLOCK_PROCESSING");
        const again = { op: "set" as const, entityType: "Purchase", id: hexBytes("aa01"), entity: ent({ id: by("aa01"), block: i(6), account: s("a"), work: by("01"), paid: bi(1n) }) };
        expect(() => store.transactBlock(blockPtr(6), [again], [])).to.throw(
          "entity Purchase[0xaa01] is immutable; inserting it at block 6 is not possible as it was already inserted at block 2",
        );
        expect(() => store.transactBlock(blockPtr(6), [{ op: "remove", entityType: "Purchase", id: hexBytes("aa01") }], [])).to.throw(StoreError).with.property("code", "IMMUTABLE_ENTITY");
        expect(() => store.get("Nope", "x")).to.throw(StoreError).with.property("code", "UNKNOWN_ENTITY_TYPE");
        expect(() => store.get("Work", "01")).to.throw(StoreError).with.property("code", "INVALID_VALUE");
      } finally {
        store.close();
      }
    });
    it("error: a failed deployment refuses further blocks until reverted below the error", () => {
      const store = openFixtureStore();
      try {
        populate(store);
        store.fail(blockPtr(6), { message: "boom", block: { number: 6, hash: blockPtr(6).hash }, handler: null, deterministic: true });
        expect(store.state().head!.number).to.equal(6);
        expect(() => store.transactBlock(blockPtr(7), [], [])).to.throw(StoreError).with.property("code", "DEPLOYMENT_FAILED");
        store.revertTo(blockPtr(5));
        expect(store.state().fatalError).to.equal(null);
        store.transactBlock(blockPtr(6), [], []);
      } finally {
        store.close();
      }
    });
  });
});

describe("subgraph/schema: schema.graphql model", () => {
  it("default: naming follows graph-node (Inflector, case-sensitive, _collection)", () => {
    expect(camelCasedNames("Account")).to.deep.equal({ singular: "account", plural: "accounts" });
    expect(camelCasedNames("Plays")).to.deep.equal({ singular: "plays", plural: "plays_collection" });
    expect(camelCasedNames("SongPlays")).to.deep.equal({ singular: "songPlays", plural: "songPlays_collection" });
    expect(camelCasedNames("Data")).to.deep.equal({ singular: "data", plural: "datas" });
    expect(camelCasedNames("Category").plural).to.equal("categories");
    expect(camelCasedNames("ERC20Token").plural).to.equal("erc20Tokens");
    expect(camelCasedNames("Box").plural).to.equal("boxes");
    expect(camelCasedNames("Series").plural).to.equal("series_collection");
  });
  it("default: the fixture model", () => {
    const m = parseSchema(FIXTURE_SCHEMA);
    const acc = m.entityTypes.get("Account")!;
    expect(acc.fieldMap.get("works")).to.deep.include({ derivedFrom: "owner", list: true, column: null, kind: "entity" });
    expect(acc.fieldMap.get("kind")).to.deep.include({ kind: "enum", stored: "String" });
    expect(m.entityTypes.get("Purchase")).to.deep.include({ immutable: true, idType: "Bytes", interfaces: ["Event"] });
    expect(m.entityTypes.get("Tick")).to.deep.include({ immutable: true, timeseries: true, idType: "Int8" });
    expect(m.interfaces.get("Event")!.implementers).to.deep.equal(["Purchase", "Withdrawal"]);
    expect(m.entityTypes.get("Work")!.fieldMap.get("owner")!.stored).to.equal("String");
  });
  const bad: Array<[string, string]> = [
    ["type A { id: ID! }", "@entity directive missing on the following types: `A`"],
    ["type A @entity { name: String }", "Type A is missing an `id` field"],
    ["type A @entity { id: Int! }", "The `id` field of type `A` has type `Int!` but only `ID!`, `String!`, `Bytes!` and `Int8!` are allowed"],
    ["type A @entity { id: ID! b: Nope }", "Type `A`, field `b`: type `Nope` is not defined"],
    ["type A @entity { id: ID! bs: [B!]! @derivedFrom(field: \"x\") } type B @entity { id: ID! }", "Field `bs` in type `A` has invalid @derivedFrom: field `x` does not exist on type `B`"],
    ["type A @entity(timeseries: true, immutable: false) { id: Int8! timestamp: Timestamp! }", "Timeseries A is marked as mutable, it must be immutable"],
    ["interface I { id: ID! } type A implements I @entity { id: ID! } type B implements I @entity { id: Bytes! }", "Implementors of interface `I` use different id types `String, Bytes`. They must all use the same type"],
    ["interface I { id: ID! x: Int! } type A implements I @entity { id: ID! }", "Entity type `A` does not satisfy interface `I` because it is missing the following fields: x"],
    ["type A @entity { id: ID! ", "Invalid schema: Syntax Error: Expected Name, found <EOF>."],
  ];
  for (const [sdl, message] of bad) {
    it(`error: ${message.slice(0, 60)}`, () => {
      expect(() => parseSchema(sdl)).to.throw(SchemaError, message);
    });
  }
  it("error: entity validation texts (graph-node Entity::validate)", () => {
    const m = parseSchema(FIXTURE_SCHEMA);
    const v = (fields: Record<string, Value>) => () => validateEntity(m, "Account", "a", ent({ id: s("a"), ...fields }));
    expect(v({})).to.throw(EntityValidationError, "Entity Account[a]: missing value for non-nullable field `active`");
    expect(v({ active: i(1) })).to.throw("Entity Account[a]: the value `1` for field `active` must have type Boolean but has type Int");
    expect(v({ active: b(true), tags: arr(s("x"), i(2)) })).to.throw("Entity Account[a]: field `tags` is of type [String], but the value `[x, 2]` contains a Int at index 1");
    expect(v({ active: b(true), works: arr() })).to.throw("Entity Account[a]: field `works` is derived and cannot be set");
    expect(v({ active: b(true), nope: i(1) })).to.throw("Attempted to set undefined fields [nope] for the entity type `Account`");
    expect(v({ active: b(true), name: { kind: ValueKind.NULL } })).to.not.throw();
  });
});
