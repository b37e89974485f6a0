/**
 * graph-node's HTTP surface (server/http/src/service.rs, request.rs) as fetch-style handlers,
 * plus the index-node status API (server/index-node) and a node:http server for both.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, graphql } from "graphql";
import type { SqliteEntityStore } from "../store/sqlite";
import { createQueryEngine, type QueryEngine } from "./execute";

export type FetchHandler = (request: Request) => Promise<Response>;

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "Content-Type, User-Agent",
  "access-control-allow-methods": "GET, OPTIONS, POST",
};

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...CORS, ...extra } });
}

export interface CreateQueryHandlerParameters {
  store: SqliteEntityStore;
  /** Subgraph name served at /subgraphs/name/<name>. */
  name: string;
  engine?: QueryEngine;
}

const GRAPHIQL_HTML = (endpoint: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>GraphiQL</title>
<style>body{font-family:monospace;margin:0;display:flex;height:100vh}textarea,pre{flex:1;margin:0;padding:1em;border:0;font:13px monospace}textarea{border-right:1px solid #ccc}button{position:fixed;top:8px;left:45%}</style></head>
<body><textarea id="q">{\n  _meta { block { number hash } deployment hasIndexingErrors }\n}</textarea><pre id="r"></pre>
<button id="run">Run ▶</button>
<script>
document.getElementById("run").onclick = async () => {
  const res = await fetch(${JSON.stringify(endpoint)}, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({query: document.getElementById("q").value})});
  document.getElementById("r").textContent = JSON.stringify(await res.json(), null, 2);
};
</script></body></html>`;

/** POST /subgraphs/name/<name> and /subgraphs/id/<deployment>, GET → GraphiQL, OPTIONS → CORS. */
export function createQueryHandler(params: CreateQueryHandlerParameters): FetchHandler {
  const engine = params.engine ?? createQueryEngine(params.store);
  const bases = [`/subgraphs/name/${params.name}`, `/subgraphs/id/${params.store.deploymentId}`];
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    const base = bases.find((b) => path === b || path === `${b}/graphql`);
    if (request.method === "OPTIONS") return new Response(null, { status: 200, headers: CORS });
    if (!base) {
      if (path.startsWith("/subgraphs/name/") || path.startsWith("/subgraphs/id/")) {
        const which = path.startsWith("/subgraphs/name/") ? path.slice("/subgraphs/name/".length) : path.slice("/subgraphs/id/".length);
        return json(200, { errors: [{ message: `subgraph not found: ${which.replace(/\/graphql$/, "")}` }] });
      }
      if (path === "" || path === "/") return new Response("Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>", { status: 200, headers: CORS });
      return json(200, { message: "Not found" });
    }
    if (request.method === "GET") {
      if (path === base) return new Response(null, { status: 302, headers: { location: `${base}/graphql`, ...CORS } });
      return new Response(GRAPHIQL_HTML(base), { status: 200, headers: { "content-type": "text/html; charset=utf-8", ...CORS } });
    }
    if (request.method !== "POST") return json(200, { message: "Not found" });
    if (!request.headers.get("content-type")) return json(400, { error: "Content-Type header is required" });
    const text = await request.text();
    if (!text.trim()) return json(400, { error: "Body is required" });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return json(400, { error: `Invalid JSON body: ${(e as Error).message}` });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return json(400, { error: "Request body must be a JSON object" });
    const { query, variables } = body as { query?: unknown; variables?: unknown };
    if (typeof query !== "string") return json(400, { error: 'The "query" field is missing in request data' });
    if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
      return json(400, { error: 'The "variables" field must be an object or null' });
    }
    const result = engine.execute({ query, variables: (variables as Record<string, unknown> | null | undefined) ?? null });
    const head = params.store.state().head;
    return json(200, result, { "graph-attestable": "true", ...(head ? { "graph-indexed": String(head.number) } : {}) });
  };
}

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
    return {
      subgraph: params.store.deploymentId,
      synced: st.syncedAt !== null,
      health: fatal ? "failed" : "healthy",
      entityCount: String(st.entityCount),
      fatalError: fatal ? { message: fatal.message, block: block(fatal.block.number, fatal.block.hash), handler: fatal.handler, deterministic: fatal.deterministic } : null,
      nonFatalErrors: [],
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

async function toRequest(req: http.IncomingMessage, host: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const method = req.method ?? "GET";
  return new Request(`http://${host}${req.url ?? "/"}`, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks) });
}

function serve(handler: FetchHandler, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    toRequest(req, `${host}:${port}`)
      .then(handler)
      .then(async (response) => {
        const headers: Record<string, string> = {};
        response.headers.forEach((v, k) => (headers[k] = v));
        res.writeHead(response.status, headers);
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((err: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ message: err instanceof Error ? err.message : String(err) }] }));
      });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

export interface StartQueryServerParameters {
  store: SqliteEntityStore;
  name: string;
  /** GraphQL port (graph-node: 8000); 0 picks a free one. */
  port: number;
  /** Index-node status port (graph-node: 8030); omit to not serve it. */
  statusPort?: number;
  host?: string;
  chainHead?: CreateIndexNodeHandlerParameters["chainHead"];
}

export interface QueryServer {
  url: string;
  port: number;
  statusUrl: string | null;
  statusPort: number | null;
  close(): Promise<void>;
}

export async function startQueryServer(params: StartQueryServerParameters): Promise<QueryServer> {
  const host = params.host ?? "127.0.0.1";
  const main = await serve(createQueryHandler({ store: params.store, name: params.name }), params.port, host);
  const port = (main.address() as AddressInfo).port;
  let status: http.Server | null = null;
  if (params.statusPort !== undefined) {
    status = await serve(createIndexNodeHandler({ store: params.store, name: params.name, chainHead: params.chainHead }), params.statusPort, host);
  }
  const statusPort = status ? (status.address() as AddressInfo).port : null;
  const close = (s: http.Server) => new Promise<void>((r) => s.close(() => r()));
  return {
    url: `http://${host}:${port}/subgraphs/name/${params.name}`,
    port,
    statusUrl: status ? `http://${host}:${statusPort}/graphql` : null,
    statusPort,
    async close() {
      main.closeAllConnections();
      await close(main);
      if (status) {
        status.closeAllConnections();
        await close(status);
      }
    },
  };
}
