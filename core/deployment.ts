import fs from "node:fs";
import { getAddress } from "ethers";
import { z } from "zod";
import { BaseError } from "./errors";

/**
 * The one reader of deployment files (the API's DEPLOYMENT_FILE, the demo stack, the subgraph
 * network sync, benchmarks and tests). A deployment file names the Works and Licensing contracts
 * (address and start block), and since the registrar set and the links the Registrars and Links
 * contracts (optional: older files lack them), in one of three shapes — see readDeploymentFile.
 */

export interface ContractRef {
  address: string;
  startBlock: number;
}

export interface Deployment {
  chainId: number | undefined;
  works: ContractRef;
  licensing: ContractRef;
  /** The registrar set (absent in deployments from before it existed) */
  registrars?: ContractRef;
  /** Recording → composition links and society mandates (absent in older deployments) */
  links?: ContractRef;
}

/** A deployment file that cannot be read or is not one of the three shapes; `problem` says why. */
export class DeploymentFileError extends BaseError<{ file: string; problem: string }> {
  override readonly name = "DeploymentFileError" as const;
  readonly code = "DEPLOYMENT_INVALID" as const;
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(problem, { file, problem }, options);
  }
}

const Address = z.string().refine((a) => /^0x[0-9a-fA-F]{40}$/.test(a), "must be a 0x address").transform((a) => getAddress(a.toLowerCase()));
const Ref = z.object({ address: Address, startBlock: z.number().int().min(0).default(0) });

const OurFormat = z.object({
  chainId: z.number().int().positive().optional(),
  contracts: z.object({ Works: Ref, Licensing: Ref, Registrars: Ref.optional(), Links: Ref.optional() }).passthrough(),
});
const NetworkEntry = z.object({ Works: Ref, Licensing: Ref, Registrars: Ref.optional(), Links: Ref.optional() }).passthrough();

/** The optional contracts of a parsed entry, without undefined keys. */
function optional(entry: { Registrars?: ContractRef; Links?: ContractRef }): Pick<Deployment, "registrars" | "links"> {
  return { ...(entry.Registrars ? { registrars: entry.Registrars } : {}), ...(entry.Links ? { links: entry.Links } : {}) };
}

/** graph-cli network names → chain ids, to pick the entry of networks.json matching CHAIN_ID. */
export const NETWORK_CHAIN_IDS: Record<string, number> = {
  hardhat: 31337,
  localhost: 31337,
  mainnet: 1,
  sepolia: 11155111,
  holesky: 17000,
  "arbitrum-one": 42161,
  "arbitrum-sepolia": 421614,
  optimism: 10,
  "optimism-sepolia": 11155420,
  base: 8453,
  "base-sepolia": 84532,
  matic: 137,
  "polygon-amoy": 80002,
  gnosis: 100,
};

/**
 * The deployment file, in one of three shapes:
 * - `{ chainId, contracts: { Works: {address, startBlock}, Licensing: {…} } }`;
 * - graph-cli's `networks.json`: `{ "<network>": { Works: {…}, Licensing: {…} } }` — the entry named by
 *   `network`, else the one whose name maps to `chainId`, else the only one;
 * - Ignition's `deployed_addresses.json`: `{ "Tantieme#Works": "0x…", "Tantieme#Licensing": "0x…" }`.
 */
export function readDeploymentFile(file: string, options: { chainId?: number; network?: string } = {}): Deployment {
  const { chainId, network } = options;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (cause) {
    const problem = (cause as NodeJS.ErrnoException).code === "ENOENT" ? `file ${file} does not exist` : `cannot read ${file} as JSON: ${(cause as Error).message}`;
    throw new DeploymentFileError(file, problem, { cause });
  }
  const fail = (problem: string): never => {
    throw new DeploymentFileError(file, `${file}: ${problem}`);
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail("must be a JSON object");
  const obj = raw as Record<string, unknown>;
  if ("contracts" in obj) {
    const p = OurFormat.safeParse(obj);
    if (!p.success) return fail(formatZod(p.error));
    return { chainId: p.data.chainId, works: p.data.contracts.Works, licensing: p.data.contracts.Licensing, ...optional(p.data.contracts) };
  }
  const values = Object.values(obj);
  if (values.length > 0 && values.every((v) => typeof v === "string")) {
    const find = (name: string) => Object.entries(obj).find(([k]) => k === name || k.endsWith(`#${name}`))?.[1];
    const p = z
      .object({ works: Address, licensing: Address, registrars: Address.optional(), links: Address.optional() })
      .safeParse({ works: find("Works"), licensing: find("Licensing"), registrars: find("Registrars"), links: find("Links") });
    if (!p.success) return fail(`Ignition addresses: ${formatZod(p.error)}`);
    const at = (address: string | undefined) => (address === undefined ? undefined : { address, startBlock: 0 });
    return {
      chainId: undefined,
      works: { address: p.data.works, startBlock: 0 },
      licensing: { address: p.data.licensing, startBlock: 0 },
      ...optional({ Registrars: at(p.data.registrars), Links: at(p.data.links) }),
    };
  }
  const names = Object.keys(obj);
  let name: string | undefined;
  if (network !== undefined) {
    if (!(network in obj)) return fail(`has no network "${network}" (it has ${names.join(", ") || "none"})`);
    name = network;
  } else if (names.length === 1) name = names[0];
  else name = names.find((n) => NETWORK_CHAIN_IDS[n] === chainId);
  if (name === undefined) return fail(`has networks ${names.join(", ") || "(none)"}; set NETWORK to pick one`);
  const p = NetworkEntry.safeParse(obj[name]);
  if (!p.success) return fail(`network "${name}": ${formatZod(p.error)}`);
  return { chainId: NETWORK_CHAIN_IDS[name], works: p.data.Works, licensing: p.data.Licensing, ...optional(p.data) };
}

function formatZod(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}
