import { unixSeconds } from "../clock";
import { badInput } from "../errors";
import { licensingInterface } from "../chain/contracts";
import { address, id, timestamp } from "./args";
import { requireScope, type AppContext } from "./context";
import { requireAuthorized } from "./prepareOffer";
import { describeRevocationPolicy, revocableReasons } from "../../../core/domain";
import { read } from "./transactions";

export const typeDefs = /* GraphQL */ `
  extend type Mutation {
    """
    The transaction that revokes a licence (signed by the work's owner or operator, \`effectiveAt\`
    unix seconds, default now plus the licence's notice period), or with reason Surrendered, that the
    licensee surrenders it. Only for a reason the licence's terms allow (its revocationPolicy).
    """
    prepareRevocation(licence: String!, reason: RevocationReason!, effectiveAt: BigInt, from: String!): PreparedAction!
  }
`;

const REASONS = ["Breach", "NonPayment", "Dispute", "Other", "Surrendered"] as const;

export const resolvers = {
  Mutation: {
    async prepareRevocation(_: unknown, args: { licence: string; reason: (typeof REASONS)[number]; effectiveAt?: string | null; from: string }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareRevocation");
      const licenceId = id(args.licence, "licence");
      const from = address(args.from, "from");
      const chain = ctx.deps.chain;
      const [licence, revocation] = await Promise.all([
        read(chain, "licence", "Licensing.licence", () => chain.licensing.licence(licenceId)),
        read(chain, "licence", "Licensing.revocation", () => chain.licensing.revocation(licenceId)),
      ]);
      if (revocation.effectiveAt !== 0n) throw badInput("licence", `licence ${licenceId} is already revoked (${REASONS[Number(revocation.reason)]})`);
      const licensing = chain.contracts.licensing.address;

      if (args.reason === "Surrendered") {
        if (args.effectiveAt != null) throw badInput("effectiveAt", "a surrender takes effect immediately");
        const holder = await read(chain, "licence", "Licensing.ownerOf", () => chain.licensing.ownerOf(licenceId));
        if (holder.toLowerCase() !== from.toLowerCase()) throw badInput("from", `only the licence holder ${holder} can surrender licence ${licenceId}`);
        const tx = await chain.prepare({ description: `Surrender licence ${licenceId}`, to: licensing, data: licensingInterface.encodeFunctionData("surrender", [licenceId]), from });
        return { summary: `surrender licence ${licenceId} (effective immediately)`, transactions: [tx] };
      }

      const now = unixSeconds(ctx.deps.clock);
      const effectiveAt = args.effectiveAt == null ? 0n : timestamp(args.effectiveAt, "effectiveAt");
      if (effectiveAt !== 0n && effectiveAt < now) throw badInput("effectiveAt", `is in the past (${effectiveAt} < now ${now})`);
      // The licence's own terms say when it may end early: refuse what the contract would revert.
      const terms = await read(chain, "licence", "Licensing.revocationTerms", () => chain.licensing.revocationTerms(licenceId));
      const policy = { revocableFor: Number(terms.revocableFor), noticePeriod: BigInt(terms.noticePeriod) };
      if ((policy.revocableFor & (1 << REASONS.indexOf(args.reason))) === 0) {
        throw badInput("reason", `licence ${licenceId} cannot be revoked for ${args.reason}: its terms say ${describeRevocationPolicy(policy)}`, { revocableFor: revocableReasons(policy.revocableFor) });
      }
      if (effectiveAt !== 0n && effectiveAt < now + policy.noticePeriod) {
        throw badInput("effectiveAt", `licence ${licenceId} needs ${policy.noticePeriod} seconds' notice: at the earliest ${now + policy.noticePeriod}`);
      }
      await requireAuthorized(ctx, from, licence.workId);
      const tx = await chain.prepare({
        description: `Revoke licence ${licenceId} (${args.reason})${effectiveAt ? ` effective ${new Date(Number(effectiveAt) * 1000).toISOString()}` : policy.noticePeriod > 0n ? ` effective after its ${policy.noticePeriod} seconds' notice` : " now"}`,
        to: licensing,
        data: licensingInterface.encodeFunctionData("revoke", [licenceId, REASONS.indexOf(args.reason), effectiveAt]),
        from,
      });
      return { summary: `revoke licence ${licenceId} of work ${licence.workId} for ${args.reason}`, transactions: [tx] };
    },
  },
};
