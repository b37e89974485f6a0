/**
 * Typed errors of the content store and the gateway. Each has a literal `name`, a stable `code`,
 * a short message, structured `details` and the underlying `cause` (viem-style).
 */

import { BaseError } from "../errors";

export type IpfsErrorCode =
  | "IPFS_INVALID_CID"
  | "IPFS_NOT_FOUND"
  | "IPFS_CONTENT_TOO_LARGE"
  | "IPFS_INVALID_RANGE"
  | "IPFS_NOT_A_FILE"
  | "IPFS_STORE_CLOSED"
  | "IPFS_INVALID_CONFIG"
  | "IPFS_STORE_FAILED";

export abstract class IpfsError<Details extends object = Record<string, unknown>> extends BaseError<Details> {
  abstract override readonly code: IpfsErrorCode;
}

/** A string (or value) that is not a CID this store can address. */
export class InvalidCidError extends IpfsError<{ field: string; value: string; reason: string }> {
  override readonly name = "InvalidCidError" as const;
  readonly code = "IPFS_INVALID_CID" as const;
  constructor(details: { field: string; value: string; reason: string }, options?: { cause?: unknown }) {
    super(`${details.field}: "${truncate(details.value)}" is not a valid CID (${details.reason})`, details, options);
  }
}

/** The content (or one of its blocks) is not in the store. */
export class ContentNotFoundError extends IpfsError<{ cid: string; reason: string }> {
  override readonly name = "ContentNotFoundError" as const;
  readonly code = "IPFS_NOT_FOUND" as const;
  constructor(details: { cid: string; reason: string }, options?: { cause?: unknown }) {
    super(`content ${details.cid} not found: ${details.reason}`, details, options);
  }
}

/** `catBytes` refused to read a file larger than the caller's limit. */
export class ContentTooLargeError extends IpfsError<{ cid: string; size: number; maxBytes: number }> {
  override readonly name = "ContentTooLargeError" as const;
  readonly code = "IPFS_CONTENT_TOO_LARGE" as const;
  constructor(details: { cid: string; size: number; maxBytes: number }, options?: { cause?: unknown }) {
    super(`content ${details.cid} is ${details.size} bytes, more than the limit of ${details.maxBytes}`, details, options);
  }
}

/** offset/length outside what a file can give. */
export class InvalidRangeError extends IpfsError<{ field: "offset" | "length" | "maxBytes"; value: unknown; reason: string }> {
  override readonly name = "InvalidRangeError" as const;
  readonly code = "IPFS_INVALID_RANGE" as const;
  constructor(details: { field: "offset" | "length" | "maxBytes"; value: unknown; reason: string }, options?: { cause?: unknown }) {
    super(`${details.field}: ${String(details.value)} ${details.reason}`, details, options);
  }
}

/** The CID points at a directory or another non-file node. */
export class NotAFileError extends IpfsError<{ cid: string; type: string }> {
  override readonly name = "NotAFileError" as const;
  readonly code = "IPFS_NOT_A_FILE" as const;
  constructor(details: { cid: string; type: string }, options?: { cause?: unknown }) {
    super(`content ${details.cid} is a ${details.type}, not a file`, details, options);
  }
}

export class StoreClosedError extends IpfsError<{ operation: string }> {
  override readonly name = "StoreClosedError" as const;
  readonly code = "IPFS_STORE_CLOSED" as const;
  constructor(details: { operation: string }) {
    super(`content store is closed (${details.operation})`, details);
  }
}

export class InvalidStoreConfigError extends IpfsError<{ field: string; value: unknown; reason: string }> {
  override readonly name = "InvalidStoreConfigError" as const;
  readonly code = "IPFS_INVALID_CONFIG" as const;
  constructor(details: { field: string; value: unknown; reason: string }, options?: { cause?: unknown }) {
    super(`${details.field}: ${details.reason}`, details, options);
  }
}

/** An unexpected failure of the underlying store (disk, Kubo RPC); `cause` holds the original. */
export class StoreOperationError extends IpfsError<{ operation: string; cid?: string; reason: string }> {
  override readonly name = "StoreOperationError" as const;
  readonly code = "IPFS_STORE_FAILED" as const;
  constructor(details: { operation: string; cid?: string; reason: string }, options?: { cause?: unknown }) {
    super(`${details.operation}${details.cid ? ` ${details.cid}` : ""} failed: ${details.reason}`, details, options);
  }
}

export function isIpfsError(err: unknown): err is IpfsError {
  return err instanceof IpfsError;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
