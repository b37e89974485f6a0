/** Typed errors of work metadata and packaging (literal `name`, stable `code`, details, cause). */

import { BaseError } from "../errors";

export type MetadataErrorCode =
  | "METADATA_INVALID"
  | "METADATA_NOT_CANONICAL"
  | "PACKAGE_METADATA_UNREADABLE"
  | "PACKAGE_FILE"
  | "PACKAGE_MIME_UNSUPPORTED"
  | "PACKAGE_MIME_MISMATCH"
  | "PACKAGE_SIZE_MISMATCH"
  | "PACKAGE_STORE_FAILED";

export abstract class MetadataError<Details extends object = Record<string, unknown>> extends BaseError<Details> {
  abstract override readonly code: MetadataErrorCode;
}

export interface MetadataIssue {
  /** JSON path of the offending value, e.g. `$.writers[1].ipi`. */
  path: string;
  reason: string;
}

/** Metadata failing its schema; every issue names the JSON path and the reason. */
export class MetadataValidationError extends MetadataError<{ issues: MetadataIssue[] }> {
  override readonly name = "MetadataValidationError" as const;
  readonly code = "METADATA_INVALID" as const;
  constructor(issues: MetadataIssue[], options?: { cause?: unknown; source?: string }) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`${options?.source ? `${options.source}: ` : ""}${first ? `${first.path}: ${first.reason}` : "invalid"}${more}`, { issues }, options);
  }
}

/** A value canonical JSON cannot represent (NaN, a function, a BigInt, a cycle, …). */
export class CanonicalJsonError extends MetadataError<{ path: string; reason: string }> {
  override readonly name = "CanonicalJsonError" as const;
  readonly code = "METADATA_NOT_CANONICAL" as const;
  constructor(details: { path: string; reason: string }) {
    super(`${details.path}: ${details.reason}`, details);
  }
}

/** metadata.json missing, unreadable or not JSON. */
export class MetadataFileError extends MetadataError<{ file: string; reason: string }> {
  override readonly name = "MetadataFileError" as const;
  readonly code = "PACKAGE_METADATA_UNREADABLE" as const;
  constructor(details: { file: string; reason: string }, options?: { cause?: unknown }) {
    super(`${details.file}: ${details.reason}`, details, options);
  }
}

export type PackageFileReason = "not-found" | "outside-folder" | "not-a-file" | "unreadable" | "changed-while-reading";

/** A file referenced by metadata.json that cannot be packaged. */
export class PackageFileError extends MetadataError<{ file: string; field: string; reason: PackageFileReason; message: string }> {
  override readonly name = "PackageFileError" as const;
  readonly code = "PACKAGE_FILE" as const;
  constructor(details: { file: string; field: string; reason: PackageFileReason; message: string }, options?: { cause?: unknown }) {
    super(`${details.field} (${details.file}): ${details.message}`, details, options);
  }
}

export class UnsupportedMimeTypeError extends MetadataError<{ file: string; field: string; declared: string; allowed: string[] }> {
  override readonly name = "UnsupportedMimeTypeError" as const;
  readonly code = "PACKAGE_MIME_UNSUPPORTED" as const;
  constructor(details: { file: string; field: string; declared: string; allowed: string[] }) {
    super(`${details.field} (${details.file}): MIME type "${details.declared}" is not accepted here (allowed: ${details.allowed.join(", ")})`, details);
  }
}

export class MimeMismatchError extends MetadataError<{ file: string; field: string; declared: string; sniffed: string | null }> {
  override readonly name = "MimeMismatchError" as const;
  readonly code = "PACKAGE_MIME_MISMATCH" as const;
  constructor(details: { file: string; field: string; declared: string; sniffed: string | null }) {
    super(
      `${details.field} (${details.file}): declared ${details.declared} but the content is ${details.sniffed ?? "not a recognised format"}`,
      details,
    );
  }
}

export class SizeMismatchError extends MetadataError<{ file: string; field: string; declared: number; actual: number }> {
  override readonly name = "SizeMismatchError" as const;
  readonly code = "PACKAGE_SIZE_MISMATCH" as const;
  constructor(details: { file: string; field: string; declared: number; actual: number }) {
    super(`${details.field} (${details.file}): declared size ${details.declared} but the file has ${details.actual} bytes`, details);
  }
}

/** The store failed while packaging; nothing from the attempt is left pinned. */
export class PackageStoreError extends MetadataError<{ file: string | null; reason: string }> {
  override readonly name = "PackageStoreError" as const;
  readonly code = "PACKAGE_STORE_FAILED" as const;
  constructor(details: { file: string | null; reason: string }, options?: { cause?: unknown }) {
    super(`storing ${details.file ?? "metadata"} failed: ${details.reason}`, details, options);
  }
}
