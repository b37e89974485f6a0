import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { tempDir } from "./bytes";

const PACKAGE_DIR = path.join(__dirname, "..", "kubo-rpc-server");

/** True when the dev-only js-ipfs package (test/core/content/kubo-rpc-server) has been installed. */
export function kuboRpcServerInstalled(): boolean {
  return existsSync(path.join(PACKAGE_DIR, "node_modules", "ipfs-core", "package.json"));
}

export const KUBO_RPC_SERVER_MISSING =
  "the independent Kubo RPC server is not installed: run `npm ci --prefix test/core/content/kubo-rpc-server --no-audit --no-fund`";

export interface KuboRpcServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts js-ipfs' Kubo RPC API offline on 127.0.0.1:<random port> in a fresh repo. */
export async function startKuboRpcServer(): Promise<KuboRpcServer> {
  const repo = await tempDir("kubo-repo");
  const child: ChildProcess = spawn(process.execPath, [path.join(PACKAGE_DIR, "server.mjs"), repo.dir], {
    cwd: PACKAGE_DIR,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    // A bound for a hang, not a speed target: js-ipfs starts in seconds on an idle machine.
    const timer = setTimeout(() => reject(new Error(`Kubo RPC server did not start in 240 s: ${stderr}`)), 240_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch (err) {
        reject(new Error(`unexpected output from the Kubo RPC server: ${line}`, { cause: err }));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Kubo RPC server exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await repo.remove();
    },
  };
}
