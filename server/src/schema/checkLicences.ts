import { statusNow } from "../clock";
import { badInput } from "../errors";
import { workRefKey, type Right } from "../../../core/domain";
import { licenceChecks, liveCompositionIds, type LicenceCheckRow } from "../subgraph/reads";
import type { RawLicence } from "../subgraph/types";
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
    for the works and the first 1,000 licences, then one per further 1,000 licences found). Needs an API key with the "bulk" scope.
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
      const defaultAt = args.at == null ? statusNow(ctx.deps.clock, ctx.deps.subgraph.headTimestamp) : timestamp(args.at, "at");

      const parsed = args.requests.map((r, i) => ({
        input: r,
        ref: workRef(r.work, `requests.${i}.work`),
        licensee: address(r.licensee, `requests.${i}.licensee`),
        territory: country(r.territory, `requests.${i}.territory`),
        at: r.at == null ? defaultAt : timestamp(r.at, `requests.${i}.at`),
      }));

      const { works: rows, licences } = await licenceChecks(ctx.deps.subgraph, parsed);
      const byKey = new Map<string, LicenceCheckRow>();
      for (const w of rows) {
        byKey.set(`id:${w.id}`, w);
        if (w.isrc) byKey.set(`isrc:${w.isrc}`, w);
        if (w.iswc) byKey.set(`iswc:${w.iswc}`, w);
      }
      const byPair = new Map<string, RawLicence[]>();
      for (const l of licences) {
        const k = `${l.work.id}|${l.licensee.id}`;
        const list = byPair.get(k);
        if (list) list.push(l);
        else byPair.set(k, [l]);
      }

      return parsed.map((p) => {
        const w = byKey.get(workRefKey(p.ref));
        const input = { work: p.input.work, licensee: p.licensee, right: p.input.right, territory: p.territory, at: p.at };
        if (!w) return missingWork(input, "work not found");
        const licensee = p.licensee.toLowerCase();
        const layerLicences = new Map(liveCompositionIds(w).map((id) => [id, byPair.get(`${id}|${licensee}`) ?? []]));
        return checkResult(input, w, byPair.get(`${w.id}|${licensee}`) ?? [], layerLicences, options);
      });
    },
  },
};
