/**
 * Builds the tantieme subgraph (subgraph/) for tests exactly as `npm run subgraph:build` does:
 * ABIs exported from Hardhat's artifacts, networks module, `graph codegen && graph build
 * --network hardhat`, offline. Skips the build when its inputs are unchanged since the last one.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportAbis } from "../../../../scripts/export-abis";
import { writeNetworksModule } from "../../../../scripts/sync-networks";

const ROOT = path.resolve(__dirname, "../../../..");
export const SUBGRAPH_DIR = path.join(ROOT, "subgraph");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function inputsHash(): string {
  const h = createHash("sha256");
  const inputs = [
    "schema.graphql",
    "subgraph.yaml",
    "networks.json",
    ...files(path.join(SUBGRAPH_DIR, "src")).map((f) => path.relative(SUBGRAPH_DIR, f)),
    ...files(path.join(SUBGRAPH_DIR, "abis")).map((f) => path.relative(SUBGRAPH_DIR, f)),
  ].sort();
  for (const f of inputs) h.update(f).update(readFileSync(path.join(SUBGRAPH_DIR, f)));
  h.update(readFileSync(path.join(ROOT, "node_modules/@graphprotocol/graph-cli/package.json")));
  return h.digest("hex");
}

/** Returns the built manifest (subgraph/build/subgraph.yaml). */
export function buildTantiemeSubgraph(): string {
  exportAbis({ compile: false });
  writeNetworksModule();
  const stamp = path.join(SUBGRAPH_DIR, "build", ".inputs-hash");
  const manifest = path.join(SUBGRAPH_DIR, "build", "subgraph.yaml");
  const hash = inputsHash();
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash && existsSync(manifest)) return manifest;
  const graph = path.join(ROOT, "node_modules/.bin/graph");
  const env = { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" };
  execFileSync(graph, ["codegen"], { cwd: SUBGRAPH_DIR, env, stdio: "pipe" });
  execFileSync(graph, ["build", "--network", "hardhat"], { cwd: SUBGRAPH_DIR, env, stdio: "pipe" });
  writeFileSync(stamp, hash);
  return manifest;
}
