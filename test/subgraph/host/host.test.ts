import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildProbeSubgraph } from "../fixtures/build";
import { MappingModule, IMPLEMENTED_IMPORTS, type HostContext } from "../../../subgraph/runtime/host/module";
import { EntityCache } from "../../../subgraph/runtime/host/entity-cache";
import { DeterministicHostError } from "../../../subgraph/runtime/host/errors";
import { parseSchema } from "../../../subgraph/runtime/schema";
import { ValueKind, type Entity, type Value } from "../../../subgraph/runtime/entity";
import type { EntityStore } from "../../../subgraph/runtime/store/types";
import { Wasm } from "../../../subgraph/runtime/asc/wasm";
import { GLOBAL_EXPORT_PREFIX, InstanceSnapshot, exposeMutableGlobals } from "../../../subgraph/runtime/asc/snapshot";
import type { AscHeap } from "../../../subgraph/runtime/asc/heap";
import * as bd from "../../../subgraph/runtime/host/bigdecimal";

/** Minimal EntityStore for host tests (previous-block state only); the real run path uses the SQLite store. */
function memoryStore(initial: [string, string, Entity][] = []): EntityStore {
  const data = new Map(initial.map(([t, id, e]) => [`${t}|${id}`, e]));
  return {
    state: () => ({ head: null, earliestBlock: 0, fatalError: null, firstErrorBlock: null, syncedAt: null, reorgCount: 0, entityCount: data.size }),
    get: (t, id) => data.get(`${t}|${id}`) ?? null,
    findByField: (t, f, parent) => [...data.entries()].filter(([k, e]) => k.startsWith(`${t}|`) && (e.get(f) as { value: unknown } | undefined)?.value === parent).map(([, e]) => e),
    transactBlock: () => {}, revertTo: () => {}, fail: () => {}, markSynced: () => {}, dynamicDataSources: () => [], nonFatalErrors: () => [], blockHash: () => null, close: () => {},
    blockByNumber: () => null,
    // No block numbers here: a stored entity counts as inserted at block 0.
    immutableInsertedAt: (t, id) => (data.has(`${t}|${id}`) ? 0 : null), beginBatch: () => {}, endBatch: () => {},
  };
}

describe("subgraph/host", function () {
  let module: MappingModule;
  let probeWasm: string;
  let schema: ReturnType<typeof parseSchema>;
  let cache: EntityCache;
  const logs: [string, string][] = [];
  const created: [string, string[]][] = [];
  let ctx: HostContext;

  before(function () {
    this.timeout(600_000); // the probe build, when it is not cached yet
    const manifest = buildProbeSubgraph();
    const dir = path.dirname(manifest);
    probeWasm = path.join(dir, "Probe/Probe.wasm");
    module = MappingModule.fromBytes(readFileSync(probeWasm), "Probe", "Probe.wasm");
    schema = parseSchema(readFileSync(path.join(dir, "schema.graphql"), "utf8"));
  });
  beforeEach(() => {
    cache = new EntityCache(memoryStore([["Probe", "old", new Map([["id", { kind: ValueKind.STRING, value: "old" }], ["required", { kind: ValueKind.STRING, value: "r" }], ["str", { kind: ValueKind.STRING, value: "s" }]])]]), schema, 7);
    ctx = {
      cache, blockNumber: 7, handler: "test",
      dataSource: { name: "Probe", address: Uint8Array.from(Buffer.from("5fbdb2315678afecb367f032d93f642f64180aa3", "hex")), network: "hardhat", context: new Map([["label", { kind: ValueKind.STRING, value: "L" }]]) },
      createDataSource: (t, p) => void created.push([t, p]),
      log: (level, msg) => void logs.push([level, msg]),
      ipfsCat: (cid) => (cid === "QmKnown" ? Buffer.from("ipfs bytes") : null),
    };
  });

  const big = (name: string, x: bigint, y: bigint) => module.call(name, ctx, (h) => [h.writeBigInt(x), h.writeBigInt(y)], (h, p) => h.readBigInt(p as number));
  const str = (name: string, prepare: (h: AscHeap) => (number | bigint)[]) => module.call(name, ctx, prepare, (h, p) => h.readString(p as number));
  const dec = (s: string) => bd.fromString(s);
  const decOp = (name: string, x: string, y: string) => module.call(name, ctx, (h) => [h.writeBigDecimal(dec(x)), h.writeBigDecimal(dec(y))], (h, p) => bd.toString(h.readBigDecimal(p as number)));

  it("default: every import of the probe mapping is implemented; an unknown import fails at load, named", () => {
    const imports = Wasm.Module.imports(module.module).map((i) => i.name);
    expect(imports.filter((i) => !IMPLEMENTED_IMPORTS.includes(i))).to.deep.equal([]);
    // A module importing an unimplemented host function (hand-assembled: imports index.ens.nameByHash).
    const wasm = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 24, 1, 5, 105, 110, 100, 101, 120, 14, 101, 110, 115, 46, 110, 97, 109, 101, 66, 121, 72, 97, 115, 104, 0, 0]);
    expect(() => MappingModule.fromBytes(wasm, "X", "x.wasm")).to.throw(/imports `index.ens.nameByHash`, which this runtime does not implement/);
  });

  it("args: bigInt arithmetic with 2^255, negatives, truncating division and shifts", () => {
    const max = 2n ** 255n;
    expect(big("bigIntPlus", max, max)).to.equal(2n ** 256n);
    expect(big("bigIntMinus", 0n, max)).to.equal(-max);
    expect(big("bigIntTimes", -max, 3n)).to.equal(-3n * max);
    expect(big("bigIntDividedBy", -7n, 2n)).to.equal(-3n);
    expect(big("bigIntMod", -7n, 2n)).to.equal(-1n);
    expect(big("bigIntBitOr", 0b1010n, 0b0101n)).to.equal(15n);
    expect(big("bigIntBitAnd", -1n, 0xffn)).to.equal(255n);
    expect(module.call("bigIntLeftShift", ctx, (h) => [h.writeBigInt(1n), 255], (h, p) => h.readBigInt(p as number))).to.equal(max);
    expect(module.call("bigIntRightShift", ctx, (h) => [h.writeBigInt(-5n), 1], (h, p) => h.readBigInt(p as number))).to.equal(-3n);
    expect(module.call("bigIntPow", ctx, (h) => [h.writeBigInt(-2n), 255], (h, p) => h.readBigInt(p as number))).to.equal(-max);
    expect(module.call("bigIntFromString", ctx, (h) => [h.writeString("-" + max.toString())], (h, p) => h.readBigInt(p as number))).to.equal(-max);
    expect(module.call("bigIntToI32", ctx, (h) => [h.writeBigInt(-2147483648n)])).to.equal(-2147483648);
    expect(str("bigIntToString", (h) => [h.writeBigInt(-max)])).to.equal((-max).toString());
    expect(str("bigIntToHex", (h) => [h.writeBigInt(0n)])).to.equal("0x0");
    expect(str("bigIntToHex", (h) => [h.writeBigInt(-255n)])).to.equal("0xff");
  });

  it("error: bigInt division and remainder by zero, unparsable strings are deterministic", () => {
    expect(() => big("bigIntDividedBy", 5n, 0n)).to.throw(DeterministicHostError, "attempted to divide BigInt `5` by zero");
    expect(() => big("bigIntMod", 5n, 0n)).to.throw(DeterministicHostError, "attempted to calculate the remainder of `5` with a divisor of zero");
    expect(() => module.call("bigIntFromString", ctx, (h) => [h.writeString("0x10")])).to.throw(DeterministicHostError, "string is not a BigInt: `0x10`");
  });

  it("args: bigDecimal keeps 34 significant digits, rounds like bigdecimal 0.1 (half-up, negatives truncated), prints without exponents", () => {
    expect(decOp("bigDecimalPlus", "0.1", "0.2")).to.equal("0.3");
    expect(decOp("bigDecimalTimes", "1324", "1000000")).to.equal("1324000000");
    expect(decOp("bigDecimalDividedBy", "1", "3")).to.equal("0.3333333333333333333333333333333333");
    expect(decOp("bigDecimalDividedBy", "2", "3")).to.equal("0.6666666666666666666666666666666667");
    expect(decOp("bigDecimalDividedBy", "-2", "3")).to.equal("-0.6666666666666666666666666666666666");
    expect(decOp("bigDecimalPlus", "12345678901234567890123456789012345", "0")).to.equal("12345678901234567890123456789012350");
    expect(decOp("bigDecimalPlus", "-12345678901234567890123456789012345", "0")).to.equal("-12345678901234567890123456789012340");
    expect(decOp("bigDecimalMinus", "1e-30", "1e-30")).to.equal("0");
    expect(module.call("bigDecimalEquals", ctx, (h) => [h.writeBigDecimal({ digits: 10n, exp: 0 }), h.writeBigDecimal({ digits: 1n, exp: 1 })])).to.equal(1);
    expect(str("bigDecimalToString", (h) => [h.writeBigDecimal({ digits: 15n, exp: -30 })])).to.equal("0.000000000000000000000000000015");
    expect(module.call("bigIntDividedByDecimal", ctx, (h) => [h.writeBigInt(10n), h.writeBigDecimal(dec("4"))], (h, p) => bd.toString(h.readBigDecimal(p as number)))).to.equal("2.5");
    expect(() => decOp("bigDecimalDividedBy", "1", "0")).to.throw(DeterministicHostError, "attempted to divide BigDecimal `1` by zero");
    expect(() => module.call("bigDecimalFromString", ctx, (h) => [h.writeString("abc")])).to.throw(DeterministicHostError, "is not a BigDecimal");
  });

  it("args: typeConversion handles invalid UTF-8 lossily, trims trailing NULs, empty bytes, base58, H160", () => {
    expect(str("bytesToString", (h) => [h.writeBytes(Uint8Array.from([0x61, 0xff, 0x62, 0, 0]))])).to.equal("a\ufffdb");
    expect(str("bytesToString", (h) => [h.writeBytes(new Uint8Array(0))])).to.equal("");
    expect(str("bytesToHex", (h) => [h.writeBytes(new Uint8Array(0))])).to.equal("0x");
    expect(str("bytesToHex", (h) => [h.writeBytes(Uint8Array.from([0, 0x0f, 0xa0, 0xff]))])).to.equal("0x000fa0ff");
    expect(str("bytesToBase58", (h) => [h.writeBytes(Uint8Array.from([0, 0, 1]))])).to.equal("112");
    expect(module.call("stringToH160", ctx, (h) => [h.writeString("0x5FbDB2315678afecb367f032d93F642f64180aa3")], (h, p) => Buffer.from(h.readBytes(p as number)).toString("hex"))).to.equal("5fbdb2315678afecb367f032d93f642f64180aa3");
    expect(() => module.call("stringToH160", ctx, (h) => [h.writeString("0x12")])).to.throw(DeterministicHostError, "Failed to convert string to Address/H160");
  });

  it("args: crypto.keccak256 and ethereum.encode/decode round-trip every ABI shape", () => {
    expect(module.call("keccak256", ctx, (h) => [h.writeBytes(new Uint8Array(0))], (h, p) => Buffer.from(h.readBytes(p as number)).toString("hex"))).to.equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    const encoded = module.call("ethEncodeSample", ctx, (h) => [
      h.writeBytes(new Uint8Array(20).fill(0xab)), h.writeBigInt(2n ** 256n - 1n), h.writeBigInt(-(2n ** 255n)), 1, h.writeString("hé"),
      h.writeBytes(Uint8Array.from([1, 2, 3])), h.writeBytes(new Uint8Array(32).fill(7)), h.writePointerArray([h.writeBigInt(1n), h.writeBigInt(2n)], "ArrayUint8Array"),
    ], (h, p) => h.readBytes(p as number));
    const described = str("ethDecode", (h) => [h.writeString("(address,uint256,int256,bool,string,bytes,bytes32,uint256[])"), h.writeBytes(encoded)]);
    expect(described).to.equal(`tuple(address:0x${"ab".repeat(20)},uint:${2n ** 256n - 1n},int:${-(2n ** 255n)},bool:true,string:hé,bytes:0x010203,fixed:0x${"07".repeat(32)},array(uint:1,uint:2))`);
    expect(str("ethDecode", (h) => [h.writeString("(uint256,string)"), h.writeBytes(Uint8Array.from([1, 2]))])).to.equal("null");
  });

  it("args: json keeps number text, sorts object keys, try_fromBytes reports errors; toI64/toU64/toF64/toBigInt", () => {
    expect(str("jsonFromBytes", (h) => [h.writeBytes(Buffer.from('{"b":[1,2.50,true,null],"a":"x","a":"y"}'))])).to.equal("{a=s:y,b=[n:1,n:2.50,true,null]}");
    expect(str("jsonTryFromBytes", (h) => [h.writeBytes(Buffer.from("{bad"))])).to.equal("error");
    expect(str("jsonTryFromBytes", (h) => [h.writeBytes(Uint8Array.from([0x22, 0xff, 0x22]))])).to.equal("error");
    expect(() => module.call("jsonFromBytes", ctx, (h) => [h.writeBytes(new Uint8Array(0))])).to.throw(DeterministicHostError, /Failed to parse JSON/);
    expect(module.call("jsonToI64", ctx, (h) => [h.writeString("-9223372036854775808")])).to.equal(-(2n ** 63n));
    // u64 crosses the JS boundary as an i64 bit pattern.
    expect(BigInt.asUintN(64, module.call("jsonToU64", ctx, (h) => [h.writeString("18446744073709551615")]) as bigint)).to.equal(2n ** 64n - 1n);
    expect(module.call("jsonToF64", ctx, (h) => [h.writeString("1.5e3")])).to.equal(1500);
    expect(module.call("jsonToBigInt", ctx, (h) => [h.writeString("-" + 2n ** 255n)], (h, p) => h.readBigInt(p as number))).to.equal(-(2n ** 255n));
    expect(() => module.call("jsonToI64", ctx, (h) => [h.writeString("9223372036854775808")])).to.throw(DeterministicHostError, "cannot be parsed as i64");
  });

  it("behavior: store.set merges, null removes a field, remove-then-set overwrites, get_in_block sees only this block", () => {
    const set = (id: string, e: Entity) => module.call("storeSet", ctx, (h) => [h.writeString("Probe"), h.writeString(id), h.writeEntity(e)]);
    const get = (name: string, id: string) => module.call(name, ctx, (h) => [h.writeString("Probe"), h.writeString(id)], (h, p) => ((p as number) ? h.readEntity(p as number) : null));
    set("old", new Map([["int", { kind: ValueKind.INT, value: -5 }], ["str", { kind: ValueKind.NULL }]]));
    const merged = get("storeGet", "old")!;
    expect(merged.get("required")).to.deep.equal({ kind: ValueKind.STRING, value: "r" });
    expect(merged.get("int")).to.deep.equal({ kind: ValueKind.INT, value: -5 });
    expect(merged.has("str")).to.equal(false);
    expect(get("storeGetInBlock", "old")).to.not.equal(null);
    module.call("storeRemove", ctx, (h) => [h.writeString("Probe"), h.writeString("old")]);
    expect(get("storeGet", "old")).to.equal(null);
    set("old", new Map([["required", { kind: ValueKind.STRING, value: "new" }], ["int8", { kind: ValueKind.INT8, value: -(2n ** 63n) }], ["ts", { kind: ValueKind.TIMESTAMP, value: 1700000000000000n }], ["list", { kind: ValueKind.ARRAY, value: [{ kind: ValueKind.STRING, value: "a" }] }]]));
    const overwritten = get("storeGet", "old")!;
    expect([...overwritten.keys()].sort()).to.deep.equal(["id", "int8", "list", "required", "ts"]);
    expect(overwritten.get("int8")).to.deep.equal({ kind: ValueKind.INT8, value: -(2n ** 63n) });
    cache.commitHandler();
    const mods = cache.modifications();
    expect(mods.map((m) => m.op)).to.deep.equal(["set"]);
  });

  it("error: store.set validation (missing field, wrong type, undefined field, derived field, id mismatch) is deterministic", () => {
    const set = (id: string, e: Entity) => () => module.call("storeSet", ctx, (h) => [h.writeString("Probe"), h.writeString(id), h.writeEntity(e)]);
    expect(set("x", new Map())).to.throw(DeterministicHostError, "Entity Probe[x]: missing value for non-nullable field `required`");
    expect(set("x", new Map([["required", { kind: ValueKind.INT, value: 1 }]]))).to.throw(DeterministicHostError, "must have type String");
    expect(set("x", new Map([["required", { kind: ValueKind.STRING, value: "r" }], ["nope", { kind: ValueKind.INT, value: 1 }]]))).to.throw(DeterministicHostError, "Attempted to set undefined fields [nope] for the entity type `Probe`");
    expect(set("x", new Map([["required", { kind: ValueKind.STRING, value: "r" }], ["fans", { kind: ValueKind.ARRAY, value: [] }]]))).to.throw(DeterministicHostError, "is derived and cannot be set");
    expect(set("x", new Map([["id", { kind: ValueKind.STRING, value: "y" }], ["required", { kind: ValueKind.STRING, value: "r" }]]))).to.throw(DeterministicHostError, "conflicts with ID passed to `store.set()`");
  });

  it("behavior: loadRelated, log (critical aborts), dataSource.*, ipfs.cat, abort", () => {
    module.call("storeSet", ctx, (h) => [h.writeString("Probe"), h.writeString("fan"), h.writeEntity(new Map([["required", { kind: ValueKind.STRING, value: "r" }], ["friend", { kind: ValueKind.STRING, value: "old" }]]))]);
    const related = module.call("storeLoadRelated", ctx, (h) => [h.writeString("Probe"), h.writeString("old"), h.writeString("fans")], (h, p) => h.readPointerArray(p as number).map((e) => h.readEntity(e).get("id")));
    expect(related).to.deep.equal([{ kind: ValueKind.STRING, value: "fan" }]);
    module.call("logAt", ctx, (h) => [3, h.writeString("hello")]);
    expect(logs.at(-1)).to.deep.equal(["info", "hello"]);
    expect(() => module.call("logAt", ctx, (h) => [0, h.writeString("bad")])).to.throw(DeterministicHostError, "Critical error logged in mapping with log message: bad");
    expect(module.call("dsAddress", ctx, () => [], (h, p) => Buffer.from(h.readBytes(p as number)).toString("hex"))).to.equal("5fbdb2315678afecb367f032d93f642f64180aa3");
    expect(str("dsNetwork", () => [])).to.equal("hardhat");
    expect(module.call("dsContext", ctx, () => [], (h, p) => h.readEntity(p as number).get("label"))).to.deep.equal({ kind: ValueKind.STRING, value: "L" });
    module.call("dsCreate", ctx, (h) => [h.writeString("ProbeChild"), h.writeStringArray(["0x00000000000000000000000000000000000000aa"])]);
    expect(created.at(-1)).to.deep.equal(["ProbeChild", ["0x00000000000000000000000000000000000000aa"]]);
    expect(module.call("ipfsCat", ctx, (h) => [h.writeString("QmKnown")], (h, p) => Buffer.from(h.readBytes(p as number)).toString())).to.equal("ipfs bytes");
    expect(module.call("ipfsCat", ctx, (h) => [h.writeString("QmUnknown")])).to.equal(0);
    expect(() => module.call("abortWith", ctx, (h) => [h.writeString("custom")])).to.throw(DeterministicHostError, /Mapping aborted at src\/host-probes.ts, line \d+, column \d+, with message: custom/);
  });

  it("behavior: Value layouts written by the WASM side read back (pins enum/TypedMap offsets)", () => {
    const e = module.call("entityWith", ctx, (h) => [h.writeString("i"), h.writeString("f"), h.writeStoreValue({ kind: ValueKind.BIGDECIMAL, value: { digits: -15n, exp: -2 } })], (h, p) => h.readEntity(p as number));
    expect(e.get("id")).to.deep.equal({ kind: ValueKind.STRING, value: "i" });
    expect(e.get("f")).to.deep.equal({ kind: ValueKind.BIGDECIMAL, value: { digits: -15n, exp: -2 } });
    expect(module.call("bigIntFromI32", ctx, () => [-1], (h, p) => h.readBigInt(p as number))).to.equal(-1n);
  });

  it("args: host objects are stub-runtime blocks: 16-byte aligned, exact mmInfo, so a mapping growing one never overwrites the next", () => {
    // Two entities written one after the other sit side by side in memory; `__renew` of the first's
    // entries buffer reads its mmInfo to decide between growing in place and copying.
    const first = new Map<string, Value>([["id", { kind: ValueKind.STRING, value: "a" }], ["n", { kind: ValueKind.INT, value: 1 }]]);
    const second = new Map<string, Value>([["id", { kind: ValueKind.STRING, value: "b" }], ["list", { kind: ValueKind.ARRAY, value: [{ kind: ValueKind.BYTES, value: Uint8Array.from([1, 2]) }] }]]);
    const described = module.call("growFirstDescribeBoth", ctx, (h) => {
      const a = h.writeEntity(first);
      const b = h.writeEntity(second);
      for (const ptr of [a, b, h.u32(a), h.u32(b)]) {
        expect(ptr % 16, "payload alignment").to.equal(0);
        // mmInfo covers the header and the payload up to the next block (rt/stub.ts computeSize).
        expect(h.u32(ptr - 20), "mmInfo").to.equal(((h.rtSize(ptr) + 20 + 15) & ~15) - 4);
      }
      return [a, b, 40];
    }, (h, p) => h.readString(p as number));
    const extras = Array.from({ length: 40 }, (_, i) => `;x${i}=int:${i}`).join("");
    expect(described).to.equal(`id=string:a;n=int:1${extras}|id=string:b;list=[bytes:0x0102]`);
  });

  it("behavior: a loaded entity saved again stores what the mapping holds at save time, values it mutated in place included", () => {
    const stored = new Map<string, Value>([
      ["id", { kind: ValueKind.STRING, value: "p" }], ["required", { kind: ValueKind.STRING, value: "Grüße" }], ["int", { kind: ValueKind.INT, value: -3 }],
      ["flag", { kind: ValueKind.BOOL, value: true }], ["bytes", { kind: ValueKind.BYTES, value: Uint8Array.from([1, 2, 3]) }],
      ["big", { kind: ValueKind.BIGINT, value: 0x010203n }], ["list", { kind: ValueKind.ARRAY, value: [{ kind: ValueKind.STRING, value: "a" }] }],
    ]);
    for (const mutate of [false, true]) {
      const cache = new EntityCache(memoryStore([["Probe", "p", stored]]), schema, 7);
      module.call("loadChangeSave", { ...ctx, cache }, (h) => [h.writeString("p"), mutate ? 1 : 0]);
      cache.commitHandler();
      const [mod] = cache.modifications();
      const saved = mod.op === "set" ? mod.entity : new Map();
      expect(saved.get("str")).to.deep.equal({ kind: ValueKind.STRING, value: "changed" });
      for (const field of ["required", "int", "flag", "list"]) expect(saved.get(field), field).to.deep.equal(stored.get(field));
      // In place: [1,2,3] reversed; the BigInt's little-endian bytes 03 02 01 reversed to 01 02 03.
      expect(saved.get("bytes")).to.deep.equal({ kind: ValueKind.BYTES, value: Uint8Array.from(mutate ? [3, 2, 1] : [1, 2, 3]) });
      expect(saved.get("big")).to.deep.equal({ kind: ValueKind.BIGINT, value: mutate ? 0x030201n : 0x010203n });
    }
  });

  it("args: every store Value kind the host writes reads the same in the mapping and back (negative Int sign-extended, Int8, Timestamp, large BigInt)", () => {
    const values: [Value, string][] = [
      [{ kind: ValueKind.STRING, value: "Grüße" }, "string:Grüße"],
      [{ kind: ValueKind.INT, value: -7 }, "int:-7"],
      [{ kind: ValueKind.INT, value: 2147483647 }, "int:2147483647"],
      [{ kind: ValueKind.INT8, value: -9007199254740993n }, "int8:-9007199254740993"],
      [{ kind: ValueKind.TIMESTAMP, value: 1764460800000000n }, "timestamp:1764460800000000"],
      [{ kind: ValueKind.BOOL, value: true }, "bool:true"],
      [{ kind: ValueKind.BOOL, value: false }, "bool:false"],
      [{ kind: ValueKind.BYTES, value: Uint8Array.from([0, 0xab, 0xff]) }, "bytes:0x00abff"],
      [{ kind: ValueKind.BIGINT, value: -(2n ** 200n) + 3n }, `bigint:${-(2n ** 200n) + 3n}`],
      [{ kind: ValueKind.BIGINT, value: 255n }, "bigint:255"],
      [{ kind: ValueKind.BIGDECIMAL, value: { digits: -15n, exp: -2 } }, "bigdecimal:-0.15"],
      [{ kind: ValueKind.NULL }, "null"],
      [{ kind: ValueKind.ARRAY, value: [{ kind: ValueKind.INT, value: -1 }, { kind: ValueKind.STRING, value: "x" }] }, "[int:-1,string:x]"],
    ];
    // An Int's payload is sign-extended to 64 bits, as graph-node writes `i32 as u64`.
    const negative = module.heap.writeStoreValue({ kind: ValueKind.INT, value: -7 });
    expect([module.heap.u32(negative + 8), module.heap.u32(negative + 12)]).to.deep.equal([0xfffffff9, 0xffffffff]);
    for (const [value, described] of values) {
      expect(str("describeValue", (h) => [h.writeStoreValue(value)]), described).to.equal(described);
      const back = module.call("entityWith", ctx, (h) => [h.writeString("i"), h.writeString("f"), h.writeStoreValue(value)], (h, p) => h.readEntity(p as number));
      expect(back.get("f"), described).to.deep.equal(value);
    }
  });

  // graph-node instantiates the mapping for every trigger (runtime/wasm/src/mapping.rs: each request
  // runs instantiate_module, then handle_trigger); the runtime keeps one instance and restores it.
  it("behavior: every call starts from a fresh instance's state: module variables and static data a call changed are back, on the same instance", () => {
    const probe = MappingModule.fromBytes(readFileSync(probeWasm), "Probe", "Probe.wasm");
    const bump = () => probe.call("bumpModuleState", ctx, () => []);
    expect(bump()).to.equal(1007);
    expect(bump()).to.equal(1007);
    expect(() => probe.call("abortWith", ctx, (h) => [h.writeString("trap")])).to.throw(DeterministicHostError);
    // A trap is followed by a fresh instance (the processor resets it too); the state is fresh either way.
    expect(bump()).to.equal(1007);
    expect(probe.instances).to.equal(1);
    expect(probe.restorable).to.equal(true);
    // Without its globals exported (a module that could not be rewritten), every call gets a new instance.
    const plain = new MappingModule(new Wasm.Module(readFileSync(probeWasm)), "Probe", "Probe.wasm");
    expect(plain.restorable).to.equal(false);
    expect(plain.call("bumpModuleState", ctx, () => [])).to.equal(1007);
    expect(plain.call("bumpModuleState", ctx, () => [])).to.equal(1007);
    expect(plain.instances).to.equal(2);
  });

  it("behavior: the memory one call allocated is reused by the next: 2,000 calls of 64 KiB each stay on one instance under 1 MiB; a call that grew it by 8 MiB is followed by a fresh one", () => {
    const probe = MappingModule.fromBytes(readFileSync(probeWasm), "Probe", "Probe.wasm");
    for (let i = 0; i < 2000; i++) expect(probe.call("allocateStrings", ctx, () => [16, 2048])).to.equal(16 * 2048);
    expect(probe.instances).to.equal(1);
    expect(probe.heap.exports.memory.buffer.byteLength).to.be.at.most(1 << 20);
    // A call that grows memory by more than 8 MiB is followed by a fresh instance: the memory is given back.
    expect(probe.call("allocateStrings", ctx, () => [3, 2_000_000])).to.equal(6_000_000);
    expect(probe.heap.exports.memory.buffer.byteLength).to.be.above(8 << 20);
    expect(probe.call("allocateStrings", ctx, () => [1, 10])).to.equal(10);
    expect(probe.instances).to.equal(2);
    expect(probe.heap.exports.memory.buffer.byteLength).to.be.at.most(1 << 20);
  });

  it("behavior: entities written into WASM by consecutive calls keep their field names (names written by one call are kept across restores)", () => {
    const set = (id: string, e: Entity) => module.call("storeSet", ctx, (h) => [h.writeString("Probe"), h.writeString(id), h.writeEntity(e)]);
    const get = (id: string) => module.call("storeGet", ctx, (h) => [h.writeString("Probe"), h.writeString(id)], (h, p) => ((p as number) ? h.readEntity(p as number) : null));
    const first = get("old")!;
    for (let i = 0; i < 3; i++) expect(get("old")).to.deep.equal(first);
    set("old", new Map([["int", { kind: ValueKind.INT, value: 3 }]]));
    const more = get("old")!;
    expect(more.get("int")).to.deep.equal({ kind: ValueKind.INT, value: 3 });
    expect(get("old")).to.deep.equal(more);
    expect(more.get("required")).to.deep.equal(first.get("required"));
  });

  it("args: mutable globals are exported under reserved names, counting imported globals, padded section sizes included; a module that cannot be read is left alone", () => {
    // (import "env" "g" (global i32)) (global (mut i32) (i32.const 5)) (memory 1) (export "memory" (memory 0))
    const wasm = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7f, 0x00,
      0x05, 0x03, 0x01, 0x00, 0x01,
      0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x05, 0x0b,
      0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
    ]);
    const exposed = exposeMutableGlobals(wasm)!;
    expect(exposed.names).to.deep.equal([`${GLOBAL_EXPORT_PREFIX}1`]);
    const m = new Wasm.Module(exposed.bytes);
    expect(Wasm.Module.exports(m).map((e) => `${e.name}:${e.kind}`)).to.deep.equal(["memory:memory", `${GLOBAL_EXPORT_PREFIX}1:global`]);
    const global = new Wasm.Global({ value: "i32", mutable: false } as never, 1 as never);
    const instance = new Wasm.Instance(m, { env: { g: global } });
    expect((instance.exports[exposed.names[0]] as { value: number }).value).to.equal(5);
    // The same module with the export section's size written as a padded (5-byte) LEB128.
    const padded = Uint8Array.from([...wasm.subarray(0, 33), 0x07, 0x8a, 0x80, 0x80, 0x80, 0x00, ...wasm.subarray(35)]);
    const fromPadded = exposeMutableGlobals(padded)!;
    expect(Wasm.Module.exports(new Wasm.Module(fromPadded.bytes)).map((e) => e.name)).to.deep.equal(["memory", `${GLOBAL_EXPORT_PREFIX}1`]);
    expect(exposeMutableGlobals(wasm.subarray(0, 30))).to.equal(null);
    expect(exposeMutableGlobals(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).to.equal(null);
    // No global moves when allocating: not the stub runtime's bump allocator, so no snapshot.
    expect(InstanceSnapshot.take(instance, exposed.names, () => 0)).to.equal(null);
  });
});
