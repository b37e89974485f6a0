/**
 * The shared domain rules and metadata schemas, exactly as the API uses them. This is the ONE
 * place the web app imports them from: when they move to a top-level `core/`, only these paths
 * change. Never copy a rule into the web app.
 *
 * Only browser-safe modules are imported (no node:fs, no ethers).
 */
export { RIGHTS, maskToRights, rightsToMask, type Right } from "../../../server/src/domain/rights";
export { COUNTRY_CODES, isCountryCode, parseTerritory, territoryContains, TERRITORY_MODES, type Territory, type TerritoryMode } from "../../../server/src/domain/territory";
export { licenceStatusAt, type LicenceStatus, type DenialReason } from "../../../server/src/domain/status";
export { validateWorkMetadata } from "../../../server/src/metadata/validate";
export { MetadataValidationError, type MetadataIssue } from "../../../server/src/metadata/errors";
export { WORK_KINDS, SCHEMA_VERSION } from "../../../server/src/metadata/schemas";
export { SNIFF_BYTES, sniffMime, mimeMatches, normalizeMimeType, type SupportedMimeType } from "../../../server/src/metadata/mime";
