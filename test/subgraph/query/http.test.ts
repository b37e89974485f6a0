import { expect } from "chai";
import { createQueryHandler, createQueryEngine } from "../../../subgraph/runtime/query";
import { createIndexNodeHandler } from "../../../subgraph/runtime/index-node";
import { startQueryServer } from "../../../subgraph/runtime/http";
import type { SqliteEntityStore } from "../../../subgraph/runtime/store";
import { blockPtr, DEPLOYMENT, openFixtureStore, populate } from "./fixture";

describe("subgraph/query: HTTP and index-node status", () => {
  let store: SqliteEntityStore;
  before(() => {
    store = openFixtureStore();
    populate(store);
  });
  after(() => store.close());

  const post = (handler: (r: Request) => Promise<Response>, path: string, body: string | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
    handler(new Request(`http://localhost${path}`, { method: "POST", headers, body }));

  describe("default", () => {
    it("default: POST by name and by id return 200 with data and graph headers", async () => {
      const h = createQueryHandler({ store, name: "tantieme/fixture" });
      for (const path of ["/subgraphs/name/tantieme/fixture", `/subgraphs/id/${DEPLOYMENT}`]) {
        const res = await post(h, path, JSON.stringify({ query: `{ account(id: "a") { name } }` }));
        expect(res.status).to.equal(200);
        expect(res.headers.get("graph-attestable")).to.equal("true");
        // graph/src/data/query/result.rs as_http_response: serde_json of LatestBlockInfo.
        expect(JSON.parse(res.headers.get("graph-indexed")!)).to.deep.equal({ hash: blockPtr(5).hash, number: 5, timestamp: blockPtr(5).timestamp });
        expect(await res.json()).to.deep.equal({ data: { account: { name: "Alice" } } });
      }
    });
    it("default: startQueryServer serves both ports on 127.0.0.1", async () => {
      const server = await startQueryServer({ store, name: "fx", port: 0, statusPort: 0, chainHead: () => ({ number: 7, hash: blockPtr(7).hash }) });
      try {
        expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/subgraphs\/name\/fx$/);
        const r = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ _meta { block { number } } }" }) });
        expect(await r.json()).to.deep.equal({ data: { _meta: { block: { number: 5 } } } });
        const s = await fetch(server.statusUrl!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ indexingStatuses { subgraph synced health chains { chainHeadBlock { number } latestBlock { number } } } }" }) });
        expect(await s.json()).to.deep.equal({ data: { indexingStatuses: [{ subgraph: DEPLOYMENT, synced: false, health: "healthy", chains: [{ chainHeadBlock: { number: "7" }, latestBlock: { number: "5" } }] }] } });
      } finally {
        await server.close();
      }
    });
  });

  describe("behavior", () => {
    it("behavior: GET redirects to GraphiQL, OPTIONS answers CORS, unknown paths say Not found", async () => {
      const h = createQueryHandler({ store, name: "fx" });
      const get = await h(new Request("http://localhost/subgraphs/name/fx"));
      expect(get.status).to.equal(302);
      expect(get.headers.get("location")).to.equal("/subgraphs/name/fx/graphql");
      const ui = await h(new Request("http://localhost/subgraphs/name/fx/graphql"));
      expect(ui.status).to.equal(200);
      expect(ui.headers.get("content-type")).to.match(/text\/html/);
      const opt = await h(new Request("http://localhost/subgraphs/name/fx", { method: "OPTIONS" }));
      expect(opt.status).to.equal(200);
      expect(opt.headers.get("access-control-allow-origin")).to.equal("*");
      const nf = await h(new Request("http://localhost/nowhere"));
      expect(nf.status).to.equal(200);
      expect(await nf.json()).to.deep.equal({ message: "Not found" });
    });
    it("behavior: GraphQL errors are HTTP 200 without data", async () => {
      const h = createQueryHandler({ store, name: "fx" });
      const res = await post(h, "/subgraphs/name/fx", JSON.stringify({ query: "{ accounts(first: 0) { id } }" }));
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ errors: [{ message: "The `first` argument must be between 0 and 1000, but is 0" }] });
    });
    it("behavior: subgraphError deny drops data, allow keeps it, _meta alone has no error", () => {
      const s2 = openFixtureStore();
      try {
        populate(s2);
        s2.fail(blockPtr(6), { message: "boom", block: { number: 6, hash: blockPtr(6).hash }, handler: "handleX", deterministic: true });
        const e = createQueryEngine(s2);
        expect(e.execute({ query: `{ accounts(first: 1) { id } _meta { hasIndexingErrors } }` })).to.deep.equal({
          data: { _meta: { hasIndexingErrors: true } },
          errors: [{ message: "indexing_error" }],
        });
        expect(e.execute({ query: `{ accounts(first: 1, subgraphError: allow) { id } }` })).to.deep.equal({ data: { accounts: [{ id: "10" }] }, errors: [{ message: "indexing_error" }] });
        expect(e.execute({ query: `{ accounts(first: 1, block: { number: 5 }) { id } }` })).to.deep.equal({ data: { accounts: [{ id: "10" }] } });
        expect(e.execute({ query: `{ _meta { block { number } hasIndexingErrors } }` })).to.deep.equal({ data: { _meta: { block: { number: 6 }, hasIndexingErrors: true } } });
      } finally {
        s2.close();
      }
    });
    // graphql/src/store/resolver.rs post_process, graph/src/data/query/result.rs (data omitted when
    // no group has data), graphql/src/execution/query.rs block_constraint (groups by block).
    it("behavior: indexing_error shapes: data omitted under deny, introspection keeps data and gets the error, groups by block", async () => {
      const s2 = openFixtureStore();
      try {
        populate(s2);
        s2.fail(blockPtr(6), { message: "boom", block: { number: 6, hash: blockPtr(6).hash }, handler: "handleX", deterministic: true });
        const e = createQueryEngine(s2);
        expect(e.execute({ query: `{ accounts(first: 1) { id } }` })).to.deep.equal({ errors: [{ message: "indexing_error" }] });
        expect("data" in e.execute({ query: `{ accounts(first: 1) { id } }` })).to.equal(false);
        expect(e.execute({ query: `{ __type(name: "Account") { name } }` })).to.deep.equal({ data: { __type: { name: "Account" } }, errors: [{ message: "indexing_error" }] });
        // An aliased _meta is not a debugging field by its response key: dropped under deny.
        expect(e.execute({ query: `{ m: _meta { hasIndexingErrors } }` })).to.deep.equal({ errors: [{ message: "indexing_error" }] });
        // Two block constraints: the group at block 5 predates the error, the head's group is denied.
        expect(e.execute({ query: `{ old: accounts(first: 1, block: { number: 5 }) { id } now: accounts(first: 1) { id } }` })).to.deep.equal({
          data: { old: [{ id: "10" }] },
          errors: [{ message: "indexing_error" }],
        });
        // One error per affected group.
        expect(e.execute({ query: `{ a: accounts(first: 1, block: { number: 6 }) { id } b: accounts(first: 1) { id } c: accounts(first: 1, block: { number: 6 }) { id } }` })).to.deep.equal({
          errors: [{ message: "indexing_error" }, { message: "indexing_error" }, { message: "indexing_error" }],
        });
        // Within a group, deny wins over allow.
        expect(e.execute({ query: `{ a: accounts(first: 1, subgraphError: allow) { id } b: accounts(first: 1) { id } }` })).to.deep.equal({ errors: [{ message: "indexing_error" }] });
        const h = createQueryHandler({ store: s2, name: "fx" });
        const res = await post(h, "/subgraphs/name/fx", JSON.stringify({ query: `{ accounts(first: 1, subgraphError: allow) { id } }` }));
        expect(res.status).to.equal(200);
        expect(res.headers.get("graph-attestable")).to.equal("false");
      } finally {
        s2.close();
      }
    });
    // core/src/subgraph/runner/mod.rs transact_block_state (errors_are_non_fatal), store/postgres/src/deployment.rs
    // (first_error_block = min block of deterministic errors), store/postgres/src/detail.rs (non_fatal_errors).
    it("behavior: non-fatal errors: unhealthy, listed by the index node, hasIndexingErrors from their block, reverted with it", async () => {
      const s2 = openFixtureStore();
      try {
        populate(s2);
        const err = { message: "boom", block: { number: 6, hash: blockPtr(6).hash }, handler: "handleX", deterministic: true };
        s2.transactBlock(blockPtr(6), [], [], [err]);
        s2.transactBlock(blockPtr(7), [], []);
        const e = createQueryEngine(s2);
        expect(e.execute({ query: `{ _meta { block { number } hasIndexingErrors } }` })).to.deep.equal({ data: { _meta: { block: { number: 7 }, hasIndexingErrors: true } } });
        expect(e.execute({ query: `{ _meta(block: { number: 5 }) { hasIndexingErrors } }` })).to.deep.equal({ data: { _meta: { hasIndexingErrors: false } } });
        expect(e.execute({ query: `{ accounts(first: 1, subgraphError: allow) { id } }` })).to.deep.equal({ data: { accounts: [{ id: "10" }] }, errors: [{ message: "indexing_error" }] });
        expect(e.execute({ query: `{ accounts(first: 1) { id } }` })).to.deep.equal({ errors: [{ message: "indexing_error" }] });
        const h = createIndexNodeHandler({ store: s2, name: "fx" });
        const q = `{ indexingStatuses { health fatalError { message } nonFatalErrors { message block { number hash } handler deterministic } } }`;
        expect(await (await post(h, "/graphql", JSON.stringify({ query: q }))).json()).to.deep.equal({
          data: { indexingStatuses: [{ health: "unhealthy", fatalError: null, nonFatalErrors: [{ message: "boom", block: { number: "6", hash: blockPtr(6).hash }, handler: "handleX", deterministic: true }] }] },
        });
        s2.revertTo(blockPtr(5));
        expect(s2.state().firstErrorBlock).to.equal(null);
        expect(await (await post(h, "/graphql", JSON.stringify({ query: q }))).json()).to.deep.equal({ data: { indexingStatuses: [{ health: "healthy", fatalError: null, nonFatalErrors: [] }] } });
        expect(createQueryEngine(s2).execute({ query: `{ accounts(first: 1) { id } }` })).to.deep.equal({ data: { accounts: [{ id: "10" }] } });
      } finally {
        s2.close();
      }
    });
    it("behavior: index-node reports failure, entity count as string, synced", async () => {
      const s2 = openFixtureStore();
      try {
        populate(s2);
        s2.markSynced(5);
        s2.fail(blockPtr(6), { message: "boom", block: { number: 6, hash: blockPtr(6).hash }, handler: "handleX", deterministic: true });
        const h = createIndexNodeHandler({ store: s2, name: "fx", chainHead: async () => ({ number: 9, hash: blockPtr(9).hash }) });
        const res = await post(h, "/graphql", JSON.stringify({
          query: `{ indexingStatuses(subgraphs: ["${DEPLOYMENT}"]) { subgraph synced health entityCount fatalError { message block { number hash } handler deterministic } chains { network chainHeadBlock { number } earliestBlock { number } latestBlock { number } lastHealthyBlock { number } } node paused historyBlocks } }`,
        }));
        const body = (await res.json()) as { data: { indexingStatuses: unknown[] } };
        expect(body.data.indexingStatuses).to.deep.equal([{
          subgraph: DEPLOYMENT, synced: true, health: "failed", entityCount: "12",
          fatalError: { message: "boom", block: { number: "6", hash: blockPtr(6).hash }, handler: "handleX", deterministic: true },
          chains: [{ network: "hardhat", chainHeadBlock: { number: "9" }, earliestBlock: { number: "1" }, latestBlock: { number: "6" }, lastHealthyBlock: { number: "5" } }],
          node: "default", paused: false, historyBlocks: 2147483647,
        }]);
        const none = await post(h, "/graphql", JSON.stringify({ query: `{ indexingStatuses(subgraphs: ["QmOther"]) { subgraph } }` }));
        expect(await none.json()).to.deep.equal({ data: { indexingStatuses: [] } });
      } finally {
        s2.close();
      }
    });
  });

  describe("error", () => {
    const h = () => createQueryHandler({ store, name: "fx" });
    it("error: missing Content-Type is 400", async () => {
      const res = await h()(new Request("http://localhost/subgraphs/name/fx", { method: "POST", body: new TextEncoder().encode("{}") }));
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({ error: "Content-Type header is required" });
    });
    // server/http/src/service.rs: client_error() for the two header checks, ServerError::ClientError
    // (Display "GraphQL server error (client error): …") for request.rs parse_graphql_request.
    it("error: empty body, bad JSON, non-object, missing or non-string query, bad variables are 400 with {error}", async () => {
      const empty = await post(h(), "/subgraphs/name/fx", null);
      expect(empty.status).to.equal(400);
      expect(await empty.json()).to.deep.equal({ error: "Body is required" });
      const bad = await post(h(), "/subgraphs/name/fx", "{nope");
      expect(bad.status).to.equal(400);
      expect(((await bad.json()) as { error: string }).error).to.match(/^GraphQL server error \(client error\): /);
      const cases: Array<[unknown, string]> = [
        [[1], "Request data is not an object"],
        [{ variables: {} }, 'The "query" field is missing in request data'],
        [{ query: 1 }, 'The "query" field is not a string'],
        [{ query: "{ _meta { deployment } }", variables: [1] }, "Invalid query variables provided"],
      ];
      for (const [body, message] of cases) {
        const res = await post(h(), "/subgraphs/name/fx", JSON.stringify(body));
        expect(res.status).to.equal(400);
        expect(await res.json()).to.deep.equal({ error: `GraphQL server error (client error): ${message}` });
      }
    });
    // server/http/src/service.rs handle_graphql_query: a GraphQL parse error is a QueryResult (200), not indexed.
    it("error: a GraphQL parse error is HTTP 200 with locations first, graph-indexed null", async () => {
      const res = await post(h(), "/subgraphs/name/fx", JSON.stringify({ query: "{ accounts { id }" }));
      expect(res.status).to.equal(200);
      expect(res.headers.get("graph-indexed")).to.equal("null");
      const text = await res.text();
      expect(text).to.match(/^\{"errors":\[\{"locations":\[\{"line":1,"column":\d+\}\],"message":/);
    });
    it("error: a query before the first block says the subgraph has not started syncing", () => {
      const s3 = openFixtureStore();
      try {
        expect(createQueryEngine(s3).execute({ query: "{ accounts { id } }" })).to.deep.equal({
          errors: [{ message: `Subgraph \`${DEPLOYMENT}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it` }],
        });
      } finally {
        s3.close();
      }
    });
  });
});
