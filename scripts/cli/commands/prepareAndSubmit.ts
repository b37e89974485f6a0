/**
 * The shape every write command shares: the API prepares an action for the signer's address (what
 * it will do, and the transactions to sign), the summary is printed, and each transaction is
 * signed here and submitted through the API. The key never leaves this process.
 */
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

/** The selection every prepare* mutation answers with. */
export const TRANSACTIONS = "transactions { description to data value chainId from gas simulationError }";

/** A prepare* mutation's answer. */
export interface PreparedAction {
  summary: string;
  transactions: PreparedTransaction[];
}

export interface Submitted<P extends PreparedAction> {
  prepared: P;
  /** One per transaction, in order; empty when there was nothing to do. */
  submissions: SubmissionResult[];
}

/**
 * Loads the signer, asks `prepare(from)` for the action, prints its summary, then signs and
 * submits its transactions in order.
 */
export async function prepareAndSubmit<P extends PreparedAction>(ctx: CommandContext, prepare: (from: string) => Promise<P>): Promise<Submitted<P>> {
  const wallet = await loadSigner(ctx.keys);
  const prepared = await prepare(wallet.address);
  ctx.out.info(prepared.summary);
  if (prepared.transactions.length === 0) return { prepared, submissions: [] };
  const submissions = await signAndSubmit(prepared.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { prepared, submissions };
}

/** The result of a command that sends one transaction: its summary and that transaction's submission. */
export async function prepareAndSubmitOne<P extends PreparedAction>(
  ctx: CommandContext,
  prepare: (from: string) => Promise<P>,
): Promise<{ prepared: P; summary: string; submission: SubmissionResult }> {
  const { prepared, submissions } = await prepareAndSubmit(ctx, prepare);
  return { prepared, summary: prepared.summary, submission: submissions.at(-1)! };
}
