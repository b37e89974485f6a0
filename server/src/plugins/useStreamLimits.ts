import { isAsyncIterable, type Plugin } from "graphql-yoga";
import { ApiError } from "../errors";
import { getState } from "./state";

export interface UseStreamLimitsOptions {
  /** Open subscriptions at most, over all clients. */
  maxStreams: number;
  /** Open subscriptions at most per API key (or per address for anonymous callers). */
  maxStreamsPerClient: number;
}

/**
 * Caps open subscriptions (licenceEvents over SSE): per client and overall. A subscription over a
 * cap is answered with RATE_LIMITED (429 when it decides the response) instead of a stream; a slot
 * is freed when its stream ends or its client goes away.
 */
export function useStreamLimits(options: UseStreamLimitsOptions): Plugin {
  const open = new Map<string, number>();
  let total = 0;
  const release = (client: string) => {
    total--;
    const n = (open.get(client) ?? 1) - 1;
    if (n <= 0) open.delete(client);
    else open.set(client, n);
  };
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      const client = (request && getState(request)?.client) ?? "unknown";
      const mine = open.get(client) ?? 0;
      const refuse = (message: string, details: Record<string, unknown>) =>
        setResultAndStopExecution({ errors: [new ApiError("RATE_LIMITED", message, { details, httpHeaders: { "retry-after": "5" } })] });
      if (mine >= options.maxStreamsPerClient) return refuse(`at most ${options.maxStreamsPerClient} open subscriptions per client (SSE_MAX_STREAMS_PER_CLIENT); close one first`, { maxStreamsPerClient: options.maxStreamsPerClient });
      if (total >= options.maxStreams) return refuse(`the server has ${total} open subscriptions, its limit (SSE_MAX_STREAMS); retry later`, { maxStreams: options.maxStreams });
      total++;
      open.set(client, mine + 1);
      let released = false;
      const once = () => {
        if (!released) {
          released = true;
          release(client);
        }
      };
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            once();
            return;
          }
          return { onEnd: once };
        },
        onSubscribeError() {
          once();
        },
      };
    },
  };
}
