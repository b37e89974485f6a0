/**
 * A licence's revocation policy (ILicensing.OfferTerms / Deal: `revocableFor`, `noticePeriod`): the
 * reasons the work's owner may revoke it for and the minimum notice. One copy of the rules for the
 * API, the CLI and the web app; the contract's TermsLib.validateRevocation is the truth.
 */
import { BaseError } from "../errors";
import { REVOCATION_REASONS, type RevocationReason } from "./enums";

/** The reasons a policy may name (Surrendered is the licensee's own act, never a policy). */
export const REVOCABLE_REASONS = REVOCATION_REASONS.filter((r) => r !== "Surrendered") as Exclude<RevocationReason, "Surrendered">[];
export type RevocableReason = (typeof REVOCABLE_REASONS)[number];

const MAX_NOTICE = 2n ** 32n - 1n;

export interface RevocationPolicy {
  /** bitmask: bit i = REVOCATION_REASONS[i] */
  revocableFor: number;
  /** seconds */
  noticePeriod: bigint;
}

/** A revocation policy the contract would reject; `field` names the input. */
export class InvalidRevocationPolicyError extends BaseError<{ field: string; reason: string }> {
  override readonly name = "InvalidRevocationPolicyError" as const;
  readonly code = "INVALID_REVOCATION_POLICY" as const;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`, { field, reason });
  }
}

/**
 * The on-chain policy of `reasons` (names) and `noticePeriod` (seconds). No reasons = not revocable,
 * which allows no notice period.
 */
export function parseRevocationPolicy(reasons: readonly string[], noticePeriod: bigint, field = "revocation"): RevocationPolicy {
  let mask = 0;
  for (const reason of reasons) {
    const i = (REVOCABLE_REASONS as readonly string[]).indexOf(reason);
    if (i < 0) throw new InvalidRevocationPolicyError(`${field}.revocableFor`, `"${reason}" is not a reason a licence may be revoked for (${REVOCABLE_REASONS.join(", ")})`);
    mask |= 1 << i;
  }
  if (noticePeriod < 0n || noticePeriod > MAX_NOTICE) throw new InvalidRevocationPolicyError(`${field}.noticePeriod`, "must be between 0 and 2^32 − 1 seconds");
  if (mask === 0 && noticePeriod !== 0n) throw new InvalidRevocationPolicyError(`${field}.noticePeriod`, "a notice period needs at least one reason in revocableFor");
  return { revocableFor: mask, noticePeriod };
}

/** The reasons of a `revocableFor` bitmask, in enum order. */
export function revocableReasons(mask: number): RevocableReason[] {
  return REVOCABLE_REASONS.filter((_, i) => (mask & (1 << i)) !== 0);
}

function days(seconds: bigint): string {
  if (seconds % 86_400n === 0n) return `${seconds / 86_400n} day${seconds === 86_400n ? "" : "s"}`;
  return `${seconds} seconds`;
}

/** The policy in plain language, as shown before a purchase. */
export function describeRevocationPolicy(policy: RevocationPolicy): string {
  const reasons = revocableReasons(policy.revocableFor);
  if (reasons.length === 0) return "not revocable: the work's owner (and any later owner) cannot end the licence early";
  const notice = policy.noticePeriod === 0n ? "with immediate effect" : `after at least ${days(policy.noticePeriod)}' notice`;
  return `revocable by the work's owner only for ${reasons.join(", ")}, ${notice}; no refund`;
}
