import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { ApiError, upstreamUnavailable } from "../errors";
import { SubgraphError } from "../subgraph/client";

/**
 * yoga's maskError: expected errors (ApiError) pass; subgraph failures become
 * UPSTREAM_UNAVAILABLE; errors graphql-js raised about the request itself (syntax, validation,
 * variable coercion) get BAD_USER_INPUT; everything else is logged and masked as
 * "Unexpected error." (with the message and stack only in development).
 */
export function createMaskError(logger: Logger, isDev: boolean) {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (error instanceof ApiError) return error;
    if (original instanceof ApiError) return withPath(original, error);
    if (original instanceof SubgraphError) return withPath(upstreamUnavailable("subgraph", original.message, original), error);
    if (error instanceof GraphQLError && !original) {
      if (error.extensions?.code) return error;
      return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: { ...error.extensions, code: "BAD_USER_INPUT" } });
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

function withPath(err: ApiError, from: unknown): GraphQLError {
  const path = from instanceof GraphQLError ? from.path : undefined;
  if (!path) return err;
  return new GraphQLError(err.message, { path, nodes: from instanceof GraphQLError ? from.nodes : undefined, extensions: err.extensions, originalError: err });
}
