import crypto from "node:crypto";
import { ZeroAddress, verifyTypedData } from "ethers";
import { unixSeconds } from "../clock";
import { badInput } from "../errors";
import { licensingInterface } from "../chain/contracts";
import { typedData, type PreparedTransaction } from "../chain/client";

import { countriesToBytes2, DEAL_TYPES, territoryModeIndex } from "../../../core/domain";
import { address, amount, id, optionalAddress, timestamp } from "./args";
import { requireScope, type AppContext } from "./context";
import { parseRights, requireAuthorized, territoryArg } from "./prepareOffer";
import { paymentSteps, read, summariseTerms } from "./transactions";

export const typeDefs = /* GraphQL */ `
  input DealInput {
    "The work's owner, who signs the deal"
    from: String!
    work: String!
    "Who receives the licence"
    licensee: String!
    rights: [Right!]!
    territory: TerritoryInput!
    "Earliest start (unix seconds); 0/absent = at redemption"
    start: BigInt
    "Term in seconds; 0/absent = perpetual"
    duration: BigInt
    price: BigInt!
    "ERC-20; absent = ETH"
    currency: String
    exclusive: Boolean = false
    transferable: Boolean = false
    uri: String
    "Unordered nonce of the signer; absent = a random one. Pass it back with the signature."
    nonce: BigInt
    "Last second the deal can be redeemed; default now + 7 days. Pass it back with the signature."
    deadline: BigInt
    "The owner's signature of the typed data, once signed"
    signature: String
    "Who pays when redeeming (default: the licensee)"
    payer: String
  }

  type SignedDeal {
    "The deal struct, every field as the contract takes it"
    deal: JSON!
    "What the owner signs (eth_signTypedData_v4)"
    typedData: TypedData!
    summary: String!
    "With a valid signature: an ERC-20 approval when needed, then redeemDeal"
    transactions: [Transaction!]!
  }

  extend type Mutation {
    "A bespoke deal: the EIP-712 payload the owner signs and, with the signature, the redemption transactions."
    prepareSignedDeal(input: DealInput!): SignedDeal!
  }
`;


interface DealArgs {
  from: string;
  work: string;
  licensee: string;
  rights: string[];
  territory: { mode: string; countries?: string[] | null };
  start?: string | null;
  duration?: string | null;
  price: string;
  currency?: string | null;
  exclusive?: boolean | null;
  transferable?: boolean | null;
  uri?: string | null;
  nonce?: string | null;
  deadline?: string | null;
  signature?: string | null;
  payer?: string | null;
}

export const resolvers = {
  Mutation: {
    async prepareSignedDeal(_: unknown, { input }: { input: DealArgs }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareSignedDeal");
      const from = address(input.from, "input.from");
      const workId = id(input.work, "input.work");
      const licensee = address(input.licensee, "input.licensee");
      if (licensee === ZeroAddress) throw badInput("input.licensee", "must not be the zero address");
      const rights = parseRights(input.rights, "input.rights");
      const territory = territoryArg(input.territory, "input.territory");
      const start = input.start == null ? 0n : timestamp(input.start, "input.start");
      const duration = input.duration == null ? 0n : timestamp(input.duration, "input.duration");
      if (start + duration >= 1n << 40n) throw badInput("input.duration", "start + duration overflows uint40");
      const price = amount(input.price, "input.price", 96);
      const currency = optionalAddress(input.currency, "input.currency") ?? ZeroAddress;
      const uri = input.uri ?? "";
      if (uri.length > 2048) throw badInput("input.uri", "at most 2048 characters");
      const nonce = input.nonce == null ? BigInt("0x" + crypto.randomBytes(16).toString("hex")) : amount(input.nonce, "input.nonce");
      const now = unixSeconds(ctx.deps.clock);
      const deadline = input.deadline == null ? now + 7n * 86_400n : timestamp(input.deadline, "input.deadline");
      if (deadline < now) throw badInput("input.deadline", "has passed");
      const payer = optionalAddress(input.payer, "input.payer") ?? licensee;

      const chain = ctx.deps.chain;
      await requireAuthorized(ctx, from, workId);
      // The deal is bound to the work's current ownership epoch (a transfer ends it) and may be
      // redeemed by the licensee or the named payer. Not revocable (the licensee-safe default).
      const ownershipEpoch = (await chain.call("Works.work", () => chain.works.work(workId))).ownershipEpoch;
      // Licensing.redeemDeal takes only allowlisted currencies: refuse any other before reading it as a token.
      if (currency !== ZeroAddress) {
        const allowed = await read(chain, "input.currency", "Licensing.isCurrencyAllowed", () => chain.licensing.isCurrencyAllowed(currency));
        if (!allowed) throw badInput("input.currency", `${currency} is not on the currency allowlist`);
      }
      const deal = {
        workId: workId.toString(),
        licensee,
        payer: payer === licensee ? ZeroAddress : payer,
        rights,
        territoryMode: territoryModeIndex(territory.mode),
        countries: countriesToBytes2(territory.countries),
        start: start.toString(),
        duration: duration.toString(),
        price: price.toString(),
        currency,
        exclusive: input.exclusive ?? false,
        transferable: input.transferable ?? false,
        revocableFor: 0,
        noticePeriod: 0,
        uri,
        ownershipEpoch: ownershipEpoch.toString(),
        nonce: nonce.toString(),
        deadline: deadline.toString(),
      };
      const domain = await chain.eip712Domain(chain.contracts.licensing.address);
      const payload = typedData(domain, DEAL_TYPES, "Deal", deal);
      const onchainDigest = await chain.call("Licensing.dealDigest", () => chain.licensing.dealDigest(deal));
      if (onchainDigest !== payload.digest) throw new Error(`Deal digest mismatch: computed ${payload.digest}, Licensing.dealDigest ${onchainDigest}`);
      const summary = `deal for ${licensee}: ` + summariseTerms({ rightsMask: rights, territoryMode: territory.mode, countries: territory.countries, duration, startDate: start, price, currency, exclusive: deal.exclusive, transferable: deal.transferable, uri });

      const transactions: PreparedTransaction[] = [];
      if (input.signature != null) {
        if (!/^0x[0-9a-fA-F]+$/.test(input.signature)) throw badInput("input.signature", "must be 0x-prefixed hex");
        let recovered: string | null = null;
        try {
          recovered = verifyTypedData(domain, DEAL_TYPES, deal, input.signature);
        } catch {
          recovered = null;
        }
        const isContract = recovered !== from && (await chain.call("eth_getCode", () => chain.provider.getCode(from))) !== "0x";
        if (recovered !== from && !isContract) {
          throw badInput("input.signature", `does not sign this deal as ${from}${recovered ? ` (signed by ${recovered}; were the nonce and deadline passed back unchanged?)` : ""}`);
        }
        const { approval, value } = await paymentSteps(ctx, payer, price, currency);
        if (approval) transactions.push(approval);
        transactions.push(
          await chain.prepare({
            description: `Redeem the signed deal on work ${workId} for ${licensee}`,
            to: chain.contracts.licensing.address,
            data: licensingInterface.encodeFunctionData("redeemDeal", [deal, input.signature]),
            value,
            from: payer,
            skipEstimate: approval !== null,
          }),
        );
      }
      return { deal, typedData: payload, summary, transactions };
    },
  },
};
