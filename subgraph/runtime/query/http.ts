/**
 * graph-node's subgraph query endpoint (server/http/src/service.rs, request.rs) as a fetch-style
 * handler: POST /subgraphs/name/<name> and /subgraphs/id/<deployment>, GET → query page, OPTIONS → CORS.
 */
import type { SqliteEntityStore } from "../store/sqlite";
import { CORS, GRAPHIQL_HTML, json, type FetchHandler } from "../http/fetch";
import { createQueryEngine, type QueryEngine } from "./execute";

export interface CreateQueryHandlerParameters {
  store: SqliteEntityStore;
  /** Subgraph name served at /subgraphs/name/<name>. */
  name: string;
  engine?: QueryEngine;
}

/** A request graph-node rejects before running it (server/http/src/service.rs ServerError::ClientError). */
function clientError(message: string): Response {
  return json(400, { error: `GraphQL server error (client error): ${message}` });
}

/** POST /subgraphs/name/<name> and /subgraphs/id/<deployment>, GET → GraphiQL, OPTIONS → CORS. */
export function createQueryHandler(params: CreateQueryHandlerParameters): FetchHandler {
  const engine = params.engine ?? createQueryEngine(params.store);
  const bases = [`/subgraphs/name/${params.name}`, `/subgraphs/id/${params.store.deploymentId}`];
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    const base = bases.find((b) => path === b || path === `${b}/graphql`);
    if (request.method === "OPTIONS") return new Response("", { status: 200, headers: { ...CORS, "content-type": "text/html; charset=utf-8" } });
    if (!base) {
      if (path.startsWith("/subgraphs/name/") || path.startsWith("/subgraphs/id/")) {
        const which = path.startsWith("/subgraphs/name/") ? path.slice("/subgraphs/name/".length) : path.slice("/subgraphs/id/".length);
        return json(200, { errors: [{ message: `subgraph not found: ${which.replace(/\/graphql$/, "")}` }] });
      }
      if (path === "" || path === "/") return new Response("Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>", { status: 200, headers: CORS });
      return json(200, { message: "Not found" });
    }
    if (request.method === "GET") {
      if (path === base) return new Response("Redirecting...", { status: 302, headers: { location: `${base}/graphql`, "content-type": "text/plain; charset=utf-8", ...CORS } });
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
      return clientError(`Invalid JSON body: ${(e as Error).message}`);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return clientError("Request data is not an object");
    const { query, variables } = body as { query?: unknown; variables?: unknown };
    if (query === undefined) return clientError('The "query" field is missing in request data');
    if (typeof query !== "string") return clientError('The "query" field is not a string');
    if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
      return clientError("Invalid query variables provided");
    }
    const out = engine.run({ query, variables: (variables as Record<string, unknown> | null | undefined) ?? null });
    return json(200, out.result, { "graph-attestable": String(out.attestable), "graph-indexed": JSON.stringify(out.indexed) });
  };
}

