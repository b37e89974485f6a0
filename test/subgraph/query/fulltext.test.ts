/**
 * @fulltext on SQLite FTS5, against graph-node's semantics:
 * - graph/src/schema/input/mod.rs validate_fulltext_directives (schema errors, texts);
 * - graph/src/schema/api.rs query_field_for_fulltext (text, first, skip, block, where, subgraphError);
 * - graphql/src/store/query.rs build_filter/build_order (text AND where, ordered by rank ascending, then id);
 * - store/postgres/src/relational_queries.rs (`col @@ to_tsquery(text)`, ts_rank; the tsvector lives
 *   in each version's row, so time travel and reverts apply to it);
 * - graph/src/data/query/error.rs FulltextQueryInvalidSyntax (syntax error text).
 */
import { expect } from "chai";
import { ValueKind, type Entity, type Value } from "../../../subgraph/runtime/entity";
import { createQueryEngine, type QueryEngine } from "../../../subgraph/runtime/query";
import { parseSchema, SchemaError } from "../../../subgraph/runtime/schema";
import { openStore, type EntityModification, type SqliteEntityStore } from "../../../subgraph/runtime/store";
import { blockPtr, tmpDir } from "./fixture";

const SCHEMA = `
type _Schema_
  @fulltext(name: "bandSearch", language: en, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "name" }, { name: "bio" }] }])
  @fulltext(name: "bandNames", language: simple, algorithm: proximityRank, include: [{ entity: "Band", fields: [{ name: "name" }] }])

type Band @entity(immutable: false) {
  id: ID!
  name: String!
  bio: String
  genre: String!
  members: Int!
}
`;

const str = (value: string): Value => ({ kind: ValueKind.STRING, value });
const int = (value: number): Value => ({ kind: ValueKind.INT, value });
const band = (id: string, name: string, bio: string | null, genre: string, members: number): EntityModification => {
  const e: Entity = new Map([["id", str(id)], ["name", str(name)], ["genre", str(genre)], ["members", int(members)]]);
  if (bio !== null) e.set("bio", str(bio));
  return { op: "set", entityType: "Band", id, entity: e };
};

describe("subgraph/query: @fulltext (FTS5)", () => {
  let store: SqliteEntityStore;
  let engine: QueryEngine;
  const run = (query: string) => engine.execute({ query });
  const ids = (query: string) => {
    const r = run(query);
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return (Object.values(r.data!)[0] as Array<{ id: string }>).map((x) => x.id);
  };

  beforeEach(() => {
    store = openStore({ dir: tmpDir("tantieme-fulltext"), schema: parseSchema(SCHEMA), deploymentId: "QmFulltext", network: "hardhat", startBlock: 1 });
    store.transactBlock(blockPtr(1), [
      band("b1", "Night Bus", "Late trains and night buses, a London band", "rock", 3),
      band("b2", "Day Tripper", "Songs about the night and the day", "pop", 4),
      band("b3", "Nightingale", "Birdsong and strings", "folk", 2),
      band("b4", "Bus Stop", null, "rock", 5),
    ], []);
    store.transactBlock(blockPtr(2), [band("b3", "Nightingale", "Birdsong, strings and a night bus", "folk", 2)], []);
    store.transactBlock(blockPtr(3), [{ op: "remove", entityType: "Band", id: "b4" }], []);
    engine = createQueryEngine(store);
  });
  afterEach(() => store.close());

  describe("default", () => {
    it("default: the generated query field takes text, first, skip, block, where, subgraphError and returns [Band!]!", () => {
      const r = run(`{ __type(name: "Query") { fields { name args { name } type { kind ofType { kind ofType { kind ofType { name } } } } } } }`);
      const f = (r.data!.__type as { fields: Array<{ name: string; args: Array<{ name: string }>; type: unknown }> }).fields.find((x) => x.name === "bandSearch")!;
      expect(f.args.map((a) => a.name)).to.deep.equal(["text", "first", "skip", "block", "where", "subgraphError"]);
      expect(f.type).to.deep.equal({ kind: "NON_NULL", ofType: { kind: "LIST", ofType: { kind: "NON_NULL", ofType: { name: "Band" } } } });
    });
    it("default: words match any included field; English stems (buses ~ bus) and folds case", () => {
      expect(ids(`{ bandSearch(text: "bus") { id } }`).sort()).to.deep.equal(["b1", "b3"]);
      expect(ids(`{ bandSearch(text: "BIRDSONG") { id } }`)).to.deep.equal(["b3"]);
      // The `simple` configuration does not stem: only the name field, exact words.
      expect(ids(`{ bandNames(text: "bus") { id } }`)).to.deep.equal(["b1"]);
    });
  });

  describe("behavior: operators (Postgres to_tsquery syntax)", () => {
    it("behavior: & | ! <-> :* and parentheses", () => {
      expect(ids(`{ bandSearch(text: "night & bus") { id } }`).sort()).to.deep.equal(["b1", "b3"]);
      expect(ids(`{ bandSearch(text: "tripper | nightingale") { id } }`).sort()).to.deep.equal(["b2", "b3"]);
      expect(ids(`{ bandSearch(text: "night & !bus") { id } }`)).to.deep.equal(["b2"]);
      expect(ids(`{ bandNames(text: "night <-> bus") { id } }`)).to.deep.equal(["b1"]);
      expect(ids(`{ bandNames(text: "bus <-> night") { id } }`)).to.deep.equal([]);
      expect(ids(`{ bandNames(text: "night:*") { id } }`).sort()).to.deep.equal(["b1", "b3"]);
      expect(ids(`{ bandSearch(text: "(day | birdsong) & night") { id } }`).sort()).to.deep.equal(["b2", "b3"]);
      expect(ids(`{ bandNames(text: "'night bus'") { id } }`)).to.deep.equal(["b1"]);
    });
    it("error: words without an operator are graph-node's syntax error with its hint", () => {
      expect(run(`{ bandSearch(text: "night bus") { id } }`)).to.deep.equal({
        errors: [{ message: 'Invalid fulltext search query syntax. Error: syntax error in tsquery: "night bus". Hint: Search terms with spaces need to be enclosed in single quotes' }],
      });
      expect(run(`{ bandSearch(text: "night &") { id } }`).errors![0]!.message).to.match(/^Invalid fulltext search query syntax/);
    });
  });

  describe("behavior: combined with where, paging, time travel, children", () => {
    it("behavior: where is and-ed with the text; first/skip page the ranked result", () => {
      expect(ids(`{ bandSearch(text: "bus", where: { genre: "rock" }) { id } }`)).to.deep.equal(["b1"]);
      const all = ids(`{ bandSearch(text: "night | bus | day") { id } }`);
      expect(all).to.have.length(3);
      expect(ids(`{ bandSearch(text: "night | bus | day", first: 1, skip: 1) { id } }`)).to.deep.equal([all[1]]);
    });
    it("behavior: ordered by rank ascending (graph-node's default direction), then id", () => {
      // b1 mentions night/bus in name and bio (best match), b3 once in its bio: the weaker match comes first.
      expect(ids(`{ bandSearch(text: "night & bus") { id } }`)).to.deep.equal(["b3", "b1"]);
    });
    it("behavior: block time travel searches the versions visible at that block", () => {
      expect(ids(`{ bandSearch(text: "bus", block: { number: 1 }) { id } }`).sort()).to.deep.equal(["b1", "b4"]);
      expect(ids(`{ bandSearch(text: "bus", block: { number: 2 }) { id } }`).sort()).to.deep.equal(["b1", "b3", "b4"]);
      expect(ids(`{ bandSearch(text: "bus") { id } }`).sort()).to.deep.equal(["b1", "b3"]);
    });
    it("behavior: selections resolve like any Band list", () => {
      expect(run(`{ bandSearch(text: "birdsong") { id name members __typename } }`)).to.deep.equal({
        data: { bandSearch: [{ id: "b3", name: "Nightingale", members: 2, __typename: "Band" }] },
      });
    });
    it("behavior: reverts keep the index consistent (versions deleted, clamped ones re-opened)", () => {
      store.revertTo(blockPtr(1));
      engine = createQueryEngine(store);
      expect(ids(`{ bandSearch(text: "bus") { id } }`).sort()).to.deep.equal(["b1", "b4"]);
      store.transactBlock(blockPtr(2, "f"), [band("b2", "Day Tripper", "Now a bus band", "pop", 4)], []);
      expect(ids(`{ bandSearch(text: "bus") { id } }`).sort()).to.deep.equal(["b1", "b2", "b4"]);
      expect(ids(`{ bandSearch(text: "songs") { id } }`)).to.deep.equal([]);
    });
    it("behavior: an update in place within one block re-indexes the row", () => {
      store.transactBlock(blockPtr(4), [band("b5", "Tram", null, "pop", 1), band("b5", "Tram Lines", "rail", "pop", 1)], []);
      expect(ids(`{ bandSearch(text: "rail") { id } }`)).to.deep.equal(["b5"]);
      expect(ids(`{ bandSearch(text: "tram & lines") { id } }`)).to.deep.equal(["b5"]);
    });
  });

  describe("error: schema validation (graph-node's texts)", () => {
    const bad = (directive: string) => () => parseSchema(`type _Schema_ ${directive}\ntype Band @entity(immutable: true) { id: ID! name: String! members: Int! }`);
    const cases: Array<[string, string]> = [
      [`@fulltext(language: en, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "name" }] }])`, "Fulltext directive name undefined"],
      [`@fulltext(name: "s", language: xx, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "name" }] }])`, "Fulltext language is invalid: xx"],
      [`@fulltext(name: "s", language: en, algorithm: best, include: [{ entity: "Band", fields: [{ name: "name" }] }])`, "Fulltext algorithm is invalid: best"],
      [`@fulltext(name: "s", language: en, algorithm: rank, include: [])`, "Fulltext directive requires an 'include' list"],
      [`@fulltext(name: "s", language: en, algorithm: rank, include: [{ entity: "Nope", fields: [{ name: "name" }] }])`, "Fulltext directive includes an entity not found on the subgraph schema"],
      [`@fulltext(name: "s", language: en, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "members" }] }])`, "Fulltext entity field, members, not found or not a string"],
      [`@fulltext(name: "name", language: en, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "name" }] }])`, "Fulltext directive name overlaps with an existing entity field or a top-level query field: name"],
      [`@fulltext(name: "s", language: en, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "name" }] }]) @fulltext(name: "s", language: en, algorithm: rank, include: [{ entity: "Band", fields: [{ name: "name" }] }])`, "Fulltext directive name overlaps with type: s"],
      [`@entity`, "The _Schema_ type only allows @fulltext directives"],
    ];
    for (const [directive, message] of cases) {
      it(`error: ${message}`, () => {
        expect(bad(directive)).to.throw(SchemaError, message);
      });
    }
  });
});
