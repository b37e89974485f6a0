import { decideLayers, type LayerDenialReason, type LayerInput, type LayerRole, type Right } from "../../../core/domain";
import { badInput } from "../errors";
import { licenceById } from "../subgraph/reads";
import type { RawLicence, RawMandate, RawWorkLayers } from "../subgraph/types";
import { disputeOf, revocationPolicyOf, toTerms } from "./common";
import type { AppContext } from "./context";

/** What the platform asks on top of the use: require verified identifiers; the societies it holds licences from. */
export interface CheckOptions {
  requireVerified: boolean;
  societyLicences: string[];
}

type Terms = ReturnType<typeof toTerms> & { raw: RawLicence };

export interface LayerResult {
  role: LayerRole;
  workId: string;
  identifier: string | null;
  verified: boolean;
  linkStatus: "Claimed" | "Confirmed" | null;
  allowed: boolean;
  reasons: LayerDenialReason[];
  evidence: ReturnType<typeof evidenceOf> | null;
  licences: { licenceId: string; status: string; granted: boolean; reasons: string[] }[];
  society: string | null;
  coveredBySociety: boolean;
}

/** The answer to "may licensee L make use R of work W in country C at time T?" (licenceStatus, checkLicences). */
export interface LicenceCheckResult {
  allowed: boolean;
  work: string;
  workId: string | null;
  licensee: string;
  right: Right;
  territory: string;
  at: bigint;
  reasons: LayerDenialReason[];
  evidence: ReturnType<typeof evidenceOf> | null;
  licences: { licenceId: string; status: string; granted: boolean; reasons: string[] }[];
  error: string | null;
  onChain: unknown;
  verified: boolean;
  layers: LayerResult[];
  requiredSocieties: string[];
  disputes: ReturnType<typeof disputeOf>[];
}

export const typeDefs = /* GraphQL */ `
  "Where to find the proof of a licence."
  type LicenceEvidence {
    licenceId: ID!
    offerId: ID
    source: LicenceSource!
    txHash: String!
    blockNumber: BigInt!
    "Block time of the purchase (unix seconds)"
    timestamp: BigInt!
    start: BigInt!
    end: BigInt
    "The work's metadata version the licence covers"
    metadataVersion: Int!
    "The metadata CID the licence covers (later metadata updates do not change it)"
    licensedCid: String!
    "Under which conditions the licence may end early"
    revocationPolicy: RevocationPolicy!
    licence: Licence!
  }

  "Which copyright a layer is: a recording's master, a composition it embodies, or a work of its own (a composition, a design)."
  enum LayerRole { Master Composition Work }

  "An identifier a registrar moved between works (a dispute, or an attested registration taking it from an unverified holder)."
  type IdentifierDispute {
    identifier: String!
    kind: WorkKind!
    "The work that lost it; null if none held it"
    fromWork: ID
    "The work that holds it now; null when released"
    toWork: ID
    registrar: String!
    reason: String!
    timestamp: BigInt!
    txHash: String!
  }

  "One layer of the answer: the master, one composition, or the work itself."
  type LayerCheck {
    role: LayerRole!
    workId: ID!
    "ISRC or ISWC, if the work holds one"
    identifier: String
    "Whether a registrar attested the work's identifier"
    verified: Boolean!
    "For a composition: whether its owner confirmed the link (Confirmed) or the recording's side only claimed it"
    linkStatus: LinkStatus
    allowed: Boolean!
    "Empty when allowed"
    reasons: [DenialReason!]!
    "The licence that grants this layer"
    evidence: LicenceEvidence
    licences: [LicenceVerdict!]!
    "The collecting society that administers this right in this territory: the platform's licensor for this layer"
    society: String
    "Whether the layer is covered by the caller's licence from that society (societyLicences)"
    coveredBySociety: Boolean!
  }

  type LicenceVerdict {
    licenceId: ID!
    status: LicenceStatus!
    granted: Boolean!
    reasons: [DenialReason!]!
  }

  type OnChainCheck {
    "Whether Licensing.isLicensed is true for one of the licences the index knows"
    licensed: Boolean!
    "The licence found licensed on-chain"
    licenceId: ID
    "Whether the chain agrees with the index's answer"
    agreesWithIndex: Boolean!
    "Licences re-checked"
    checked: Int!
    "Chain head block at the check"
    blockNumber: Int!
  }

  type LicenceCheck {
    "True only when every layer (the master and each linked composition) allows the use"
    allowed: Boolean!
    "The work as asked (id, ISRC or ISWC)"
    work: String!
    "Its token id; null when no such work is indexed"
    workId: ID
    licensee: String!
    right: Right!
    territory: String!
    at: BigInt!
    "Empty when allowed"
    reasons: [DenialReason!]!
    "The licence that grants the use of the work asked about (the longest-lasting when several do)"
    evidence: LicenceEvidence
    "Every licence the licensee holds for the work asked about, with its verdict"
    licences: [LicenceVerdict!]!
    "Whether a registrar attested the identifier of the work asked about"
    verified: Boolean!
    "Each layer with its own answer and evidence: the work, then each composition a recording is linked to"
    layers: [LayerCheck!]!
    "Societies the platform must hold a licence from for the layers they administer (not covered by societyLicences)"
    requiredSocieties: [String!]!
    "Identifier moves that touch the work: licences sold under an earlier holder stay on record, but check them"
    disputes: [IdentifierDispute!]!
    "Set when the request could not be answered (e.g. unknown work)"
    error: String
    "With verify: true, the on-chain re-check"
    onChain: OnChainCheck
  }
`;

export function evidenceOf(l: RawLicence) {
  return {
    licenceId: l.licenceId,
    offerId: l.offer?.offerId ?? null,
    source: l.source,
    txHash: l.txHash,
    blockNumber: l.blockNumber,
    timestamp: l.timestamp,
    start: l.start,
    end: l.perpetual ? null : l.end,
    metadataVersion: l.metadataVersion,
    licensedCid: l.licensedCid,
    revocationPolicy: revocationPolicyOf(l.revocableForMask, l.noticePeriod),
    licence: l,
  };
}


const mandates = (list: readonly RawMandate[]) => list.filter((m) => m.active);
const terms = (list: readonly RawLicence[]): Terms[] => list.map((l) => ({ ...toTerms(l), raw: l }));

/** The layers of a work: itself (Master for a recording), then each composition it is linked to. */
export function layersOf(work: RawWorkLayers, licences: readonly RawLicence[], layerLicences: ReadonlyMap<string, RawLicence[]>): (LayerInput<Terms> & { identifier: string | null })[] {
  const self = {
    role: (work.kind === "SoundRecording" ? "Master" : "Work") as LayerRole,
    workId: work.tokenId,
    identifier: work.isrc ?? work.iswc,
    verified: work.verified,
    linkStatus: null,
    licences: terms(licences),
    mandates: mandates(work.societyMandates),
  };
  if (work.kind !== "SoundRecording") return [self];
  const compositions = work.compositions
    .filter((c) => c.status !== "Removed")
    .sort((a, b) => (BigInt(a.composition.tokenId) < BigInt(b.composition.tokenId) ? -1 : 1))
    .map((c) => ({
      role: "Composition" as LayerRole,
      workId: c.composition.tokenId,
      identifier: c.composition.iswc,
      verified: c.composition.verified,
      linkStatus: c.status as "Claimed" | "Confirmed",
      licences: terms(layerLicences.get(c.composition.id) ?? []),
      mandates: mandates(c.composition.societyMandates),
    }));
  return [self, ...compositions];
}

/** The platform's options of licenceStatus / checkLicences; BAD_USER_INPUT naming the field. */
export function checkOptions(args: { requireVerified?: boolean | null; societyLicences?: string[] | null }, prefix: string): CheckOptions {
  const societies = args.societyLicences ?? [];
  if (societies.length > 50) throw badInput(`${prefix}societyLicences`, "at most 50 societies");
  societies.forEach((s, i) => {
    if (typeof s !== "string" || s.trim() === "" || Buffer.byteLength(s.trim()) > 32) throw badInput(`${prefix}societyLicences.${i}`, "a society's name as declared on-chain (1 to 32 bytes, e.g. GEMA)");
  });
  return { requireVerified: args.requireVerified ?? false, societyLicences: societies.map((s) => s.trim()) };
}

/** The answer for a request whose work is not indexed. */
export function missingWork(input: { work: string; licensee: string; right: Right; territory: string; at: bigint }, error: string): LicenceCheckResult {
  return { ...input, workId: null, allowed: false, reasons: ["NO_LICENCE"], evidence: null, licences: [], error, onChain: null, verified: false, layers: [], requiredSocieties: [], disputes: [] };
}

/** The layered answer: each layer decided with its own licences; allowed only when every layer is. */
export function checkResult(
  input: { work: string; licensee: string; right: Right; territory: string; at: bigint },
  work: RawWorkLayers,
  licences: readonly RawLicence[],
  layerLicences: ReadonlyMap<string, RawLicence[]>,
  options: CheckOptions,
): LicenceCheckResult {
  const inputs = layersOf(work, licences, layerLicences);
  const d = decideLayers(inputs, { right: input.right, country: input.territory, at: input.at }, options);
  const layers: LayerResult[] = d.layers.map((l, i) => ({
    role: l.role,
    workId: l.workId,
    identifier: inputs[i]!.identifier,
    verified: l.verified,
    linkStatus: l.linkStatus,
    allowed: l.allowed,
    reasons: l.reasons,
    evidence: l.granting[0] ? evidenceOf(l.granting[0].raw) : null,
    licences: l.verdicts.map((v) => ({ licenceId: v.licence.raw.licenceId, status: v.verdict.status, granted: v.verdict.granted, reasons: v.verdict.reasons })),
    society: l.society,
    coveredBySociety: l.coveredBySociety,
  }));
  const disputes = [...work.identifierLosses, ...(work.identifierRecord?.reassignments ?? [])]
    .filter((r, i, all) => all.findIndex((x) => x.txHash === r.txHash && x.identifier.value === r.identifier.value) === i)
    .sort((a, b) => Number(BigInt(a.timestamp) - BigInt(b.timestamp)))
    .map(disputeOf);
  const self = layers[0]!;
  return {
    ...input,
    workId: work.tokenId,
    allowed: d.allowed,
    reasons: d.reasons,
    evidence: self.evidence,
    licences: self.licences,
    error: null,
    onChain: null,
    verified: work.verified,
    layers,
    requiredSocieties: [...new Set(layers.filter((l) => l.society !== null && !l.coveredBySociety && !l.evidence).map((l) => l.society!))],
    disputes,
  };
}

export const resolvers = {
  LicenceEvidence: {
    /** Decisions read licences with LICENCE_DECISION; the full licence is fetched when asked for. */
    licence: async (e: { licence: RawLicence }, _: unknown, ctx: AppContext) =>
      e.licence.payer !== undefined ? e.licence : ((await licenceById(ctx.deps.subgraph, BigInt(e.licence.licenceId))) ?? e.licence),
  },
};
