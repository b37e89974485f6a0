/**
 * How the CLI speaks: human-readable lines and progress bars on a terminal, or exactly one JSON
 * document on stdout with --json (progress then goes nowhere, errors become `{"error": {...}}`).
 */
import { SingleBar, Presets } from "cli-progress";
import { CliError } from "./errors";

export interface Output {
  readonly json: boolean;
  /** A line for humans (suppressed with --json). */
  info(line: string): void;
  /** The command's result: printed as JSON with --json, else through `human`. */
  result<T>(value: T, human: (value: T) => string): void;
  /** A progress bar over `total` units (bytes, confirmations); a no-op with --json or off a terminal. */
  progress(label: string, total: number, unit?: string): Progress;
  error(err: unknown): void;
}

export interface Progress {
  update(value: number): void;
  stop(): void;
}

const noProgress: Progress = { update: () => undefined, stop: () => undefined };

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export function createOutput(json: boolean, stdout: OutputStream = process.stdout, stderr: OutputStream = process.stderr): Output {
  return {
    json,
    info(line) {
      if (!json) stdout.write(`${line}\n`);
    },
    result(value, human) {
      stdout.write(json ? `${JSON.stringify(value, jsonReplacer, 2)}\n` : `${human(value)}\n`);
    },
    progress(label, total, unit = "") {
      if (json || !stderr.isTTY) return noProgress;
      const bar = new SingleBar(
        { format: `${label} [{bar}] {percentage}% {value}/{total}${unit}`, stream: stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false },
        Presets.shades_classic,
      );
      bar.start(total, 0);
      return { update: (v) => bar.update(v), stop: () => bar.stop() };
    },
    error(err) {
      const e =
        err instanceof CliError
          ? { code: err.code, message: err.message, ...err.details }
          : { code: "UNEXPECTED", message: err instanceof Error ? err.message : String(err) };
      if (json) stdout.write(`${JSON.stringify({ error: e }, jsonReplacer, 2)}\n`);
      else stderr.write(`error [${e.code}]: ${e.message}\n`);
    },
  };
}

/** bigint as decimal strings in JSON. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
