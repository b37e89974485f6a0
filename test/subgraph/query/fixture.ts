/** A fixture subgraph store for the query tests: every scalar, enums, interfaces, immutable and
 *  mutable types, derived fields (single and list, via scalar and list references), entity lists. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseSchema } from "../../../subgraph/runtime/schema";
import { ValueKind, type Entity, type Value } from "../../../subgraph/runtime/entity";
import { openStore, type SqliteEntityStore, type BlockPtr, type EntityModification } from "../../../subgraph/runtime/store";

export const FIXTURE_SCHEMA = `
enum Kind { Music Design }

interface Event {
  id: Bytes!
  block: Int!
  account: Account!
}

type Account @entity(immutable: false) {
  id: ID!
  name: String
  active: Boolean!
  kind: Kind
  score: Int
  big: BigInt
  amount: BigDecimal
  lastSeen: Timestamp
  counter: Int8
  data: Bytes
  tags: [String!]
  nums: [BigInt!]
  friends: [Account!]
  best: Account
  works: [Work!]! @derivedFrom(field: "owner")
  contributions: [Work!]! @derivedFrom(field: "contributors")
  profile: Profile @derivedFrom(field: "account")
  events: [Event!]! @derivedFrom(field: "account")
}

type Work @entity(immutable: false) {
  id: Bytes!
  title: String!
  owner: Account!
  price: BigInt!
  contributors: [Account!]!
}

type Profile @entity(immutable: false) {
  id: ID!
  account: Account!
  handle: String!
}

type Purchase implements Event @entity(immutable: true) {
  id: Bytes!
  block: Int!
  account: Account!
  work: Work!
  paid: BigInt!
}

type Withdrawal implements Event @entity(immutable: true) {
  id: Bytes!
  block: Int!
  account: Account!
  amount: BigInt!
}

type Tick @entity(timeseries: true) {
  id: Int8!
  timestamp: Timestamp!
  value: Int!
}
`;

export const s = (value: string): Value => ({ kind: ValueKind.STRING, value });
export const i = (value: number): Value => ({ kind: ValueKind.INT, value });
export const b = (value: boolean): Value => ({ kind: ValueKind.BOOL, value });
export const bi = (value: bigint): Value => ({ kind: ValueKind.BIGINT, value });
export const i8 = (value: bigint): Value => ({ kind: ValueKind.INT8, value });
export const ts = (value: bigint): Value => ({ kind: ValueKind.TIMESTAMP, value });
export const bd = (digits: bigint, exp: number): Value => ({ kind: ValueKind.BIGDECIMAL, value: { digits, exp } });
export const by = (hex: string): Value => ({ kind: ValueKind.BYTES, value: hexBytes(hex) });
export const arr = (...value: Value[]): Value => ({ kind: ValueKind.ARRAY, value });
export const hexBytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/^0x/, ""), "hex"));
export const ent = (fields: Record<string, Value>): Entity => new Map(Object.entries(fields));

export function blockPtr(n: number, fork = ""): BlockPtr {
  const h = (x: number) => `0x${(fork + x.toString(16)).padStart(64, "0")}`;
  return { number: n, hash: h(n), parentHash: n === 0 ? `0x${"0".repeat(64)}` : h(n - 1), timestamp: 1_700_000_000 + n * 12 };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export const DEPLOYMENT = "QmFixtureDeployment";

export function openFixtureStore(dir = tmpDir("tantieme-query")): SqliteEntityStore {
  return openStore({ dir, schema: parseSchema(FIXTURE_SCHEMA), deploymentId: DEPLOYMENT, network: "hardhat", startBlock: 1 });
}

const set = (entityType: string, id: string | Uint8Array | bigint, fields: Record<string, Value>): EntityModification => ({
  op: "set",
  entityType,
  id,
  entity: ent({ id: typeof id === "string" ? s(id) : typeof id === "bigint" ? i8(id) : { kind: ValueKind.BYTES, value: id }, ...fields }),
});

/** Writes blocks 1..5 of the fixture scenario. */
export function populate(store: SqliteEntityStore): void {
  store.transactBlock(blockPtr(1), [
    set("Account", "a", {
      name: s("Alice"), active: b(true), kind: s("Music"), score: i(5), big: bi(100n), amount: bd(15n, -1), lastSeen: ts(1000n),
      counter: i8(5n), data: by("0102"), tags: arr(s("x"), s("Y")), nums: arr(bi(1n), bi(2n)), best: s("B"),
    }),
    set("Account", "B", { name: s("bob"), active: b(false), kind: s("Design"), score: i(10), big: bi(-5n), amount: bd(-25n, -2), data: by("01"), tags: arr(s("y")), friends: arr(s("a")) }),
    set("Account", "10", { name: s("100%_pure"), active: b(true), big: bi(2n ** 255n), amount: bd(1n, 3), friends: arr(s("a"), s("9"), s("a")), lastSeen: ts(3000n) }),
    set("Account", "9", { active: b(false), score: i(7), big: bi(0n), amount: bd(1n, -3), counter: i8(-3n), data: by("ff") }),
  ], []);
  store.transactBlock(blockPtr(2), [
    set("Work", hexBytes("01"), { title: s("Song"), owner: s("a"), price: bi(10n), contributors: arr(s("a"), s("B")) }),
    set("Work", hexBytes("02"), { title: s("Poster"), owner: s("a"), price: bi(30n), contributors: arr(s("B")) }),
    set("Work", hexBytes("0a"), { title: s("Logo"), owner: s("B"), price: bi(20n), contributors: arr() }),
    set("Profile", "pa", { account: s("a"), handle: s("@alice") }),
    set("Purchase", hexBytes("aa01"), { block: i(2), account: s("a"), work: by("01"), paid: bi(10n) }),
    set("Withdrawal", hexBytes("bb01"), { block: i(2), account: s("B"), amount: bi(7n) }),
    set("Tick", 1n, { timestamp: ts(1_700_000_024_000_000n), value: i(3) }),
  ], []);
  store.transactBlock(blockPtr(3), [
    set("Account", "a", {
      name: s("Alice"), active: b(true), kind: s("Music"), score: i(6), big: bi(100n), amount: bd(15n, -1), lastSeen: ts(1000n),
      counter: i8(5n), data: by("0102"), tags: arr(s("x"), s("Y")), nums: arr(bi(1n), bi(2n)), best: s("B"),
    }),
    { op: "remove", entityType: "Account", id: "9" },
    set("Purchase", hexBytes("aa02"), { block: i(3), account: s("B"), work: by("0a"), paid: bi(20n) }),
  ], []);
  store.transactBlock(blockPtr(4), [set("Profile", "pa2", { account: s("a"), handle: s("@alice2") })], []);
  store.transactBlock(blockPtr(5), [set("Work", hexBytes("02"), { title: s("Poster v2"), owner: s("B"), price: bi(35n), contributors: arr(s("B"), s("10")) })], []);
}
