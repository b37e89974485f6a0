import type { Plugin } from "graphql-yoga";
import type { GatewayHandler } from "../ipfs/gateway";
import type { ApiMetrics } from "./useMetrics";

export interface ReadinessCheck {
  name: string;
  check: (signal: AbortSignal) => Promise<string | void>;
}

export interface UseRoutesOptions {
  metrics: ApiMetrics;
  gateway: GatewayHandler;
  readiness: ReadinessCheck[];
  readinessTimeoutMs?: number;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

/**
 * The non-GraphQL routes: `/healthz` (the process answers), `/readyz` (subgraph, RPC and IPFS
 * reachable; 503 naming what is not), `/metrics` (Prometheus), `/ipfs/<cid>` (read-only gateway).
 */
export function useRoutes(options: UseRoutesOptions): Plugin {
  const timeoutMs = options.readinessTimeoutMs ?? 3000;
  return {
    async onRequest({ request, url, endResponse }) {
      const path = url.pathname;
      if (path === "/healthz") return endResponse(json(200, { status: "ok" }));
      if (path === "/readyz") {
        const results = await Promise.all(
          options.readiness.map(async (r) => {
            const signal = AbortSignal.timeout(timeoutMs);
            try {
              const detail = await Promise.race([
                r.check(signal),
                new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error(`no answer within ${timeoutMs} ms`)))),
              ]);
              return [r.name, { ok: true, ...(detail ? { detail } : {}) }] as const;
            } catch (err) {
              return [r.name, { ok: false, error: (err as Error).message }] as const;
            }
          }),
        );
        const ready = results.every(([, r]) => r.ok);
        return endResponse(json(ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks: Object.fromEntries(results) }));
      }
      if (path === "/metrics") {
        const body = await options.metrics.registry.metrics();
        return endResponse(new Response(body, { status: 200, headers: { "content-type": options.metrics.registry.contentType } }));
      }
      if (path === "/ipfs" || path.startsWith("/ipfs/")) return endResponse(await options.gateway(request));
    },
  };
}
