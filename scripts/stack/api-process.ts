/**
 * The rights API as a child process of the stack (`server/src/index.ts`, the `npm run server`
 * command): configured from its environment exactly as in production, so a request that crashes
 * or exhausts the API takes down neither the supervisor, nor the chain's journal, nor the indexer,
 * and the supervisor restarts it. Warnings and errors it logs are passed on.
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { startChildPart, type ChildPart } from "./child";

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

export type ApiProcess = ChildPart;

/** pino's numeric levels: 40 warn, 50 error, 60 fatal. */
const levelName = (level: unknown): "warn" | "error" | null => (typeof level !== "number" ? null : level >= 50 ? "error" : level >= 40 ? "warn" : null);

export async function startApiProcess(o: ApiProcessOptions): Promise<ApiProcess> {
  const root = path.resolve(__dirname, "..", "..");
  const health = `${o.url}/healthz`;
  return startChildPart({
    part: "API",
    script: path.join(root, "server", "src", "index.ts"),
    env: o.env,
    cwd: root,
    url: health,
    ready: async (signal) => (await fetch(health, { signal })).ok,
    onLine: (line) => {
      try {
        const entry = JSON.parse(line) as { level?: unknown; msg?: string };
        const level = levelName(entry.level);
        if (level) o.log(`API ${level}: ${entry.msg}`);
      } catch {
        o.log(`API: ${line}`);
      }
    },
    track: o.track,
    readyTimeoutMs: o.readyTimeoutMs,
  });
}
