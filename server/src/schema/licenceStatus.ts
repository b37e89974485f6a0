import { statusNow } from "../clock";
import { describeWorkRef, rightIndex, type Right } from "../../../core/domain";
import { notFound } from "../errors";
import { address, country, timestamp, workRef } from "./args";
import type { AppContext } from "./context";
import { checkOptions, checkResult, type LicenceCheckResult } from "./decision";

export const typeDefs = /* GraphQL */ `
  extend type Query {
    """
    May \`licensee\` make use \`right\` of \`work\` (token id, ISRC or ISWC) in \`territory\` (ISO 3166-1
    alpha-2) at \`at\` (unix seconds; default now)? With evidence, or the reasons it may not.
    \`verify: true\` re-checks the work's own licences on-chain (Licensing.isLicensed).
    A sound recording is answered per layer: its master and each composition it is linked to; the
    answer is allowed only when every layer is. \`requireVerified: true\` denies layers whose
    identifier no registrar attested. \`societyLicences\` names the collecting societies the caller
    holds licences from (e.g. ["GEMA"]): a layer a named society administers there is covered.
    """
    licenceStatus(work: String!, licensee: String!, right: Right!, territory: String!, at: BigInt, verify: Boolean = false, requireVerified: Boolean = false, societyLicences: [String!]): LicenceCheck!
  }
`;

/** At most this many licences re-checked on-chain per query. */
const MAX_VERIFY = 20;

interface Args {
  work: string;
  licensee: string;
  right: Right;
  territory: string;
  at?: string | null;
  verify?: boolean | null;
  requireVerified?: boolean | null;
  societyLicences?: string[] | null;
}

export const resolvers = {
  Query: {
    async licenceStatus(_: unknown, args: Args, ctx: AppContext): Promise<LicenceCheckResult> {
      const ref = workRef(args.work, "work");
      const licensee = address(args.licensee, "licensee");
      const territory = country(args.territory, "territory");
      const explicitAt = args.at == null ? null : timestamp(args.at, "at");
      // One subgraph query (work + licences + block), cached per (work, licensee) by indexed block.
      const options = checkOptions(args, "");
      const { work, licences, layerLicences, block } = await ctx.statusCache.get(ref, licensee);
      const at = explicitAt ?? statusNow(ctx.deps.clock, block.timestamp);
      if (!work) throw notFound("work", describeWorkRef(ref));
      const result = checkResult({ work: args.work, licensee, right: args.right, territory, at }, work, licences, layerLicences, options);
      if (args.verify) {
        const chain = ctx.deps.chain;
        const blockNumber = await chain.blockNumber();
        const toCheck = licences.slice(0, MAX_VERIFY);
        const checks = await Promise.all(
          toCheck.map(async (l) => ({ l, r: await chain.verifyLicence(BigInt(l.licenceId), rightIndex(args.right), territory, at) })),
        );
        const hit = checks.find((c) => c.r.licensed);
        result.onChain = {
          licensed: hit !== undefined,
          licenceId: hit?.l.licenceId ?? null,
          agreesWithIndex: (hit !== undefined) === result.allowed,
          checked: checks.length,
          blockNumber,
        };
      }
      return result;
    },
  },
};
