import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { BaseError } from "../../../core/errors";
import { ApiError, upstreamUnavailable } from "../errors";
import { SubgraphError } from "../subgraph/client";

/**
 * The one mapping of tantieme's typed errors (core/errors.ts BaseError) that reach the API
 * unconverted to GraphQL errors: the index, the content store and a failed store write are
 * upstream failures (UPSTREAM_UNAVAILABLE); a bad identifier, right, territory, metadata document
 * or package is the caller's (BAD_USER_INPUT). Anything else is not expected here (null: masked).
 */
export function apiErrorOf(err: BaseError): ApiError | null {
  if (err instanceof SubgraphError) return upstreamUnavailable("subgraph", err.message, err);
  if (err.code === "PACKAGE_STORE_FAILED" || err.code.startsWith("IPFS_")) return upstreamUnavailable("ipfs", err.message, err);
  if (/^(INVALID_(IDENTIFIER|TERRITORY|RIGHT)|METADATA_|PACKAGE_)/.test(err.code)) {
    const field = (err.details as { field?: unknown }).field;
    return new ApiError("BAD_USER_INPUT", err.message, { ...(typeof field === "string" ? { field } : {}), details: { reason: err.code }, cause: err });
  }
  return null;
}

/**
 * yoga's maskError: expected errors (ApiError) pass; typed errors are mapped by apiErrorOf
 * (subgraph failures become UPSTREAM_UNAVAILABLE); errors graphql-js raised about the request itself (syntax, validation,
 * variable coercion) get BAD_USER_INPUT; everything else is logged and masked as
 * "Unexpected error." (with the message and stack only in development).
 */
export function createMaskError(logger: Logger, isDev: boolean) {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (error instanceof ApiError) return error;
    if (original instanceof ApiError) return withPath(original, error);
    const mapped = original instanceof BaseError ? apiErrorOf(original) : null;
    if (mapped) return withPath(mapped, error);
    if (error instanceof GraphQLError && !original) {
      if (error.extensions?.code) return error;
      return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: { ...error.extensions, code: "BAD_USER_INPUT" } });
    }
    // graphql-js wraps its own reports about the request in another GraphQLError (a variable's
    // value the scalar refused: "Variable "$f" got invalid value "abc"; Int cannot represent…").
    if (error instanceof GraphQLError && original instanceof GraphQLError && !original.originalError) {
      return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: { code: "BAD_USER_INPUT", ...original.extensions, ...error.extensions, http: { status: 400 } } });
    }
    logger.error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, "unexpected error");
    return new GraphQLError(message, {
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: {
        code: "INTERNAL_SERVER_ERROR",
        ...(isDev && original instanceof Error ? { originalError: { message: original.message, stack: original.stack?.split("\n") } } : {}),
      },
    });
  };
}

/**
 * How bad an error is, for logging: `expected` — the caller's fault (ApiError other than
 * UPSTREAM_UNAVAILABLE, errors graphql-js raised about the request: syntax, validation, variables);
 * `upstream` — a dependency failed (subgraph, RPC, IPFS); `unexpected` — a bug, masked.
 */
export function errorKind(error: unknown): "expected" | "upstream" | "unexpected" {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (original instanceof SubgraphError) return "upstream";
  if (original instanceof ApiError) return original.code === "UPSTREAM_UNAVAILABLE" ? "upstream" : "expected";
  if (error instanceof GraphQLError && !error.originalError) return error.extensions?.code === "INTERNAL_SERVER_ERROR" ? "unexpected" : "expected";
  if (original instanceof GraphQLError) return errorKind(original);
  return "unexpected";
}

/**
 * yoga's logger over pino. yoga calls `error(err)` for every error its maskError replaced — also
 * for expected ones (an ApiError given its path, a validation error given a code): those go to
 * info (caller errors) or warn (upstream failures); unexpected errors are logged once, at error, by
 * createMaskError with the request's path, so yoga's own report of them is kept at debug.
 */
export function createYogaLogger(logger: Logger) {
  const at = (err: unknown): "info" | "warn" | "debug" => {
    const kind = errorKind(err);
    return kind === "expected" ? "info" : kind === "upstream" ? "warn" : "debug";
  };
  const errFields = (err: unknown) => {
    const original = err instanceof GraphQLError && err.originalError ? err.originalError : err;
    return {
      message: (err as Error)?.message,
      code: (original as { code?: string })?.code ?? (err as GraphQLError)?.extensions?.code,
      field: (original as { field?: string })?.field,
    };
  };
  return {
    debug: (...a: unknown[]) => logger.debug({ args: a }, "yoga"),
    info: (...a: unknown[]) => logger.info({ args: a }, "yoga"),
    warn: (...a: unknown[]) => logger.warn({ args: a }, "yoga"),
    error: (...a: unknown[]) => {
      const err = a[0];
      if (a.length === 1 && (err instanceof Error || err instanceof GraphQLError)) {
        logger[at(err)]({ error: errFields(err), kind: errorKind(err) }, "graphql error");
      } else logger.error({ args: a }, "yoga error");
    },
  };
}

function withPath(err: ApiError, from: unknown): GraphQLError {
  const path = from instanceof GraphQLError ? from.path : undefined;
  if (!path) return err;
  return new GraphQLError(err.message, { path, nodes: from instanceof GraphQLError ? from.nodes : undefined, extensions: err.extensions, originalError: err });
}
