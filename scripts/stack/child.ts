/**
 * A part of the stack that runs as a child process (the subgraph runtime, the API): a TypeScript
 * entry forked with an IPC channel (it exits by itself when the stack goes away, however the stack
 * died) in its own process group (a terminal's Ctrl-C reaches the stack, which stops it in order).
 * Its output goes through `onLine`; it is ready when `ready` says so, and a child that exits first
 * is reported with the last lines it wrote (a ConfigError, EADDRINUSE). SIGINT stops it; SIGKILL
 * after 10 s.
 */
import { fork, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { StackProcessError } from "./errors";

export interface ChildPartOptions {
  /** The part's name in messages ("API", "subgraph runtime"). */
  part: string;
  /** The TypeScript entry (run with ts-node, transpile only). */
  script: string;
  /** Node flags before the entry (e.g. heap sizing). */
  nodeFlags?: readonly string[];
  args?: string[];
  /** Default: the stack's environment. */
  env?: NodeJS.ProcessEnv;
  cwd: string;
  /** What it serves once ready (named in errors). */
  url: string;
  /** Whether it is ready; bounded by `signal` (whatever else holds the port may never answer). */
  ready: (signal: AbortSignal) => Promise<boolean>;
  /** Every line it writes, stdout and stderr. */
  onLine: (line: string) => void;
  /** Called with the child as soon as it is spawned, before anything can fail. */
  track?: (child: ChildProcess) => void;
  /** How long to wait for `ready` (default 120 s). */
  readyTimeoutMs?: number;
}

export interface ChildPart {
  url: string;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The last lines a child wrote, to explain why it did not start. */
const KEPT_LINES = 20;
const PROBE_TIMEOUT_MS = 2000;
const STOP_GRACE_MS = 10_000;

export async function startChildPart(o: ChildPartOptions): Promise<ChildPart> {
  const child: ChildProcess = fork(o.script, o.args ?? [], {
    cwd: o.cwd,
    env: o.env ?? process.env,
    execArgv: [...(o.nodeFlags ?? []), "-r", "ts-node/register/transpile-only"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  o.track?.(child);
  const recent: string[] = [];
  const onLine = (line: string) => {
    if (line.trim() === "") return;
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
    o.onLine(line);
  };
  readline.createInterface({ input: child.stdout! }).on("line", onLine);
  readline.createInterface({ input: child.stderr! }).on("line", onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (gone()) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const timeoutMs = o.readyTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone()) {
      // Let the pipes drain, so that the reason is in the message.
      await new Promise((r) => setTimeout(r, 100));
      const said = recent.length ? `:\n${recent.join("\n")}` : "";
      throw new StackProcessError(o.part, o.url, "exited", `the ${o.part} exited (code ${child.exitCode}, signal ${child.signalCode}) before serving ${o.url}${said}`);
    }
    if (await o.ready(AbortSignal.timeout(PROBE_TIMEOUT_MS)).catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new StackProcessError(o.part, o.url, "timeout", `the ${o.part} did not serve ${o.url} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: o.url, pid: child.pid!, exited, stop };
}
