import { badInput } from "../errors";
import { parseCid } from "../../../core/content/cid";
import { findWorks, offerById, workById } from "../subgraph/reads";
import type { RawOffer, RawWork } from "../subgraph/types";
import { address, id, page } from "./args";
import type { AppContext } from "./context";
import { isrcArg, iswcArg, resolveWorkRef } from "./resolveWork";

export const typeDefs = /* GraphQL */ `
  type Query {
    "A work by exactly one of: token id, metadata CID, ISRC, ISWC."
    work(id: String, metadataCid: String, isrc: String, iswc: String): Work
    "Works matching every filter given: \`search\` (fulltext), a title containing \`title\`, a creator named \`creator\` (case-insensitive), owned by \`owner\`, held by \`rightsHolder\` (its owner or a recipient of its current split)."
    works(
      "Words of the title, a creator's name or the ISRC/ISWC, in any order; the last word may be a beginning (the subgraph's fulltext search)"
      search: String
      title: String
      creator: String
      owner: String
      "The work's owner or a recipient of its current split: the rights holders, who see its delivery record"
      rightsHolder: String
      first: Int = 20
      skip: Int = 0
    ): [Work!]!
    offer(id: String!): Offer
  }
`;

interface WorkArgs {
  id?: string | null;
  metadataCid?: string | null;
  isrc?: string | null;
  iswc?: string | null;
}

export const resolvers = {
  Query: {
    async work(_: unknown, args: WorkArgs, ctx: AppContext): Promise<RawWork | null> {
      const given = (["id", "metadataCid", "isrc", "iswc"] as const).filter((k) => args[k] !== null && args[k] !== undefined);
      if (given.length !== 1) throw badInput(given.length === 0 ? "id" : given[1]!, "give exactly one of id, metadataCid, isrc, iswc");
      const client = ctx.deps.subgraph;
      if (args.id != null) return workById(client, id(args.id, "id"));
      if (args.metadataCid != null) {
        let cid: string;
        try {
          cid = parseCid(args.metadataCid, "metadataCid").toString();
        } catch (err) {
          throw badInput("metadataCid", (err as Error).message);
        }
        return (await findWorks(client, { metadataCid: cid }, 1, 0))[0] ?? null;
      }
      if (args.isrc != null) return resolveWorkRef(ctx, { by: "isrc", isrc: isrcArg(args.isrc, "isrc") }, "isrc", false);
      return resolveWorkRef(ctx, { by: "iswc", iswc: iswcArg(args.iswc, "iswc") }, "iswc", false);
    },

    async works(_: unknown, args: { search?: string | null; title?: string | null; creator?: string | null; owner?: string | null; rightsHolder?: string | null; first?: number; skip?: number }, ctx: AppContext): Promise<RawWork[]> {
      const { first, skip } = page(args.first, args.skip, 100);
      const search = args.search?.trim();
      if (args.search != null && !search) throw badInput("search", "must not be empty");
      if (search && search.length > 200) throw badInput("search", "at most 200 characters");
      const title = args.title?.trim();
      const creator = args.creator?.trim();
      if (args.title != null && !title) throw badInput("title", "must not be empty");
      if (args.creator != null && !creator) throw badInput("creator", "must not be empty");
      if (title && title.length > 200) throw badInput("title", "at most 200 characters");
      if (creator && creator.length > 200) throw badInput("creator", "at most 200 characters");
      const owner = args.owner != null ? address(args.owner, "owner") : undefined;
      const rightsHolder = args.rightsHolder != null ? address(args.rightsHolder, "rightsHolder") : undefined;
      return findWorks(ctx.deps.subgraph, { search, title, creator, owner, rightsHolder }, first, skip);
    },

    async offer(_: unknown, args: { id: string }, ctx: AppContext): Promise<RawOffer | null> {
      return offerById(ctx.deps.subgraph, id(args.id, "id"));
    },
  },
};

