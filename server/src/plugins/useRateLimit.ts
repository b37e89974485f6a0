import type { IncomingMessage } from "node:http";
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Principal } from "../auth/keys";
import type { Clock } from "../clock";
import type { RateLimit } from "../config";
import { ApiError, errorResponse } from "../errors";
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
    // More than a full bucket can never be taken: say when the bucket is full again.
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((Math.min(n, this.limit.burst) - this.tokens) / this.limit.perSecond)) };
  }

  /** Whether `n` tokens are there now (nothing taken). */
  has(now: number, n = 1): boolean {
    return this.tokens + (Math.max(0, now - this.updated) / 1000) * this.limit.perSecond >= n;
  }

  full(now: number): boolean {
    return this.has(now, this.limit.burst);
  }
}

/** Token buckets by name, at most `maxBuckets` (full buckets are dropped first). */
export class Buckets {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly clock: Clock,
    private readonly maxBuckets = 100_000,
  ) {}

  get(who: string, limit: RateLimit): TokenBucket {
    let bucket = this.buckets.get(who);
    if (!bucket) {
      const now = this.clock.now();
      if (this.buckets.size >= this.maxBuckets) {
        for (const [k, b] of this.buckets) if (b.full(now)) this.buckets.delete(k);
        if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
      }
      bucket = new TokenBucket(limit, now);
      this.buckets.set(who, bucket);
    }
    return bucket;
  }

  take(who: string, limit: RateLimit, n = 1) {
    return this.get(who, limit).take(this.clock.now(), n);
  }
}

/** The client's address as the socket sees it ("local" without a socket, e.g. yoga.fetch in tests). */
export function clientAddress(serverContext: unknown): string {
  return (serverContext as { req?: IncomingMessage } | undefined)?.req?.socket?.remoteAddress ?? "local";
}

/** The bucket name of a request: its API key, or its address for anonymous callers. */
export function clientOf(principal: Principal | null, serverContext: unknown): string {
  return principal ? `key:${principal.keyId}` : `ip:${clientAddress(serverContext)}`;
}

/**
 * The work an operation asks for, in rate-limit tokens: one per root field (aliases and fragments
 * expanded; `__typename` is free). Each root field is at least one read of the index or the chain:
 * 1,000 aliased licenceStatus fields are 1,000 reads, and take 1,000 tokens.
 */
export function operationWork(document: DocumentNode, operationName?: string | null): number {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) return 1;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const count = (set: SelectionSetNode, seen: Set<string>): number => {
    let n = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) n += sel.name.value === "__typename" ? 0 : 1;
      else if (sel.kind === Kind.INLINE_FRAGMENT) n += count(sel.selectionSet, seen);
      else {
        const name = sel.name.value;
        const frag = fragments.get(name);
        if (!frag || seen.has(name)) continue;
        let c = memo.get(name);
        if (c === undefined) {
          c = count(frag.selectionSet, new Set([...seen, name]));
          memo.set(name, c);
        }
        n += c;
      }
    }
    return n;
  };
  return Math.max(1, count(op.selectionSet, new Set()));
}

export interface UseRateLimitOptions {
  anonymous: RateLimit;
  perKey: RateLimit;
  clock: Clock;
  /** Buckets kept at most (full buckets are dropped first). */
  maxBuckets?: number;
  onLimited?: (who: string) => void;
}

const limitedMessage = (principal: Principal | null, retryAfterS: number) =>
  `rate limit exceeded for ${principal ? `API key "${principal.keyId}"` : "this client"}; retry in ${retryAfterS} s`;

/**
 * Per-key (and, for anonymous callers, per client address) token buckets over every path but
 * CORS preflights: each request takes a token when it arrives; a GraphQL operation then takes one
 * more per root field past the first (operationWork). An empty bucket answers 429 RATE_LIMITED
 * with Retry-After.
 */
export function useRateLimit(options: UseRateLimitOptions): Plugin {
  const buckets = new Buckets(options.clock, options.maxBuckets);
  const limitOf = (principal: Principal | null) => principal?.rateLimit ?? (principal ? options.perKey : options.anonymous);

  const chargeWork = (contextValue: unknown, document: DocumentNode, operationName: string | null | undefined, stop: (result: { errors: ApiError[] }) => void) => {
    const request = (contextValue as { request?: Request }).request;
    const state = request ? getState(request) : undefined;
    if (!state?.client) return;
    const extra = operationWork(document, operationName) - 1;
    if (extra <= 0) return;
    const r = buckets.take(state.client, limitOf(state.principal), extra);
    if (r.ok) return;
    options.onLimited?.(state.client);
    stop({
      errors: [
        new ApiError("RATE_LIMITED", `${limitedMessage(state.principal, r.retryAfterS)} (this operation has ${extra + 1} root fields, one token each)`, {
          details: { work: extra + 1 },
          httpHeaders: { "retry-after": String(r.retryAfterS) },
        }),
      ],
    });
  };

  return {
    onRequest({ request, serverContext, endResponse }) {
      if (request.method === "OPTIONS") return;
      const state = getState(request);
      const principal = state?.principal ?? null;
      const who = clientOf(principal, serverContext);
      if (state) state.client = who;
      const r = buckets.take(who, limitOf(principal));
      if (!r.ok) {
        options.onLimited?.(who);
        endResponse(errorResponse("RATE_LIMITED", limitedMessage(principal, r.retryAfterS), { "retry-after": String(r.retryAfterS) }));
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      chargeWork(args.contextValue, args.document, args.operationName, setResultAndStopExecution as never);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      chargeWork(args.contextValue, args.document, args.operationName, setResultAndStopExecution as never);
    },
  };
}
