import type { IncomingMessage } from "node:http";
import type { Plugin } from "graphql-yoga";
import type { Clock } from "../clock";
import type { RateLimit } from "../config";
import { errorResponse } from "../errors";
import { getState } from "./state";

/** A token bucket: `burst` tokens, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private updated: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.updated = now;
  }

  /** Takes `n` tokens if available; else returns the seconds until they will be. */
  take(now: number, n = 1): { ok: true } | { ok: false; retryAfterS: number } {
    const elapsed = Math.max(0, now - this.updated) / 1000;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.perSecond);
    this.updated = now;
    if (this.tokens >= n) {
      this.tokens -= n;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.ceil((n - this.tokens) / this.limit.perSecond) };
  }

  full(now: number): boolean {
    return this.tokens + (Math.max(0, now - this.updated) / 1000) * this.limit.perSecond >= this.limit.burst;
  }
}

export interface UseRateLimitOptions {
  anonymous: RateLimit;
  perKey: RateLimit;
  clock: Clock;
  /** Paths limited (default: the GraphQL endpoint). */
  paths: string[];
  /** Buckets kept at most (full buckets are dropped first). */
  maxBuckets?: number;
  onLimited?: (who: string) => void;
}

/**
 * Per-key (and, for anonymous callers, per client address) token buckets; an empty bucket
 * answers 429 RATE_LIMITED with Retry-After.
 */
export function useRateLimit(options: UseRateLimitOptions): Plugin {
  const buckets = new Map<string, TokenBucket>();
  const maxBuckets = options.maxBuckets ?? 100_000;
  return {
    onRequest({ request, url, serverContext, endResponse }) {
      if (!options.paths.includes(url.pathname) || request.method === "OPTIONS") return;
      const now = options.clock.now();
      const principal = getState(request)?.principal ?? null;
      const who = principal ? `key:${principal.keyId}` : `ip:${(serverContext as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? "local"}`;
      let bucket = buckets.get(who);
      if (!bucket) {
        if (buckets.size >= maxBuckets) {
          for (const [k, b] of buckets) if (b.full(now)) buckets.delete(k);
          if (buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value!);
        }
        bucket = new TokenBucket(principal?.rateLimit ?? (principal ? options.perKey : options.anonymous), now);
        buckets.set(who, bucket);
      }
      const r = bucket.take(now);
      if (!r.ok) {
        options.onLimited?.(who);
        endResponse(
          errorResponse("RATE_LIMITED", `rate limit exceeded for ${principal ? `API key "${principal.keyId}"` : "this client"}; retry in ${r.retryAfterS} s`, {
            "retry-after": String(r.retryAfterS),
          }),
        );
      }
    },
  };
}
