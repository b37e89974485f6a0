/**
 * The typed GraphQL client for the rights API. Queries are written with `graphql(…)` from
 * gql.tada, typed from web/src/graphql/schema.graphql (generated from the server's own schema by
 * `npm run web:schema`): a renamed field fails `npm run web:typecheck`.
 */
import { print, type DocumentNode } from "graphql";
import { initGraphQLTada, type ResultOf, type VariablesOf, type TadaDocumentNode } from "gql.tada";
import type { introspection } from "../graphql/graphql-env";
import { getApiKey } from "./apiKey";
import { BaseError } from "../../../core/errors";

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { BigInt: string; JSON: unknown; File: File; ID: string };
}>();
export type { ResultOf, VariablesOf };

export const GRAPHQL_URL = "/graphql";

/** An error the API (or the network) gave, with the API's `extensions.code` and `field`. */
export class ApiError extends BaseError<{ field?: string }> {
  override readonly name = "ApiError" as const;
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message, field === undefined ? {} : { field });
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

const printed = new WeakMap<object, string>();

/** The document's text, with its fragments (gql.tada documents carry no source location). */
export function bodyOf(doc: object): string {
  let body = printed.get(doc);
  if (body === undefined) {
    body = print(doc as DocumentNode);
    printed.set(doc, body);
  }
  return body;
}

/** Turns a GraphQL response (any HTTP status) into data or an ApiError. */
export function unwrap<T>(status: number, json: GraphQLResponse<T> | null): T {
  const first = json?.errors?.[0];
  if (first) throw new ApiError(first.extensions?.code ?? (status === 429 ? "RATE_LIMITED" : "INTERNAL_SERVER_ERROR"), first.message, first.extensions?.field);
  if (status >= 400 || !json?.data) throw new ApiError(status === 429 ? "RATE_LIMITED" : status === 401 ? "UNAUTHENTICATED" : "UPSTREAM_UNAVAILABLE", `HTTP ${status}`);
  return json.data;
}

export async function request<R, V>(doc: TadaDocumentNode<R, V>, variables: V, options: { signal?: AbortSignal } = {}): Promise<R> {
  const key = getApiKey();
  const query = bodyOf(doc);
  let res: Response;
  try {
    res = await fetch(GRAPHQL_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError("NETWORK", (err as Error).message);
  }
  const json = (await res.json().catch(() => null)) as GraphQLResponse<R> | null;
  return unwrap(res.status, json);
}
