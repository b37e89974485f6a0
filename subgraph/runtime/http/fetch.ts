/**
 * The HTTP plumbing shared by graph-node's two query surfaces (server/http and server/index-node):
 * fetch-style handlers, CORS headers, JSON responses, the small query page, and a node:http adapter.
 */
import * as http from "node:http";

export type FetchHandler = (request: Request) => Promise<Response>;

export const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "Content-Type, User-Agent",
  "access-control-allow-methods": "GET, OPTIONS, POST",
};

export function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...CORS, ...extra } });
}

export const GRAPHIQL_HTML = (endpoint: string) => `<!doctype html>
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

async function toRequest(req: http.IncomingMessage, host: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const method = req.method ?? "GET";
  return new Request(`http://${host}${req.url ?? "/"}`, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks) });
}

export function serve(handler: FetchHandler, port: number, host: string): Promise<http.Server> {
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

