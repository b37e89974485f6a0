import { GraphQLScalarType, Kind } from "graphql";
import { statusNow } from "../clock";
import { badInput } from "../errors";
import {
  ATTESTATION_SCOPES, LINK_STATUSES, describeRevocationPolicy, InvalidRevocationPolicyError, LICENCE_STATUSES, licenceStatusAt, OFFER_STATUSES, parseRevocationPolicy, REVOCATION_REASONS, revocableReasons,
  RIGHTS, TERRITORY_MODES, WORK_KIND_NAMES, type LicenceTerms, type RevocationPolicy,
} from "../../../core/domain";
import type { RawLicence, RawOffer, RawReassignment, RawWork } from "../subgraph/types";
import { timestamp } from "./args";
import type { AppContext } from "./context";

/** Shared scalars, enums (the contracts' enums, from core/domain) and the Work / Offer / Licence / Transaction types. */
export const typeDefs = /* GraphQL */ `
  "An unsigned integer of any size (uint256), as a decimal string."
  scalar BigInt
  "Arbitrary JSON (work metadata)."
  scalar JSON
  "A file sent with the GraphQL multipart request spec."
  scalar File

  enum Right { ${RIGHTS.join(" ")} }
  enum TerritoryMode { ${TERRITORY_MODES.join(" ")} }
  enum WorkKind { ${WORK_KIND_NAMES.join(" ")} }
  enum OfferStatus { ${OFFER_STATUSES.join(" ")} }
  enum LicenceStatus { ${LICENCE_STATUSES.join(" ")} }
  enum LicenceSource { Offer SignedDeal }
  enum RevocationReason { ${REVOCATION_REASONS.join(" ")} }
  "A recording → composition link: Confirmed by the composition's owner, else Claimed (None: not linked)."
  enum LinkStatus { ${LINK_STATUSES.join(" ")} }
  "What a registrar's attestation covers: one identifier, or every ISRC with a registrant prefix."
  enum AttestationScope { ${ATTESTATION_SCOPES.join(" ")} }
  """
  Why a use is not licensed. UNVERIFIED: requireVerified was asked and the layer's identifier is
  not attested by a registrar. SOCIETY_LICENCE_REQUIRED: a collecting society administers the
  right in the territory for that layer (the answer names it) and the caller does not hold its licence.
  """
  enum DenialReason { NO_LICENCE EXPIRED NOT_YET_VALID REVOKED TERRITORY RIGHT UNVERIFIED SOCIETY_LICENCE_REQUIRED }

  type Territory {
    mode: TerritoryMode!
    "ISO 3166-1 alpha-2 codes (empty for Worldwide)"
    countries: [String!]!
  }

  type SplitRecipient { account: String!, shareBps: Int! }
  type Split { version: Int!, hash: String!, recipients: [SplitRecipient!]! }

  type Revenue {
    "Token address; 0x0000…0000 is ETH"
    currency: String!
    native: Boolean!
    gross: BigInt!
    fees: BigInt!
    net: BigInt!
    licences: Int!
  }

  type Work {
    "Token id (decimal)"
    id: ID!
    kind: WorkKind!
    owner: String!
    registrant: String!
    metadataCid: String!
    "The metadata document from IPFS (cached by CID); null when unreadable"
    metadata: JSON
    title: String
    creators: [String!]!
    isrc: String
    iswc: String
    "Whether a registrar attested its identifier (false for an unverified upload or a work without identifier)"
    verified: Boolean!
    "The registrar who attested it"
    verifiedBy: Registrar
    "An identifier a registrar took away from this work (a dispute), if any"
    lostIdentifier: String
    "Registrar moves of its identifier (lost or received), oldest first"
    identifierDisputes: [IdentifierDispute!]!
    "Current metadata version (1 at registration)"
    metadataVersion: Int!
    "Every metadata version, oldest first (a licence covers the one it names)"
    metadataHistory: [MetadataVersion!]!
    "For a sound recording: the compositions it embodies (removed links excluded)"
    compositions: [CompositionLink!]!
    "For a composition: the recordings that embody it (removed links excluded)"
    recordings: [CompositionLink!]!
    "For a composition: the collecting societies administering some of its rights (active mandates)"
    societyMandates: [SocietyMandate!]!
    split: Split!
    offers: [Offer!]!
    licenceCount: Int!
    revenue: [Revenue!]!
    registeredAt: BigInt!
    registeredAtBlock: BigInt!
    registrationTx: String!
  }

  type Registrar { address: String!, name: String! }

  type MetadataVersion {
    version: Int!
    cid: String!
    "Who set it (the registrant for version 1)"
    setBy: String!
    timestamp: BigInt!
    txHash: String!
  }

  "A recording → composition link."
  type CompositionLink {
    recordingId: ID!
    compositionId: ID!
    "The other work's identifier (the ISWC from a recording, the ISRC from a composition)"
    identifier: String
    "Whether the other work's identifier is verified"
    verified: Boolean!
    title: String
    status: LinkStatus!
    linkedBy: String!
    linkedAt: BigInt!
    confirmedBy: String
    confirmedAt: BigInt
  }

  "A collecting society's mandate over a composition's rights in a territory."
  type SocietyMandate {
    society: String!
    rights: [Right!]!
    territory: Territory!
    declaredAt: BigInt!
    declaredBy: String!
  }

  type Offer {
    id: ID!
    workId: ID!
    work: Work
    creator: String!
    rights: [Right!]!
    rightsMask: Int!
    territory: Territory!
    "Licence term in seconds; 0 = perpetual"
    duration: BigInt!
    perpetual: Boolean!
    "Earliest licence start (unix seconds); 0 = none"
    startDate: BigInt!
    price: BigInt!
    currency: String!
    nativeCurrency: Boolean!
    "0 = unlimited"
    cap: Int!
    sold: Int!
    exclusive: Boolean!
    transferable: Boolean!
    uri: String!
    status: OfferStatus!
    "Under which conditions a licence from this offer may end early"
    revocationPolicy: RevocationPolicy!
    grossRevenue: BigInt!
    createdAt: BigInt!
    txHash: String!
  }

  "A licence's revocation policy, from its offer's or deal's on-chain terms (shown before a purchase)."
  type RevocationPolicy {
    "false: nobody can end the licence early (the licensee may still surrender it)"
    revocable: Boolean!
    "The reasons the work's owner (or a later owner, or an operator) may revoke it for"
    revocableFor: [RevocationReason!]!
    "Minimum seconds between a revocation and its effect"
    noticePeriod: BigInt!
    "The policy in plain language"
    summary: String!
  }

  "A revocation policy for new terms: no reasons = not revocable (the default)."
  input RevocationPolicyInput {
    revocableFor: [RevocationReason!]!
    "Seconds of notice before a revocation takes effect; needs at least one reason"
    noticePeriod: BigInt
  }

  type Revocation {
    reason: RevocationReason!
    by: String!
    effectiveAt: BigInt!
    txHash: String!
    blockNumber: BigInt!
    timestamp: BigInt!
  }

  type Licence {
    id: ID!
    workId: ID!
    work: Work
    offerId: ID
    source: LicenceSource!
    licensee: String!
    originalLicensee: String!
    payer: String!
    rights: [Right!]!
    rightsMask: Int!
    territory: Territory!
    start: BigInt!
    "null when perpetual"
    end: BigInt
    perpetual: Boolean!
    exclusive: Boolean!
    transferable: Boolean!
    uri: String!
    price: BigInt!
    fee: BigInt!
    currency: String!
    splitVersion: Int!
    revocation: Revocation
    "Under which conditions the licence may end early"
    revocationPolicy: RevocationPolicy!
    "The work's metadata version the licence covers (later updates do not change it)"
    metadataVersion: Int!
    "The metadata CID the licence covers"
    licensedCid: String!
    "Status now, or at \`at\` (unix seconds)"
    status(at: BigInt): LicenceStatus!
    txHash: String!
    blockNumber: BigInt!
    timestamp: BigInt!
  }

  "An unsigned transaction to sign with the user's wallet (the server never holds keys)."
  type Transaction {
    description: String!
    to: String!
    data: String!
    value: BigInt!
    chainId: Int!
    from: String
    "eth_estimateGas; null when the simulation reverts or depends on an earlier transaction"
    gas: BigInt
    "The revert the simulation hit, decoded, e.g. LicensingSoldOut(3, 10)"
    simulationError: String
  }

  "An EIP-712 payload for eth_signTypedData_v4, and its digest."
  type TypedData {
    domain: JSON!
    types: JSON!
    primaryType: String!
    message: JSON!
    digest: String!
  }
`;

function parseBigIntLiteral(value: unknown): string {
  if (typeof value === "string" && /^\d{1,78}$/.test(value)) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw badInput("BigInt", `${JSON.stringify(value)} is not a non-negative integer`);
}

export const BigIntScalar = new GraphQLScalarType({
  name: "BigInt",
  serialize: (v) => (typeof v === "bigint" ? v.toString() : String(v)),
  parseValue: parseBigIntLiteral,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseBigIntLiteral(ast.kind === Kind.INT ? ast.value : ast.value);
    throw badInput("BigInt", "expected a string or an integer");
  },
});

export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: () => {
    throw badInput("JSON", "pass JSON values as variables");
  },
});

/** The API's IdentifierDispute of an indexed reassignment. */
export function disputeOf(r: RawReassignment) {
  return {
    identifier: r.identifier.value,
    kind: r.identifier.kind,
    fromWork: r.fromWork?.tokenId ?? null,
    toWork: r.toWork?.tokenId ?? null,
    registrar: r.registrar,
    reason: r.reason,
    timestamp: r.timestamp,
    txHash: r.txHash,
  };
}

/** The API's RevocationPolicy of an indexed bitmask and notice period. */
export function revocationPolicyOf(mask: number, noticePeriod: string) {
  const policy = { revocableFor: mask, noticePeriod: BigInt(noticePeriod) };
  return { revocable: mask !== 0, revocableFor: revocableReasons(mask), noticePeriod, summary: describeRevocationPolicy(policy) };
}

/** The on-chain policy of a RevocationPolicyInput (absent: not revocable); BAD_USER_INPUT naming the field. */
export function revocationPolicyArg(input: { revocableFor: string[]; noticePeriod?: string | null } | null | undefined, field: string): RevocationPolicy {
  if (input == null) return { revocableFor: 0, noticePeriod: 0n };
  const notice = input.noticePeriod == null ? 0n : timestamp(input.noticePeriod, `${field}.noticePeriod`);
  try {
    return parseRevocationPolicy(input.revocableFor, notice, field);
  } catch (err) {
    if (err instanceof InvalidRevocationPolicyError) throw badInput(err.details.field, err.details.reason);
    throw err;
  }
}

export const toTerms = (l: RawLicence): LicenceTerms => ({
  rightsMask: l.rightsMask,
  territoryMode: l.territoryMode,
  countries: l.countries,
  start: BigInt(l.start),
  end: l.perpetual || l.end === null ? null : BigInt(l.end),
  revokedFrom: l.revokedFrom === null ? null : BigInt(l.revokedFrom),
});

export const resolvers = {
  BigInt: BigIntScalar,
  JSON: JSONScalar,
  Work: {
    id: (w: RawWork) => w.tokenId,
    owner: (w: RawWork) => w.owner.id,
    registrant: (w: RawWork) => w.registrant.id,
    metadata: (w: RawWork, _: unknown, ctx: AppContext) => ctx.metadata.get(w.metadataCid),
    split: (w: RawWork) => ({
      version: w.currentSplit.version,
      hash: w.currentSplit.splitHash,
      recipients: w.currentSplit.recipients.map((account, i) => ({ account, shareBps: w.currentSplit.sharesBps[i] })),
    }),
    offers: (w: RawWork, _: unknown, ctx: AppContext) => ctx.loaders.offersByWork.load(w.id),
    // The subgraph keeps the count per currency (WorkRevenue.licences), not on the work.
    licenceCount: (w: RawWork) => w.revenue.reduce((n, r) => n + r.licences, 0),
    revenue: (w: RawWork) => w.revenue.map((r) => ({ currency: r.currency.id, native: r.currency.native, gross: r.gross, fees: r.fees, net: r.net, licences: r.licences })),
    verifiedBy: (w: RawWork) => (w.verifiedBy ? { address: w.verifiedBy.id, name: w.verifiedBy.name } : null),
    identifierDisputes: (w: RawWork) =>
      [...w.identifierLosses, ...(w.identifierRecord?.reassignments ?? [])]
        .filter((r, i, all) => all.findIndex((x) => x.txHash === r.txHash && x.identifier.value === r.identifier.value) === i)
        .sort((a, b) => Number(BigInt(a.timestamp) - BigInt(b.timestamp)))
        .map(disputeOf),
    metadataHistory: (w: RawWork) => w.metadataVersions,
    compositions: (w: RawWork) =>
      w.compositions.filter((c) => c.status !== "Removed").map((c) => ({
        recordingId: w.tokenId, compositionId: c.composition.tokenId, identifier: c.composition.iswc, verified: c.composition.verified, title: c.composition.title,
        status: c.status, linkedBy: c.linkedBy, linkedAt: c.linkedAt, confirmedBy: c.confirmedBy, confirmedAt: c.confirmedAt,
      })),
    recordings: (w: RawWork) =>
      w.recordings.filter((c) => c.status !== "Removed").map((c) => ({
        recordingId: c.recording.tokenId, compositionId: w.tokenId, identifier: c.recording.isrc, verified: c.recording.verified, title: c.recording.title,
        status: c.status, linkedBy: c.linkedBy, linkedAt: c.linkedAt, confirmedBy: c.confirmedBy, confirmedAt: c.confirmedAt,
      })),
    societyMandates: (w: RawWork) =>
      w.societyMandates.filter((m) => m.active).map((m) => ({
        society: m.society, rights: m.rights, territory: { mode: m.territoryMode, countries: m.countries }, declaredAt: m.declaredAt, declaredBy: m.declaredBy,
      })),
  },
  Offer: {
    id: (o: RawOffer) => o.offerId,
    workId: (o: RawOffer) => o.work.tokenId,
    work: (o: RawOffer, _: unknown, ctx: AppContext) => ctx.loaders.work.load(o.work.id),
    creator: (o: RawOffer) => o.creator.id,
    territory: (o: RawOffer) => ({ mode: o.territoryMode, countries: o.countries }),
    perpetual: (o: RawOffer) => o.duration === "0",
    currency: (o: RawOffer) => o.currency.id,
    nativeCurrency: (o: RawOffer) => o.currency.native,
    sold: (o: RawOffer) => o.sales.sold,
    grossRevenue: (o: RawOffer) => o.sales.grossRevenue,
    revocationPolicy: (o: RawOffer) => revocationPolicyOf(o.revocableForMask, o.noticePeriod),
  },
  Licence: {
    id: (l: RawLicence) => l.licenceId,
    workId: (l: RawLicence) => l.work.tokenId,
    work: (l: RawLicence, _: unknown, ctx: AppContext) => ctx.loaders.work.load(l.work.id),
    offerId: (l: RawLicence) => l.offer?.offerId ?? null,
    licensee: (l: RawLicence) => l.licensee.id,
    originalLicensee: (l: RawLicence) => l.originalLicensee.id,
    payer: (l: RawLicence) => l.payer.id,
    territory: (l: RawLicence) => ({ mode: l.territoryMode, countries: l.countries }),
    end: (l: RawLicence) => (l.perpetual ? null : l.end),
    currency: (l: RawLicence) => l.currency.id,
    splitVersion: (l: RawLicence) => l.split.version,
    revocation: (l: RawLicence) => (l.revocation ? { ...l.revocation, by: l.revocation.by.id } : null),
    revocationPolicy: (l: RawLicence) => revocationPolicyOf(l.revocableForMask, l.noticePeriod),
    status: (l: RawLicence, args: { at?: string | null }, ctx: AppContext) =>
      licenceStatusAt(toTerms(l), args.at == null ? statusNow(ctx.deps.clock, ctx.deps.subgraph.headTimestamp) : timestamp(args.at, "at")),
  },
};
