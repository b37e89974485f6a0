/**
 * Reads of the subgraph's timeseries aggregations (schema.graphql: AccountEarningStat): buckets per
 * hour or day, the current partial bucket included (`current: include`).
 */
import type { SubgraphClient } from "./client";
import { CURRENCY } from "./fragments";

export type SeriesInterval = "hour" | "day";

export interface RawEarningBucket {
  /** Start of the bucket, µs since the epoch (graph-node's Timestamp). */
  timestamp: string;
  currency: { id: string; native: boolean };
  amount: string;
  credits: string;
  total: string;
}

/** The latest `first` earnings buckets of an account (optionally of one currency), newest first. */
export async function earningBucketsOf(
  client: SubgraphClient,
  account: string,
  interval: SeriesInterval,
  currency: string | null,
  first: number,
): Promise<RawEarningBucket[]> {
  const where: Record<string, string> = { account: account.toLowerCase() };
  if (currency !== null) where.currency = currency.toLowerCase();
  const d = await client.query<{ buckets: RawEarningBucket[] }>(
    `query($where: AccountEarningStat_filter!, $interval: Aggregation_interval!, $first: Int!) {
      buckets: accountEarningStats(interval: $interval, current: include, where: $where, first: $first, orderBy: timestamp, orderDirection: desc) {
        timestamp currency ${CURRENCY} amount credits total
      }
    }`,
    { where, interval, first },
    "earningsHistory",
  );
  return d.buckets;
}
