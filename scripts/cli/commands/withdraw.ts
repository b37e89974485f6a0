/** `tantieme withdraw`: distributes the account's revenue buckets and pays its balances out. */
import type { SubmissionResult } from "../sign";
import type { CommandContext } from "./context";
import { prepareAndSubmit, TRANSACTIONS, type PreparedAction } from "./prepareAndSubmit";

const PREPARE = /* GraphQL */ `
  mutation PrepareWithdrawal($account: String!, $currency: String, $from: String) {
    prepareWithdrawal(account: $account, currency: $currency, from: $from) { summary ${TRANSACTIONS} }
  }
`;

export async function withdraw(ctx: CommandContext, opts: { account?: string; currency?: string }): Promise<{ summary: string; submissions: SubmissionResult[] }> {
  const { prepared, submissions } = await prepareAndSubmit(
    ctx,
    async (from) => (await ctx.api.request<{ prepareWithdrawal: PreparedAction }>(PREPARE, { account: opts.account ?? from, currency: opts.currency, from })).prepareWithdrawal,
  );
  return { summary: prepared.summary, submissions };
}
