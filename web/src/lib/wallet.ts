/**
 * Wallets: injected EIP-1193 wallets discovered via EIP-6963 (wagmi's multi-injected provider
 * discovery). The app never sees a private key: it asks the wallet to send the transactions the
 * API prepared, reads the receipt through the same wallet, and waits until the index has the block.
 */
import { createConfig, http } from "wagmi";
import { getAccount, getConnectorClient, sendTransaction, signTypedData, switchChain } from "wagmi/actions";
import { createPublicClient, custom, defineChain, type Hex } from "viem";
import { mainnet, sepolia } from "viem/chains";
import { graphql, request } from "./graphql";
import { BaseError } from "../../../core/errors";

export const localChain = defineChain({
  id: 31337,
  name: "tantieme local chain",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
});

export const wagmiConfig = createConfig({
  chains: [localChain, sepolia, mainnet],
  multiInjectedProviderDiscovery: true,
  connectors: [],
  // Reads go through the API and the wallet; these transports are not used for app data.
  transports: { [localChain.id]: http(), [sepolia.id]: http(), [mainnet.id]: http() },
});

/** A transaction as the API prepares it. */
export interface PreparedTransaction {
  description: string;
  to: string;
  data: string;
  value: string;
  chainId: number;
  gas?: string | null;
}

export type TxStep =
  | { phase: "sign"; index: number; total: number; description: string }
  | { phase: "mined-wait"; index: number; total: number; hash: Hex }
  | { phase: "index-wait"; index: number; total: number; hash: Hex; block: number }
  | { phase: "done"; hashes: Hex[]; block: number };

const INDEXED = graphql(`query IndexedBlock { indexingStatus { latestBlock } }`);

/** Waits until the API's index has processed `block`. */
export async function waitForIndex(block: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let delay = 150;
  for (;;) {
    const { indexingStatus } = await request(INDEXED, {});
    if ((indexingStatus.latestBlock ?? -1) >= block) return;
    if (Date.now() > until) throw new WalletError("INDEX_TIMEOUT", `the index has not reached block ${block}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

export class WalletError extends BaseError<Record<string, never>> {
  override readonly name = "WalletError" as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message, {});
  }
}

/** Maps what wallets throw (EIP-1193 codes, viem errors) to our codes. */
export function walletErrorCode(err: unknown): string | null {
  if (err instanceof WalletError) return err.code;
  const e = err as { code?: number; name?: string; cause?: unknown; shortMessage?: string } | null;
  let cur: typeof e = e;
  for (let i = 0; cur && i < 5; i++) {
    if (cur.code === 4001 || cur.name === "UserRejectedRequestError") return "WALLET_REJECTED";
    if (cur.code === 4902 || cur.name === "ChainNotConfiguredError" || cur.name === "SwitchChainError") return "WALLET_WRONG_CHAIN";
    if (cur.name === "ConnectorNotConnectedError" || cur.name === "ConnectorAccountNotFoundError") return "WALLET_NOT_CONNECTED";
    if (cur.name === "InsufficientFundsError") return "WALLET_INSUFFICIENT_FUNDS";
    if (cur.name === "TransactionExecutionError" || cur.name === "ContractFunctionRevertedError") return "WALLET_TX_FAILED";
    cur = cur.cause as typeof e;
  }
  return null;
}

/**
 * Sends prepared transactions in order with the connected wallet, each followed to its receipt,
 * then waits for the index to reach the last block. Reports progress through `onStep`.
 */
export async function sendPrepared(transactions: readonly PreparedTransaction[], onStep: (s: TxStep) => void): Promise<{ hashes: Hex[]; block: number }> {
  const account = getAccount(wagmiConfig);
  if (!account.connector || !account.address) throw new WalletError("WALLET_NOT_CONNECTED", "no wallet connected");
  const hashes: Hex[] = [];
  let block = 0;
  const total = transactions.length;
  for (const [index, tx] of transactions.entries()) {
    if (account.chainId !== tx.chainId) await switchChain(wagmiConfig, { chainId: tx.chainId as typeof localChain.id });
    onStep({ phase: "sign", index, total, description: tx.description });
    const hash = await sendTransaction(wagmiConfig, {
      account: account.address,
      chainId: tx.chainId as typeof localChain.id,
      to: tx.to as Hex,
      data: tx.data as Hex,
      value: BigInt(tx.value),
      ...(tx.gas ? { gas: (BigInt(tx.gas) * 12n) / 10n } : {}),
    });
    hashes.push(hash);
    onStep({ phase: "mined-wait", index, total, hash });
    const client = await getConnectorClient(wagmiConfig);
    const reader = createPublicClient({ transport: custom(client) });
    const receipt = await reader.waitForTransactionReceipt({ hash, pollingInterval: 250 });
    if (receipt.status !== "success") throw new WalletError("WALLET_TX_FAILED", `transaction ${hash} reverted`);
    block = Number(receipt.blockNumber);
    onStep({ phase: "index-wait", index, total, hash, block });
    await waitForIndex(block);
  }
  onStep({ phase: "done", hashes, block });
  return { hashes, block };
}

/** Asks the wallet to sign EIP-712 typed data as the API prepared it. */
export async function signPreparedTypedData(typed: { domain: unknown; types: unknown; primaryType: string; message: unknown }): Promise<Hex> {
  const account = getAccount(wagmiConfig);
  if (!account.address) throw new WalletError("WALLET_NOT_CONNECTED", "no wallet connected");
  const types = { ...(typed.types as Record<string, unknown>) };
  delete types.EIP712Domain;
  const args = { account: account.address, domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message };
  return signTypedData(wagmiConfig, args as unknown as Parameters<typeof signTypedData>[1]);
}
