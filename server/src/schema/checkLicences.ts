import { statusNow } from "../clock";
import { badInput } from "../errors";
import { idToBytes32, type Right } from "../domain";
import type { SubgraphClient } from "../subgraph/client";
import { LICENCE_DECISION } from "../subgraph/fragments";
import { licencesForPairs, PAGE } from "../subgraph/reads";
import type { RawLicence } from "../subgraph/types";
import { address, country, timestamp, workRef } from "./args";
import { requireScope, type AppContext } from "./context";
import { checkResult, type LicenceCheckResult } from "./decision";

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
    for the works, then one per 1,000 licences found). Needs an API key with the "bulk" scope.
    Results are in the order of the requests.
    """
    checkLicences(requests: [LicenceCheckInput!]!, at: BigInt): [LicenceCheck!]!
  }
`;

interface Input {
  work: string;
  licensee: string;
  right: Right;
  territory: string;
  at?: string | null;
}

interface WorkRow {
  id: string;
  tokenId: string;
  isrc: string | null;
  iswc: string | null;
}

/** Works by id, ISRC and ISWC in one query. */
async function resolveWorks(client: SubgraphClient, ids: string[], isrcs: string[], iswcs: string[]): Promise<WorkRow[]> {
  const sel = "{ id tokenId isrc iswc }";
  const d = await client.query<{ a: WorkRow[]; b: WorkRow[]; c: WorkRow[] }>(
    `query($ids: [Bytes!]!, $isrcs: [String!]!, $iswcs: [String!]!) {
      a: works(where: { id_in: $ids }, first: ${PAGE}) ${sel}
      b: works(where: { isrc_in: $isrcs }, first: ${PAGE}) ${sel}
      c: works(where: { iswc_in: $iswcs }, first: ${PAGE}) ${sel}
    }`,
    { ids, isrcs, iswcs },
    "checkLicences.works",
  );
  return [...d.a, ...d.b, ...d.c];
}

export const resolvers = {
  Query: {
    async checkLicences(_: unknown, args: { requests: Input[]; at?: string | null }, ctx: AppContext): Promise<LicenceCheckResult[]> {
      requireScope(ctx, "bulk", "checkLicences");
      const n = args.requests.length;
      if (n === 0) throw badInput("requests", "give at least one request");
      if (n > MAX_CHECK_REQUESTS) throw badInput("requests", `at most ${MAX_CHECK_REQUESTS} requests per call, got ${n}`, { max: MAX_CHECK_REQUESTS, got: n });
      const defaultAt = args.at == null ? statusNow(ctx.deps.clock, ctx.deps.subgraph.headTimestamp) : timestamp(args.at, "at");

      const parsed = args.requests.map((r, i) => ({
        input: r,
        ref: workRef(r.work, `requests.${i}.work`),
        licensee: address(r.licensee, `requests.${i}.licensee`),
        territory: country(r.territory, `requests.${i}.territory`),
        at: r.at == null ? defaultAt : timestamp(r.at, `requests.${i}.at`),
      }));

      const ids = new Set<string>();
      const isrcs = new Set<string>();
      const iswcs = new Set<string>();
      for (const p of parsed) {
        if (p.ref.by === "id") ids.add(idToBytes32(p.ref.id));
        else if (p.ref.by === "isrc") isrcs.add(p.ref.isrc);
        else iswcs.add(p.ref.iswc);
      }
      const rows = await resolveWorks(ctx.deps.subgraph, [...ids], [...isrcs], [...iswcs]);
      const byKey = new Map<string, WorkRow>();
      for (const w of rows) {
        byKey.set(`id:${w.id}`, w);
        if (w.isrc) byKey.set(`isrc:${w.isrc}`, w);
        if (w.iswc) byKey.set(`iswc:${w.iswc}`, w);
      }
      const keyOf = (p: (typeof parsed)[number]) => (p.ref.by === "id" ? `id:${idToBytes32(p.ref.id)}` : p.ref.by === "isrc" ? `isrc:${p.ref.isrc}` : `iswc:${p.ref.iswc}`);

      // Exactly the requested (work, licensee) pairs, grouped by work.
      const byWork = new Map<string, string[]>();
      for (const p of parsed) {
        const w = byKey.get(keyOf(p));
        if (!w) continue;
        const list = byWork.get(w.id);
        if (list) list.push(p.licensee);
        else byWork.set(w.id, [p.licensee]);
      }
      const licences = await licencesForPairs(ctx.deps.subgraph, byWork, LICENCE_DECISION);
      const byPair = new Map<string, RawLicence[]>();
      for (const l of licences) {
        const k = `${l.work.id}|${l.licensee.id}`;
        const list = byPair.get(k);
        if (list) list.push(l);
        else byPair.set(k, [l]);
      }

      return parsed.map((p) => {
        const w = byKey.get(keyOf(p));
        const input = { work: p.input.work, licensee: p.licensee, right: p.input.right, territory: p.territory, at: p.at };
        if (!w) return checkResult(input, null, [], "work not found");
        return checkResult(input, w.tokenId, byPair.get(`${w.id}|${p.licensee.toLowerCase()}`) ?? []);
      });
    },
  },
};
