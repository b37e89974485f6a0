import { createSchema } from "graphql-yoga";
import type { AppContext } from "./context";
import * as common from "./common";
import * as works from "./works";
import * as licences from "./licences";
import * as decision from "./decision";
import * as licenceStatus from "./licenceStatus";
import * as checkLicences from "./checkLicences";
import * as earnings from "./earnings";
import * as indexingStatus from "./indexingStatus";
import * as transactions from "./transactions";
import * as uploadWork from "./uploadWork";
import * as prepareLicencePurchase from "./prepareLicencePurchase";
import * as prepareOffer from "./prepareOffer";
import * as prepareSplitChange from "./prepareSplitChange";
import * as prepareSignedDeal from "./prepareSignedDeal";
import * as prepareWithdrawal from "./prepareWithdrawal";
import * as prepareRevocation from "./prepareRevocation";
import * as prepareOfferStatus from "./prepareOfferStatus";
import * as submitTransaction from "./submitTransaction";
import * as licenceEvents from "./licenceEvents";

const MUTATION_ROOT = /* GraphQL */ `
  """
  Non-custodial: every mutation prepares transactions or typed data for the user's wallet to sign
  (or broadcasts what it signed). Needs an API key with the "write" scope.
  """
  type Mutation
`;

const modules = [
  common,
  works,
  licences,
  decision,
  licenceStatus,
  checkLicences,
  earnings,
  indexingStatus,
  transactions,
  uploadWork,
  prepareLicencePurchase,
  prepareOffer,
  prepareSplitChange,
  prepareSignedDeal,
  prepareWithdrawal,
  prepareRevocation,
  prepareOfferStatus,
  submitTransaction,
  licenceEvents,
];

export function buildSchema() {
  // Resolvers are typed per module against AppContext; graphql-tools merges them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const resolvers = modules.filter((m) => "resolvers" in m).map((m) => (m as { resolvers: any }).resolvers);
  return createSchema<AppContext>({ typeDefs: [MUTATION_ROOT, ...modules.map((m) => m.typeDefs)], resolvers });
}
