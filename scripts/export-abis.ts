/**
 * Exports the ABIs of the contracts the subgraph indexes (Works, Licensing) from Hardhat's
 * artifacts into subgraph/abis/<Name>.json — never copied by hand. Compiles the contracts first
 * (`hardhat compile`) when an artifact is missing, so it works from a fresh clone.
 *
 *   npx ts-node scripts/export-abis.ts [--check]
 *
 * `--check` exits non-zero (ExportAbisError STALE_ABI) when a committed ABI differs from the artifact.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BaseError } from "../core/errors";

export const ROOT = path.resolve(__dirname, "..");
export const ABI_DIR = path.join(ROOT, "subgraph", "abis");
/** The contracts the subgraph indexes: the data source name is the contract name. */
export const SUBGRAPH_CONTRACTS = ["Works", "Licensing", "Registrars", "Links"] as const;

export type ExportAbisErrorCode = "ARTIFACT_NOT_FOUND" | "ARTIFACT_AMBIGUOUS" | "ARTIFACT_INVALID" | "COMPILE_FAILED" | "STALE_ABI";

/** A failure of the ABI export, naming the contract (or file) and the reason. */
export class ExportAbisError extends BaseError {
  override readonly name = "ExportAbisError" as const;
  constructor(
    readonly code: ExportAbisErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
  }
}

function walk(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Path of the deployable artifact of `name` (artifacts/contracts/**\/<name>.sol/<name>.json, no interface or mock). */
export function findArtifact(name: string, artifactsDir = path.join(ROOT, "artifacts", "contracts")): string | undefined {
  const matches = walk(artifactsDir, []).filter((file) => {
    if (path.basename(file) !== `${name}.json` || path.basename(path.dirname(file)) !== `${name}.sol`) return false;
    const rel = path.relative(artifactsDir, file).split(path.sep);
    return rel[0] !== "interfaces" && rel[0] !== "mocks";
  });
  if (matches.length > 1) {
    throw new ExportAbisError("ARTIFACT_AMBIGUOUS", `contract ${name}: several artifacts match (${matches.join(", ")})`, { contract: name, matches });
  }
  return matches[0];
}

/** Reads the ABI of `name` from its artifact; it must be a deployable contract (non-empty bytecode). */
export function readAbi(name: string, artifactsDir?: string): unknown[] {
  const file = findArtifact(name, artifactsDir);
  if (file === undefined) {
    throw new ExportAbisError("ARTIFACT_NOT_FOUND", `contract ${name}: no artifact under artifacts/contracts (is it implemented and compiled?)`, { contract: name });
  }
  let artifact: { contractName?: unknown; abi?: unknown; bytecode?: unknown };
  try {
    artifact = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new ExportAbisError("ARTIFACT_INVALID", `contract ${name}: ${file} is not JSON`, { contract: name, file }, { cause });
  }
  if (artifact.contractName !== name || !Array.isArray(artifact.abi)) {
    throw new ExportAbisError("ARTIFACT_INVALID", `contract ${name}: ${file} has no abi for contract ${name}`, { contract: name, file });
  }
  if (typeof artifact.bytecode !== "string" || artifact.bytecode === "0x") {
    throw new ExportAbisError("ARTIFACT_INVALID", `contract ${name}: ${file} is abstract (no bytecode)`, { contract: name, file });
  }
  return artifact.abi;
}

/** Runs `hardhat compile` (offline: the compiler is the npm solc package, see hardhat.config.ts). */
export function compileContracts(): void {
  try {
    execFileSync(path.join(ROOT, "node_modules", ".bin", "hardhat"), ["compile", "--quiet"], { cwd: ROOT, stdio: "inherit" });
  } catch (cause) {
    throw new ExportAbisError("COMPILE_FAILED", "hardhat compile failed", {}, { cause });
  }
}

export interface ExportAbisParameters {
  /** Only compare with the committed files. */
  check?: boolean;
  /** Compile when an artifact is missing (default true). */
  compile?: boolean;
}

/** Writes subgraph/abis/<Name>.json for every indexed contract; returns the files written (or checked). */
export function exportAbis({ check = false, compile = true }: ExportAbisParameters = {}): string[] {
  if (compile && SUBGRAPH_CONTRACTS.some((name) => findArtifact(name) === undefined)) compileContracts();
  const rendered = SUBGRAPH_CONTRACTS.map((name) => ({
    name,
    file: path.join(ABI_DIR, `${name}.json`),
    text: JSON.stringify(readAbi(name), null, 2) + "\n",
  }));
  if (check) {
    for (const { name, file, text } of rendered) {
      if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
        throw new ExportAbisError("STALE_ABI", `contract ${name}: ${path.relative(ROOT, file)} differs from the artifact; run npm run subgraph:abis`, { contract: name, file });
      }
    }
    return rendered.map((r) => r.file);
  }
  mkdirSync(ABI_DIR, { recursive: true });
  for (const { file, text } of rendered) {
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
  }
  return rendered.map((r) => r.file);
}

if (require.main === module) {
  try {
    const files = exportAbis({ check: process.argv.includes("--check") });
    console.log(`${process.argv.includes("--check") ? "checked" : "exported"} ${files.map((f) => path.relative(ROOT, f)).join(", ")}`);
  } catch (error) {
    console.error(error instanceof ExportAbisError ? `${error.name} ${error.code}: ${error.message}` : error);
    process.exit(1);
  }
}
