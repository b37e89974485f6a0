/** GraphQL selections reused by every query of the subgraph. */

export const CURRENCY = "{ id native }";

export const SPLIT = "{ id version splitHash recipients sharesBps createdAt }";

export const WORK = `{
  id tokenId kind owner { id } registrant { id } metadataCid title creators identifier isrc iswc
  licenceCount registeredAt registeredAtBlock registrationTx
  currentSplit ${SPLIT}
  revenue { currency ${CURRENCY} gross fees net licences }
}`;

export const OFFER = `{
  id offerId work { id tokenId } creator { id } rights rightsMask territoryMode countries duration startDate
  price currency ${CURRENCY} cap exclusive transferable uri status sold grossRevenue createdAt createdAtBlock txHash
}`;

/**
 * What a licence decision (licenceStatus, checkLicences) reads: terms, revocation time and the
 * evidence fields — no nested accounts, currency or split, which cost the index a lookup each.
 * A result's `evidence.licence` is completed with LICENCE on demand (decision.ts).
 */
export const LICENCE_DECISION = `{
  id licenceId work { id } offer { id offerId } source licensee { id }
  rightsMask territoryMode countries start end perpetual revokedFrom
  timestamp blockNumber txHash
}`;

export const LICENCE = `{
  id licenceId work { id tokenId isrc iswc } offer { id offerId } source licensee { id } originalLicensee { id }
  payer { id } rights rightsMask territoryMode countries start end perpetual exclusive transferable uri price fee
  currency ${CURRENCY} split { id version }
  revocation { id by { id } reason effectiveAt blockNumber timestamp txHash } revokedFrom
  timestamp blockNumber txHash logIndex
}`;
