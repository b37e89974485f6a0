import { statusNow } from "../clock";
import { badInput } from "../errors";
import type { Right } from "../../../core/domain";
import { licenceChecks } from "../subgraph/reads";
import { address, country, timestamp, workRef } from "./args";
import { requireScope, type AppContext } from "./context";
import { checkOptions, checkResult, missingWork, type LicenceCheckResult } from "./decision";

export const MAX_CHECK_REQUESTS = 1000;

export const typeDefs = /* GraphQL */ `
  input LicenceCheckInput {
    "Token id, ISRC or ISWC"
    work: String!
    licensee: String!
    right: Right!
    "ISO 3166-1 alpha-2"
    territory: String!
    "Unix seconds; default: the query's \`at\`, else now"
    at: BigInt
  }

  extend type Query {
    """
    licenceStatus for up to 1,000 requests, answered with a bounded number of index queries (one
    for the works and the first 1,000 licences, then one per further 1,000 licences found, and
    one per 1,000 licences of linked compositions). licenceStatus is the same read as a batch of one. Needs an API key with the "bulk" scope.
    Results are in the order of the requests.
    """
    checkLicences(requests: [LicenceCheckInput!]!, at: BigInt, requireVerified: Boolean = false, societyLicences: [String!]): [LicenceCheck!]!
  }
`;

interface Input {
  work: string;
  licensee: string;
  right: Right;
  territory: string;
  at?: string | null;
}

export const resolvers = {
  Query: {
    async checkLicences(_: unknown, args: { requests: Input[]; at?: string | null; requireVerified?: boolean | null; societyLicences?: string[] | null }, ctx: AppContext): Promise<LicenceCheckResult[]> {
      requireScope(ctx, "bulk", "checkLicences");
      const n = args.requests.length;
      if (n === 0) throw badInput("requests", "give at least one request");
      if (n > MAX_CHECK_REQUESTS) throw badInput("requests", `at most ${MAX_CHECK_REQUESTS} requests per call, got ${n}`, { max: MAX_CHECK_REQUESTS, got: n });
      const options = checkOptions(args, "");
      const explicitAt = args.at == null ? null : timestamp(args.at, "at");

      const parsed = args.requests.map((r, i) => ({
        input: r,
        ref: workRef(r.work, `requests.${i}.work`),
        licensee: address(r.licensee, `requests.${i}.licensee`),
        territory: country(r.territory, `requests.${i}.territory`),
        at: r.at == null ? null : timestamp(r.at, `requests.${i}.at`),
      }));

      const batch = await licenceChecks(ctx.deps.subgraph, parsed);
      // "Now" is the clock, or the indexed head when that is later (the client has observed the
      // head this batch was read at): a licence bought in the latest block is in effect even when
      // block time runs ahead of the clock.
      const defaultAt = explicitAt ?? statusNow(ctx.deps.clock, ctx.deps.subgraph.headTimestamp);

      return parsed.map((p) => {
        const { work, licences, layerLicences } = batch.lookup(p.ref, p.licensee);
        const input = { work: p.input.work, licensee: p.licensee, right: p.input.right, territory: p.territory, at: p.at ?? defaultAt };
        if (!work) return missingWork(input, "work not found");
        return checkResult(input, work, licences, layerLicences, options);
      });
    },
  },
};
