import { ZeroAddress } from "ethers";
import { ApiError, badInput, notFound } from "../errors";
import { decodeRevert, erc20Interface } from "../chain/contracts";
import type { ChainClient, PreparedTransaction } from "../chain/client";
import { describeRevocationPolicy, InvalidSplitError, maskToRights, MAX_SPLIT_RECIPIENTS, normaliseSplit, type RevocationPolicy, type Right, type Split } from "../../../core/domain";
import type { AppContext } from "./context";
import { address } from "./args";

/** Helpers shared by the prepare* mutations. */

export { MAX_SPLIT_RECIPIENTS };

export interface SplitInput {
  account: string;
  shareBps: number;
}

/** Validates a split as Works does (core/domain normaliseSplit) and sorts it ascending by address. */
export function parseSplit(input: readonly SplitInput[], field: string): Split {
  if (!Array.isArray(input) || input.length === 0) throw badInput(field, "a split needs at least one recipient");
  if (input.length > MAX_SPLIT_RECIPIENTS) throw badInput(field, `at most ${MAX_SPLIT_RECIPIENTS} recipients, got ${input.length}`);
  const rows = input.map((r, i) => ({ account: address(r.account, `${field}.${i}.account`), shareBps: r.shareBps }));
  try {
    return normaliseSplit(rows);
  } catch (err) {
    if (err instanceof InvalidSplitError) throw badInput(err.details.path ? `${field}.${err.details.path}` : field, err.details.reason);
    throw err;
  }
}

/** Runs a contract read; its custom-error reverts become NOT_FOUND / BAD_USER_INPUT naming `field`. */
export async function read<T>(chain: ChainClient, field: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await chain.call(what, fn);
  } catch (err) {
    if ((err as { code?: string }).code !== "CALL_EXCEPTION") throw err;
    const decoded = decodeRevert((err as { data?: string }).data);
    if (decoded && /Unknown(Work|Offer|Licence)$/.test(decoded.name)) throw notFound(field, `${decoded.name.replace(/^.*Unknown/, "").toLowerCase()} ${decoded.args[0]}`);
    throw new ApiError("BAD_USER_INPUT", `${field}: ${what} reverted${decoded ? ` with ${decoded.name}(${decoded.args.join(", ")})` : ""}`, { field, cause: err });
  }
}

/**
 * The payment steps for `payer` paying `price` in `currency` to the Licensing contract: for an
 * ERC-20 with too small an allowance, an approval first. Returns the approval (if any) and the
 * ETH value to attach to the paying call.
 */
export async function paymentSteps(ctx: AppContext, payer: string, price: bigint, currency: string): Promise<{ approval: PreparedTransaction | null; value: bigint }> {
  if (currency === ZeroAddress) return { approval: null, value: price };
  const chain = ctx.deps.chain;
  const spender = chain.contracts.licensing.address;
  const allowance = await chain.allowance(currency, payer, spender);
  if (allowance >= price) return { approval: null, value: 0n };
  const approval = await chain.prepare({
    description: `Approve the Licensing contract to take ${price} units of token ${currency}`,
    to: currency,
    data: erc20Interface.encodeFunctionData("approve", [spender, price]),
    from: payer,
  });
  return { approval, value: 0n };
}

const DAY = 86_400n;

export function formatDuration(seconds: bigint): string {
  if (seconds === 0n) return "perpetual";
  if (seconds % DAY === 0n) return `${seconds / DAY} day${seconds / DAY === 1n ? "" : "s"}`;
  return `${seconds} seconds`;
}

export function formatAmount(amount: bigint, currency: string): string {
  if (currency !== ZeroAddress) return `${amount} units of ${currency}`;
  const whole = amount / 10n ** 18n;
  const frac = (amount % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return `${whole}${frac ? "." + frac : ""} ETH`;
}

/**
 * A one-line human summary of licence terms, the revocation policy included (a licensee reads it
 * before buying); `revocation` null when the policy is not known yet (an offer not indexed yet).
 */
export function summariseTerms(t: { rightsMask: number; territoryMode: string; countries: readonly string[]; duration: bigint; startDate: bigint; price: bigint; currency: string; exclusive: boolean; transferable: boolean; uri: string; revocation: RevocationPolicy | null }): string {
  const rights: Right[] = maskToRights(t.rightsMask);
  const territory = t.territoryMode === "Worldwide" ? "worldwide" : t.territoryMode === "Include" ? `in ${t.countries.join(", ")}` : `worldwide except ${t.countries.join(", ")}`;
  const term = t.duration === 0n ? "perpetual" : `for ${formatDuration(t.duration)}`;
  const start = t.startDate > 0n ? ` from ${new Date(Number(t.startDate) * 1000).toISOString()} at the earliest` : " from purchase";
  return [
    `${rights.join(", ")} ${territory}, ${term}${t.duration === 0n ? "" : start}`,
    `price ${formatAmount(t.price, t.currency)}`,
    t.exclusive ? "exclusive" : "non-exclusive",
    t.transferable ? "transferable" : "non-transferable",
    t.revocation ? describeRevocationPolicy(t.revocation) : "revocation policy not indexed yet (check the offer before buying)",
    ...(t.uri ? [`legal text: ${t.uri}`] : []),
  ].join("; ");
}

export const typeDefs = /* GraphQL */ `
  input SplitRecipientInput { account: String!, shareBps: Int! }
  input TerritoryInput { mode: TerritoryMode!, countries: [String!] }

  "The transactions to sign and send, in order."
  type PreparedAction {
    summary: String!
    transactions: [Transaction!]!
  }
`;
