/**
 * Who may receive a licensed file right now: the work's owner and its current split recipients
 * always; anyone else only with a licence of theirs for this work that is in effect at this
 * moment and grants one of the rights that unlock the file.
 */
import { statusNow, type Clock } from "../clock";
import { licenceStatusAt, maskIncludes, type Right } from "../../../core/domain";
import { toTerms } from "../schema/common";
import type { SubgraphClient } from "../subgraph/client";
import { workLicences } from "../subgraph/reads";
import type { RawLicence, RawWork } from "../subgraph/types";
import { DeliveryError, type DeliveryErrorCode } from "./errors";

export type Grant = { role: "owner" | "split-recipient"; licence: null } | { role: "licensee"; licence: RawLicence };

const ORDER: DeliveryErrorCode[] = ["LICENCE_WRONG_RIGHT", "LICENCE_NOT_YET_VALID", "LICENCE_EXPIRED", "LICENCE_REVOKED"];

export function isRightsHolder(work: RawWork, address: string): "owner" | "split-recipient" | null {
  const a = address.toLowerCase();
  if (work.owner.id.toLowerCase() === a) return "owner";
  if (work.currentSplit?.recipients.some((r) => r.toLowerCase() === a)) return "split-recipient";
  return null;
}

export async function authorize(subgraph: SubgraphClient, clock: Clock, work: RawWork, address: string, unlockedBy: readonly Right[]): Promise<Grant> {
  const holder = isRightsHolder(work, address);
  if (holder) return { role: holder, licence: null };
  const { licences, block } = await workLicences(subgraph, { by: "id", id: BigInt(work.tokenId) }, address);
  const now = statusNow(clock, block.timestamp);
  if (licences.length === 0) throw new DeliveryError("NO_LICENCE", `${address} holds no licence for work ${work.tokenId}`, { unlockedBy });
  const seen = new Set<DeliveryErrorCode>();
  let best: RawLicence | null = null;
  for (const l of licences) {
    const status = licenceStatusAt(toTerms(l), now);
    const rightOk = unlockedBy.some((r) => maskIncludes(l.rightsMask, r));
    if (status === "Active" && rightOk) {
      if (!best || (l.end === null || l.perpetual ? Infinity : Number(l.end)) > (best.end === null || best.perpetual ? Infinity : Number(best.end))) best = l;
      continue;
    }
    // A licence that does not grant the right is reported as such; otherwise by its status.
    if (!rightOk) seen.add("LICENCE_WRONG_RIGHT");
    else if (status === "Scheduled") seen.add("LICENCE_NOT_YET_VALID");
    else if (status === "Expired") seen.add("LICENCE_EXPIRED");
    else if (status === "Revoked") seen.add("LICENCE_REVOKED");
  }
  if (best) return { role: "licensee", licence: best };
  // The most telling reason: a licence that has the right but is revoked/expired/scheduled beats "wrong right".
  const code = [...ORDER].reverse().find((c) => seen.has(c)) ?? "NO_LICENCE";
  const words: Record<string, string> = {
    LICENCE_WRONG_RIGHT: `no licence of ${address} for work ${work.tokenId} grants ${unlockedBy.join(" or ")}`,
    LICENCE_NOT_YET_VALID: `the licence of ${address} for work ${work.tokenId} is not in effect yet`,
    LICENCE_EXPIRED: `the licence of ${address} for work ${work.tokenId} has expired`,
    LICENCE_REVOKED: `the licence of ${address} for work ${work.tokenId} has been revoked`,
  };
  throw new DeliveryError(code, words[code] ?? "no licence", { unlockedBy, reasons: ORDER.filter((c) => seen.has(c)), at: now.toString() });
}
