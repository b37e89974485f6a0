import type { Plugin } from "graphql-yoga";
import type { DefinitionNode, DocumentNode, SelectionNode } from "graphql";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getState } from "./state";

export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"route">;
  operations: Counter<"operation" | "type" | "outcome">;
  subgraphQueries: Histogram<"operation" | "ok">;
  rateLimited: Counter<never>;
}

/** A registry of its own per app (tests build many apps in one process). */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "tantieme_api_" });
  return {
    registry,
    httpRequests: new Counter({ name: "tantieme_api_http_requests_total", help: "HTTP requests", labelNames: ["method", "route", "status"], registers: [registry] }),
    httpDuration: new Histogram({ name: "tantieme_api_http_request_duration_seconds", help: "HTTP request duration", labelNames: ["route"], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry] }),
    operations: new Counter({ name: "tantieme_api_graphql_operations_total", help: "GraphQL operations by root field", labelNames: ["operation", "type", "outcome"], registers: [registry] }),
    subgraphQueries: new Histogram({ name: "tantieme_api_subgraph_query_duration_seconds", help: "Subgraph queries", labelNames: ["operation", "ok"], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [registry] }),
    rateLimited: new Counter({ name: "tantieme_api_rate_limited_total", help: "Requests refused by rate limits", registers: [registry] }),
  };
}

const ROUTES = new Set(["/graphql", "/healthz", "/readyz", "/metrics"]);

export function useMetrics({ metrics }: { metrics: ApiMetrics }): Plugin {
  return {
    onResponse({ request, response }) {
      const path = new URL(request.url, "http://localhost").pathname;
      const route = ROUTES.has(path) ? path : path.startsWith("/ipfs/") ? "/ipfs" : "other";
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.status) });
      const s = getState(request);
      if (s) metrics.httpDuration.observe({ route }, (performance.now() - s.started) / 1000);
    },
    onExecute({ args }) {
      const op = (args.document as DocumentNode).definitions.find((d: DefinitionNode) => d.kind === "OperationDefinition");
      const type = op && "operation" in op ? op.operation : "query";
      const fields = op && "selectionSet" in op ? op.selectionSet.selections.map((s: SelectionNode) => ("name" in s ? s.name.value : "fragment")) : [];
      const state = getState((args.contextValue as { request: Request }).request);
      if (state) state.operationName = fields.join(",");
      return {
        onExecuteDone({ result }) {
          const outcome = "errors" in result && result.errors && result.errors.length > 0 ? "error" : "ok";
          for (const f of fields) metrics.operations.inc({ operation: f, type, outcome });
        },
      };
    },
  };
}
