/**
 * The local stack a benchmark measures (scripts/start.ts's startStack, no demo catalogue) in a
 * temporary data folder on free ports, with a rate limit its API key will not reach.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack, type Stack } from "../scripts/start";
import { freePort } from "./helpers";

export interface BenchStack {
  stack: Stack;
  data: string;
  rpcUrl: string;
  /** The API's GraphQL endpoint. */
  api: string;
  /** The subgraph's GraphQL endpoint (the embedded runtime, as graph-node serves it). */
  subgraph: string;
  /** The stack's API key as a header. */
  auth: { authorization: string };
  /** Stops the stack and removes its data folder (kept with BENCH_KEEP). */
  stop(): Promise<void>;
}

export async function startBenchStack(name: string): Promise<BenchStack> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), `tantieme-bench-${name}-`));
  const [rpcPort, graphPort, statusPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  // The bench's key needs a high limit; LOG_LEVEL as in BENCH_LOG_LEVEL (the stack's API reads the operator's environment).
  process.env.RATE_LIMIT_KEY_PER_MIN = "10000000";
  process.env.RATE_LIMIT_KEY_BURST = "1000000";
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";
  const stack = await startStack({ data, seed: false, reset: true, rpcPort, graphPort, statusPort, apiPort });
  return {
    stack,
    data,
    rpcUrl: `http://127.0.0.1:${rpcPort}`,
    api: `http://127.0.0.1:${apiPort}/graphql`,
    subgraph: `http://127.0.0.1:${graphPort}/subgraphs/name/tantieme`,
    auth: { authorization: `Bearer ${stack.apiKey}` },
    async stop() {
      await stack.stop();
      if (!process.env.BENCH_KEEP) fs.rmSync(data, { recursive: true, force: true });
    },
  };
}
