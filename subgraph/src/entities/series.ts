// Points of the revenue and earnings timeseries (schema: RevenuePoint, EarningPoint). The node
// assigns their ids and timestamps and rolls them up into the WorkRevenueStat, CurrencyRevenueStat
// and AccountEarningStat aggregations per hour and day.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { EarningPoint, RevenuePoint } from "../../generated/schema";

/** A licence payment: its work, currency, price and the part credited to the split. */
export function recordRevenue(work: Bytes, currency: Bytes, gross: BigInt, net: BigInt): void {
  let point = new RevenuePoint(0);
  point.work = work;
  point.currency = currency;
  point.gross = gross;
  point.net = net;
  point.save();
}

/** A royalty credited to `account` from a distribution of `work`'s revenue. */
export function recordEarning(account: Bytes, work: Bytes, currency: Bytes, amount: BigInt): void {
  let point = new EarningPoint(0);
  point.account = account;
  point.work = work;
  point.currency = currency;
  point.amount = amount;
  point.save();
}
