/**
 * The one base of tantieme's typed errors (core, the subgraph runtime, the API, the CLI): a
 * literal `name`, a stable machine-readable `code`, structured `details` and the underlying
 * `cause` (viem's BaseError shape). The API maps them to GraphQL errors in one place
 * (server/src/plugins/errors.ts); the CLI prints `code` and `message`.
 */
export abstract class BaseError<Details extends object = Record<string, unknown>> extends Error {
  abstract override readonly name: string;
  abstract readonly code: string;
  readonly details: Details;

  constructor(message: string, details: Details, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = details;
  }
}

/** Whether a value is one of tantieme's typed errors. */
export function isBaseError(err: unknown): err is BaseError {
  return err instanceof BaseError;
}
