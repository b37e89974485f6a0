/**
 * graph-node's index-node status API (server/index-node/src/schema.graphql, resolver.rs):
 * POST /graphql with indexingStatuses and indexingStatusForCurrentVersion.
 */
import { buildSchema, graphql } from "graphql";
import type { SqliteEntityStore } from "../store/sqlite";
import { CORS, GRAPHIQL_HTML, json, type FetchHandler } from "../http/fetch";

const INDEX_NODE_SDL = `
scalar BigInt
scalar Bytes
enum Health { healthy unhealthy failed }
type Block { hash: Bytes! number: BigInt! }
type SubgraphError { message: String! block: Block handler: String deterministic: Boolean! }
type EthereumIndexingStatus { network: String! chainHeadBlock: Block earliestBlock: Block latestBlock: Block lastHealthyBlock: Block }
type SubgraphIndexingStatus {
  subgraph: String!
  synced: Boolean!
  health: Health!
  entityCount: BigInt!
  fatalError: SubgraphError
  nonFatalErrors: [SubgraphError!]!
  chains: [EthereumIndexingStatus!]!
  node: String
  paused: Boolean
  historyBlocks: Int!
}
type Query {
  indexingStatuses(subgraphs: [String!]): [SubgraphIndexingStatus!]!
  indexingStatusForCurrentVersion(subgraphName: String!): SubgraphIndexingStatus
}
`;

export interface ChainHead {
  number: number;
  hash: string;
}

export interface CreateIndexNodeHandlerParameters {
  store: SqliteEntityStore;
  name: string;
  /** Current chain head, from the indexer's chain follower. */
  chainHead?: () => ChainHead | null | Promise<ChainHead | null>;
  node?: string;
}

/** POST /graphql with graph-node's index-node schema (indexingStatuses). */
export function createIndexNodeHandler(params: CreateIndexNodeHandlerParameters): FetchHandler {
  const schema = buildSchema(INDEX_NODE_SDL);
  const status = async () => {
    const st = params.store.state();
    const head = params.chainHead ? await params.chainHead() : null;
    const block = (n: number | null | undefined, hash: string | null | undefined) => (n === null || n === undefined ? null : { number: String(n), hash: hash ?? null });
    const fatal = st.fatalError;
    const nonFatal = params.store.nonFatalErrors();
    const errorOut = (e: { message: string; block: { number: number; hash: string }; handler: string | null; deterministic: boolean }) => ({
      message: e.message,
      block: block(e.block.number, e.block.hash),
      handler: e.handler,
      deterministic: e.deterministic,
    });
    return {
      subgraph: params.store.deploymentId,
      synced: st.syncedAt !== null,
      // graph/src/data/subgraph/schema.rs SubgraphHealth: failed with a fatal error, unhealthy with non-fatal ones.
      health: fatal ? "failed" : nonFatal.length ? "unhealthy" : "healthy",
      entityCount: String(st.entityCount),
      fatalError: fatal ? errorOut(fatal) : null,
      nonFatalErrors: nonFatal.map(errorOut),
      chains: [
        {
          network: params.store.network,
          chainHeadBlock: head ? block(head.number, head.hash) : null,
          earliestBlock: block(st.earliestBlock, params.store.blockHash(st.earliestBlock) ?? "0x0"),
          latestBlock: st.head ? block(st.head.number, st.head.hash) : null,
          lastHealthyBlock: fatal ? (st.head && fatal.block.number > 0 ? block(fatal.block.number - 1, params.store.blockHash(fatal.block.number - 1)) : null) : null,
        },
      ],
      node: params.node ?? "default",
      paused: false,
      historyBlocks: 2147483647,
    };
  };
  const root = {
    indexingStatuses: async ({ subgraphs }: { subgraphs?: string[] | null }) =>
      !subgraphs || subgraphs.includes(params.store.deploymentId) ? [await status()] : [],
    indexingStatusForCurrentVersion: async ({ subgraphName }: { subgraphName: string }) => (subgraphName === params.name ? status() : null),
  };
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    if (request.method === "OPTIONS") return new Response(null, { status: 200, headers: CORS });
    if (path !== "/graphql") return json(200, { message: "Not found" });
    if (request.method === "GET") return new Response(GRAPHIQL_HTML("/graphql"), { status: 200, headers: { "content-type": "text/html; charset=utf-8", ...CORS } });
    if (request.method !== "POST") return json(200, { message: "Not found" });
    const text = await request.text();
    if (!text.trim()) return json(400, { error: "Body is required" });
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(text) as { query?: unknown; variables?: unknown };
    } catch (e) {
      return json(400, { error: `Invalid JSON body: ${(e as Error).message}` });
    }
    if (typeof body?.query !== "string") return json(400, { error: 'The "query" field is missing in request data' });
    const result = await graphql({ schema, source: body.query, rootValue: root, variableValues: (body.variables as Record<string, unknown>) ?? undefined });
    return json(200, { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}) })) } : {}) });
  };
}

