import { BaseError } from "../errors";

/**
 * Royalty splits and shares, as the contracts count them: shares in basis points of
 * TOTAL_SHARES (SplitLib), a split is 1 to MAX_SPLIT_RECIPIENTS recipients sorted strictly
 * ascending by address, no zero address, no zero share, summing to exactly 10,000. Shares of an
 * amount and the protocol fee round down, as Licensing does (`amount * bps / 10_000`).
 */

/** 100 % in basis points (SplitLib.TOTAL_SHARES). */
export const TOTAL_SHARES = 10_000;
/** SplitLib.MAX_RECIPIENTS. */
export const MAX_SPLIT_RECIPIENTS = 100;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** A split that Works would refuse; `path` names the entry at fault (`3.shareBps`) or is empty for the whole split. */
export class InvalidSplitError extends BaseError<{ path: string; reason: string }> {
  override readonly name = "InvalidSplitError" as const;
  readonly code = "INVALID_SPLIT" as const;
  constructor(path: string, reason: string) {
    super(path ? `${path}: ${reason}` : reason, { path, reason });
  }
}

export interface SplitEntry {
  /** A 20-byte address (already parsed). */
  account: string;
  shareBps: number;
}

export interface Split {
  recipients: string[];
  shares: number[];
}

/**
 * Validates a split as SplitLib.validate does and returns it sorted ascending by address (the
 * order the contracts require). Throws InvalidSplitError naming the first problem.
 */
export function normaliseSplit(entries: readonly SplitEntry[]): Split {
  if (!Array.isArray(entries) || entries.length === 0) throw new InvalidSplitError("", "a split needs at least one recipient");
  if (entries.length > MAX_SPLIT_RECIPIENTS) throw new InvalidSplitError("", `at most ${MAX_SPLIT_RECIPIENTS} recipients, got ${entries.length}`);
  entries.forEach((r, i) => {
    if (BigInt(r.account) === 0n || r.account === ZERO_ADDRESS) throw new InvalidSplitError(`${i}.account`, "the zero address cannot receive royalties");
    if (!Number.isInteger(r.shareBps) || r.shareBps <= 0 || r.shareBps > TOTAL_SHARES) throw new InvalidSplitError(`${i}.shareBps`, `must be an integer between 1 and ${TOTAL_SHARES} basis points`);
  });
  const rows = [...entries].sort((a, b) => (BigInt(a.account) < BigInt(b.account) ? -1 : 1));
  for (let i = 1; i < rows.length; i++) if (BigInt(rows[i]!.account) === BigInt(rows[i - 1]!.account)) throw new InvalidSplitError("", `${rows[i]!.account} appears twice`);
  const sum = rows.reduce((s, r) => s + r.shareBps, 0);
  if (sum !== TOTAL_SHARES) throw new InvalidSplitError("", `shares must sum to ${TOTAL_SHARES} basis points, they sum to ${sum}`);
  return { recipients: rows.map((r) => r.account), shares: rows.map((r) => r.shareBps) };
}

/** A recipient's part of `amount` for a share in basis points, rounded down. */
export function shareOf(amount: bigint, shareBps: number | bigint): bigint {
  return (amount * BigInt(shareBps)) / BigInt(TOTAL_SHARES);
}

/** The protocol fee taken from a price (Licensing: `price * feeBps / 10_000`, rounded down). */
export function feeOf(price: bigint, feeBps: number | bigint): bigint {
  return shareOf(price, feeBps);
}
