// Bytecode sizes and storage layouts of the deployed contracts, from the compiled artifacts, so a
// change of either shows up in review. Writes bench/results/bytecode.json and
// bench/results/storage-layout.json; `--check` compares instead and exits 1 on drift.
// Run after `hardhat compile`: npx ts-node --transpile-only scripts/contract-metrics.ts [--check]
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
/** The contracts Ignition deploys (tantieme's own; mocks excluded). */
export const DEPLOYED = [
  "Registrars", "Works", "Governance", "Licensing", "Links",
  "DealLib", "OfferLib", "RoyaltyLib", "RevocationLib", "ExclusivityLib", "LicenceViewLib",
] as const;
/** EIP-170 code size limit. */
export const CODE_LIMIT = 24_576;

interface BuildInfo {
  output: { contracts: Record<string, Record<string, { storageLayout?: { storage: StorageEntry[]; types: Record<string, { label: string; numberOfBytes: string }> | null }; evm?: { deployedBytecode?: { object: string } } }>> };
}
interface StorageEntry { label: string; slot: string; offset: number; type: string; contract: string }

/** `{ name: { bytes, headroom } }` and `{ name: [ "slot:offset label type" … ] }` for every deployed contract. */
export function contractMetrics(root = ROOT): { bytecode: Record<string, { bytes: number; headroom: number }>; storage: Record<string, string[]> } {
  const dir = path.join(root, "artifacts", "build-info");
  const bytecode: Record<string, { bytes: number; headroom: number }> = {};
  const storage: Record<string, string[]> = {};
  for (const file of fs.readdirSync(dir).sort()) {
    const info = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as BuildInfo;
    for (const [source, contracts] of Object.entries(info.output.contracts ?? {})) {
      if (!source.startsWith("contracts/")) continue;
      for (const [name, c] of Object.entries(contracts)) {
        if (!(DEPLOYED as readonly string[]).includes(name)) continue;
        // An incremental compile leaves older build infos beside the new one: take each contract
        // from the build info its artifact names.
        if (!isCurrentBuild(root, source, name, file)) continue;
        const bytes = (c.evm?.deployedBytecode?.object ?? "").length / 2;
        bytecode[name] = { bytes, headroom: CODE_LIMIT - bytes };
        const layout = c.storageLayout;
        if (!layout) throw new Error(`no storageLayout for ${name}: is outputSelection storageLayout enabled?`);
        storage[name] = layout.storage.map((e) => `${e.slot}:${e.offset} ${e.label} ${layout.types?.[e.type]?.label ?? e.type}`);
      }
    }
  }
  const missing = DEPLOYED.filter((n) => !(n in bytecode));
  if (missing.length > 0) throw new Error(`not compiled: ${missing.join(", ")}`);
  const sortKeys = <T>(o: Record<string, T>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return { bytecode: sortKeys(bytecode), storage: sortKeys(storage) };
}

/** Whether `artifacts/<source>/<name>.dbg.json` points at build info `file`. */
function isCurrentBuild(root: string, source: string, name: string, file: string): boolean {
  const dbg = path.join(root, "artifacts", source, `${name}.dbg.json`);
  if (!fs.existsSync(dbg)) return false;
  return path.basename((JSON.parse(fs.readFileSync(dbg, "utf8")) as { buildInfo: string }).buildInfo) === file;
}

export const BYTECODE_FILE = path.join(ROOT, "bench", "results", "bytecode.json");
export const STORAGE_FILE = path.join(ROOT, "bench", "results", "storage-layout.json");

function main(): void {
  const { bytecode, storage } = contractMetrics();
  const outputs: Array<[string, unknown]> = [[BYTECODE_FILE, bytecode], [STORAGE_FILE, storage]];
  if (process.argv.includes("--check")) {
    let drift = false;
    for (const [file, value] of outputs) {
      const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      if (committed !== JSON.stringify(value, null, 2) + "\n") {
        console.error(`${path.relative(ROOT, file)} is out of date: run npm run contracts:metrics and commit it`);
        drift = true;
      }
    }
    process.exitCode = drift ? 1 : 0;
    return;
  }
  for (const [file, value] of outputs) fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
  for (const [name, { bytes, headroom }] of Object.entries(bytecode)) console.log(`${name.padEnd(16)} ${String(bytes).padStart(6)} bytes (${headroom} to the limit)`);
}

if (require.main === module) main();
