/**
 * Starts the whole stack exactly as the README does (`npm start`), on free ports and a temporary
 * data folder, and stops it like Ctrl-C does (SIGINT to its process group).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

export interface RunningStack {
  dataDir: string;
  apiUrl: string;
  rpcUrl: string;
  graphUrl: string;
  apiKey: string;
  output: string[];
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startStackProcess(opts: { dataDir?: string; seed?: boolean; timeoutMs?: number } = {}): Promise<RunningStack> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-stack-"));
  const [rpc, graph, status, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const args = ["start", "--", "--data", dataDir, "--rpc-port", String(rpc), "--graph-port", String(graph), "--status-port", String(status), "--api-port", String(api)];
  if (opts.seed === false) args.push("--no-seed");
  const child: ChildProcess = spawn("npm", args, {
    cwd: path.resolve(__dirname, "..", "..", ".."),
    env: { ...process.env, LOG_LEVEL: "warn", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const lines = readline.createInterface({ input: child.stdout! });
  const errLines = readline.createInterface({ input: child.stderr! });
  errLines.on("line", (l) => output.push(l));
  let apiKey = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    // Stuck means silent: the stack reports each step (compile, deploy, subgraph build…), so the
    // timer restarts with every line; a busy machine may take long in total (the test's timeout
    // bounds that), but never minutes without a word. timeoutMs: the longest silence.
    const silentMs = opts.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => reject(new Error(`the stack printed nothing for ${silentMs} ms while starting:\n${output.join("\n")}`)), silentMs);
    };
    arm();
    errLines.on("line", arm);
    lines.on("line", (line) => {
      arm();
      output.push(line);
      const key = /API key \(write \+ bulk\)\s+(tk_\S+)/.exec(line);
      if (key) apiKey = key[1]!;
      if (line.startsWith("Ctrl-C stops everything")) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited (code ${code}) before it was ready:\n${output.join("\n")}`));
    });
  });
  return {
    dataDir,
    apiUrl: `http://127.0.0.1:${api}/graphql`,
    rpcUrl: `http://127.0.0.1:${rpc}`,
    graphUrl: `http://127.0.0.1:${graph}/subgraphs/name/tantieme`,
    apiKey,
    output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      process.kill(-child.pid!, "SIGINT");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
