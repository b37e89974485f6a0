import { countryToBytes2 } from "../../../core/domain/territory";
import { AbiCoder, Transaction, TypedDataEncoder, keccak256, type Provider, type TransactionReceipt, type TypedDataDomain, type TypedDataField } from "ethers";
import type { Deployment } from "../config";
import { ApiError, badInput, upstreamUnavailable } from "../errors";
import { decodeRevert, eip5267Interface, erc20Contract, licensingContract, licensingInterface, linksContract, registrarsContract, worksContract, worksInterface } from "./contracts";
import { rpcProvider } from "../../../core/chain";

/** An unsigned transaction for the user's wallet to sign. */
export interface PreparedTransaction {
  /** What it does, for people. */
  description: string;
  to: string;
  data: string;
  /** wei, decimal string */
  value: string;
  chainId: number;
  from: string | null;
  /** eth_estimateGas from `from`; null when the simulation reverts (see `simulationError`) or depends on an earlier step. */
  gas: string | null;
  /** The decoded revert the simulation hit, e.g. `LicensingSoldOut(3, 10)`. */
  simulationError: string | null;
}

export interface ChainClientOptions {
  rpcUrl: string;
  chainId: number;
  deployment: Deployment | undefined;
  /** Inject a provider (tests, Hardhat's in-process network). */
  provider?: Provider;
}

/** The chain through ethers v6: contract reads, transaction preparation, broadcasting. */
export class ChainClient {
  readonly provider: Provider;
  readonly chainId: number;
  private readonly deployment: Deployment | undefined;

  constructor(options: ChainClientOptions) {
    this.chainId = options.chainId;
    this.deployment = options.deployment;
    // cacheTimeout -1: no 250 ms reuse of identical requests. A reused eth_blockNumber or "pending"
    // eth_getTransactionCount is stale right after a transaction this server broadcast was mined.
    this.provider = options.provider ?? rpcProvider(options.rpcUrl, options.chainId, { batchMaxCount: 1 });
  }

  /** The deployment, or a clear error when the server was started without one. */
  get contracts(): Deployment {
    if (!this.deployment) {
      throw new ApiError("UPSTREAM_UNAVAILABLE", "no contract deployment configured (set DEPLOYMENT_FILE)", { details: { service: "chain" } });
    }
    return this.deployment;
  }

  get works() {
    return worksContract(this.contracts.works.address, this.provider);
  }

  get licensing() {
    return licensingContract(this.contracts.licensing.address, this.provider);
  }

  /** The Links contract (recording → composition links, society mandates); the deployment file must name it. */
  get linksAddress(): string {
    const links = this.contracts.links;
    if (!links) throw new ApiError("UPSTREAM_UNAVAILABLE", "the deployment file names no Links contract (redeploy, or add Links to DEPLOYMENT_FILE)", { details: { service: "chain" } });
    return links.address;
  }

  get links() {
    return linksContract(this.linksAddress, this.provider);
  }

  /** The registrar set Works checks attestations against (from the deployment file, else Works.registrars()). */
  async registrarsAddress(): Promise<string> {
    return this.contracts.registrars?.address ?? (await this.call("Works.registrars", () => this.works.registrars()));
  }

  async registrars() {
    return registrarsContract(await this.registrarsAddress(), this.provider);
  }

  async blockNumber(): Promise<number> {
    return this.call("eth_blockNumber", () => this.provider.getBlockNumber());
  }

  /** The RPC's chain id (readyz checks it equals the configured one). */
  async remoteChainId(): Promise<number> {
    return this.call("eth_chainId", async () => Number((await this.provider.getNetwork()).chainId));
  }

  /** Wraps an RPC call: transport failures become UPSTREAM_UNAVAILABLE. Contract reverts pass through. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const code = (err as { code?: string }).code;
      if (code === "CALL_EXCEPTION") throw err;
      throw upstreamUnavailable("chain", `${what}: ${nodeMessage(err)}`, err);
    }
  }

  /** Builds the transaction and simulates it from `from` for a gas estimate. */
  async prepare(tx: { description: string; to: string; data: string; value?: bigint; from: string | null; skipEstimate?: boolean }): Promise<PreparedTransaction> {
    const value = tx.value ?? 0n;
    let gas: string | null = null;
    let simulationError: string | null = null;
    if (!tx.skipEstimate) {
      try {
        const estimate = await this.provider.estimateGas({ to: tx.to, data: tx.data, value, from: tx.from ?? undefined });
        gas = estimate.toString();
      } catch (err) {
        const data = (err as { data?: string }).data ?? (err as { info?: { error?: { data?: string } } }).info?.error?.data;
        const decoded = decodeRevert(typeof data === "string" ? data : null);
        if (decoded) simulationError = `${decoded.name}(${decoded.args.join(", ")})`;
        else if ((err as { code?: string }).code === "CALL_EXCEPTION") simulationError = (err as { shortMessage?: string }).shortMessage ?? "execution reverted";
        else throw upstreamUnavailable("chain", `eth_estimateGas: ${nodeMessage(err)}`, err);
      }
    }
    return { description: tx.description, to: tx.to, data: tx.data, value: value.toString(), chainId: this.chainId, from: tx.from, gas, simulationError };
  }

  async allowance(token: string, owner: string, spender: string): Promise<bigint> {
    return this.call("allowance", async () => BigInt(await erc20Contract(token, this.provider).getFunction("allowance")(owner, spender)));
  }

  async protocolFee(): Promise<{ bps: number; treasury: string }> {
    return this.call("protocolFee", async () => {
      const [bps, treasury] = await this.licensing.protocolFee();
      return { bps: Number(bps), treasury };
    });
  }

  /** ERC-5267 domain of a contract, for EIP-712 payloads. */
  async eip712Domain(address: string): Promise<TypedDataDomain> {
    const raw = await this.call("eip712Domain", () => this.provider.call({ to: address, data: eip5267Interface.encodeFunctionData("eip712Domain") }));
    const [, name, version, chainId, verifyingContract] = eip5267Interface.decodeFunctionResult("eip712Domain", raw);
    return { name, version, chainId: Number(chainId), verifyingContract };
  }

  /**
   * Parses a signed raw transaction and checks it: well-formed, signed, for this chain.
   * Bad input names the `signedTx` field.
   */
  parseSigned(signedTx: string, field = "signedTx"): Transaction {
    if (typeof signedTx !== "string" || !/^0x[0-9a-fA-F]+$/.test(signedTx)) throw badInput(field, "must be a 0x-prefixed hex string of a signed transaction");
    let tx: Transaction;
    try {
      tx = Transaction.from(signedTx);
    } catch (cause) {
      throw new ApiError("BAD_USER_INPUT", `${field}: not a valid signed transaction (${(cause as Error).message.split(" (")[0]})`, { field, cause });
    }
    if (!tx.signature || !tx.from) throw badInput(field, "the transaction is not signed");
    // Legacy pre-EIP-155 transactions carry no chain id and could be replayed on any chain.
    if (tx.chainId === 0n) throw badInput(field, "the transaction has no chain id (pre-EIP-155); sign it for chain " + this.chainId);
    if (tx.chainId !== BigInt(this.chainId)) {
      throw badInput(field, `the transaction is for chain ${tx.chainId}, this server's chain is ${this.chainId}`, { expectedChainId: this.chainId, chainId: Number(tx.chainId) });
    }
    return tx;
  }

  /**
   * Broadcasts and waits for inclusion. Reverted transactions come back with status 0.
   *
   * A nonce above the sender's next (pending) nonce is refused before broadcasting: nodes accept
   * such a transaction into their queue, where it waits for the missing nonces — forever, from
   * the caller's point of view.
   *
   * The wait polls eth_getTransactionReceipt itself instead of ethers' `waitForTransaction`, which
   * compares the receipt's block with a block number that may be up to 250 ms stale
   * (`broadcastTransaction` reads `eth_blockNumber` concurrently with the send, and ethers caches
   * identical requests for 250 ms): on an automining node the transaction's block can then look
   * unconfirmed, and ethers waits for a next block that, with no other traffic, never comes.
   */
  async broadcastAndWait(signedTx: string, timeoutMs: number): Promise<{ hash: string; receipt: TransactionReceipt | null; sendError?: unknown }> {
    const tx = this.parseSigned(signedTx);
    const expected = await this.call("eth_getTransactionCount", () => this.provider.getTransactionCount(tx.from!, "pending"));
    if (tx.nonce > expected) {
      throw badInput("signedTx", `nonce ${tx.nonce} is above the sender's next nonce ${expected} (${tx.from}): the transaction would wait for the missing nonces; sign it with nonce ${expected}`, {
        expectedNonce: expected,
        nonce: tx.nonce,
        reason: "NONCE_TOO_HIGH",
      });
    }
    const hash = tx.hash!;
    try {
      await this.provider.broadcastTransaction(signedTx);
    } catch (err) {
      // Some nodes (Hardhat's automine) mine a reverting transaction and answer the send with the
      // revert: a receipt means it is on-chain, whatever the send said.
      const receipt = await this.provider.getTransactionReceipt(hash).catch(() => null);
      if (receipt) return { hash, receipt, sendError: err };
      const refusal = classifyRefusal(err);
      if (refusal) {
        throw new ApiError("BAD_USER_INPUT", `signedTx: the node refused the transaction: ${refusal.explanation} (${refusal.nodeMessage})`, { field: "signedTx", details: { reason: refusal.reason }, cause: err });
      }
      throw upstreamUnavailable("chain", `eth_sendRawTransaction: ${nodeMessage(err)}`, err);
    }
    const deadline = Date.now() + timeoutMs;
    let delay = 25;
    for (;;) {
      const receipt = await this.call("eth_getTransactionReceipt", () => this.provider.getTransactionReceipt(hash));
      if (receipt) return { hash, receipt };
      const left = deadline - Date.now();
      if (left <= 0) return { hash, receipt: null };
      await new Promise((r) => setTimeout(r, Math.min(delay, left)));
      delay = Math.min(delay * 2, 1000);
    }
  }

  /** Re-checks a licence on-chain: isLicensed(licenceId, right, country, at) and its status at `at`. */
  async verifyLicence(licenceId: bigint, rightIndex: number, country: string, at: bigint): Promise<{ licensed: boolean; status: number }> {
    return this.call("isLicensed", async () => {
      const [licensed, status] = await Promise.all([
        this.licensing.isLicensed(licenceId, rightIndex, countryToBytes2(country), at),
        this.licensing.licenceStatusAt(licenceId, at),
      ]);
      return { licensed, status: Number(status) };
    });
  }
}

/** Why a node refuses a transaction, as the caller can act on it. */
export type RefusalReason = "GAS_TOO_LOW" | "FEE_TOO_LOW" | "INSUFFICIENT_FUNDS" | "NONCE_TOO_LOW" | "NONCE_TOO_HIGH" | "ALREADY_KNOWN" | "GAS_LIMIT_TOO_HIGH" | "REPLACEMENT_UNDERPRICED";

const REFUSALS: [RegExp, RefusalReason, string][] = [
  [/insufficient funds|sender doesn't have enough funds/i, "INSUFFICIENT_FUNDS", "insufficient funds for gas × price + value"],
  [/nonce too low|nonce has already been used|nonce.*(is|was) (already )?used|NONCE_EXPIRED/i, "NONCE_TOO_LOW", "the nonce was already used"],
  [/nonce too high/i, "NONCE_TOO_HIGH", "the nonce is above the sender's next nonce"],
  [/replacement (transaction )?underpriced|REPLACEMENT_UNDERPRICED/i, "REPLACEMENT_UNDERPRICED", "a transaction with this nonce is pending and the fee is too low to replace it"],
  [/already known|known transaction/i, "ALREADY_KNOWN", "the transaction is already pending"],
  [/exceeds block gas limit/i, "GAS_LIMIT_TOO_HIGH", "the gas limit exceeds the block gas limit"],
  [/intrinsic gas|gas too low|requires at least \d+ gas|out of gas/i, "GAS_TOO_LOW", "the gas limit is too low for this transaction"],
  [/base ?fee|fee cap less than|max fee per gas less than|fee too low|underpriced|gas price below/i, "FEE_TOO_LOW", "the max fee per gas is below the block's base fee"],
];

/** The node's own words for an RPC failure (ethers wraps them: "could not coalesce error"), one line, without library details. */
export function nodeMessage(err: unknown): string {
  const e = err as { error?: { message?: string }; info?: { error?: { message?: string } }; shortMessage?: string; message?: string };
  const raw = e?.error?.message ?? e?.info?.error?.message ?? e?.shortMessage ?? e?.message ?? String(err);
  return raw.split("\n")[0]!.replace(/\s*\((?:[a-z]+=[^()]*,?\s*)*version=[^)]*\)/g, "").replace(/^Error: /, "").slice(0, 300);
}

/** A refusal the caller can act on (too little gas, fee below base fee, funds, nonce), or null. */
export function classifyRefusal(err: unknown): { reason: RefusalReason; explanation: string; nodeMessage: string } | null {
  const code = (err as { code?: string })?.code;
  const message = nodeMessage(err);
  if (code === "INSUFFICIENT_FUNDS") return { reason: "INSUFFICIENT_FUNDS", explanation: REFUSALS[0]![2], nodeMessage: message };
  if (code === "NONCE_EXPIRED") return { reason: "NONCE_TOO_LOW", explanation: REFUSALS[1]![2], nodeMessage: message };
  if (code === "REPLACEMENT_UNDERPRICED") return { reason: "REPLACEMENT_UNDERPRICED", explanation: REFUSALS[3]![2], nodeMessage: message };
  for (const [re, reason, explanation] of REFUSALS) if (re.test(message)) return { reason, explanation, nodeMessage: message };
  return null;
}

/** The revert payload carried by an RPC error, if any (ethers' `data`, or the node's error.data). */
export function revertDataOf(err: unknown): string | null {
  const e = err as { data?: unknown; error?: { data?: unknown }; info?: { error?: { data?: unknown } } };
  for (const d of [e?.data, e?.error?.data, e?.info?.error?.data]) {
    if (typeof d === "string" && /^0x[0-9a-fA-F]*$/.test(d)) return d;
    const inner = (d as { data?: unknown } | undefined)?.data;
    if (typeof inner === "string" && /^0x[0-9a-fA-F]*$/.test(inner)) return inner;
  }
  return null;
}

/** keccak256(abi.encode(recipients, shares)), as IWorks.hashSplit. */
export function hashSplit(recipients: string[], shares: number[]): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address[]", "uint16[]"], [recipients, shares]));
}

/** An EIP-712 payload for a wallet's eth_signTypedData_v4, with its digest. */
export interface TypedDataPayload {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: Record<string, unknown>;
  digest: string;
}

export function typedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, primaryType: string, message: Record<string, unknown>): TypedDataPayload {
  const digest = TypedDataEncoder.hash(domain, types, message);
  return { domain, types: { [primaryType]: types[primaryType]!, ...types }, primaryType, message, digest };
}

export { worksInterface, licensingInterface };
