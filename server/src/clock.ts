/** Time source, injected so that tests can fix "now". */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function unixSeconds(clock: Clock): bigint {
  return BigInt(Math.floor(clock.now() / 1000));
}

/**
 * "Now" for licence status: the clock, or the latest indexed block's timestamp when that is later.
 * A licence starting at its purchase block is in effect once that block exists, also when the
 * chain's time runs ahead of this server's clock (a dev chain mining several blocks a second).
 */
export function statusNow(clock: Clock, headTimestamp: number | null | undefined): bigint {
  const now = unixSeconds(clock);
  return headTimestamp != null && BigInt(headTimestamp) > now ? BigInt(headTimestamp) : now;
}
