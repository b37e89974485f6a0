import { shareOf } from "../../../core/domain";
import { earningsOf } from "../subgraph/reads";
import { address, page } from "./args";
import type { AppContext } from "./context";

export const typeDefs = /* GraphQL */ `
  type CurrencyEarnings {
    "Token address; 0x0000…0000 is ETH"
    currency: String!
    native: Boolean!
    "Ever credited to the account's balance (distributions, protocol fees)"
    credited: BigInt!
    withdrawn: BigInt!
    "Withdrawable now"
    withdrawable: BigInt!
    "The account's share of revenue not yet distributed from its splits (floor(undistributed × share / 10,000) per bucket); prepareWithdrawal distributes it"
    undistributed: BigInt!
  }

  type WithdrawalRecord { currency: String!, amount: BigInt!, caller: String!, txHash: String!, blockNumber: BigInt!, timestamp: BigInt! }

  "A royalty payment credited to the account by a distribution of a work's revenue."
  type PaymentRecord { workId: ID!, currency: String!, amount: BigInt!, splitVersion: Int!, txHash: String!, blockNumber: BigInt!, timestamp: BigInt! }

  type Earnings {
    account: String!
    currencies: [CurrencyEarnings!]!
    "Most recent first"
    payments: [PaymentRecord!]!
    "Most recent first"
    withdrawals: [WithdrawalRecord!]!
    licencesReceived: Int!
    licencesPaid: Int!
  }

  extend type Query {
    "Royalty earnings of an account per currency, with payment and withdrawal history (the last \`first\` of each)."
    earnings(account: String!, first: Int = 100): Earnings!
  }
`;

export const resolvers = {
  Query: {
    async earnings(_: unknown, args: { account: string; first?: number }, ctx: AppContext) {
      const account = address(args.account, "account");
      const { first } = page(args.first, 0);
      const raw = await earningsOf(ctx.deps.subgraph, account, first);
      const per = new Map<string, { currency: string; native: boolean; credited: bigint; withdrawn: bigint; withdrawable: bigint; undistributed: bigint }>();
      const entry = (id: string, native: boolean) => {
        let e = per.get(id);
        if (!e) per.set(id, (e = { currency: id, native, credited: 0n, withdrawn: 0n, withdrawable: 0n, undistributed: 0n }));
        return e;
      };
      for (const b of raw.account?.balances ?? []) {
        const e = entry(b.currency.id, b.currency.native);
        e.credited += BigInt(b.credited);
        e.withdrawn += BigInt(b.withdrawn);
        e.withdrawable += BigInt(b.balance);
      }
      for (const s of raw.shares) {
        for (const bucket of s.split.buckets) {
          entry(bucket.currency.id, bucket.currency.native).undistributed += shareOf(BigInt(bucket.undistributed), s.shareBps);
        }
      }
      return {
        account,
        currencies: [...per.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
        payments: raw.credits.map((c) => ({
          workId: c.work.tokenId,
          currency: c.currency.id,
          amount: c.amount,
          splitVersion: c.distribution.split.version,
          txHash: c.distribution.txHash,
          blockNumber: c.distribution.blockNumber,
          timestamp: c.timestamp,
        })),
        withdrawals: raw.withdrawals.map((w) => ({ currency: w.currency.id, amount: w.amount, caller: w.caller, txHash: w.txHash, blockNumber: w.blockNumber, timestamp: w.timestamp })),
        licencesReceived: raw.account?.licencesReceived ?? 0,
        licencesPaid: raw.account?.licencesPaid ?? 0,
      };
    },
  },
};
