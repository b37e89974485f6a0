import type { Log, Transaction } from "ethers";
import { revertDataOf } from "../chain/client";
import { licensingInterface, linksInterface, worksInterface, decodeRevert, erc20Interface } from "../chain/contracts";
import { ApiError, badInput } from "../errors";
import { licenceById, offerById, waitForBlock, workById } from "../subgraph/reads";
import { requireScope, type AppContext } from "./context";

export const typeDefs = /* GraphQL */ `
  enum TransactionStatus { PENDING SUCCESS REVERTED }

  type Submission {
    hash: String!
    status: TransactionStatus!
    blockNumber: Int
    gasUsed: BigInt
    "The decoded custom error when reverted, if it could be replayed"
    revertReason: String
    "Names of the tantieme events the transaction emitted"
    events: [String!]!
    "Whether the index had processed the transaction's block before returning"
    indexed: Boolean!
    "The work registered (or changed) by the transaction, as indexed"
    work: Work
    "The licence issued, revoked or surrendered, as indexed"
    licence: Licence
    "The offer created or changed, as indexed"
    offer: Offer
  }

  extend type Mutation {
    """
    Broadcasts a signed transaction (for this server's chain), waits for its inclusion and, with
    waitForIndex (default), until the index has its block; returns the resulting work, licence or offer.
    Only calls to tantieme's contracts (Works, Licensing) and approvals of an allowlisted currency
    for Licensing are relayed (BAD_USER_INPUT otherwise). A transaction the node refuses is
    BAD_USER_INPUT with extensions.reason (GAS_TOO_LOW, FEE_TOO_LOW, INSUFFICIENT_FUNDS,
    NONCE_TOO_LOW, NONCE_TOO_HIGH, …); one mined but reverted is TRANSACTION_REVERTED with
    extensions.hash, blockNumber and revert { name args } (the contracts' custom error).
    """
    submitTransaction(signedTx: String!, waitForIndex: Boolean = true): Submission!
  }
`;

/** The ids our events in a receipt name. */
function decodeEvents(logs: readonly Log[], works: string, licensing: string, links: string | null = null) {
  const events: string[] = [];
  let workId: bigint | null = null;
  let licenceId: bigint | null = null;
  let offerId: bigint | null = null;
  for (const log of logs) {
    const addr = log.address.toLowerCase();
    const iface = addr === works ? worksInterface : addr === licensing ? licensingInterface : addr === links ? linksInterface : null;
    if (!iface) continue;
    let parsed;
    try {
      parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      parsed = null;
    }
    if (!parsed) continue;
    events.push(parsed.name);
    const a = parsed.args as unknown as Record<string, bigint>;
    switch (parsed.name) {
      case "WorkRegistered":
      case "MetadataUpdated":
      case "SplitUpdated":
      case "IdentifierAssigned":
        workId ??= a.workId!;
        break;
      case "IdentifierReassigned":
        workId ??= a.toWorkId! === 0n ? null : a.toWorkId!;
        break;
      case "CompositionLinked":
      case "LinkConfirmed":
      case "LinkRemoved":
        workId ??= a.recordingId!;
        break;
      case "SocietyAdministration":
        workId ??= a.compositionId!;
        break;
      case "OfferCreated":
      case "OfferStatusChanged":
        offerId ??= a.offerId!;
        workId ??= a.workId!;
        break;
      case "LicencePurchased":
        licenceId ??= a.licenceId!;
        offerId ??= a.offerId!;
        break;
      case "DealRedeemed":
      case "LicenceRevoked":
      case "LicenceSurrendered":
        licenceId ??= a.licenceId!;
        workId ??= a.workId!;
        break;
    }
  }
  return { events, workId, licenceId, offerId };
}

/**
 * Refuses what submitTransaction must not relay: a contract creation, a plain transfer, a call to
 * any other contract, or a call that is not a function of Works or Licensing. An ERC-20 approval
 * (as prepareLicencePurchase prepares) passes only for an allowlisted currency and Licensing as
 * the spender.
 */
async function requireTantiemeCall(ctx: AppContext, tx: Transaction): Promise<void> {
  const { chain } = ctx.deps;
  const field = "signedTx";
  if (tx.to === null) throw badInput(field, "a contract creation: submitTransaction relays only calls to tantieme's contracts");
  const to = tx.to.toLowerCase();
  const works = chain.contracts.works.address.toLowerCase();
  const licensing = chain.contracts.licensing.address.toLowerCase();
  const links = chain.contracts.links?.address.toLowerCase() ?? null;
  if (to === works || to === licensing || to === links) {
    const iface = to === works ? worksInterface : to === licensing ? licensingInterface : linksInterface;
    let fn = null;
    try {
      fn = iface.getFunction(tx.data.slice(0, 10));
    } catch {
      fn = null;
    }
    if (!fn || tx.data.length < 10) throw badInput(field, `calls no function of ${to === works ? "Works" : to === licensing ? "Licensing" : "Links"} (selector ${tx.data.slice(0, 10) || "none"})`);
    return;
  }
  if (tx.data.length >= 10 && tx.data.slice(0, 10) === erc20Interface.getFunction("approve")!.selector && tx.value === 0n) {
    let spender: string | null = null;
    try {
      spender = String(erc20Interface.decodeFunctionData("approve", tx.data)[0]).toLowerCase();
    } catch {
      spender = null;
    }
    if (spender === licensing && (await chain.call("Licensing.isCurrencyAllowed", () => chain.licensing.isCurrencyAllowed(tx.to!)))) return;
  }
  throw badInput(field, `not a call to tantieme's contracts (to ${tx.to}${tx.data === "0x" ? ", a plain transfer" : ""}): submitTransaction relays calls to Works ${chain.contracts.works.address}, Licensing ${chain.contracts.licensing.address}${links ? ` and Links ${chain.contracts.links!.address}` : ""}, and approvals of allowlisted currencies for Licensing`);
}

/** The custom error of a reverted transaction: from the node's answer, else by replaying it on the block before. */
async function revertOf(ctx: AppContext, tx: Transaction, blockNumber: number, sendError: unknown): Promise<{ name: string; args: string[] } | null> {
  const fromSend = decodeRevert(revertDataOf(sendError));
  if (fromSend) return fromSend;
  try {
    await ctx.deps.chain.provider.call({ to: tx.to, from: tx.from, data: tx.data, value: tx.value, gasLimit: tx.gasLimit, blockTag: blockNumber - 1 });
  } catch (err) {
    return decodeRevert(revertDataOf(err));
  }
  return null;
}

export const resolvers = {
  Mutation: {
    async submitTransaction(_: unknown, args: { signedTx: string; waitForIndex?: boolean | null }, ctx: AppContext) {
      requireScope(ctx, "write", "submitTransaction");
      const { chain, subgraph, config } = ctx.deps;
      const tx = chain.parseSigned(args.signedTx);
      await requireTantiemeCall(ctx, tx);
      const { hash, receipt, sendError } = await chain.broadcastAndWait(args.signedTx, config.timeouts.txWaitMs);
      if (!receipt) return { hash, status: "PENDING", blockNumber: null, gasUsed: null, revertReason: null, events: [], indexed: false, work: null, licence: null, offer: null };
      if (receipt.status !== 1) {
        const revert = await revertOf(ctx, tx, receipt.blockNumber, sendError);
        const what = revert ? `${revert.name}(${revert.args.join(", ")})` : "no decodable reason";
        throw new ApiError("TRANSACTION_REVERTED", `signedTx: the transaction was mined in block ${receipt.blockNumber} but reverted: ${what}`, {
          field: "signedTx",
          details: { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString(), revert },
        });
      }
      const c = config.deployment;
      const ids = decodeEvents(receipt.logs, c?.works.address.toLowerCase() ?? "", c?.licensing.address.toLowerCase() ?? "", c?.links?.address.toLowerCase() ?? null);
      const indexed = args.waitForIndex === false ? false : await waitForBlock(subgraph, receipt.blockNumber, config.timeouts.indexWaitMs);
      const [work, licence, offer] = indexed
        ? await Promise.all([
            ids.workId !== null ? workById(subgraph, ids.workId) : null,
            ids.licenceId !== null ? licenceById(subgraph, ids.licenceId) : null,
            ids.offerId !== null ? offerById(subgraph, ids.offerId) : null,
          ])
        : [null, null, null];
      return { hash, status: "SUCCESS", blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString(), revertReason: null, events: ids.events, indexed, work, licence, offer };
    },
  },
};
