/**
 * Builds the tantieme subgraph for tests as `npm run subgraph:build` does (ABIs from Hardhat's
 * artifacts, the networks module from networks.json, `graph codegen && graph build --network
 * hardhat`, offline) — in a copy in the checkout's build cache (scripts/stack/build-cache.ts), so that tests
 * never write into the repository's subgraph/ (its abis/, src/networks.ts, generated/ and build/
 * stay as they are). A copy is keyed by the hash of its inputs and reused while they are
 * unchanged; it is built in a fresh folder and renamed into place, so a half-built copy is never
 * used and concurrent runs never write into the same folder.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readAbi } from "../../../../scripts/export-abis";
import { readNetworks, renderNetworksModule } from "../../../../scripts/sync-networks";
import { cachedBuild } from "../../../../scripts/stack/build-cache";

const ROOT = path.resolve(__dirname, "../../../..");
export const SUBGRAPH_DIR = path.join(ROOT, "subgraph");
const CONTRACTS = ["Works", "Licensing", "Registrars", "Links"];
/** What the copy takes from subgraph/ (src/networks.ts is regenerated from networks.json). */
const SOURCES = ["schema.graphql", "subgraph.yaml", "networks.json", "src"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** The generated files of the copy: ABIs exported from the artifacts and the networks module. */
function generatedInputs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of CONTRACTS) out.set(path.join("abis", `${name}.json`), JSON.stringify(readAbi(name), null, 2) + "\n");
  out.set(path.join("src", "networks.ts"), renderNetworksModule(readNetworks(path.join(SUBGRAPH_DIR, "networks.json"))));
  return out;
}

function inputsHash(generated: Map<string, string>): string {
  const h = createHash("sha256");
  const sources = SOURCES.flatMap((entry) => {
    const full = path.join(SUBGRAPH_DIR, entry);
    return statSync(full).isDirectory() ? files(full) : [full];
  })
    .map((f) => path.relative(SUBGRAPH_DIR, f))
    .filter((f) => !generated.has(f))
    .sort();
  for (const f of sources) h.update(f).update("\0").update(readFileSync(path.join(SUBGRAPH_DIR, f)));
  for (const [f, text] of [...generated].sort(([a], [b]) => a.localeCompare(b))) h.update(f).update("\0").update(text);
  h.update(readFileSync(path.join(ROOT, "node_modules/@graphprotocol/graph-cli/package.json")));
  h.update(readFileSync(path.join(ROOT, "node_modules/@graphprotocol/graph-ts/package.json")));
  return h.digest("hex");
}

/** Returns the built manifest (<copy>/build/subgraph.yaml). */
export function buildTantiemeSubgraph(): string {
  const generated = generatedInputs();
  return cachedBuild("tantieme", inputsHash(generated), path.join("build", "subgraph.yaml"), (work) => {
    for (const entry of SOURCES) cpSync(path.join(SUBGRAPH_DIR, entry), path.join(work, entry), { recursive: true });
    for (const [file, text] of generated) {
      mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      writeFileSync(path.join(work, file), text);
    }
    // graph-cli resolves @graphprotocol/graph-ts from the subgraph folder's parents: the cache is
    // inside the checkout, so this checkout's node_modules.
    const graph = path.join(ROOT, "node_modules/.bin/graph");
    const env = { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" };
    execFileSync(graph, ["codegen"], { cwd: work, env, stdio: "pipe" });
    execFileSync(graph, ["build", "--network", "hardhat"], { cwd: work, env, stdio: "pipe" });
  });
}
