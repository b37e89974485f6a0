import { OFFER_STATUSES, type OfferStatus } from "../../../core/domain/enums";
import { offerStatusChange } from "../../../core/domain/offers";
import { badInput } from "../errors";
import { licensingInterface } from "../chain/contracts";
import { address, id } from "./args";
import { requireScope, type AppContext } from "./context";
import { requireAuthorized } from "./prepareOffer";
import { read } from "./transactions";

export const typeDefs = /* GraphQL */ `
  extend type Mutation {
    """
    The transaction that pauses (status Paused), resumes (Active) or retires (Retired, for good)
    an offer, signed by the work's owner or an approved operator. Licences already sold are not
    affected; a paused or retired offer sells no more.
    """
    prepareOfferStatus(offer: String!, status: OfferStatus!, from: String!): PreparedAction!
  }
`;

const VERB: Record<OfferStatus, string> = { Active: "Resume", Paused: "Pause", Retired: "Retire" };

export const resolvers = {
  Mutation: {
    async prepareOfferStatus(_: unknown, args: { offer: string; status: OfferStatus; from: string }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareOfferStatus");
      const offerId = id(args.offer, "offer");
      const from = address(args.from, "from");
      const chain = ctx.deps.chain;
      const offer = await read(chain, "offer", "Licensing.offer", () => chain.licensing.offer(offerId));
      const current = OFFER_STATUSES[Number(offer.status)]!;
      const change = offerStatusChange(current, args.status);
      if ("refused" in change) throw badInput("status", `offer ${offerId}: ${change.refused}`);
      await requireAuthorized(ctx, from, offer.workId);
      const tx = await chain.prepare({
        description: `${VERB[args.status]} offer ${offerId}`,
        to: chain.contracts.licensing.address,
        data: licensingInterface.encodeFunctionData(change.call, [offerId]),
        from,
      });
      return { summary: `${VERB[args.status].toLowerCase()} offer ${offerId} of work ${offer.workId} (now ${current})`, transactions: [tx] };
    },
  },
};
