import { GraphQLScalarType, Kind } from "graphql";
import { statusNow } from "../clock";
import { badInput } from "../errors";
import { LICENCE_STATUSES, licenceStatusAt, OFFER_STATUSES, REVOCATION_REASONS, RIGHTS, TERRITORY_MODES, WORK_KIND_NAMES, type LicenceTerms } from "../../../core/domain";
import type { RawLicence, RawOffer, RawWork } from "../subgraph/types";
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
  "Why a use is not licensed."
  enum DenialReason { NO_LICENCE EXPIRED NOT_YET_VALID REVOKED TERRITORY RIGHT }

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
    split: Split!
    offers: [Offer!]!
    licenceCount: Int!
    revenue: [Revenue!]!
    registeredAt: BigInt!
    registeredAtBlock: BigInt!
    registrationTx: String!
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
    grossRevenue: BigInt!
    createdAt: BigInt!
    txHash: String!
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
    revenue: (w: RawWork) => w.revenue.map((r) => ({ currency: r.currency.id, native: r.currency.native, gross: r.gross, fees: r.fees, net: r.net, licences: r.licences })),
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
    status: (l: RawLicence, args: { at?: string | null }, ctx: AppContext) =>
      licenceStatusAt(toTerms(l), args.at == null ? statusNow(ctx.deps.clock, ctx.deps.subgraph.headTimestamp) : timestamp(args.at, "at")),
  },
};
