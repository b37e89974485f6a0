/**
 * Builds the web app (web/dist) when it is missing or older than its inputs: `npm start` calls
 * this before serving it. The inputs are hashed (web sources, the shared rules the app imports
 * from server/src/domain and server/src/metadata, the lockfile); the hash is kept in
 * web/dist/.inputs-sha256.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const INPUTS = ["web/src", "web/index.html", "web/vite.config.ts", "web/tsconfig.json", "server/src/domain", "server/src/metadata", "core", "package-lock.json"];

export function webInputsHash(root = ROOT): string {
  const hash = crypto.createHash("sha256");
  const walk = (p: string): void => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p)).update("\0").update(fs.readFileSync(p));
    }
  };
  for (const p of INPUTS) walk(path.join(root, p));
  return hash.digest("hex");
}

/** Returns "built" or "up to date"; throws with vite's output when the build fails. */
export function ensureWebBuild(root = ROOT): "built" | "up to date" {
  const dist = path.join(root, "web", "dist");
  const stamp = path.join(dist, ".inputs-sha256");
  const inputs = webInputsHash(root);
  if (fs.existsSync(path.join(dist, "index.html")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === inputs) return "up to date";
  const vite = path.join(path.dirname(require.resolve("vite", { paths: [root] })), "..", "..", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--config", path.join(root, "web", "vite.config.ts"), "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`web app build failed (exit ${result.status}):\n${(result.stdout ?? "") + (result.stderr ?? "")}`.trim());
  fs.writeFileSync(stamp, inputs);
  return "built";
}

if (require.main === module) process.stdout.write(`web app ${ensureWebBuild()}\n`);
