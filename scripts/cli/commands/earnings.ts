/** `tantieme earnings [account]`: royalty balances per currency, with payment and withdrawal history. */
import { formatEther } from "ethers";
import type { CommandContext } from "./context";

const QUERY = /* GraphQL */ `
  query Earnings($account: String!) {
    earnings(account: $account) {
      account licencesReceived licencesPaid
      currencies { currency native credited withdrawn withdrawable undistributed }
      withdrawals { amount currency txHash timestamp }
    }
  }
`;

export interface EarningsResult {
  account: string;
  licencesReceived: number;
  licencesPaid: number;
  currencies: { currency: string; native: boolean; credited: string; withdrawn: string; withdrawable: string; undistributed: string }[];
  withdrawals: { amount: string; currency: string; txHash: string; timestamp: string }[];
}

export async function earnings(ctx: CommandContext, account: string): Promise<EarningsResult> {
  const { earnings: e } = await ctx.api.request<{ earnings: EarningsResult }>(QUERY, { account });
  return e;
}

export function describeEarnings(e: EarningsResult): string {
  const amount = (v: string, native: boolean) => (native ? `${formatEther(v)} ETH` : `${v} units`);
  const lines = [`earnings of ${e.account}`];
  if (e.currencies.length === 0) lines.push("  nothing credited yet");
  for (const c of e.currencies) {
    lines.push(`  ${c.native ? "ETH" : c.currency}: withdrawable ${amount(c.withdrawable, c.native)}, not yet distributed ${amount(c.undistributed, c.native)}, ever credited ${amount(c.credited, c.native)}, withdrawn ${amount(c.withdrawn, c.native)}`);
  }
  for (const w of e.withdrawals) {
    const native = /^0x0{40}$/.test(w.currency);
    lines.push(`  withdrew ${amount(w.amount, native)}${native ? "" : ` of ${w.currency}`} in tx ${w.txHash}`);
  }
  return lines.join("\n");
}
