import type { OfferStatus } from "./enums";

/** The Licensing function that moves an offer from one status to another. */
export type OfferStatusCall = "pauseOffer" | "resumeOffer" | "retireOffer";

export type OfferStatusChange = { call: OfferStatusCall } | { refused: string };

/**
 * Which call moves an offer from `current` to `target`, or why none does — the rule of
 * OfferBook (pauseOffer: Active → Paused; resumeOffer: Paused → Active; retireOffer: Active or
 * Paused → Retired, for good). The API refuses a change before preparing it, the CLI and the
 * web app show only the changes this allows.
 */
export function offerStatusChange(current: OfferStatus, target: OfferStatus): OfferStatusChange {
  if (current === "Retired") return { refused: "the offer is retired; a retired offer cannot be resumed or changed (publish a new one)" };
  if (current === target) return { refused: `the offer is already ${current}` };
  if (target === "Retired") return { call: "retireOffer" };
  return { call: target === "Paused" ? "pauseOffer" : "resumeOffer" };
}

/** The statuses an offer in `current` can be moved to. */
export function nextOfferStatuses(current: OfferStatus): OfferStatus[] {
  return (["Active", "Paused", "Retired"] as const).filter((t) => "call" in offerStatusChange(current, t));
}
