import type { Log } from "ethers";
import { licensingInterface, worksInterface, decodeRevert } from "../chain/contracts";
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
    """
    submitTransaction(signedTx: String!, waitForIndex: Boolean = true): Submission!
  }
`;

/** The ids our events in a receipt name. */
function decodeEvents(logs: readonly Log[], works: string, licensing: string) {
  const events: string[] = [];
  let workId: bigint | null = null;
  let licenceId: bigint | null = null;
  let offerId: bigint | null = null;
  for (const log of logs) {
    const addr = log.address.toLowerCase();
    const iface = addr === works ? worksInterface : addr === licensing ? licensingInterface : null;
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
        workId ??= a.workId!;
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

export const resolvers = {
  Mutation: {
    async submitTransaction(_: unknown, args: { signedTx: string; waitForIndex?: boolean | null }, ctx: AppContext) {
      requireScope(ctx, "write", "submitTransaction");
      const { chain, subgraph, config } = ctx.deps;
      const tx = chain.parseSigned(args.signedTx);
      const { hash, receipt } = await chain.broadcastAndWait(args.signedTx, config.timeouts.txWaitMs);
      if (!receipt) return { hash, status: "PENDING", blockNumber: null, gasUsed: null, revertReason: null, events: [], indexed: false, work: null, licence: null, offer: null };
      if (receipt.status !== 1) {
        let revertReason: string | null = null;
        try {
          await chain.provider.call({ to: tx.to, from: tx.from, data: tx.data, value: tx.value, blockTag: receipt.blockNumber - 1 });
        } catch (err) {
          const d = decodeRevert((err as { data?: string }).data);
          revertReason = d ? `${d.name}(${d.args.join(", ")})` : ((err as { shortMessage?: string }).shortMessage ?? null);
        }
        return { hash, status: "REVERTED", blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString(), revertReason, events: [], indexed: false, work: null, licence: null, offer: null };
      }
      const c = config.deployment;
      const ids = decodeEvents(receipt.logs, c?.works.address.toLowerCase() ?? "", c?.licensing.address.toLowerCase() ?? "");
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
