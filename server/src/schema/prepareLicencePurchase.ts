import { feeOf, OFFER_STATUSES } from "../../../core/domain";
import { badInput } from "../errors";
import { licensingInterface } from "../chain/contracts";
import type { PreparedTransaction } from "../chain/client";
import { offerById } from "../subgraph/reads";
import type { RawOffer } from "../subgraph/types";
import { address, id, optionalAddress } from "./args";
import { requireScope, type AppContext } from "./context";
import { paymentSteps, read, summariseTerms } from "./transactions";

export const typeDefs = /* GraphQL */ `
  type LicencePurchase {
    offerId: ID!
    workId: ID!
    licensee: String!
    payer: String!
    price: BigInt!
    "Protocol fee taken from the price"
    fee: BigInt!
    feeBps: Int!
    "Credited to the work's split: price − fee"
    net: BigInt!
    currency: String!
    nativeCurrency: Boolean!
    "The offer as indexed (null if the index has not seen it yet)"
    offer: Offer
    summary: String!
    "In order: an ERC-20 approval when needed, then the purchase"
    transactions: [Transaction!]!
  }

  extend type Mutation {
    "The transactions that buy a licence from \`offer\` for \`licensee\`, paid by \`payer\` (default: the licensee)."
    prepareLicencePurchase(offer: String!, licensee: String!, payer: String): LicencePurchase!
  }
`;

export const resolvers = {
  Mutation: {
    async prepareLicencePurchase(_: unknown, args: { offer: string; licensee: string; payer?: string | null }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareLicencePurchase");
      const offerId = id(args.offer, "offer");
      const licensee = address(args.licensee, "licensee");
      const payer = optionalAddress(args.payer, "payer") ?? licensee;
      const chain = ctx.deps.chain;
      const [onchain, indexed, fee] = await Promise.all([
        read(chain, "offer", "Licensing.offer", () => chain.licensing.offer(offerId)),
        offerById(ctx.deps.subgraph, offerId).catch(() => null as RawOffer | null),
        chain.protocolFee(),
      ]);
      const status = OFFER_STATUSES[Number(onchain.status)]!;
      if (status !== "Active") throw badInput("offer", `offer ${offerId} is ${status}`);
      if (onchain.cap > 0n && onchain.sold >= onchain.cap) throw badInput("offer", `offer ${offerId} is sold out (${onchain.cap} licences)`);
      const price = BigInt(onchain.price);
      const currency = onchain.currency;
      const feeAmount = feeOf(price, fee.bps);

      const { approval, value } = await paymentSteps(ctx, payer, price, currency);
      const purchase = await chain.prepare({
        description: `Buy a licence from offer ${offerId} (work ${onchain.workId}) for ${licensee}`,
        to: chain.contracts.licensing.address,
        data: licensingInterface.encodeFunctionData("purchase", [offerId, licensee]),
        value,
        from: payer,
        skipEstimate: approval !== null,
      });
      const transactions: PreparedTransaction[] = approval ? [approval, purchase] : [purchase];
      return {
        offerId: offerId.toString(),
        workId: onchain.workId.toString(),
        licensee,
        payer,
        price: price.toString(),
        fee: feeAmount.toString(),
        feeBps: fee.bps,
        net: (price - feeAmount).toString(),
        currency,
        nativeCurrency: currency === "0x0000000000000000000000000000000000000000",
        offer: indexed,
        summary: summariseTerms({
          rightsMask: Number(onchain.rights),
          territoryMode: indexed?.territoryMode ?? ["Worldwide", "Include", "Exclude"][Number(onchain.territoryMode)]!,
          countries: indexed?.countries ?? [],
          duration: BigInt(onchain.duration),
          startDate: BigInt(onchain.startDate),
          price,
          currency,
          exclusive: onchain.exclusive,
          transferable: onchain.transferable,
          uri: indexed?.uri ?? "",
          revocation: indexed ? { revocableFor: indexed.revocableForMask, noticePeriod: BigInt(indexed.noticePeriod) } : null,
        }),
        transactions,
      };
    },
  },
};
