/** `tantieme withdraw`: distributes the account's revenue buckets and pays its balances out. */
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const PREPARE = /* GraphQL */ `
  mutation PrepareWithdrawal($account: String!, $currency: String, $from: String) {
    prepareWithdrawal(account: $account, currency: $currency, from: $from) {
      summary
      transactions { description to data value chainId from gas simulationError }
    }
  }
`;

export async function withdraw(
  ctx: CommandContext,
  opts: { account?: string; currency?: string },
): Promise<{ summary: string; submissions: SubmissionResult[] }> {
  const wallet = await loadSigner(ctx.keys);
  const { prepareWithdrawal } = await ctx.api.request<{ prepareWithdrawal: { summary: string; transactions: PreparedTransaction[] } }>(PREPARE, {
    account: opts.account ?? wallet.address,
    currency: opts.currency,
    from: wallet.address,
  });
  ctx.out.info(prepareWithdrawal.summary);
  if (prepareWithdrawal.transactions.length === 0) return { summary: prepareWithdrawal.summary, submissions: [] };
  const submissions = await signAndSubmit(prepareWithdrawal.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { summary: prepareWithdrawal.summary, submissions };
}
