/**
 * The shared domain rules and metadata schemas from `core/`, exactly as the API uses them. This is
 * the ONE place the web app imports them from. Never copy a rule into the web app.
 *
 * Only browser-safe modules are imported (no node:fs, no ethers).
 */
export { RIGHTS, maskToRights, rightsToMask, type Right } from "../../../core/domain";
export { COUNTRY_CODES, isCountryCode, parseTerritory, territoryContains, TERRITORY_MODES, type Territory, type TerritoryMode } from "../../../core/domain";
export { licenceStatusAt, type LicenceStatus, type DenialReason } from "../../../core/domain";
export { validateWorkMetadata } from "../../../core/metadata/validate";
export { MetadataValidationError, type MetadataIssue } from "../../../core/metadata/errors";
export { WORK_KINDS, SCHEMA_VERSION } from "../../../core/metadata/schemas";
export { SNIFF_BYTES, sniffMime, mimeMatches, normalizeMimeType, type SupportedMimeType } from "../../../core/metadata/mime";
