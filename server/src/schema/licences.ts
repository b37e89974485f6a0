import { statusNow } from "../clock";
import { badInput } from "../errors";
import type { LicenceStatus } from "../../../core/domain";
import { findLicences, licenceById, licenceStatusFilter } from "../subgraph/reads";
import type { RawLicence } from "../subgraph/types";
import { address, id, page, timestamp, workRef } from "./args";
import type { AppContext } from "./context";
import { workIndexId } from "./resolveWork";

export const typeDefs = /* GraphQL */ `
  extend type Query {
    licence(id: String!): Licence
    "Licences of a licensee and/or of a work (id, ISRC or ISWC); \`status\` keeps those with that status at \`at\` (default now)."
    licences(licensee: String, work: String, status: LicenceStatus, at: BigInt, first: Int = 100, skip: Int = 0): [Licence!]!
  }
`;

interface LicencesArgs {
  licensee?: string | null;
  work?: string | null;
  status?: LicenceStatus | null;
  at?: string | null;
  first?: number;
  skip?: number;
}

export const resolvers = {
  Query: {
    licence: (_: unknown, args: { id: string }, ctx: AppContext) => licenceById(ctx.deps.subgraph, id(args.id, "id")),

    async licences(_: unknown, args: LicencesArgs, ctx: AppContext): Promise<RawLicence[]> {
      if (args.licensee == null && args.work == null) throw badInput("licensee", "give a licensee, a work, or both");
      const { first, skip } = page(args.first, args.skip);
      const where: Record<string, unknown> = {};
      if (args.licensee != null) where.licensee = address(args.licensee, "licensee").toLowerCase();
      if (args.work != null) {
        const work = await workIndexId(ctx, workRef(args.work, "work"), "work", false);
        if (!work) return [];
        where.work = work;
      }
      const explicitAt = args.at == null ? null : timestamp(args.at, "at");
      if (args.status == null) return findLicences(ctx.deps.subgraph, where, first, skip);
      // The status condition is part of the subgraph query, so `first`/`skip` page exactly. Its
      // "now" is taken from the index's current head (read first), not from an older answer's.
      if (explicitAt === null) await ctx.deps.subgraph.meta();
      const at = explicitAt ?? statusNow(ctx.deps.clock, ctx.deps.subgraph.headTimestamp);
      return findLicences(ctx.deps.subgraph, licenceStatusFilter(where, args.status, at), first, skip);
    },
  },
};
