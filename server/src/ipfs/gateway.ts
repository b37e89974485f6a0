import type { CID } from "multiformats/cid";
import { SNIFF_BYTES, sniffMime } from "../../../core/metadata/mime";
import { parseCid } from "../../../core/content/cid";
import { ContentNotFoundError, InvalidCidError, IpfsError, NotAFileError } from "../../../core/content/errors";
import type { ContentStore } from "../../../core/content/types";

export type GatewayHandler = (request: Request) => Promise<Response>;

export interface GatewayOptions {
  /** URL path prefix the handler owns (default "/ipfs"). */
  prefix?: string;
  /** Called with unexpected errors (which are answered with a bare 500). */
  onError?: (error: unknown) => void;
}

const IMMUTABLE = "public, max-age=29030400, immutable";

/**
 * A read-only path gateway over a ContentStore, as a WHATWG fetch handler: mount it in
 * graphql-yoga/@whatwg-node or wrap it for node:http. Serves GET/HEAD `<prefix>/<cid>` (a file
 * CID; a trailing slash is tolerated) with byte ranges, a sniffed Content-Type, ETag = "<cid>",
 * If-None-Match / If-Range, immutable caching. Everything else is refused: other prefixes (404),
 * sub-paths and dot segments (404/400), other methods (405).
 */
export function createGatewayHandler(store: ContentStore, options: GatewayOptions = {}): GatewayHandler {
  const prefix = `/${(options.prefix ?? "/ipfs").replace(/^\/+|\/+$/g, "")}/`;

  return async function gateway(request: Request): Promise<Response> {
    // The raw path, before URL normalisation resolves dot segments: a request that needs them
    // resolved is trying to leave the prefix and is refused, not rewritten.
    const rawPath = rawPathOf(request.url);
    if (rawPath === null) return problem(400, "bad request URL");
    if (!rawPath.startsWith(prefix)) return problem(404, "not found");
    const segments = rawPath.slice(prefix.length).split("/");
    const decoded: string[] = [];
    for (const segment of segments) {
      let d: string;
      try {
        d = decodeURIComponent(segment);
      } catch {
        return problem(400, "malformed percent-encoding in path");
      }
      if (d === "." || d === ".." || /[\\/\0]/.test(d)) return problem(400, "path traversal refused");
      decoded.push(d);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return problem(405, "method not allowed", { Allow: "GET, HEAD" });
    }
    const [cidText, ...rest] = decoded;
    // `/ipfs/<cid>` or `/ipfs/<cid>/`; files have no children.
    if (rest.length > 1 || (rest.length === 1 && rest[0] !== "")) return problem(404, "not found: only file CIDs are served");

    let cid: CID;
    try {
      cid = parseCid(cidText, "path");
    } catch (err) {
      if (err instanceof InvalidCidError) return problem(400, err.message);
      throw err;
    }

    try {
      return await serve(store, cid, request);
    } catch (err) {
      if (err instanceof ContentNotFoundError) return problem(404, `${cid.toString()} not found`);
      if (err instanceof NotAFileError) return problem(404, `${cid.toString()} is not a file`);
      if (err instanceof IpfsError && err.code === "IPFS_INVALID_CID") return problem(400, err.message);
      options.onError?.(err);
      return problem(500, "internal error");
    }
  };
}

async function serve(store: ContentStore, cid: CID, request: Request): Promise<Response> {
  const etag = `"${cid.toString()}"`;
  const head = await readHead(store, cid);
  const size = head.size;
  const contentType = contentTypeOf(head.bytes, size);
  const headers: Record<string, string> = {
    ETag: etag,
    "Cache-Control": IMMUTABLE,
    "Accept-Ranges": "bytes",
    "Content-Type": contentType,
    "X-Content-Type-Options": "nosniff",
    // Stored SVG (or anything) must not run script in the API's origin.
    "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
    "X-Ipfs-Path": `/ipfs/${cid.toString()}`,
  };

  if (matchesEtag(request.headers.get("if-none-match"), cid)) {
    return new Response(null, { status: 304, headers: withoutBodyHeaders(headers) });
  }

  let range: { start: number; end: number } | "unsatisfiable" | null = null;
  const rangeHeader = request.headers.get("range");
  const ifRange = request.headers.get("if-range");
  if (rangeHeader !== null && (ifRange === null || matchesEtag(ifRange, cid))) {
    range = parseRange(rangeHeader, size);
  }
  if (range === "unsatisfiable") {
    return new Response(null, {
      status: 416,
      headers: { ...withoutBodyHeaders(headers), "Content-Range": `bytes */${size}`, "Content-Length": "0" },
    });
  }

  const start = range?.start ?? 0;
  const length = range ? range.end - range.start + 1 : size;
  if (range) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${size}`;
  headers["Content-Length"] = String(length);
  const status = range ? 206 : 200;
  if (request.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  return new Response(toReadableStream(store.cat(cid, { offset: start, length, signal: request.signal })), { status, headers });
}

/** The size (root block only) and the first bytes, for the Content-Type. */
async function readHead(store: ContentStore, cid: CID): Promise<{ bytes: Uint8Array; size: number }> {
  const size = await store.size(cid);
  if (size === 0) return { bytes: new Uint8Array(0), size };
  const chunks: Uint8Array[] = [];
  let got = 0;
  for await (const chunk of store.cat(cid, { offset: 0, length: Math.min(size, SNIFF_BYTES) })) {
    chunks.push(chunk);
    got += chunk.byteLength;
  }
  const bytes = new Uint8Array(got);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, size };
}

function contentTypeOf(head: Uint8Array, size: number): string {
  const mime = sniffMime(head, { complete: head.byteLength === size });
  if (mime === undefined) return "application/octet-stream";
  if (mime === "text/plain" || mime === "application/json" || mime === "image/svg+xml") return `${mime}; charset=utf-8`;
  return mime;
}

function matchesEtag(header: string | null, cid: CID): boolean {
  if (header === null) return false;
  const want = cid.toString();
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === `"${want}"` || t === `W/"${want}"`;
  });
}

/** One range (`a-b`, `a-`, `-n`); several ranges or a malformed header → serve the whole file. */
function parseRange(header: string, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, a, b] = m;
  if (a === "" && b === "") return null;
  if (a === "") {
    const n = Number(b);
    if (n === 0) return "unsatisfiable";
    return size === 0 ? "unsatisfiable" : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== "" && Number(b) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

function rawPathOf(url: string): string | null {
  // Scheme + authority, then the path up to ? or #.
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  if (m) return m[1] || "/";
  if (url.startsWith("/")) return url.split(/[?#]/)[0]!;
  return null;
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const { "Content-Type": _t, ...rest } = headers;
  return rest;
}

function problem(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { status, message } }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...extra },
  });
}

function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
