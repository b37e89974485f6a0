export * from "./schemas";
export * from "./errors";
export * from "./identifiers";
export { canonicalJson, canonicalJsonBytes } from "./canonical";
export { validateWorkMetadata, jsonPath } from "./validate";
export { storeWorkMetadata, loadWorkMetadata } from "./store";
export { packageWork, METADATA_FILE, type PackageProgress, type PackageWorkOptions, type PackageWorkResult, type PackagedFile } from "./package";
export {
  sniffMime,
  normalizeMimeType,
  mimeMatches,
  mimeFamily,
  SNIFF_BYTES,
  SUPPORTED_MIME_TYPES,
  type SupportedMimeType,
  type MimeFamily,
} from "./mime";
