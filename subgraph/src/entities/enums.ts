// On-chain enum values → schema enum names. An out-of-range value cannot come from the deployed
// contracts (Solidity rejects it when emitting), so it is reported as a critical error.
import { BigInt, log } from "@graphprotocol/graph-ts";

const WORK_KINDS: string[] = ["SoundRecording", "Composition", "Design", "Other"];
const RIGHTS: string[] = [
  "Streaming",
  "Download",
  "Sync",
  "Broadcast",
  "PublicPerformance",
  "Reproduction",
  "Print",
  "DigitalDisplay",
  "Merchandise",
  "Derivative",
  "AITraining",
];
const TERRITORY_MODES: string[] = ["Worldwide", "Include", "Exclude"];
const OFFER_STATUSES: string[] = ["Active", "Paused", "Retired"];
const REVOCATION_REASONS: string[] = ["Breach", "NonPayment", "Dispute", "Other", "Surrendered"];

export const WORK_KIND_SOUND_RECORDING = 0;
export const WORK_KIND_COMPOSITION = 1;
export const REVOCATION_SURRENDERED = "Surrendered";
export const SOURCE_OFFER = "Offer";
export const SOURCE_SIGNED_DEAL = "SignedDeal";

function enumName(names: string[], value: i32, what: string): string {
  if (value < 0 || value >= names.length) {
    log.critical("unknown {} value {}", [what, value.toString()]);
  }
  return names[value];
}

export function workKindName(value: i32): string {
  return enumName(WORK_KINDS, value, "WorkKind");
}

export function territoryModeName(value: i32): string {
  return enumName(TERRITORY_MODES, value, "TerritoryMode");
}

export function offerStatusName(value: i32): string {
  return enumName(OFFER_STATUSES, value, "OfferStatus");
}

export function revocationReasonName(value: i32): string {
  return enumName(REVOCATION_REASONS, value, "RevocationReason");
}

/** The rights of a bitmask (bit i = Right i), in enum order. Bits above the 11 rights are ignored. */
export function rightsOf(mask: i32): string[] {
  let rights = new Array<string>(0);
  for (let i = 0; i < RIGHTS.length; i++) {
    if ((mask & (1 << i)) != 0) rights.push(RIGHTS[i]);
  }
  return rights;
}

/** A uint32 event value as a schema Int, saturating at 2^31 − 1 (Int is 32-bit signed). */
export function saturatingInt(value: BigInt): i32 {
  if (value.gt(BigInt.fromI32(i32.MAX_VALUE))) return i32.MAX_VALUE;
  return value.toI32();
}

/** The revocation reasons of a `revocableFor` bitmask (bit i = RevocationReason i; Surrendered never). */
export function revocationReasonsOf(mask: i32): string[] {
  let reasons = new Array<string>(0);
  for (let i = 0; i < REVOCATION_REASONS.length - 1; i++) {
    if ((mask & (1 << i)) != 0) reasons.push(REVOCATION_REASONS[i]);
  }
  return reasons;
}

const LINK_STATUSES: string[] = ["None", "Claimed", "Confirmed"];

/** ILinks.LinkStatus (Claimed or Confirmed; None cannot be emitted). */
export function linkStatusName(value: i32): string {
  if (value <= 0) log.critical("unexpected LinkStatus {}", [value.toString()]);
  return enumName(LINK_STATUSES, value, "LinkStatus");
}
