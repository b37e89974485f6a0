/** GraphQL selections reused by every query of the subgraph. */

export const CURRENCY = "{ id native }";

/**
 * The indexed head a query was answered at. Every read of licences asks for it, and the client
 * observes it (client.ts), so a licence's status "now" is never taken before the block it was
 * bought in.
 */
export const HEAD = "_meta { block { number hash timestamp } }";

export const SPLIT = "{ id version splitHash recipients sharesBps createdAt }";

/** An identifier moved between works by a registrar (a dispute, or an attested take-over). */
export const REASSIGNMENT = "{ identifier { value kind } fromWork { tokenId } toWork { tokenId } registrar reason timestamp txHash }";

/** A society mandate as a decision reads it. */
export const MANDATE = "{ society societyId rights rightsMask territoryMode countries active declaredAt declaredBy }";

/**
 * What a licence decision needs about a work beyond its licences: verification, disputes and, for a
 * sound recording, its linked compositions (the other layer) with theirs; society mandates.
 * Removed links and ended mandates are filtered out by the reader (nested lists are small).
 */
export const WORK_LAYERS = `{
  id tokenId kind isrc iswc verified lostIdentifier
  identifierLosses ${REASSIGNMENT} identifierRecord { disputed reassignments ${REASSIGNMENT} }
  societyMandates ${MANDATE}
  compositions(first: 100) { status composition { id tokenId kind iswc verified lostIdentifier societyMandates ${MANDATE} } }
}`;

export const WORK = `{
  id tokenId kind owner { id } registrant { id } metadataCid title creators identifier isrc iswc
  verified verifiedBy { id name } lostIdentifier metadataVersion
  metadataVersions(first: 1000, orderBy: version) { version cid setBy timestamp txHash }
  identifierLosses ${REASSIGNMENT} identifierRecord { disputed reassignments ${REASSIGNMENT} }
  compositions(first: 100) { status linkedBy linkedAt confirmedBy confirmedAt composition { tokenId iswc verified title } }
  recordings(first: 100) { status linkedBy linkedAt confirmedBy confirmedAt recording { tokenId isrc verified title } }
  societyMandates ${MANDATE}
  registeredAt registeredAtBlock registrationTx
  currentSplit ${SPLIT}
  revenue { currency ${CURRENCY} gross fees net licences }
}`;

export const OFFER = `{
  id offerId work { id tokenId } creator { id } rights rightsMask territoryMode countries duration startDate
  price currency ${CURRENCY} cap exclusive transferable uri status sales { sold grossRevenue } createdAt createdAtBlock txHash
  revocableForMask noticePeriod
}`;

/**
 * What a licence decision (licenceStatus, checkLicences) reads: terms, revocation time and the
 * evidence fields — no nested accounts, currency or split, which cost the index a lookup each.
 * A result's `evidence.licence` is completed with LICENCE on demand (decision.ts).
 */
export const LICENCE_DECISION = `{
  id licenceId work { id } offer { id offerId } source licensee { id }
  rightsMask territoryMode countries start end perpetual revokedFrom
  timestamp blockNumber txHash metadataVersion licensedCid revocableForMask noticePeriod
}`;

export const LICENCE = `{
  id licenceId work { id tokenId isrc iswc } offer { id offerId } source licensee { id } originalLicensee { id }
  payer { id } rights rightsMask territoryMode countries start end perpetual exclusive transferable uri price fee
  currency ${CURRENCY} split { id version }
  revocation { id by { id } reason effectiveAt blockNumber timestamp txHash } revokedFrom
  timestamp blockNumber txHash logIndex
  metadataVersion licensedCid revocableForMask noticePeriod
}`;
