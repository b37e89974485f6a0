import { statusNow } from "../clock";
import { badInput } from "../errors";
import { idToBytes32, type Right } from "../../../core/domain";
import type { SubgraphClient } from "../subgraph/client";
import { LICENCE_DECISION } from "../subgraph/fragments";
import { PAGE } from "../subgraph/reads";
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
    for the works and the first 1,000 licences, then one per further 1,000 licences found). Needs an API key with the "bulk" scope.
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

/**
 * The works (by id, ISRC, ISWC) and the licences of exactly the requested (work reference,
 * licensee) pairs in ONE query — the licences filtered by `or` branches `{ work | work_: { isrc } |
 * work_: { iswc }, licensee_in }` (graph-node ≥ 0.30 `or` and child filters), so no round trip waits
 * for the works — then further pages of PAGE licences while a page is full.
 */
async function fetchBatch(client: SubgraphClient, ids: string[], isrcs: string[], iswcs: string[], branches: Record<string, unknown>[]): Promise<{ works: WorkRow[]; licences: RawLicence[] }> {
  const sel = "{ id tokenId isrc iswc }";
  const where = (after: string) => (branches.length === 1 ? { ...branches[0]!, id_gt: after } : { or: branches.map((b) => ({ ...b, id_gt: after })) });
  const page = `licences(where: $where, first: ${PAGE}, orderBy: id, orderDirection: asc) ${LICENCE_DECISION}`;
  const d = await client.query<{ a: WorkRow[]; b: WorkRow[]; c: WorkRow[]; l: RawLicence[] }>(
    `query($ids: [Bytes!]!, $isrcs: [String!]!, $iswcs: [String!]!, $where: Licence_filter!) {
      a: works(where: { id_in: $ids }, first: ${PAGE}) ${sel}
      b: works(where: { isrc_in: $isrcs }, first: ${PAGE}) ${sel}
      c: works(where: { iswc_in: $iswcs }, first: ${PAGE}) ${sel}
      l: ${page}
    }`,
    { ids, isrcs, iswcs, where: where("0x") },
    "checkLicences",
  );
  const licences = [...d.l];
  let last = d.l;
  while (last.length >= PAGE) {
    const next = await client.query<{ l: RawLicence[] }>(`query($where: Licence_filter!) { l: ${page} }`, { where: where(last[last.length - 1]!.id) }, "checkLicences.licences");
    licences.push(...next.l);
    last = next.l;
  }
  return { works: [...d.a, ...d.b, ...d.c], licences };
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

      const keyOf = (p: (typeof parsed)[number]) => (p.ref.by === "id" ? `id:${idToBytes32(p.ref.id)}` : p.ref.by === "isrc" ? `isrc:${p.ref.isrc}` : `iswc:${p.ref.iswc}`);
      // Licensees per work reference: one `or` branch each (exactly the requested pairs).
      const groups = new Map<string, { filter: Record<string, unknown>; licensees: Set<string> }>();
      const ids = new Set<string>();
      const isrcs = new Set<string>();
      const iswcs = new Set<string>();
      for (const p of parsed) {
        const key = keyOf(p);
        let g = groups.get(key);
        if (!g) {
          const filter = p.ref.by === "id" ? { work: idToBytes32(p.ref.id) } : p.ref.by === "isrc" ? { work_: { isrc: p.ref.isrc } } : { work_: { iswc: p.ref.iswc } };
          g = { filter, licensees: new Set() };
          groups.set(key, g);
        }
        g.licensees.add(p.licensee.toLowerCase());
        if (p.ref.by === "id") ids.add(idToBytes32(p.ref.id));
        else if (p.ref.by === "isrc") isrcs.add(p.ref.isrc);
        else iswcs.add(p.ref.iswc);
      }
      const branches = [...groups.values()].map((g) => ({ ...g.filter, licensee_in: [...g.licensees] }));
      const { works: rows, licences } = await fetchBatch(ctx.deps.subgraph, [...ids], [...isrcs], [...iswcs], branches);
      const byKey = new Map<string, WorkRow>();
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
        const w = byKey.get(keyOf(p));
        const input = { work: p.input.work, licensee: p.licensee, right: p.input.right, territory: p.territory, at: p.at };
        if (!w) return checkResult(input, null, [], "work not found");
        return checkResult(input, w.tokenId, byPair.get(`${w.id}|${p.licensee.toLowerCase()}`) ?? []);
      });
    },
  },
};
