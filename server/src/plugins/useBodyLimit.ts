import type { Plugin } from "graphql-yoga";
import { errorResponse } from "../errors";
import { getState, moveState } from "./state";
import { BaseError } from "../../../core/errors";

export interface UseBodyLimitOptions {
  /** JSON / GraphQL bodies. */
  maxBytes: number;
  /** multipart/form-data (uploads). */
  maxUploadBytes: number;
  /**
   * JSON / GraphQL bodies of requests without an API key (ANON_BODY_LIMIT_BYTES). What an
   * anonymous caller may do (queries within QUERY_MAX_TOKENS, a signed transaction) fits in a few
   * KB; bulk checks and uploads need a key. Defaults to `maxBytes`.
   */
  maxAnonymousBytes?: number;
}

class BodyTooLargeError extends BaseError<{ limit: number }> {
  override readonly name = "BodyTooLargeError" as const;
  readonly code = "PAYLOAD_TOO_LARGE" as const;
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`, { limit });
  }
}

/**
 * Refuses request bodies over the limit with 413 PAYLOAD_TOO_LARGE: at once from Content-Length,
 * and while streaming for chunked bodies (the stream errors once the limit is passed).
 */
export function useBodyLimit({ maxBytes, maxUploadBytes, maxAnonymousBytes = maxBytes }: UseBodyLimitOptions): Plugin {
  return {
    onRequest({ request, setRequest, endResponse }) {
      if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
      const multipart = (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
      const anonymous = !multipart && !getState(request)?.principal && maxAnonymousBytes < maxBytes;
      const limit = multipart ? maxUploadBytes : anonymous ? maxAnonymousBytes : maxBytes;
      const setting = multipart ? "UPLOAD_LIMIT_BYTES" : anonymous ? "ANON_BODY_LIMIT_BYTES, without an API key" : "BODY_LIMIT_BYTES";
      // Refused from Content-Length, the body is never read: the connection cannot carry another request.
      const tooLarge = () => errorResponse("PAYLOAD_TOO_LARGE", `request body exceeds ${limit} bytes (${setting})`, { connection: "close" });
      const declared = request.headers.get("content-length");
      if (declared !== null) {
        const n = Number(declared);
        if (!Number.isFinite(n) || n < 0) return endResponse(errorResponse("BAD_USER_INPUT", "invalid Content-Length", { connection: "close" }));
        if (n > limit) return endResponse(tooLarge());
        return;
      }
      if (!request.body) return;
      let seen = 0;
      const limited = request.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            seen += chunk.byteLength;
            if (seen > limit) controller.error(new BodyTooLargeError(limit));
            else controller.enqueue(chunk);
          },
        }),
      );
      const replacement = new Request(request.url, { method: request.method, headers: request.headers, body: limited, signal: request.signal, duplex: "half" } as RequestInit);
      moveState(request, replacement);
      setRequest(replacement);
    },
  };
}
