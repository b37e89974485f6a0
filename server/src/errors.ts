import { GraphQLError } from "graphql";

/** The codes every expected API error carries in `extensions.code`. */
export type ApiErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "NOT_FOUND"
  | "UPSTREAM_UNAVAILABLE"
  | "PAYLOAD_TOO_LARGE"
  | "QUERY_TOO_COMPLEX"
  | "TRANSACTION_REVERTED";

const HTTP_STATUS: Record<ApiErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  UPSTREAM_UNAVAILABLE: 503,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_TOO_COMPLEX: 400,
  // Mined, but the contract refused it: the request was well-formed, its effect was not possible.
  TRANSACTION_REVERTED: 422,
};

export interface ApiErrorOptions {
  /** The argument or input field at fault, as a dotted path (`requests.3.licensee`). */
  field?: string;
  /** Extra machine-readable details. */
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Override the HTTP status yoga uses when this is the only error (default: per code). */
  httpStatus?: number;
  /** Response headers yoga sets when this error decides the response (e.g. Retry-After). */
  httpHeaders?: Record<string, string>;
}

/**
 * An expected error: a GraphQLError with `extensions.code`, the field at fault and an HTTP status.
 * Never masked. Its `cause` is kept on the object (for logs) but never serialised.
 */
export class ApiError extends GraphQLError {
  override readonly name = "ApiError" as const;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, {
      extensions: {
        code,
        ...(options.field !== undefined ? { field: options.field } : {}),
        ...(options.details ?? {}),
        http: { status: options.httpStatus ?? HTTP_STATUS[code], ...(options.httpHeaders ? { headers: options.httpHeaders } : {}) },
      },
    });
    this.code = code;
    this.field = options.field;
    if (options.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause, enumerable: false });
  }
}

/** `field: reason` as a BAD_USER_INPUT error. */
export function badInput(field: string, reason: string, details?: Record<string, unknown>): ApiError {
  return new ApiError("BAD_USER_INPUT", `${field}: ${reason}`, { field, details });
}

export function notFound(field: string, what: string, details?: Record<string, unknown>): ApiError {
  return new ApiError("NOT_FOUND", `${field}: ${what} not found`, { field, details });
}

export function upstreamUnavailable(service: string, reason: string, cause?: unknown): ApiError {
  return new ApiError("UPSTREAM_UNAVAILABLE", `${service} unavailable: ${reason}`, { details: { service }, cause });
}

/** The JSON body of an error answered before GraphQL execution (auth, rate limits, body size). */
export function errorResponse(code: ApiErrorCode, message: string, headers: Record<string, string> = {}, status?: number): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status: status ?? HTTP_STATUS[code],
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
