import type { LicenceStatus } from "./enums";
import { maskIncludes, type Right } from "./rights";
import { territoryContains, type TerritoryMode } from "./territory";


/** Why a licensee may not make a use. */
export type DenialReason = "NO_LICENCE" | "EXPIRED" | "NOT_YET_VALID" | "REVOKED" | "TERRITORY" | "RIGHT";

/** What the rules need to know about a licence (as the subgraph stores it; times in unix seconds). */
export interface LicenceTerms {
  rightsMask: number;
  territoryMode: TerritoryMode;
  countries: readonly string[];
  start: bigint;
  /** null = perpetual */
  end: bigint | null;
  /** When a revocation (or surrender) takes effect; null if never revoked. */
  revokedFrom: bigint | null;
}

/**
 * Status at time `t`, as Licensing.licenceStatusAt: revoked once the revocation is effective,
 * scheduled before its start, expired from its end (the validity period is [start, end)), else active.
 */
export function licenceStatusAt(licence: LicenceTerms, t: bigint): LicenceStatus {
  if (licence.revokedFrom !== null && t >= licence.revokedFrom) return "Revoked";
  if (t < licence.start) return "Scheduled";
  if (licence.end !== null && t >= licence.end) return "Expired";
  return "Active";
}

export interface UseQuery {
  right: Right;
  /** An assigned ISO 3166-1 alpha-2 code. */
  country: string;
  /** Unix seconds. */
  at: bigint;
}

export interface LicenceVerdict {
  granted: boolean;
  status: LicenceStatus;
  /** Empty when granted. */
  reasons: DenialReason[];
}

const STATUS_REASON: Record<Exclude<LicenceStatus, "Active">, DenialReason> = {
  Scheduled: "NOT_YET_VALID",
  Expired: "EXPIRED",
  Revoked: "REVOKED",
};

/** Whether one licence grants the use, and every reason it does not (as Licensing.isLicensed). */
export function evaluateLicence(licence: LicenceTerms, query: UseQuery): LicenceVerdict {
  const status = licenceStatusAt(licence, query.at);
  const reasons: DenialReason[] = [];
  if (status !== "Active") reasons.push(STATUS_REASON[status]);
  if (!maskIncludes(licence.rightsMask, query.right)) reasons.push("RIGHT");
  if (!territoryContains({ mode: licence.territoryMode, countries: licence.countries }, query.country)) reasons.push("TERRITORY");
  return { granted: reasons.length === 0, status, reasons };
}

export interface Decision<L> {
  allowed: boolean;
  /** Licences that grant the use (evidence), the longest-lasting first. */
  granting: L[];
  /** Why not, when not allowed: the union over the licences considered, in a fixed order. */
  reasons: DenialReason[];
  verdicts: { licence: L; verdict: LicenceVerdict }[];
}

const REASON_ORDER: DenialReason[] = ["NO_LICENCE", "REVOKED", "EXPIRED", "NOT_YET_VALID", "RIGHT", "TERRITORY"];

/** Decides a use over every licence a licensee holds for a work. */
export function decide<L extends LicenceTerms>(licences: readonly L[], query: UseQuery): Decision<L> {
  if (licences.length === 0) return { allowed: false, granting: [], reasons: ["NO_LICENCE"], verdicts: [] };
  const verdicts = licences.map((licence) => ({ licence, verdict: evaluateLicence(licence, query) }));
  const granting = verdicts.filter((v) => v.verdict.granted).map((v) => v.licence);
  if (granting.length > 0) {
    granting.sort((a, b) => (a.end === null ? -1 : b.end === null ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
    return { allowed: true, granting, reasons: [], verdicts };
  }
  const seen = new Set(verdicts.flatMap((v) => v.verdict.reasons));
  return { allowed: false, granting: [], reasons: REASON_ORDER.filter((r) => seen.has(r)), verdicts };
}
