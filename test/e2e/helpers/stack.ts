/**
 * Starts the whole stack exactly as the README does (`npm start`), on free ports and a temporary
 * data folder, and stops it like Ctrl-C does (SIGINT to its process group) — or kills it like a
 * crash does (SIGKILL to its process group).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

export interface StackPorts {
  rpc: number;
  graph: number;
  status: number;
  api: number;
}

export interface RunningStack {
  dataDir: string;
  apiUrl: string;
  rpcUrl: string;
  graphUrl: string;
  apiKey: string;
  output: string[];
  stop(): Promise<number | null>;
}

/** A stack this helper started: its ports and process, and a crash on demand. */
export interface OwnedStack extends RunningStack {
  ports: StackPorts;
  pid: number;
  /** SIGKILL to the whole `npm start` process group, as a crash or `kill -9` would. */
  kill9(): Promise<void>;
}

export interface LaunchedStack extends Omit<OwnedStack, "apiKey"> {
  /** Resolves with the API key when the stack printed its welcome; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

/** Ports this test process handed out: never handed out twice, though the first taker may not have bound it yet. */
const handedOut = new Set<number>();

/** The lowest port the kernel hands out for outgoing connections (Linux; else the IANA default). */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 49152;
  } catch {
    return 49152;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port for a process the test starts later (`npm start --api-port …`). It is picked below the
 * kernel's ephemeral range, so no outgoing connection (the test's own HTTP and RPC clients) can
 * take it between this check and the stack's bind, and never twice in one test run.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(10_000, high - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port); // before the check, so concurrent calls never pick the same port
    if (await bindable(port)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free port between ${low} and ${high} after 200 tries`);
}

/** Whether something accepts connections on 127.0.0.1:port. */
export async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface LaunchOptions {
  dataDir?: string;
  seed?: boolean;
  timeoutMs?: number;
  /** More `npm start` arguments (e.g. `--repair`). */
  args?: string[];
  ports?: Partial<StackPorts>;
  /** Environment variables set over the test's own (e.g. an operator's setting). */
  env?: NodeJS.ProcessEnv;
}

/** Spawns `npm start` in its own process group and returns at once. */
export async function launchStackProcess(opts: LaunchOptions = {}): Promise<LaunchedStack> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-stack-"));
  const ports: StackPorts = {
    rpc: opts.ports?.rpc ?? (await freePort()),
    graph: opts.ports?.graph ?? (await freePort()),
    status: opts.ports?.status ?? (await freePort()),
    api: opts.ports?.api ?? (await freePort()),
  };
  const args = ["start", "--", "--data", dataDir, "--rpc-port", String(ports.rpc), "--graph-port", String(ports.graph), "--status-port", String(ports.status), "--api-port", String(ports.api)];
  if (opts.seed === false) args.push("--no-seed");
  args.push(...(opts.args ?? []));
  const child: ChildProcess = spawn("npm", args, {
    cwd: path.resolve(__dirname, "..", "..", ".."),
    env: { ...process.env, LOG_LEVEL: "warn", FORCE_COLOR: "0", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const lines = readline.createInterface({ input: child.stdout! });
  const errLines = readline.createInterface({ input: child.stderr! });
  errLines.on("line", (l) => output.push(l));
  let apiKey = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    // Stuck means silent: the stack reports each step (compile, deploy, subgraph build…), so the
    // timer restarts with every line; a busy machine may take long in total (the test's timeout
    // bounds that), but never minutes without a word. timeoutMs: the longest silence. A stack
    // that does not get ready is killed, so nothing is left running behind a failed test.
    const silentMs = opts.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const arm = () => {
      clearTimeout(timer);
      if (settled) return;
      timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
        reject(new Error(`the stack printed nothing for ${silentMs} ms while starting:\n${output.join("\n")}`));
      }, silentMs);
    };
    arm();
    errLines.on("line", arm);
    lines.on("line", (line) => {
      arm();
      output.push(line);
      const key = /API key \(write \+ bulk\)\s+(tk_\S+)/.exec(line);
      if (key) apiKey = key[1]!;
      if (line.startsWith("Ctrl-C stops everything")) {
        settled = true;
        clearTimeout(timer);
        resolve(apiKey);
      }
    });
    void exited.then((code) => {
      settled = true;
      clearTimeout(timer);
      reject(new Error(`the stack exited (code ${code}) before it was ready:\n${output.join("\n")}`));
    });
  });
  ready.catch(() => undefined);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    dataDir,
    ports,
    apiUrl: `http://127.0.0.1:${ports.api}/graphql`,
    rpcUrl: `http://127.0.0.1:${ports.rpc}`,
    graphUrl: `http://127.0.0.1:${ports.graph}/subgraphs/name/tantieme`,
    output,
    pid: child.pid!,
    ready,
    exited,
    async stop() {
      if (gone()) return child.exitCode;
      process.kill(-child.pid!, "SIGINT");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      if (!gone()) {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
}

export async function startStackProcess(opts: LaunchOptions = {}): Promise<OwnedStack> {
  const launched = await launchStackProcess(opts);
  const apiKey = await launched.ready;
  return { ...launched, apiKey };
}

/** Waits until nothing listens on any of the ports (the parts of a stopped or killed stack exit by themselves). */
export async function waitPortsClosed(ports: number[], timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open: number[] = [];
    for (const p of ports) if (await listening(p)) open.push(p);
    if (open.length === 0 || Date.now() > deadline) return open;
    await new Promise((r) => setTimeout(r, 200));
  }
}
