import crypto from "node:crypto";
import type { Logger } from "pino";
import type { Plugin } from "graphql-yoga";
import { getState, setState } from "./state";

export interface UseRequestLogOptions {
  logger: Logger;
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * A request id per request (the caller's `x-request-id` when well-formed, else a UUID), a child
 * logger carrying it, the id echoed in the response, and one structured log line per request.
 */
export function useRequestLog({ logger }: UseRequestLogOptions): Plugin {
  return {
    onRequest({ request, url }) {
      const incoming = request.headers.get("x-request-id");
      const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
      setState(request, { requestId, log: logger.child({ requestId }), principal: null, started: performance.now() });
      void url;
    },
    onResponse({ request, response }) {
      const s = getState(request);
      if (!s) return;
      response.headers.set("x-request-id", s.requestId);
      const url = new URL(request.url, "http://localhost");
      const ms = Math.round((performance.now() - s.started) * 10) / 10;
      const entry = { method: request.method, path: url.pathname, status: response.status, ms, key: s.principal?.keyId, operation: s.operationName };
      // 503 is an upstream (subgraph, RPC, IPFS) outage, answered as UPSTREAM_UNAVAILABLE: warn.
      if (response.status >= 500 && response.status !== 503) s.log.error(entry, "request failed");
      else if (response.status === 503) s.log.warn(entry, "request failed upstream");
      else s.log.info(entry, "request");
    },
  };
}
