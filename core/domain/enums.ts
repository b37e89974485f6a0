/**
 * The contracts' enums as TypeScript (the Solidity source is the truth: index i is the on-chain
 * value i). RIGHTS (rights.ts) and TERRITORY_MODES (territory.ts) live beside their rules. The API
 * SDL enums are built from these lists; test/core/domain/enums.test.ts pins these lists, the
 * subgraph's AssemblyScript copies (subgraph/src/entities/enums.ts), the subgraph schema's enums
 * and the API's against the compiled contracts' AST (artifacts/build-info).
 */

/** IWorks.WorkKind. */
export const WORK_KIND_NAMES = ["SoundRecording", "Composition", "Design", "Other"] as const;
export type WorkKindName = (typeof WORK_KIND_NAMES)[number];

/** ILicensing.OfferStatus. */
export const OFFER_STATUSES = ["Active", "Paused", "Retired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** ILicensing.RevocationReason. */
export const REVOCATION_REASONS = ["Breach", "NonPayment", "Dispute", "Other", "Surrendered"] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** ILicensing.LicenceStatus (the one form: licenceStatusAt in status.ts computes it). */
export const LICENCE_STATUSES = ["Active", "Scheduled", "Expired", "Revoked"] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

/** The on-chain value (enum index) of a work kind. */
export function workKindIndex(kind: WorkKindName): number {
  return WORK_KIND_NAMES.indexOf(kind);
}

/** `{ Name: index }` of an enum's names, e.g. `enumIndices(RIGHTS).Sync === 2`. */
export function enumIndices<const T extends readonly string[]>(names: T): { readonly [K in T[number]]: number } {
  return Object.fromEntries(names.map((n, i) => [n, i])) as { readonly [K in T[number]]: number };
}

/** ILinks.LinkStatus. */
export const LINK_STATUSES = ["None", "Claimed", "Confirmed"] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** IRegistrars.Scope: what an attestation covers. */
export const ATTESTATION_SCOPES = ["Identifier", "IsrcPrefix"] as const;
export type AttestationScope = (typeof ATTESTATION_SCOPES)[number];
