import { BaseError } from "../../core/errors";
/** A CLI failure with a stable code, printed as `error [CODE]: message` (or JSON with --json). */
export class CliError extends BaseError {
  override readonly name = "CliError" as const;
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
  }
}
