import { verifyTypedData } from "ethers";
import { unixSeconds } from "../clock";
import { ApiError, badInput, notFound } from "../errors";
import { worksInterface } from "../chain/contracts";
import { hashSplit, typedData } from "../chain/client";
import { SPLIT_CONSENT_TYPES } from "../../../core/domain";

import { workById } from "../subgraph/reads";
import { address, id, timestamp } from "./args";
import { requireScope, type AppContext } from "./context";
import { requireAuthorized } from "./prepareOffer";
import { parseSplit, read, type SplitInput } from "./transactions";

export const typeDefs = /* GraphQL */ `
  input ConsentInput { recipient: String!, signature: String! }

  input SplitChangeInput {
    "Owner or operator of the work (sends the change)"
    from: String!
    work: String!
    "The new split; sorted by the server"
    recipients: [SplitRecipientInput!]!
    "Consent deadline (unix seconds); default now + 7 days. Pass it back unchanged with the signatures."
    deadline: BigInt
    "Signatures collected so far"
    consents: [ConsentInput!]
  }

  type RequiredConsent {
    recipient: String!
    currentShareBps: Int!
    newShareBps: Int!
    "What the recipient signs (eth_signTypedData_v4)"
    typedData: TypedData!
    signed: Boolean!
  }

  type SplitChange {
    workId: ID!
    fromVersion: Int!
    newSplitHash: String!
    deadline: BigInt!
    recipients: [SplitRecipient!]!
    "Every recipient whose share decreases or who is removed must sign"
    consents: [RequiredConsent!]!
    missing: [String!]!
    "The changeSplit transaction, once every required consent is given"
    transactions: [Transaction!]!
  }

  extend type Mutation {
    "The EIP-712 consents a split change needs and, once signed, the changeSplit transaction."
    prepareSplitChange(input: SplitChangeInput!): SplitChange!
  }
`;


export const resolvers = {
  Mutation: {
    async prepareSplitChange(_: unknown, { input }: { input: { from: string; work: string; recipients: SplitInput[]; deadline?: string | null; consents?: { recipient: string; signature: string }[] | null } }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareSplitChange");
      const from = address(input.from, "input.from");
      const workId = id(input.work, "input.work");
      const next = parseSplit(input.recipients, "input.recipients");
      const deadline = input.deadline == null ? unixSeconds(ctx.deps.clock) + 7n * 86_400n : timestamp(input.deadline, "input.deadline");
      if (deadline <= unixSeconds(ctx.deps.clock)) throw badInput("input.deadline", "has passed");
      const chain = ctx.deps.chain;
      await requireAuthorized(ctx, from, workId);

      const work = await workById(ctx.deps.subgraph, workId);
      if (!work) throw notFound("input.work", `work ${workId} (not indexed yet)`);
      const current = { recipients: work.currentSplit.recipients.map((r) => address(r, "currentSplit")), shares: work.currentSplit.sharesBps };
      const fromVersion = work.currentSplit.version;
      const [storedHash, currentVersion] = await read(chain, "input.work", "Works.splitHashOf", () => chain.works.splitHashOf(workId, fromVersion));
      if (Number(currentVersion) !== fromVersion || storedHash.toLowerCase() !== hashSplit(current.recipients, current.shares).toLowerCase()) {
        throw new ApiError("UPSTREAM_UNAVAILABLE", `the index is behind the chain for work ${workId}'s split (indexed v${fromVersion}, on-chain v${currentVersion}); retry shortly`, { details: { service: "subgraph" } });
      }
      const newSplitHash = hashSplit(next.recipients, next.shares);
      if (newSplitHash === storedHash) throw badInput("input.recipients", "the new split is identical to the current one");

      const domain = await chain.eip712Domain(chain.contracts.works.address);
      const message = { workId: workId.toString(), fromVersion, newSplitHash, deadline: deadline.toString() };
      const payload = typedData(domain, SPLIT_CONSENT_TYPES, "SplitConsent", message);
      const onchainDigest = await chain.call("Works.consentDigest", () => chain.works.consentDigest(workId, fromVersion, newSplitHash, deadline));
      if (onchainDigest !== payload.digest) throw new Error(`SplitConsent digest mismatch: computed ${payload.digest}, Works.consentDigest ${onchainDigest}`);

      const given = new Map<string, string>();
      (input.consents ?? []).forEach((c, i) => {
        const recipient = address(c.recipient, `input.consents.${i}.recipient`);
        if (!/^0x[0-9a-fA-F]+$/.test(c.signature)) throw badInput(`input.consents.${i}.signature`, "must be 0x-prefixed hex");
        given.set(recipient, c.signature);
      });

      const required = [];
      for (let i = 0; i < current.recipients.length; i++) {
        const recipient = current.recipients[i]!;
        const j = next.recipients.indexOf(recipient);
        const newShare = j < 0 ? 0 : next.shares[j]!;
        if (newShare >= current.shares[i]!) continue;
        const signature = given.get(recipient);
        let signed = false;
        if (signature !== undefined) {
          let recovered: string | null = null;
          try {
            recovered = verifyTypedData(domain, SPLIT_CONSENT_TYPES, message, signature);
          } catch {
            recovered = null;
          }
          // Contract wallets sign per EIP-1271: the chain checks them when the change is simulated.
          const isContract = recovered !== recipient && (await chain.call("eth_getCode", () => chain.provider.getCode(recipient))) !== "0x";
          if (recovered !== recipient && !isContract) {
            throw badInput(`input.consents`, `the signature for ${recipient} does not sign this consent${recovered ? ` (it was signed by ${recovered})` : ""}`);
          }
          signed = true;
        }
        required.push({ recipient, currentShareBps: current.shares[i]!, newShareBps: newShare, typedData: payload, signed, signature });
      }
      for (const r of given.keys()) {
        if (!required.some((q) => q.recipient === r)) throw badInput("input.consents", `${r} does not need to consent (its share does not decrease)`);
      }
      const missing = required.filter((r) => !r.signed).map((r) => r.recipient);
      const transactions = [];
      if (missing.length === 0) {
        transactions.push(
          await chain.prepare({
            description: `Change the split of work ${workId} from version ${fromVersion} (${required.length} consent(s))`,
            to: chain.contracts.works.address,
            data: worksInterface.encodeFunctionData("changeSplit", [workId, current, next, deadline, required.map((r) => r.signature!)]),
            from,
          }),
        );
      }
      return {
        workId: workId.toString(),
        fromVersion,
        newSplitHash,
        deadline: deadline.toString(),
        recipients: next.recipients.map((account, i) => ({ account, shareBps: next.shares[i] })),
        consents: required,
        missing,
        transactions,
      };
    },
  },
};
