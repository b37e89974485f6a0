import { shareOf } from "../../../core/domain";
import { ZeroAddress } from "ethers";
import { licensingInterface } from "../chain/contracts";
import type { PreparedTransaction } from "../chain/client";
import { earningsOf } from "../subgraph/reads";
import { address, optionalAddress } from "./args";
import { requireScope, type AppContext } from "./context";
import { formatAmount } from "./transactions";

export const typeDefs = /* GraphQL */ `
  extend type Mutation {
    """
    The transactions that pay an account its royalties: one \`distribute\` per revenue bucket of
    its splits still holding revenue, then one \`withdraw\` per currency. \`currency\` limits it to
    one currency; \`from\` is who sends them (default: the account; anyone may).
    """
    prepareWithdrawal(account: String!, currency: String, from: String): PreparedAction!
  }
`;

export const resolvers = {
  Mutation: {
    async prepareWithdrawal(_: unknown, args: { account: string; currency?: string | null; from?: string | null }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareWithdrawal");
      const account = address(args.account, "account");
      const only = optionalAddress(args.currency, "currency")?.toLowerCase() ?? null;
      const from = optionalAddress(args.from, "from") ?? account;
      const chain = ctx.deps.chain;
      const licensing = chain.contracts.licensing.address;
      const raw = await earningsOf(ctx.deps.subgraph, account, 1);

      const txs: PreparedTransaction[] = [];
      const currencies = new Map<string, bigint>();
      const seen = new Set<string>();
      for (const share of raw.shares) {
        const split = share.split;
        for (const bucket of split.buckets) {
          const currency = bucket.currency.id.toLowerCase();
          if (only !== null && currency !== only) continue;
          const key = `${split.id}|${currency}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const workId = BigInt(split.work.tokenId);
          txs.push(
            await chain.prepare({
              description: `Distribute ${formatAmount(BigInt(bucket.undistributed), bucket.currency.id)} of work ${workId} (split v${split.version}) to its ${split.recipients.length} recipient(s)`,
              to: licensing,
              data: licensingInterface.encodeFunctionData("distribute", [workId, split.version, { recipients: split.recipients, shares: split.sharesBps }, bucket.currency.id]),
              from,
            }),
          );
          currencies.set(currency, (currencies.get(currency) ?? 0n) + shareOf(BigInt(bucket.undistributed), share.shareBps));
        }
      }
      for (const b of raw.account?.balances ?? []) {
        const currency = b.currency.id.toLowerCase();
        if (only !== null && currency !== only) continue;
        currencies.set(currency, (currencies.get(currency) ?? 0n) + BigInt(b.balance));
      }
      const summary: string[] = [];
      for (const [currency, total] of [...currencies].sort()) {
        if (total === 0n) continue;
        const withdrawable = await chain.call("withdrawable", () => chain.licensing.withdrawable(account, currency));
        txs.push(
          await chain.prepare({
            description: `Withdraw ${account}'s ${currency === ZeroAddress ? "ETH" : currency} balance`,
            to: licensing,
            data: licensingInterface.encodeFunctionData("withdraw", [account, currency]),
            from,
            // Before the distributions above are mined the balance may still be empty.
            skipEstimate: withdrawable === 0n,
          }),
        );
        summary.push(formatAmount(total, currency === ZeroAddress ? ZeroAddress : currency));
      }
      return { summary: summary.length ? `withdraw about ${summary.join(" and ")} to ${account}` : `nothing to withdraw for ${account}`, transactions: txs };
    },
  },
};
