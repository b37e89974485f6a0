import type { ServerResponse } from "node:http";
import type { Plugin } from "graphql-yoga";
import { errorResponse } from "../errors";
import { getState } from "./state";

export interface UseAnonymousConcurrencyOptions {
  /** Anonymous requests handled at once (ANON_CONCURRENCY). */
  maxActive: number;
  /** Anonymous requests waiting for a slot (ANON_QUEUE); one more is refused. */
  maxQueued: number;
  onLimited?: () => void;
}

/**
 * A slot semaphore with a bounded FIFO of waiters. A waiter whose signal aborts (its client went
 * away) leaves the queue without taking a slot.
 */
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number,
  ) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with true once a slot is taken; false at once when the queue is full, or when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<boolean> | true {
    if (this.active < this.maxActive) {
      this.active++;
      return true;
    }
    if (this.waiting.length >= this.maxQueued || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const grant = () => {
        signal?.removeEventListener("abort", leave);
        resolve(true);
      };
      const leave = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      };
      signal?.addEventListener("abort", leave, { once: true });
      this.waiting.push(grant);
    });
  }

  /** Hands the slot to the oldest waiter, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active = Math.max(0, this.active - 1);
  }
}

/**
 * Keyed clients are never queued behind anonymous ones: at most `maxActive` anonymous requests
 * are handled at once (before their body is read), the rest wait in arrival order, and past
 * `maxQueued` waiting an anonymous request is answered 429 RATE_LIMITED with Retry-After. The
 * per-address rate limit (useRateLimit) bounds one anonymous client; this bounds all of them
 * together, so many addresses cannot take the event loop from keyed clients either. A slot is
 * freed when the response is ready (a stream's body does not hold it).
 */
export function useAnonymousConcurrency(options: UseAnonymousConcurrencyOptions): Plugin {
  const slots = new Slots(options.maxActive, options.maxQueued);
  // By the request's state, which follows a replacement Request (useBodyLimit's) to onResponse.
  const holding = new WeakMap<object, () => void>();
  const holder = (request: Request): object => getState(request) ?? request;
  const refuse = () =>
    errorResponse("RATE_LIMITED", `the API is busy with anonymous requests (${options.maxActive} at once, ${options.maxQueued} waiting: ANON_CONCURRENCY, ANON_QUEUE); retry in 1 s, or send an API key`, { "retry-after": "1" });
  /**
   * The slot is freed by onResponse; a request whose handling throws gets no onResponse, so the
   * node response's close (sent or cut off) frees it too. Whichever comes first, once.
   */
  const hold = (request: Request, serverContext: unknown) => {
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      slots.release();
    };
    holding.set(holder(request), release);
    (serverContext as { res?: ServerResponse } | undefined)?.res?.once("close", release);
  };
  return {
    onRequest({ request, serverContext, endResponse }) {
      if (request.method === "OPTIONS" || getState(request)?.principal) return;
      const got = slots.acquire(request.signal);
      if (got === true) return hold(request, serverContext);
      return got.then((ok) => {
        if (ok) hold(request, serverContext);
        else {
          options.onLimited?.();
          endResponse(refuse());
        }
      });
    },
    onResponse({ request }) {
      const key = holder(request);
      const release = holding.get(key);
      if (release) {
        holding.delete(key);
        release();
      }
    },
  };
}
