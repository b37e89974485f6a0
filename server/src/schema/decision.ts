import { decide, type DenialReason, type Right } from "../../../core/domain";
import { licenceById } from "../subgraph/reads";
import type { RawLicence } from "../subgraph/types";
import { toTerms } from "./common";
import type { AppContext } from "./context";

/** The answer to "may licensee L make use R of work W in country C at time T?" (licenceStatus, checkLicences). */
export interface LicenceCheckResult {
  allowed: boolean;
  work: string;
  workId: string | null;
  licensee: string;
  right: Right;
  territory: string;
  at: bigint;
  reasons: DenialReason[];
  evidence: ReturnType<typeof evidenceOf> | null;
  licences: { licenceId: string; status: string; granted: boolean; reasons: DenialReason[] }[];
  error: string | null;
  onChain: unknown;
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
    licence: Licence!
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
    "The licence that grants the use (the longest-lasting when several do)"
    evidence: LicenceEvidence
    "Every licence the licensee holds for the work, with its verdict"
    licences: [LicenceVerdict!]!
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
    licence: l,
  };
}

export function checkResult(
  input: { work: string; licensee: string; right: Right; territory: string; at: bigint },
  workId: string | null,
  licences: RawLicence[],
  error: string | null = null,
): LicenceCheckResult {
  const terms = licences.map((l) => ({ ...toTerms(l), raw: l }));
  const d = decide(terms, { right: input.right, country: input.territory, at: input.at });
  return {
    ...input,
    workId,
    allowed: d.allowed,
    reasons: d.reasons,
    evidence: d.granting[0] ? evidenceOf(d.granting[0].raw) : null,
    licences: d.verdicts.map((v) => ({ licenceId: v.licence.raw.licenceId, status: v.verdict.status, granted: v.verdict.granted, reasons: v.verdict.reasons })),
    error,
    onChain: null,
  };
}

export const resolvers = {
  LicenceEvidence: {
    /** Decisions read licences with LICENCE_DECISION; the full licence is fetched when asked for. */
    licence: async (e: { licence: RawLicence }, _: unknown, ctx: AppContext) =>
      e.licence.payer !== undefined ? e.licence : ((await licenceById(ctx.deps.subgraph, BigInt(e.licence.licenceId))) ?? e.licence),
  },
};
