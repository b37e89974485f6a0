import fs from "node:fs/promises";
import path from "node:path";
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
  /** The built web app served at `/` (default: web/dist of this repository); null turns it off. */
  webDir?: string | null;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

/**
 * The non-GraphQL routes: `/healthz` (the process answers), `/readyz` (subgraph, RPC and IPFS
 * reachable; 503 naming what is not), `/metrics` (Prometheus), `/ipfs/<cid>` (read-only gateway),
 * and the web app (web/dist) at `/` for every other GET: its hashed assets cached for a year,
 * index.html never cached and answered for every app path (the app routes in the browser).
 */
export function useRoutes(options: UseRoutesOptions): Plugin {
  const timeoutMs = options.readinessTimeoutMs ?? 3000;
  const web = options.webDir === null ? null : createWebApp(options.webDir ?? path.resolve(__dirname, "..", "..", "..", "web", "dist"));
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
      if (web && (request.method === "GET" || request.method === "HEAD") && !path.startsWith("/graphql") && !path.startsWith("/__yoga")) {
        const res = await web(path, request);
        if (res) return endResponse(res);
      }
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** The app's pages load only its own scripts and talk only to this server (wallets are extensions, outside the page's CSP). */
const CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * Serves the built web app from `dir`: files by path (never outside `dir`), `assets/*` (content-hashed
 * names) immutable for a year, and index.html — no-cache — for any path without a file extension
 * (the SPA fallback). Answers 503 for app paths while the app is not built, 404 for missing files.
 */
export function createWebApp(dir: string): (pathname: string, request: Request) => Promise<Response | null> {
  const root = path.resolve(dir);
  const file = async (rel: string): Promise<{ body: Buffer; mtime: Date } | null> => {
    const full = path.resolve(root, "." + path.posix.normalize("/" + rel));
    if (full !== root && !full.startsWith(root + path.sep)) return null;
    try {
      const st = await fs.stat(full);
      if (!st.isFile()) return null;
      return { body: await fs.readFile(full), mtime: st.mtime };
    } catch {
      return null;
    }
  };
  return async (pathname, request) => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return new Response("bad path", { status: 400 });
    }
    if (rel.includes("\0")) return new Response("bad path", { status: 400 });
    const ext = path.posix.extname(rel).toLowerCase();
    const isAsset = rel.startsWith("/assets/");
    const found = rel !== "/" && ext ? await file(rel) : null;
    if (found) {
      const headers: Record<string, string> = {
        "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
        "cache-control": isAsset ? "public, max-age=31536000, immutable" : "public, max-age=300",
        "x-content-type-options": "nosniff",
        "last-modified": found.mtime.toUTCString(),
      };
      return new Response(request.method === "HEAD" ? null : new Uint8Array(found.body), { status: 200, headers });
    }
    if (ext || isAsset) return null; // a missing file: the 404 of the rest of the server
    const index = await file("/index.html");
    if (!index) return new Response("The web app is not built yet: run `npm run web:build` (npm start builds it).\n", { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    return new Response(request.method === "HEAD" ? null : new Uint8Array(index.body), {
      status: 200,
      headers: { "content-type": CONTENT_TYPES[".html"]!, "cache-control": "no-cache", "x-content-type-options": "nosniff", "content-security-policy": CSP, "referrer-policy": "same-origin" },
    });
  };
}
