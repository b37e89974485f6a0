import { BaseError } from "../../../core/errors";
/** Typed errors of the delivery endpoints: a stable code, an HTTP status, details; never file bytes. */
export type DeliveryErrorCode =
  | "DELIVERY_DISABLED"
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "SIWE_INVALID_MESSAGE"
  | "SIWE_WRONG_DOMAIN"
  | "SIWE_WRONG_URI"
  | "SIWE_WRONG_CHAIN"
  | "SIWE_UNKNOWN_NONCE"
  | "SIWE_EXPIRED"
  | "SIWE_NOT_YET_VALID"
  | "SIWE_BAD_SIGNATURE"
  | "SESSION_MISSING"
  | "SESSION_INVALID"
  | "SESSION_EXPIRED"
  | "TICKET_INVALID"
  | "TICKET_EXPIRED"
  | "WORK_NOT_FOUND"
  | "FILE_NOT_LICENSED"
  | "NO_LICENCE"
  | "LICENCE_REVOKED"
  | "LICENCE_EXPIRED"
  | "LICENCE_NOT_YET_VALID"
  | "LICENCE_WRONG_RIGHT"
  | "RANGE_NOT_SATISFIABLE"
  | "UPSTREAM_UNAVAILABLE";

const STATUS: Record<DeliveryErrorCode, number> = {
  DELIVERY_DISABLED: 404,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  SIWE_INVALID_MESSAGE: 400,
  SIWE_WRONG_DOMAIN: 401,
  SIWE_WRONG_URI: 401,
  SIWE_WRONG_CHAIN: 401,
  SIWE_UNKNOWN_NONCE: 401,
  SIWE_EXPIRED: 401,
  SIWE_NOT_YET_VALID: 401,
  SIWE_BAD_SIGNATURE: 401,
  SESSION_MISSING: 401,
  SESSION_INVALID: 401,
  SESSION_EXPIRED: 401,
  TICKET_INVALID: 401,
  TICKET_EXPIRED: 401,
  WORK_NOT_FOUND: 404,
  FILE_NOT_LICENSED: 404,
  NO_LICENCE: 403,
  LICENCE_REVOKED: 403,
  LICENCE_EXPIRED: 403,
  LICENCE_NOT_YET_VALID: 403,
  LICENCE_WRONG_RIGHT: 403,
  RANGE_NOT_SATISFIABLE: 416,
  UPSTREAM_UNAVAILABLE: 503,
};

export class DeliveryError extends BaseError {
  override readonly name = "DeliveryError" as const;
  readonly status: number;
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
    this.status = STATUS[code];
  }

  toResponse(extraHeaders: Record<string, string> = {}): Response {
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", ...extraHeaders };
    if (this.status === 401) headers["www-authenticate"] = 'Bearer realm="tantieme-delivery"';
    return new Response(JSON.stringify({ error: { code: this.code, message: this.message, ...this.details } }), { status: this.status, headers });
  }
}
