/**
 * The shared domain rules and metadata schemas from core/, exactly as the API uses them. This is
 * the ONE place the web app imports them from. Never copy a rule into the web app.
 *
 * Only browser-safe modules are imported (no node:fs, no ethers).
 */
export { RIGHTS, maskToRights, rightsToMask, type Right } from "../../../core/domain/rights";
export { COUNTRY_CODES, isCountryCode, parseTerritory, territoryContains, TERRITORY_MODES, type Territory, type TerritoryMode } from "../../../core/domain/territory";
export { licenceStatusAt, type DenialReason } from "../../../core/domain/status";
export type { LicenceStatus } from "../../../core/domain/enums";
export { validateWorkMetadata } from "../../../core/metadata/validate";
export { MetadataValidationError, type MetadataIssue } from "../../../core/metadata/errors";
export { WORK_KINDS, SCHEMA_VERSION } from "../../../core/metadata/schemas";
export { SNIFF_BYTES, sniffMime, mimeMatches, normalizeMimeType, type SupportedMimeType } from "../../../core/metadata/mime";
export { nextOfferStatuses } from "../../../core/domain/offers";
export type { OfferStatus } from "../../../core/domain/enums";
export { licensedFiles, publicAudioRef, type LicensedFile } from "../../../core/metadata/access";
export { layersStillNeeded, type LayerNeed, type OtherLayer, type SocietyMandateTerms } from "../../../core/domain/layers";
export type { DeliveryRecord } from "../../../core/delivery/record";
