import { earningBucketsOf, type SeriesInterval } from "../subgraph/series";
import { address, optionalAddress, page } from "./args";
import type { AppContext } from "./context";

export const typeDefs = /* GraphQL */ `
  "Length of the buckets of a series."
  enum SeriesInterval {
    HOUR
    DAY
  }

  "Royalties credited to an account in one currency during one hour or day."
  type EarningsBucket {
    "Start of the bucket, unix seconds"
    timestamp: BigInt!
    "Token address; 0x0000…0000 is ETH"
    currency: String!
    native: Boolean!
    "Credited during the bucket"
    amount: BigInt!
    "Royalty credits (one per distribution) in the bucket"
    credits: Int!
    "Credited in this currency up to the end of the bucket (cumulative)"
    total: BigInt!
  }

  extend type Query {
    """
    The royalties credited to an account as a series a chart can draw: one bucket per hour or day
    and currency in which something was credited (buckets without credits are absent), oldest first,
    the current partial bucket included; the last \`first\` buckets.
    """
    earningsHistory(account: String!, interval: SeriesInterval = DAY, currency: String, first: Int = 100): [EarningsBucket!]!
  }
`;

const US_PER_SECOND = 1_000_000n;

export const resolvers = {
  Query: {
    async earningsHistory(_: unknown, args: { account: string; interval?: "HOUR" | "DAY"; currency?: string | null; first?: number }, ctx: AppContext) {
      const account = address(args.account, "account");
      const currency = optionalAddress(args.currency, "currency");
      const { first } = page(args.first, 0);
      const interval: SeriesInterval = args.interval === "HOUR" ? "hour" : "day";
      const raw = await earningBucketsOf(ctx.deps.subgraph, account, interval, currency, first);
      return raw
        .map((b) => ({
          timestamp: (BigInt(b.timestamp) / US_PER_SECOND).toString(),
          currency: b.currency.id,
          native: b.currency.native,
          amount: b.amount,
          credits: Number(b.credits),
          total: b.total,
        }))
        .sort((a, b) => (BigInt(a.timestamp) === BigInt(b.timestamp) ? (a.currency < b.currency ? -1 : 1) : BigInt(a.timestamp) < BigInt(b.timestamp) ? -1 : 1));
    },
  },
};
