import type { Plugin } from "graphql-yoga";
import type { ApiKeyStore } from "../auth/keys";
import type { Clock } from "../clock";
import type { RateLimit } from "../config";
import { errorResponse } from "../errors";
import { getState } from "./state";
import { Buckets, clientAddress } from "./useRateLimit";

export interface UseApiKeyOptions {
  store: ApiKeyStore;
  /** Wrong keys allowed per client address (a token bucket of failures). */
  failures: RateLimit;
  clock: Clock;
  onLimited?: (who: string) => void;
}

/**
 * The presented key: `x-api-key: tk_…` or `Authorization: Bearer tk_…`. A bearer token without the
 * `tk_` prefix is not an API key (the delivery routes carry their SIWE session that way) and is left
 * to whoever issued it.
 */
export function presentedKey(request: Request): string | null {
  const header = request.headers.get("x-api-key");
  if (header) return header.trim();
  const auth = request.headers.get("authorization");
  if (!auth || !/^bearer\s+/i.test(auth)) return null;
  const token = auth.replace(/^bearer\s+/i, "").trim();
  return token.startsWith("tk_") ? token : null;
}

/**
 * Authenticates the API key, if one is presented: a wrong, unknown or disabled key is refused at
 * once with 401 UNAUTHENTICATED (never silently downgraded to anonymous). Requests without a key
 * are anonymous; resolvers that need a scope say so (requireScope).
 *
 * Wrong keys are counted per client address: once an address has used up its failures
 * (AUTH_FAILURE_BURST, refilled at AUTH_FAILURE_PER_MIN), its keyed requests get 429 RATE_LIMITED
 * with Retry-After, before the key is even checked, until the bucket refills.
 */
export function useApiKey({ store, failures, clock, onLimited }: UseApiKeyOptions): Plugin {
  const buckets = new Buckets(clock);
  return {
    onRequest({ request, serverContext, endResponse }) {
      const key = presentedKey(request);
      if (key === null) return;
      const who = `auth:${clientAddress(serverContext)}`;
      const bucket = buckets.get(who, failures);
      if (!bucket.has(clock.now())) {
        const r = bucket.take(clock.now());
        const retry = r.ok ? 1 : r.retryAfterS;
        onLimited?.(who);
        return endResponse(errorResponse("RATE_LIMITED", `too many wrong API keys from this address; retry in ${retry} s`, { "retry-after": String(retry) }));
      }
      const principal = store.authenticate(key);
      if (!principal) {
        bucket.take(clock.now());
        return endResponse(errorResponse("UNAUTHENTICATED", "invalid API key", { "www-authenticate": 'Bearer realm="tantieme"' }));
      }
      const s = getState(request);
      if (s) s.principal = principal;
    },
  };
}
