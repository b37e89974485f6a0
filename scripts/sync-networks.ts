/**
 * Keeps the subgraph's addresses in sync with deployments (graph-cli's networks.json convention).
 *
 *   npx ts-node scripts/sync-networks.ts --deployment chain-31337 [--network hardhat]
 *       reads ignition/deployments/<deployment>/deployed_addresses.json and the start blocks from
 *       the Ignition journal (journal.jsonl, the receipts of the deploying transactions), then
 *       writes subgraph/networks.json[<network>] and subgraph/src/networks.ts.
 *       --subgraph-dir <dir> writes <dir>/networks.json and <dir>/src/networks.ts instead (the demo
 *       stack builds its own copy of the subgraph so that it never rewrites the repository's).
 *   npx ts-node scripts/sync-networks.ts --module
 *       only regenerates subgraph/src/networks.ts from subgraph/networks.json (done by subgraph:build).
 *
 * subgraph/src/networks.ts gives the mappings each network's contract addresses: the Works data
 * source needs the Licensing address (the id of the Protocol entity) without an eth_call.
 * The network name defaults to "hardhat" for chain id 31337; other chains need --network.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress } from "ethers";
import { BaseError } from "../core/errors";

const ROOT = path.resolve(__dirname, "..");
export const NETWORKS_FILE = path.join(ROOT, "subgraph", "networks.json");
export const NETWORKS_MODULE = path.join(ROOT, "subgraph", "src", "networks.ts");
export const DEPLOYMENTS_DIR = path.join(ROOT, "ignition", "deployments");
const CONTRACTS = ["Works", "Licensing", "Registrars", "Links"] as const;
const DEFAULT_NETWORK_BY_CHAIN: Record<string, string> = { "31337": "hardhat" };

export type SyncNetworksErrorCode =
  | "DEPLOYMENT_NOT_FOUND"
  | "CONTRACT_NOT_DEPLOYED"
  | "CONTRACT_AMBIGUOUS"
  | "START_BLOCK_NOT_FOUND"
  | "NETWORK_REQUIRED"
  | "INVALID_NETWORKS_FILE";

/** A failure of the networks sync, naming the file or contract and the reason. */
export class SyncNetworksError extends BaseError {
  override readonly name = "SyncNetworksError" as const;
  constructor(
    readonly code: SyncNetworksErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
  }
}

export interface DataSourceNetwork {
  address: string;
  startBlock: number;
}
export type NetworksFile = Record<string, Record<string, DataSourceNetwork>>;

export function readNetworks(file = NETWORKS_FILE): NetworksFile {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new SyncNetworksError("INVALID_NETWORKS_FILE", `${file}: not JSON`, { file }, { cause });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SyncNetworksError("INVALID_NETWORKS_FILE", `${file}: not an object of networks`, { file });
  }
  for (const [network, sources] of Object.entries(parsed as Record<string, unknown>)) {
    for (const name of CONTRACTS) {
      const source = (sources as Record<string, Partial<DataSourceNetwork>> | null)?.[name];
      if (source === undefined) continue;
      if (typeof source.address !== "string" || !isAddress(source.address)) {
        throw new SyncNetworksError("INVALID_NETWORKS_FILE", `${file}: ${network}.${name}.address is not an address`, { file, network, contract: name });
      }
      if (!Number.isSafeInteger(source.startBlock) || (source.startBlock as number) < 0) {
        throw new SyncNetworksError("INVALID_NETWORKS_FILE", `${file}: ${network}.${name}.startBlock is not a block number`, { file, network, contract: name });
      }
    }
  }
  return parsed as NetworksFile;
}

/** Addresses and start blocks of the indexed contracts (Works, Licensing, Registrars, Links) in an Ignition deployment directory. */
export function readDeployment(deploymentDir: string): Record<(typeof CONTRACTS)[number], DataSourceNetwork> {
  const addressesFile = path.join(deploymentDir, "deployed_addresses.json");
  if (!existsSync(addressesFile)) {
    throw new SyncNetworksError("DEPLOYMENT_NOT_FOUND", `${addressesFile} does not exist`, { deploymentDir });
  }
  const addresses = JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>;
  const journalFile = path.join(deploymentDir, "journal.jsonl");
  const confirmations = new Map<string, number>();
  if (existsSync(journalFile)) {
    for (const line of readFileSync(journalFile, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const message = JSON.parse(line) as { type?: string; futureId?: string; receipt?: { blockNumber?: number } };
      if (message.type === "TRANSACTION_CONFIRM" && message.futureId && typeof message.receipt?.blockNumber === "number") {
        confirmations.set(message.futureId, message.receipt.blockNumber);
      }
    }
  }
  const out = {} as Record<(typeof CONTRACTS)[number], DataSourceNetwork>;
  for (const name of CONTRACTS) {
    const futures = Object.keys(addresses).filter((future) => future.endsWith(`#${name}`));
    if (futures.length === 0) {
      throw new SyncNetworksError("CONTRACT_NOT_DEPLOYED", `${addressesFile}: no future named <module>#${name}`, { deploymentDir, contract: name });
    }
    if (futures.length > 1) {
      throw new SyncNetworksError("CONTRACT_AMBIGUOUS", `${addressesFile}: several futures for ${name}: ${futures.join(", ")}`, { deploymentDir, contract: name, futures });
    }
    const startBlock = confirmations.get(futures[0]);
    if (startBlock === undefined) {
      throw new SyncNetworksError("START_BLOCK_NOT_FOUND", `${journalFile}: no confirmed transaction for ${futures[0]}`, { deploymentDir, contract: name });
    }
    out[name] = { address: getAddress(addresses[futures[0]]), startBlock };
  }
  return out;
}

/** The AssemblyScript module giving the mappings each network's addresses (generated, never edited). */
export function renderNetworksModule(networks: NetworksFile): string {
  const lines = [
    "// Generated by scripts/sync-networks.ts from subgraph/networks.json. Do not edit.",
    'import { Bytes } from "@graphprotocol/graph-ts";',
    "",
  ];
  for (const name of CONTRACTS) {
    const fn = `${name[0].toLowerCase()}${name.slice(1)}Address`;
    lines.push(`/** The ${name} contract of \`network\`, or null if networks.json has none. */`);
    lines.push(`export function ${fn}(network: string): Bytes | null {`);
    for (const network of Object.keys(networks).sort()) {
      const source = networks[network][name];
      if (source === undefined) continue;
      lines.push(`  if (network == ${JSON.stringify(network)}) return Bytes.fromHexString(${JSON.stringify(source.address.toLowerCase())});`);
    }
    lines.push("  return null;", "}", "");
  }
  return lines.join("\n");
}

export function writeNetworksModule(networks = readNetworks(), moduleFile = NETWORKS_MODULE): string {
  const text = renderNetworksModule(networks);
  if (!existsSync(moduleFile) || readFileSync(moduleFile, "utf8") !== text) writeFileSync(moduleFile, text);
  return moduleFile;
}

export interface SyncNetworksParameters {
  /** Deployment directory name under ignition/deployments (e.g. chain-31337) or a path. */
  deployment: string;
  /** Network name in networks.json; defaults to "hardhat" for chain-31337. */
  network?: string;
  /** The subgraph folder whose networks.json and src/networks.ts are written (default: the repository's subgraph/). */
  subgraphDir?: string;
}

/** Updates networks.json for one network from an Ignition deployment, then the networks module. */
export function syncNetworks({ deployment, network, subgraphDir }: SyncNetworksParameters): NetworksFile {
  const networksFile = subgraphDir ? path.join(subgraphDir, "networks.json") : NETWORKS_FILE;
  const moduleFile = subgraphDir ? path.join(subgraphDir, "src", "networks.ts") : NETWORKS_MODULE;
  const deploymentDir = path.isAbsolute(deployment) || deployment.includes(path.sep) ? path.resolve(deployment) : path.join(DEPLOYMENTS_DIR, deployment);
  const chainId = /chain-(\d+)$/.exec(deploymentDir)?.[1];
  const name = network ?? (chainId !== undefined ? DEFAULT_NETWORK_BY_CHAIN[chainId] : undefined);
  if (name === undefined) {
    throw new SyncNetworksError("NETWORK_REQUIRED", `deployment ${deployment}: pass --network <name> (only chain 31337 defaults to "hardhat")`, { deployment });
  }
  const networks = existsSync(networksFile) ? readNetworks(networksFile) : {};
  networks[name] = { ...networks[name], ...readDeployment(deploymentDir) };
  writeFileSync(networksFile, JSON.stringify(networks, null, 2) + "\n");
  writeNetworksModule(networks, moduleFile);
  return networks;
}

function argument(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (require.main === module) {
  try {
    if (process.argv.includes("--module")) {
      console.log(`wrote ${path.relative(ROOT, writeNetworksModule())}`);
    } else {
      const deployment = argument("--deployment");
      if (deployment === undefined) throw new SyncNetworksError("DEPLOYMENT_NOT_FOUND", "usage: sync-networks --deployment <chain-ID|dir> [--network <name>] [--subgraph-dir <dir>] | --module");
      const networks = syncNetworks({ deployment, network: argument("--network"), subgraphDir: argument("--subgraph-dir") });
      console.log(JSON.stringify(networks, null, 2));
    }
  } catch (error) {
    console.error(error instanceof SyncNetworksError ? `${error.name} ${error.code}: ${error.message}` : error);
    process.exit(1);
  }
}
