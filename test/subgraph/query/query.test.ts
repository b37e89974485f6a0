import { expect } from "chai";
import { createQueryEngine, type QueryEngine } from "../../../subgraph/runtime/query";
import type { SqliteEntityStore } from "../../../subgraph/runtime/store";
import { blockPtr, DEPLOYMENT, openFixtureStore, populate } from "./fixture";

describe("subgraph/query: GraphQL API over the store", () => {
  let store: SqliteEntityStore;
  let engine: QueryEngine;

  before(() => {
    store = openFixtureStore();
    populate(store);
    engine = createQueryEngine(store);
  });
  after(() => store.close());

  const run = (query: string, variables?: Record<string, unknown>) => engine.execute({ query, variables });
  const data = (query: string, variables?: Record<string, unknown>) => {
    const r = run(query, variables);
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data as Record<string, any>;
  };
  const error = (query: string) => {
    const r = run(query);
    expect(r.errors, "expected an error").to.be.an("array");
    expect(r.data).to.equal(undefined);
    return r.errors![0]!.message;
  };
  const ids = (query: string) => (Object.values(data(query))[0] as Array<{ id: string }>).map((x) => x.id);

  describe("default", () => {
    it("default: collections order by id bytewise (String ids)", () => {
      expect(ids(`{ accounts { id } }`)).to.deep.equal(["10", "B", "a"]);
    });
    it("default: by id, with every scalar's output encoding", () => {
      const d = data(`{ account(id: "a") { id name active kind score big amount lastSeen counter data tags nums best { id name } } }`);
      expect(d.account).to.deep.equal({
        id: "a", name: "Alice", active: true, kind: "Music", score: 6, big: "100", amount: "1.5", lastSeen: "1000", counter: "5",
        data: "0x0102", tags: ["x", "Y"], nums: ["1", "2"], best: { id: "B", name: "bob" },
      });
      expect(data(`{ account(id: "10") { big amount } }`).account).to.deep.equal({ big: (2n ** 255n).toString(), amount: "1000" });
    });
    it("default: Bytes ids accept any case and optional 0x, output lowercase", () => {
      expect(data(`{ work(id: "0A") { id title } }`).work).to.deep.equal({ id: "0x0a", title: "Logo" });
      expect(data(`{ work(id: "0x0a") { id } }`).work.id).to.equal("0x0a");
    });
    it("default: missing entity is null", () => {
      expect(data(`{ account(id: "nope") { id } }`).account).to.equal(null);
    });
    it("default: Int8 ids and timeseries plural naming", () => {
      expect(data(`{ ticks { id timestamp value } tick(id: 1) { id } }`)).to.deep.equal({
        ticks: [{ id: "1", timestamp: "1700000024000000", value: 3 }],
        tick: { id: "1" },
      });
    });
    it("default: aliases, fragments, __typename and @skip/@include", () => {
      const d = data(`query($no: Boolean!) { x: account(id: "a") { ...F n2: name __typename score @skip(if: true) kind @include(if: $no) } } fragment F on Account { name }`, { no: false });
      expect(d).to.deep.equal({ x: { name: "Alice", n2: "Alice", __typename: "Account" } });
    });
    it("default: introspection works on the generated schema", () => {
      const d = data(`{ __type(name: "Account_filter") { inputFields { name } } }`);
      const names = d.__type.inputFields.map((f: { name: string }) => f.name);
      expect(names).to.include.members(["name_contains_nocase", "data_contains", "tags_contains_nocase", "friends_", "works_", "_change_block", "and", "or", "big_gte"]);
      expect(names).to.not.include("active_gt");
      expect(names).to.not.include("big_contains");
    });
  });

  describe("behavior: where", () => {
    const cases: Array<[string, string[]]> = [
      [`name: "bob"`, ["B"]],
      [`name_not: "bob"`, ["10", "a"]],
      [`name: null`, []],
      [`name_not: null`, ["10", "B", "a"]],
      [`name_gt: "a"`, ["B"]],
      [`name_lt: "B"`, ["10", "a"]],
      [`name_in: ["bob", "Alice"]`, ["B", "a"]],
      [`name_in: []`, []],
      [`name_not_in: []`, []],
      [`name_not_in: ["bob"]`, ["10", "a"]],
      [`score_in: [null, 10]`, ["10", "B"]],
      [`score_not_in: [null, 10]`, ["B", "a"]],
      [`name_contains: "li"`, ["a"]],
      [`name_contains: "LI"`, []],
      [`name_contains_nocase: "LI"`, ["a"]],
      [`name_not_contains: "o"`, ["10", "a"]],
      [`name_not_contains_nocase: "A"`, ["10", "B"]],
      [`name_starts_with: "A"`, ["a"]],
      [`name_starts_with: "a"`, []],
      [`name_starts_with_nocase: "a"`, ["a"]],
      [`name_not_starts_with: "A"`, ["10", "B"]],
      [`name_ends_with: "ob"`, ["B"]],
      [`name_ends_with_nocase: "CE"`, ["a"]],
      [`name_not_ends_with: "ob"`, ["10", "a"]],
      [`name_not_ends_with_nocase: "OB"`, ["10", "a"]],
      [`name_contains: "%_p"`, []],
      [`name_contains: "%_pure"`, ["10"]],
      [`name_contains: "0__p"`, ["10"]],
      [`name_contains: "0_p"`, []],
      [`name_contains: "A_i"`, ["a"]],
      [`active: false`, ["B"]],
      [`active_not: false`, ["10", "a"]],
      [`active_in: [true]`, ["10", "a"]],
      [`kind: Music`, ["a"]],
      [`kind_not: Music`, ["B"]],
      [`kind_in: [Music, Design]`, ["B", "a"]],
      [`kind_not_in: [Design]`, ["a"]],
      [`score: 6`, ["a"]],
      [`score_gt: 6`, ["B"]],
      [`score_gte: 6`, ["B", "a"]],
      [`score_lt: 10`, ["a"]],
      [`score_lte: 10`, ["B", "a"]],
      [`big_gt: "-6"`, ["10", "B", "a"]],
      [`big_gt: 99`, ["10", "a"]],
      [`big_lt: 0`, ["B"]],
      [`big: "57896044618658097711785492504343953926634992332820282019728792003956564819968"`, ["10"]],
      [`big_in: ["100", -5]`, ["B", "a"]],
      [`amount_gt: "1.4"`, ["10", "a"]],
      [`amount_lt: 0`, ["B"]],
      [`amount_gte: 1.5`, ["10", "a"]],
      [`amount: "1.50"`, ["a"]],
      [`amount_lte: "-0.25"`, ["B"]],
      [`lastSeen_gt: "1000"`, ["10"]],
      [`lastSeen_lte: "1000"`, ["a"]],
      [`counter: "5"`, ["a"]],
      [`counter_gte: 0`, ["a"]],
      [`data: "0x01"`, ["B"]],
      [`data_gt: "0x01"`, ["a"]],
      [`data_contains: "0x02"`, ["a"]],
      [`data_not_contains: "0x02"`, ["B"]],
      [`data_in: ["0x0102", "0x01"]`, ["B", "a"]],
      [`id: "a"`, ["a"]],
      [`id_gt: "9"`, ["B", "a"]],
      [`id_lt: "B"`, ["10"]],
      [`id_in: ["a", "10", "zz"]`, ["10", "a"]],
      [`tags: ["x", "Y"]`, ["a"]],
      [`tags: ["Y", "x"]`, []],
      [`tags_not: ["y"]`, ["a"]],
      [`tags_contains: ["x"]`, ["a"]],
      [`tags_contains: ["x", "y"]`, []],
      [`tags_contains: []`, ["B", "a"]],
      [`tags_not_contains: ["x"]`, ["B"]],
      [`tags_contains_nocase: ["y"]`, ["B", "a"]],
      [`tags_not_contains_nocase: ["X"]`, ["B"]],
      [`nums_contains: ["2"]`, ["a"]],
      [`friends_contains: ["9"]`, ["10"]],
      [`friends: ["a"]`, ["B"]],
      [`friends_contains_nocase: ["A"]`, ["10", "B"]],
      [`best: "B"`, ["a"]],
      [`best_not: "B"`, []],
      [`best_starts_with: "B"`, ["a"]],
      [`best_: { name: "bob" }`, ["a"]],
      [`friends_: { name_starts_with: "A" }`, ["10", "B"]],
      [`works_: { price_gt: 25 }`, ["B"]],
      [`works_: { price_gt: 35 }`, []],
      [`works_: { title: "Song" }`, ["a"]],
      [`contributions_: { title: "Logo" }`, []],
      [`contributions_: { title: "Song" }`, ["B", "a"]],
      [`profile_: { handle: "@alice2" }`, ["a"]],
      [`events_: { block: 3 }`, ["B"]],
      [`or: [{ name: "bob" }, { score: 6 }]`, ["B", "a"]],
      [`or: []`, []],
      [`and: []`, ["10", "B", "a"]],
      [`and: [{ active: true }, { name_starts_with: "1" }]`, ["10"]],
      [`_change_block: { number_gte: 3 }`, ["a"]],
      [`_change_block: { number_gte: 1 }`, ["10", "B", "a"]],
    ];
    for (const [where, expected] of cases) {
      it(`behavior: where { ${where} }`, () => {
        expect(ids(`{ accounts(where: { ${where} }) { id } }`)).to.deep.equal(expected);
      });
    }
    it("behavior: Bytes-id references filter as String; works by owner", () => {
      expect(ids(`{ works(where: { owner: "a" }) { id } }`)).to.deep.equal(["0x01"]);
      expect(ids(`{ purchases(where: { work: "0x0a" }) { id } }`)).to.deep.equal(["0xaa02"]);
      expect(ids(`{ purchases(where: { work_starts_with: "0x0" }) { id } }`)).to.deep.equal(["0xaa01", "0xaa02"]);
      expect(ids(`{ works(where: { contributors_contains: ["B"] }) { id } }`)).to.deep.equal(["0x01", "0x02"]);
    });
    it("behavior: _change_block on immutable entities uses block$", () => {
      expect(ids(`{ purchases(where: { _change_block: { number_gte: 3 } }) { id } }`)).to.deep.equal(["0xaa02"]);
    });
    it("behavior: variables in filters and unknown arguments are ignored", () => {
      expect(ids(`query($n: String) { accounts(where: { name: $n }, bogus: 1) { id } }`)).to.deep.equal(["10", "B", "a"]);
      expect(data(`query($w: Account_filter) { accounts(where: $w) { id } }`, { w: { score_gt: 6 } }).accounts).to.deep.equal([{ id: "B" }]);
    });
  });

  describe("behavior: ordering and paging", () => {
    it("behavior: orderBy scalar with NULLs last asc, first desc, id tiebreak", () => {
      expect(ids(`{ accounts(orderBy: score) { id } }`)).to.deep.equal(["a", "B", "10"]);
      expect(ids(`{ accounts(orderBy: score, orderDirection: desc) { id } }`)).to.deep.equal(["10", "B", "a"]);
      expect(ids(`{ accounts(orderBy: active) { id } }`)).to.deep.equal(["B", "10", "a"]);
    });
    it("behavior: BigInt and BigDecimal sort numerically", () => {
      expect(ids(`{ accounts(orderBy: big) { id } }`)).to.deep.equal(["B", "a", "10"]);
      expect(ids(`{ accounts(orderBy: amount, orderDirection: desc) { id } }`)).to.deep.equal(["10", "a", "B"]);
    });
    it("behavior: orderDirection alone is ignored", () => {
      expect(ids(`{ accounts(orderDirection: desc) { id } }`)).to.deep.equal(["10", "B", "a"]);
    });
    it("behavior: orderBy id desc, Bytes ids bytewise", () => {
      expect(ids(`{ accounts(orderBy: id, orderDirection: desc) { id } }`)).to.deep.equal(["a", "B", "10"]);
      expect(ids(`{ works { id } }`)).to.deep.equal(["0x01", "0x02", "0x0a"]);
    });
    it("behavior: child sort f__g with a null parent link sorting as NULL", () => {
      expect(ids(`{ accounts(orderBy: best__name) { id } }`)).to.deep.equal(["a", "10", "B"]);
      expect(ids(`{ works(orderBy: owner__name, orderDirection: desc) { id } }`)).to.deep.equal(["0x0a", "0x02", "0x01"]);
    });
    it("behavior: first/skip", () => {
      expect(ids(`{ accounts(first: 2) { id } }`)).to.deep.equal(["10", "B"]);
      expect(ids(`{ accounts(first: 2, skip: 2) { id } }`)).to.deep.equal(["a"]);
      expect(ids(`{ accounts(first: null) { id } }`)).to.deep.equal(["10", "B", "a"]);
    });
    it("behavior: interfaces merge implementers, ordered and paged together", () => {
      expect(ids(`{ events { id } }`)).to.deep.equal(["0xaa01", "0xaa02", "0xbb01"]);
      expect(ids(`{ events(orderBy: block, orderDirection: desc, first: 2) { id } }`)).to.deep.equal(["0xaa02", "0xbb01"]);
      const d = data(`{ events(where: { account: "B" }) { id __typename ... on Withdrawal { amount } ... on Purchase { paid work { title } } } }`);
      expect(d.events).to.deep.equal([{ id: "0xaa02", __typename: "Purchase", paid: "20", work: { title: "Logo" } }, { id: "0xbb01", __typename: "Withdrawal", amount: "7" }]);
    });
  });

  describe("behavior: nested fields", () => {
    it("behavior: derived lists with arguments, per parent", () => {
      const d = data(`{ accounts { id works(orderBy: price, orderDirection: desc) { id price } contributions(first: 1) { id } } }`);
      expect(d.accounts).to.deep.equal([
        { id: "10", works: [], contributions: [{ id: "0x02" }] },
        { id: "B", works: [{ id: "0x02", price: "35" }, { id: "0x0a", price: "20" }], contributions: [{ id: "0x01" }] },
        { id: "a", works: [{ id: "0x01", price: "10" }], contributions: [{ id: "0x01" }] },
      ]);
    });
    it("behavior: non-derived entity lists come back deduplicated, ordered by id", () => {
      expect(data(`{ account(id: "10") { friends { id } } }`).account.friends).to.deep.equal([{ id: "a" }]);
      expect(data(`{ account(id: "10", block: { number: 2 }) { friends { id } } }`).account.friends).to.deep.equal([{ id: "9" }, { id: "a" }]);
      expect(data(`{ account(id: "10") { friends(where: { name: "nobody" }) { id } } }`).account.friends).to.deep.equal([]);
    });
    it("behavior: derived interface list and single derived field", () => {
      const d = data(`{ account(id: "a", block: { number: 3 }) { events { id block } profile { handle } } }`);
      expect(d.account).to.deep.equal({ events: [{ id: "0xaa01", block: 2 }], profile: { handle: "@alice" } });
    });
    it("error: ambiguous single derived field", () => {
      expect(error(`{ account(id: "a") { profile { id } } }`)).to.equal("Ambiguous result for derived field `profile`: Multiple `Profile` entities refer back via `account`");
    });
    // graph/src/data/query/error.rs Serialize: AmbiguousDerivedFromResult carries the field's position.
    it("error: ambiguous single derived field has the field's location, no data", () => {
      expect(engine.execute({ query: `{\n  account(id: "a") {\n    profile { id }\n  }\n}` })).to.deep.equal({
        errors: [{ locations: [{ line: 3, column: 5 }], message: "Ambiguous result for derived field `profile`: Multiple `Profile` entities refer back via `account`" }],
      });
    });
  });

  describe("behavior: time travel", () => {
    it("behavior: block number sees versions by block range", () => {
      expect(data(`{ account(id: "a", block: { number: 2 }) { score } }`).account.score).to.equal(5);
      expect(data(`{ account(id: "a", block: { number: 3 }) { score } }`).account.score).to.equal(6);
      expect(ids(`{ accounts(block: { number: 2 }) { id } }`)).to.deep.equal(["10", "9", "B", "a"]);
      expect(ids(`{ works(block: { number: 1 }) { id } }`)).to.deep.equal([]);
      expect(data(`{ work(id: "0x02", block: { number: 4 }) { title owner { id } } }`).work).to.deep.equal({ title: "Poster", owner: { id: "a" } });
    });
    it("behavior: block hash and number_gte", () => {
      expect(data(`{ account(id: "a", block: { hash: "${blockPtr(2).hash}" }) { score } }`).account.score).to.equal(5);
      expect(data(`{ account(id: "a", block: { number_gte: 3 }) { score } }`).account.score).to.equal(6);
    });
    it("error: future block, unknown hash, number_gte above head, before earliest", () => {
      expect(error(`{ accounts(block: { number: 6 }) { id } }`)).to.equal(
        `Failed to decode \`block.number\` value: \`subgraph ${DEPLOYMENT} has only indexed up to block number 5 and data for block number 6 is therefore not yet available\``,
      );
      expect(error(`{ accounts(block: { hash: "0x${"12".repeat(32)}" }) { id } }`)).to.equal("Failed to decode `block.hash` value: `no block with that hash found`");
      expect(error(`{ accounts(block: { number_gte: 9 }) { id } }`)).to.equal(
        `Failed to decode \`block.number_gte\` value: \`subgraph ${DEPLOYMENT} has only indexed up to block number 5 and data for block number 9 is therefore not yet available\``,
      );
      expect(error(`{ accounts(block: { number: 0 }) { id } }`)).to.equal(
        `Failed to decode \`block.number\` value: \`subgraph ${DEPLOYMENT} only has data starting at block number 1 and data for block number 0 is therefore not available\``,
      );
    });
  });

  describe("behavior: _meta", () => {
    it("behavior: _meta at the head and at a block number", () => {
      expect(data(`{ _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors } }`)._meta).to.deep.equal({
        block: { number: 5, hash: blockPtr(5).hash, timestamp: blockPtr(5).timestamp, parentHash: blockPtr(4).hash },
        deployment: DEPLOYMENT,
        hasIndexingErrors: false,
      });
      expect(data(`{ _meta(block: { number: 3 }) { block { number hash } } }`)._meta.block).to.deep.equal({ number: 3, hash: null });
    });
  });

  describe("error", () => {
    it("error: first and skip bounds", () => {
      expect(error(`{ accounts(first: 0) { id } }`)).to.equal("The `first` argument must be between 0 and 1000, but is 0");
      expect(error(`{ accounts(first: 1001) { id } }`)).to.equal("The `first` argument must be between 0 and 1000, but is 1001");
      expect(error(`{ accounts(skip: -1) { id } }`)).to.equal("The `skip` argument must be between 0 and 4294967295, but is -1");
    });
    it("error: ordering by a list or unknown field", () => {
      expect(error(`{ accounts(orderBy: tags) { id } }`)).to.equal("Ordering by `tags` is not supported for type `Account`");
      expect(error(`{ accounts(orderBy: friends__name) { id } }`)).to.equal("Ordering by `friends__name` is not supported for type `Account`");
    });
    it("error: or mixed with column filters", () => {
      expect(error(`{ accounts(where: { name: "x", or: [{ score: 1 }] }) { id } }`)).to.match(/^Cannot mix column filters with 'or' operator at the same level\. Found column filter\(s\) name alongside 'or' operator\./);
    });
    it("error: nested child filters", () => {
      expect(error(`{ accounts(where: { works_: { owner_: { name: "x" } } }) { id } }`)).to.equal('Child filter nesting not supported by value `owner_`: `{"name":"x"}`');
    });
    it("error: unknown fields, ordered comparison with null, bad values", () => {
      expect(error(`{ accounts { nope } }`)).to.equal("Type `Account` has no field `nope`");
      expect(error(`{ nope { id } }`)).to.equal("Type `Query` has no field `nope`");
      expect(error(`{ accounts(where: { active_gt: true }) { id } }`)).to.equal("Type `Account_filter` has no field `active_gt`");
      expect(error(`{ accounts(where: { score_gt: null }) { id } }`)).to.equal("Filter not supported by value `null`: `score_gt`");
      expect(error(`{ accounts(where: { big: "x1" }) { id } }`)).to.equal("Failed to coerce value `x1` of field `big` to scalar type `BigInt`");
      expect(error(`{ accounts(where: { data: "0xz" }) { id } }`)).to.equal("Failed to coerce value `0xz` of field `data` to scalar type `Bytes`");
      expect(error(`{ accounts(where: { kind: Jazz }) { id } }`)).to.equal("Failed to coerce value `Jazz` of field `kind` to enum type `Kind`. Possible values are: Music, Design");
    });
    it("error: multiple operations, mutations, parse errors with locations", () => {
      expect(error(`query A { accounts { id } } query B { accounts { id } }`)).to.equal("Operation name required");
      expect(error(`mutation { x }`)).to.match(/^Not supported: /);
      const r = run(`{ accounts { id }`);
      expect(r.data).to.equal(undefined);
      expect(r.errors![0]!.locations).to.deep.equal([{ line: 1, column: 18 }]);
    });
  });
});
