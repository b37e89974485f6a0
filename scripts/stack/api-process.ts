/**
 * The rights API as a child process of the stack (`server/src/index.ts`, the `npm run server`
 * command): configured from its environment exactly as in production, so a request that crashes
 * or exhausts the API takes down neither the supervisor, nor the chain's journal, nor the indexer,
 * and the supervisor restarts it. Warnings and errors it logs are passed on; it exits by itself
 * when the stack goes away (its IPC channel closes), however the stack died.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { StackProcessError } from "./errors";

export interface ApiProcessOptions {
  /** The API's environment (the operator's, with the stack's own settings over it). */
  env: NodeJS.ProcessEnv;
  /** Where it answers once listening (http://HOST:PORT). */
  url: string;
  log: (line: string) => void;
  /** Called with the child as soon as it is spawned, before anything can fail. */
  track?: (child: ChildProcess) => void;
  /** How long to wait for /healthz to answer. */
  readyTimeoutMs?: number;
}

export interface ApiProcess {
  url: string;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The last lines a child wrote, to explain why it did not start. */
const KEPT_LINES = 20;

export async function startApiProcess(o: ApiProcessOptions): Promise<ApiProcess> {
  const root = path.resolve(__dirname, "..", "..");
  const child: ChildProcess = fork(path.join(root, "server", "src", "index.ts"), [], {
    cwd: root,
    env: o.env,
    execArgv: ["-r", "ts-node/register/transpile-only"],
    // Its own process group: a terminal's Ctrl-C reaches the stack, which stops it in order.
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  o.track?.(child);
  const recent: string[] = [];
  const forward = (line: string) => {
    if (line.trim() === "") return;
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
    try {
      const entry = JSON.parse(line) as { level?: number | string; msg?: string };
      // pino's numeric levels: 40 warn, 50 error, 60 fatal.
      const level = typeof entry.level === "number" ? (entry.level >= 50 ? "error" : entry.level >= 40 ? "warn" : null) : entry.level === "warn" || entry.level === "error" ? entry.level : null;
      if (level) o.log(`API ${level}: ${entry.msg}`);
    } catch {
      o.log(`API: ${line}`);
    }
  };
  readline.createInterface({ input: child.stdout! }).on("line", forward);
  readline.createInterface({ input: child.stderr! }).on("line", forward);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (gone()) return;
    child.kill("SIGINT");
    // The API gives open SSE streams 2 s before cutting them.
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const health = `${o.url}/healthz`;
  const timeoutMs = o.readyTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone()) {
      // Let the pipes drain, so the reason (a ConfigError, EADDRINUSE) is in the message.
      await new Promise((r) => setTimeout(r, 100));
      throw new StackProcessError("API", health, "exited", `the API exited (code ${child.exitCode}, signal ${child.signalCode}) before answering ${health}:\n${recent.join("\n")}`);
    }
    try {
      // Bounded: whatever else holds the port (a start that fails on EADDRINUSE) may never answer.
      const res = await fetch(health, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new StackProcessError("API", health, "timeout", `the API did not answer ${health} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: o.url, pid: child.pid!, exited, stop };
}
