/** Why `npm start` could not bring the stack up: each names the step and what to do about it. */
import { BaseError } from "../../core/errors";

/** A setup step run as a child process (Ignition, graph-cli, an export) exited with an error. */
export class StackStepError extends BaseError<{ step: string; exitCode: number | null; output: string }> {
  override readonly name = "StackStepError" as const;
  readonly code = "STACK_STEP_FAILED" as const;
  constructor(step: string, exitCode: number | null, output: string) {
    super(`${step} failed (exit ${exitCode}):\n${output}`.trim(), { step, exitCode, output });
  }
}

/** The stack's configuration or data folder cannot give a step what it needs. */
export class StackSetupError extends BaseError<{ step: string; missing: string }> {
  override readonly name = "StackSetupError" as const;
  readonly code = "STACK_SETUP_INCOMPLETE" as const;
  constructor(step: string, missing: string, message: string) {
    super(message, { step, missing });
  }
}

/** A process of the stack (the chain, the subgraph runtime) exited or stayed silent while starting. */
export class StackProcessError extends BaseError<{ process: string; url: string; reason: "exited" | "timeout" }> {
  override readonly name = "StackProcessError" as const;
  readonly code = "STACK_PROCESS_NOT_READY" as const;
  constructor(process: string, url: string, reason: "exited" | "timeout", message: string) {
    super(message, { process, url, reason });
  }
}
