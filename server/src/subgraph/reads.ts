import { idToBytes32, workRefField, workRefKey, type LicenceStatus, type WorkRef } from "../../../core/domain";
import type { SubgraphClient } from "./client";
import { HEAD, LICENCE, LICENCE_DECISION, OFFER, SPLIT, WORK, WORK_LAYERS, CURRENCY } from "./fragments";
import type { RawAccountBalance, RawLicence, RawOffer, RawRoyaltyCredit, RawSplitShare, RawWithdrawal, RawWork, RawWorkLayers } from "./types";

/** graph-node's largest page. */
export const PAGE = 1000;

export async function workById(client: SubgraphClient, id: bigint): Promise<RawWork | null> {
  const d = await client.query<{ work: RawWork | null }>(`query($id: ID!) { work(id: $id) ${WORK} }`, { id: idToBytes32(id) }, "work");
  return d.work;
}

export async function worksByIds(client: SubgraphClient, ids: string[]): Promise<Map<string, RawWork>> {
  const out = new Map<string, RawWork>();
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    const d = await client.query<{ works: RawWork[] }>(`query($ids: [Bytes!]!) { works(where: { id_in: $ids }, first: ${PAGE}) ${WORK} }`, { ids: chunk }, "worksByIds");
    for (const w of d.works) out.set(w.id, w);
  }
  return out;
}

/** The work a reference (id, ISRC or ISWC) names, or null. */
export async function workByRef(client: SubgraphClient, ref: WorkRef): Promise<RawWork | null> {
  const { field, value } = workRefField(ref);
  if (field === "id") {
    const d = await client.query<{ work: RawWork | null }>(`query($id: ID!) { work(id: $id) ${WORK} }`, { id: value }, "work");
    return d.work;
  }
  return (await findWorks(client, { [field]: value }, 1, 0))[0] ?? null;
}

export type WorkFilter = {
  metadataCid?: string;
  isrc?: string;
  iswc?: string;
  title?: string;
  creator?: string;
  owner?: string;
  /** The work's owner or a recipient of its current split (the rights holders). */
  rightsHolder?: string;
  search?: string;
};

/**
 * Words a person types → the subgraph's fulltext query (Postgres `to_tsquery` syntax, as
 * graph-node passes it on): every word must match, the last one as a prefix (search as you type).
 * Operators and quotes typed by the user are dropped, so no input is a syntax error. Null when
 * nothing searchable is left.
 */
export function fulltextQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(" & ");
}

/**
 * `base` and-ed with "owned by `holder` or paid to it by the current split". `or` cannot stand
 * beside other filters (graph-node's rule), so each branch carries them all; with an `owner` in
 * `base` too, the owner branch holds only when both name the same account.
 */
function rightsHolderFilter(base: Record<string, unknown>, holder: string): Record<string, unknown> {
  const asRecipient = { ...base, currentSplit_: { recipients_contains: [holder] } };
  return { or: base.owner === undefined || base.owner === holder ? [{ ...base, owner: holder }, asRecipient] : [asRecipient] };
}

/** Works matching a filter: exact CID / ISRC / ISWC / owner, title substring, creator name (case-insensitive). */
export async function findWorks(client: SubgraphClient, filter: WorkFilter, first: number, skip: number): Promise<RawWork[]> {
  const base: Record<string, unknown> = {};
  if (filter.metadataCid) base.metadataCid = filter.metadataCid;
  if (filter.isrc) base.isrc = filter.isrc;
  if (filter.iswc) base.iswc = filter.iswc;
  if (filter.owner) base.owner = filter.owner.toLowerCase();
  if (filter.title) base.title_contains_nocase = filter.title;
  if (filter.creator) base.creators_contains_nocase = [filter.creator];
  const where = filter.rightsHolder ? rightsHolderFilter(base, filter.rightsHolder.toLowerCase()) : base;
  if (filter.search !== undefined) {
    // The fulltext field (title, creators, identifier), and-ed with the other filters; in the
    // order graph-node returns matches.
    const text = fulltextQuery(filter.search);
    if (text === null) return [];
    const s = await client.query<{ workSearch: RawWork[] }>(
      `query($text: String!, $where: Work_filter!, $first: Int!, $skip: Int!) { workSearch(text: $text, where: $where, first: $first, skip: $skip) ${WORK} }`,
      { text, where, first, skip },
      "searchWorks",
    );
    return s.workSearch;
  }
  const d = await client.query<{ works: RawWork[] }>(
    `query($where: Work_filter!, $first: Int!, $skip: Int!) { works(where: $where, first: $first, skip: $skip, orderBy: tokenId, orderDirection: asc) ${WORK} }`,
    { where, first, skip },
    "findWorks",
  );
  return d.works;
}

/** Works by ISRC and ISWC in one query (at most two lists of ≤ 1000). */
export async function worksByIdentifiers(client: SubgraphClient, isrcs: string[], iswcs: string[]): Promise<{ byIsrc: Map<string, RawWork[]>; byIswc: Map<string, RawWork[]> }> {
  const byIsrc = new Map<string, RawWork[]>();
  const byIswc = new Map<string, RawWork[]>();
  if (isrcs.length === 0 && iswcs.length === 0) return { byIsrc, byIswc };
  const sel = WORK_LAYERS;
  const d = await client.query<{ a: RawWork[]; b: RawWork[] }>(
    `query($isrcs: [String!]!, $iswcs: [String!]!) {
      a: works(where: { isrc_in: $isrcs }, first: ${PAGE}) ${sel}
      b: works(where: { iswc_in: $iswcs }, first: ${PAGE}) ${sel}
    }`,
    { isrcs, iswcs },
    "worksByIdentifiers",
  );
  for (const w of d.a) if (w.isrc) byIsrc.set(w.isrc, [...(byIsrc.get(w.isrc) ?? []), w]);
  for (const w of d.b) if (w.iswc) byIswc.set(w.iswc, [...(byIswc.get(w.iswc) ?? []), w]);
  return { byIsrc, byIswc };
}

export async function offersByWorks(client: SubgraphClient, workIds: string[]): Promise<Map<string, RawOffer[]>> {
  const out = new Map<string, RawOffer[]>(workIds.map((id) => [id, []]));
  await pageAll<RawOffer>(client, "offers", OFFER, { work_in: workIds }, "offersByWorks", (o) => out.get(o.work.id)?.push(o));
  return out;
}

export async function offerById(client: SubgraphClient, id: bigint): Promise<RawOffer | null> {
  const d = await client.query<{ offer: RawOffer | null }>(`query($id: ID!) { offer(id: $id) ${OFFER} }`, { id: idToBytes32(id) }, "offer");
  return d.offer;
}

export async function licenceById(client: SubgraphClient, id: bigint): Promise<RawLicence | null> {
  const d = await client.query<{ licence: RawLicence | null }>(`query($id: ID!) { ${HEAD} licence(id: $id) ${LICENCE} }`, { id: idToBytes32(id) }, "licence");
  return d.licence;
}

export async function findLicences(client: SubgraphClient, where: Record<string, unknown>, first: number, skip: number): Promise<RawLicence[]> {
  const d = await client.query<{ licences: RawLicence[] }>(
    `query($where: Licence_filter!, $first: Int!, $skip: Int!) { ${HEAD} licences(where: $where, first: $first, skip: $skip, orderBy: licenceId, orderDirection: asc) ${LICENCE} }`,
    { where, first, skip },
    "findLicences",
  );
  return d.licences;
}

/**
 * The subgraph filter selecting licences whose status at `at` is `status` — the same rule as
 * licenceStatusAt (domain/status.ts): revoked from `revokedFrom`, scheduled before `start`,
 * expired from `end` (null when perpetual), else active. Combined with `base` under `and`
 * (graph-node refuses column filters beside `or` at one level), so pages are exact.
 */
export function licenceStatusFilter(base: Record<string, unknown>, status: LicenceStatus, at: bigint): Record<string, unknown> {
  const t = at.toString();
  const notRevoked = { or: [{ revokedFrom: null }, { revokedFrom_gt: t }] };
  const byStatus: Record<typeof status, Record<string, unknown>[]> = {
    Revoked: [{ revokedFrom_lte: t }],
    Scheduled: [notRevoked, { start_gt: t }],
    Expired: [notRevoked, { start_lte: t }, { end_lte: t }],
    Active: [notRevoked, { start_lte: t }, { or: [{ end: null }, { end_gt: t }] }],
  };
  return { and: [base, ...byStatus[status]] };
}

/**
 * Every licence of the given works held by the given licensees, paged by id: one query per 1,000
 * licences found, whatever the number of (work, licensee) pairs asked.
 */
export async function licencesFor(client: SubgraphClient, workIds: string[], licensees: string[], selection = LICENCE): Promise<RawLicence[]> {
  const out: RawLicence[] = [];
  if (workIds.length === 0 || licensees.length === 0) return out;
  await pageAll<RawLicence>(client, "licences", selection, { work_in: workIds, licensee_in: licensees.map((l) => l.toLowerCase()) }, "licencesFor", (l) => out.push(l));
  return out;
}

export interface WorkLicences {
  work: RawWorkLayers | null;
  /** The licensee's licences for the work itself. */
  licences: RawLicence[];
  /** The licensee's licences for each linked composition (keyed by composition index id). */
  layerLicences: Map<string, RawLicence[]>;
  /** The indexed block the answer was read at. */
  block: { number: number; hash: string | null; timestamp: number | null };
}

/**
 * A work (by id, ISRC or ISWC) and every licence `licensee` holds for it, with the block read:
 * licenceChecks' read as a batch of one (one subgraph query; more for a linked recording's other
 * layer or more than a page of licences), so licenceStatus and checkLicences can never disagree.
 */
export async function workLicences(client: SubgraphClient, ref: WorkRef, licensee: string): Promise<WorkLicences> {
  const batch = await licenceChecks(client, [{ ref, licensee }]);
  return { ...batch.lookup(ref, licensee), block: batch.block };
}

/** The index ids of the compositions a work is linked to (claimed or confirmed; removed links do not count). */
export function liveCompositionIds(work: RawWorkLayers): string[] {
  return work.compositions.filter((c) => c.status !== "Removed").map((c) => c.composition.id);
}

/** The licence filter matching a work reference: the work id, or the work's ISRC / ISWC (child filter). */
export function licenceWorkFilter(ref: WorkRef): Record<string, unknown> {
  const { field, value } = workRefField(ref);
  return field === "id" ? { work: value } : { work_: { [field]: value } };
}

export type LicenceCheckRow = RawWorkLayers;

/** What licenceChecks read, and each request's share of it. */
export interface LicenceCheckBatch {
  /** The indexed block the first query was read at. */
  block: WorkLicences["block"];
  /** The work a reference names (by ISRC or ISWC: the first registered, lowest token id) and the licensee's licences for it and its other layer. */
  lookup(ref: WorkRef, licensee: string): Omit<WorkLicences, "block">;
}

/**
 * checkLicences' reads: the works (by id, ISRC, ISWC) and the licences of exactly the requested
 * (work reference, licensee) pairs in ONE query — the licences filtered by `or` branches
 * `{ work | work_: { isrc } | work_: { iswc }, licensee_in }` (graph-node ≥ 0.30 `or` and child
 * filters), so no round trip waits for the works — then further pages of PAGE licences while a
 * page is full, and one query per PAGE licences of the compositions found recordings are linked to.
 */
export async function licenceChecks(client: SubgraphClient, requests: readonly { ref: WorkRef; licensee: string }[]): Promise<LicenceCheckBatch> {
  // Licensees per work reference: one `or` branch each (exactly the requested pairs).
  const groups = new Map<string, { filter: Record<string, unknown>; licensees: Set<string> }>();
  const keys = { id: new Set<string>(), isrc: new Set<string>(), iswc: new Set<string>() };
  for (const r of requests) {
    const key = workRefKey(r.ref);
    let g = groups.get(key);
    if (!g) {
      g = { filter: licenceWorkFilter(r.ref), licensees: new Set() };
      groups.set(key, g);
    }
    g.licensees.add(r.licensee.toLowerCase());
    const { field, value } = workRefField(r.ref);
    keys[field].add(value);
  }
  const branches = [...groups.values()].map((g) => ({ ...g.filter, licensee_in: [...g.licensees] }));
  const sel = WORK_LAYERS;
  const where = (after: string) => (branches.length === 1 ? { ...branches[0]!, id_gt: after } : { or: branches.map((b) => ({ ...b, id_gt: after })) });
  const page = `licences(where: $where, first: ${PAGE}, orderBy: id, orderDirection: asc) ${LICENCE_DECISION}`;
  const byToken = `first: ${PAGE}, orderBy: tokenId, orderDirection: asc`;
  const d = await client.query<{ _meta: { block: WorkLicences["block"] }; a: LicenceCheckRow[]; b: LicenceCheckRow[]; c: LicenceCheckRow[]; l: RawLicence[] }>(
    `query($ids: [Bytes!]!, $isrcs: [String!]!, $iswcs: [String!]!, $where: Licence_filter!) {
      ${HEAD}
      a: works(where: { id_in: $ids }, ${byToken}) ${sel}
      b: works(where: { isrc_in: $isrcs }, ${byToken}) ${sel}
      c: works(where: { iswc_in: $iswcs }, ${byToken}) ${sel}
      l: ${page}
    }`,
    { ids: [...keys.id], isrcs: [...keys.isrc], iswcs: [...keys.iswc], where: where("0x") },
    "checkLicences",
  );
  const licences = [...d.l];
  let last = d.l;
  while (last.length >= PAGE) {
    const next = await client.query<{ l: RawLicence[] }>(`query($where: Licence_filter!) { l: ${page} }`, { where: where(last[last.length - 1]!.id) }, "checkLicences.licences");
    licences.push(...next.l);
    last = next.l;
  }
  // The other layer: every licence of the requested licensees for the compositions the found
  // recordings are linked to (one more query per PAGE licences, only when there are links).
  const works = [...d.a, ...d.b, ...d.c];
  const compositions = [...new Set(works.flatMap(liveCompositionIds))];
  const licensees = [...new Set(requests.map((r) => r.licensee.toLowerCase()))];
  if (compositions.length > 0) licences.push(...(await licencesFor(client, compositions, licensees, LICENCE_DECISION)));

  // Works by reference (an ISRC or ISWC names its first registered work), licences by (work, licensee).
  const byKey = new Map<string, LicenceCheckRow>();
  for (const w of works) {
    for (const key of [`id:${w.id}`, w.isrc ? `isrc:${w.isrc}` : null, w.iswc ? `iswc:${w.iswc}` : null]) {
      if (key && !byKey.has(key)) byKey.set(key, w);
    }
  }
  const byPair = new Map<string, RawLicence[]>();
  for (const l of licences) {
    const k = `${l.work.id}|${l.licensee.id}`;
    const list = byPair.get(k);
    if (list) list.push(l);
    else byPair.set(k, [l]);
  }
  return {
    block: d._meta.block,
    lookup(ref, licensee) {
      const work = byKey.get(workRefKey(ref)) ?? null;
      if (!work) return { work: null, licences: [], layerLicences: new Map() };
      const l = licensee.toLowerCase();
      const layerLicences = new Map(liveCompositionIds(work).map((id) => [id, byPair.get(`${id}|${l}`) ?? []]));
      return { work, licences: byPair.get(`${work.id}|${l}`) ?? [], layerLicences };
    },
  };
}

export interface LicenceEventsPage {
  _meta: { block: { number: number; hash: string | null; timestamp: number | null } };
  issued: RawLicence[];
  revoked: { licence: RawLicence; blockNumber: string; txHash: string }[];
}

/** licenceEvents' poll: licences issued and revoked after block `after` (≤ 1,000 of each), with the indexed head. */
export async function licenceEventsPage(client: SubgraphClient, where: Record<string, unknown>, revocationWhere: Record<string, unknown>, after: number): Promise<LicenceEventsPage> {
  return client.query<LicenceEventsPage>(
    `query($w: Licence_filter!, $r: Revocation_filter!) {
      ${HEAD}
      issued: licences(where: $w, first: ${PAGE}, orderBy: blockNumber, orderDirection: asc) ${LICENCE}
      revoked: revocations(where: $r, first: ${PAGE}, orderBy: blockNumber, orderDirection: asc) { blockNumber txHash licence ${LICENCE} }
    }`,
    { w: { ...where, blockNumber_gt: String(after) }, r: { ...revocationWhere, blockNumber_gt: String(after) } },
    "licenceEvents",
  );
}

/** Pages a collection by `id_gt` (stable under concurrent inserts, unlike skip). */
async function pageAll<T extends { id: string }>(client: SubgraphClient, collection: string, selection: string, where: Record<string, unknown>, operation: string, each: (t: T) => void): Promise<void> {
  let after = "0x";
  for (;;) {
    const d = await client.query<Record<string, T[]>>(
      `query($where: ${collectionFilter(collection)}!) { ${collection === "licences" ? HEAD : ""} page: ${collection}(where: $where, first: ${PAGE}, orderBy: id, orderDirection: asc) ${selection} }`,
      { where: { ...where, id_gt: after } },
      operation,
    );
    const page = d.page!;
    page.forEach(each);
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

function collectionFilter(collection: string): string {
  const entity = { offers: "Offer", licences: "Licence", works: "Work" }[collection];
  if (!entity) throw new Error(`no filter type for ${collection}`);
  return `${entity}_filter`;
}

export interface RawEarnings {
  account: { id: string; balances: RawAccountBalance[]; licencesReceived: number; licencesPaid: number } | null;
  withdrawals: RawWithdrawal[];
  credits: RawRoyaltyCredit[];
  shares: RawSplitShare[];
}

/** Balances, withdrawal and credit history, and the splits (with undistributed buckets) an account shares in. */
export async function earningsOf(client: SubgraphClient, account: string, first: number): Promise<RawEarnings> {
  const a = account.toLowerCase();
  return client.query<RawEarnings>(
    `query($a: ID!, $ab: Bytes!, $first: Int!) {
      account(id: $a) { id licencesReceived licencesPaid balances { currency ${CURRENCY} credited withdrawn balance } }
      withdrawals(where: { account: $ab }, first: $first, orderBy: timestamp, orderDirection: desc) { id currency ${CURRENCY} caller amount blockNumber timestamp txHash }
      credits: royaltyCredits(where: { account: $ab }, first: $first, orderBy: timestamp, orderDirection: desc) {
        id work { id tokenId } currency ${CURRENCY} amount timestamp distribution { txHash blockNumber split { version } }
      }
      shares: splitShares(where: { recipient: $ab }, first: ${PAGE}) {
        shareBps
        split { ${SPLIT.slice(1, -1)} work { id tokenId currentSplit { version } } buckets(where: { undistributed_gt: "0" }) { currency ${CURRENCY} undistributed } }
      }
    }`,
    { a, ab: a, first },
    "earnings",
  );
}

/** Resolves when the index has processed `block` (or throws after `timeoutMs`). */
export async function waitForBlock(client: SubgraphClient, block: number, timeoutMs: number, pollMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const meta = await client.meta();
      if (meta.block.number >= block) return true;
    } catch {
      // keep polling until the deadline: the index may be restarting
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
