/**
 * Signs the transactions the API prepared, locally, and submits them through the API, which
 * broadcasts them, waits for inclusion and for the index. Nonce and fees come from the chain's
 * RPC; the key never leaves this process.
 */
import { JsonRpcProvider, Transaction, type Wallet } from "ethers";
import type { ApiClient } from "./api";
import { CliError } from "./errors";
import type { Output } from "./output";
import { rpcProvider } from "../../core/chain";

export interface PreparedTransaction {
  description: string;
  to: string;
  data: string;
  value: string;
  chainId: number;
  from?: string | null;
  gas?: string | null;
  simulationError?: string | null;
}

export interface SubmissionResult {
  hash: string;
  status: string;
  blockNumber: number | null;
  gasUsed: string | null;
  revertReason: string | null;
  events: string[];
  indexed: boolean;
  work: { id: string; title: string | null; metadataCid: string } | null;
  licence: { id: string; status: string } | null;
  offer: { id: string } | null;
}

const SUBMIT = /* GraphQL */ `
  mutation Submit($signedTx: String!) {
    submitTransaction(signedTx: $signedTx) {
      hash status blockNumber gasUsed revertReason events indexed
      work { id title metadataCid }
      licence { id status }
      offer { id }
    }
  }
`;

export async function signAndSubmit(
  txs: PreparedTransaction[],
  wallet: Wallet,
  rpcUrl: string,
  api: ApiClient,
  out: Output,
): Promise<SubmissionResult[]> {
  const provider = rpcProvider(rpcUrl);
  try {
    let nonce: number;
    let fees: Awaited<ReturnType<JsonRpcProvider["getFeeData"]>>;
    try {
      nonce = await provider.getTransactionCount(wallet.address, "pending");
      fees = await provider.getFeeData();
    } catch (cause) {
      throw new CliError("RPC_UNREACHABLE", `cannot reach the chain at ${rpcUrl} for the nonce and fees (${(cause as Error).message})`, {}, { cause });
    }
    const results: SubmissionResult[] = [];
    const bar = out.progress("confirmations", txs.length);
    try {
      for (const [i, prepared] of txs.entries()) {
        if (prepared.from && prepared.from.toLowerCase() !== wallet.address.toLowerCase()) {
          throw new CliError("WRONG_SIGNER", `transaction ${i + 1} (${prepared.description}) must be sent by ${prepared.from}, but the key is ${wallet.address}`);
        }
        // The first transaction's simulation is authoritative; later ones may depend on earlier ones.
        if (i === 0 && prepared.simulationError) {
          throw new CliError("SIMULATION_REVERTED", `${prepared.description} would revert: ${prepared.simulationError}`);
        }
        const gasLimit = prepared.gas ? (BigInt(prepared.gas) * 12n) / 10n : await estimate(provider, wallet.address, prepared);
        const tx = Transaction.from({
          type: 2,
          chainId: prepared.chainId,
          nonce: nonce + i,
          to: prepared.to,
          data: prepared.data,
          value: BigInt(prepared.value),
          gasLimit,
          maxFeePerGas: fees.maxFeePerGas ?? fees.gasPrice ?? 1_000_000_000n,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n,
        });
        const signedTx = await wallet.signTransaction(tx);
        out.info(`→ ${prepared.description}`);
        const { submitTransaction } = await api.request<{ submitTransaction: SubmissionResult }>(SUBMIT, { signedTx });
        results.push(submitTransaction);
        bar.update(i + 1);
        if (submitTransaction.status !== "SUCCESS") {
          throw new CliError("TRANSACTION_REVERTED", `${prepared.description} reverted${submitTransaction.revertReason ? `: ${submitTransaction.revertReason}` : ""} (tx ${submitTransaction.hash})`, { hash: submitTransaction.hash });
        }
      }
    } finally {
      bar.stop();
    }
    return results;
  } finally {
    provider.destroy();
  }
}

async function estimate(provider: JsonRpcProvider, from: string, prepared: PreparedTransaction): Promise<bigint> {
  try {
    const gas = await provider.estimateGas({ from, to: prepared.to, data: prepared.data, value: BigInt(prepared.value) });
    return (gas * 12n) / 10n;
  } catch (cause) {
    throw new CliError("SIMULATION_REVERTED", `${prepared.description} would revert (${(cause as Error).message})`, {}, { cause });
  }
}
