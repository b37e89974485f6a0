import { ZeroAddress } from "ethers";
import { ApiError, badInput } from "../errors";
import { licensingInterface } from "../chain/contracts";
import { countriesToBytes2, InvalidRightError, InvalidTerritoryError, parseTerritory, rightsToMask, territoryModeIndex, type Territory } from "../../../core/domain";
import { address, amount, id, optionalAddress, timestamp } from "./args";
import { requireScope, type AppContext } from "./context";
import { read, summariseTerms } from "./transactions";
import { revocationPolicyArg } from "./common";

export const typeDefs = /* GraphQL */ `
  input OfferInput {
    "The work's owner or an approved operator (who will sign)"
    from: String!
    "Work token id"
    work: String!
    rights: [Right!]!
    territory: TerritoryInput!
    "Licence term in seconds; 0 or absent = perpetual"
    duration: BigInt
    "Earliest licence start (unix seconds)"
    startDate: BigInt
    "Price per licence in wei or token units"
    price: BigInt!
    "ERC-20 address; absent = ETH"
    currency: String
    "Maximum licences; 0 or absent = unlimited"
    cap: Int
    exclusive: Boolean = false
    transferable: Boolean = false
    "URI of the human-readable legal text"
    uri: String
    "When the work's owner may end a licence early; absent = not revocable"
    revocation: RevocationPolicyInput
  }

  extend type Mutation {
    "The transaction that creates a licence offer."
    prepareOffer(input: OfferInput!): PreparedAction!
  }
`;

export interface TermsInput {
  rights: string[];
  territory: { mode: string; countries?: string[] | null };
}

export function parseRights(rights: string[], field: string): number {
  try {
    return rightsToMask(rights);
  } catch (err) {
    if (err instanceof InvalidRightError) throw badInput(field, err.message);
    throw err;
  }
}

export function territoryArg(t: { mode: string; countries?: string[] | null }, field: string): Territory {
  try {
    return parseTerritory(t.mode, t.countries ?? []);
  } catch (err) {
    if (err instanceof InvalidTerritoryError) throw badInput(field, err.message);
    throw err;
  }
}


/** Checks `from` may act for the work (owner or operator); NOT_FOUND for an unknown work. */
export async function requireAuthorized(ctx: AppContext, from: string, workId: bigint): Promise<void> {
  const chain = ctx.deps.chain;
  const ok = await read(chain, "work", "Works.isAuthorized", () => chain.works.isAuthorized(from, workId));
  if (!ok) throw new ApiError("BAD_USER_INPUT", `from: ${from} is neither the owner of work ${workId} nor an approved operator`, { field: "from" });
}

export const resolvers = {
  Mutation: {
    async prepareOffer(_: unknown, { input }: { input: TermsInput & { from: string; work: string; duration?: string | null; startDate?: string | null; price: string; currency?: string | null; cap?: number | null; exclusive?: boolean | null; transferable?: boolean | null; uri?: string | null; revocation?: { revocableFor: string[]; noticePeriod?: string | null } | null } }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareOffer");
      const from = address(input.from, "input.from");
      const workId = id(input.work, "input.work");
      if (workId >= 1n << 64n) throw badInput("input.work", "work ids above 2^64 cannot be licensed");
      const rights = parseRights(input.rights, "input.rights");
      const territory = territoryArg(input.territory, "input.territory");
      const duration = input.duration == null ? 0n : timestamp(input.duration, "input.duration");
      const startDate = input.startDate == null ? 0n : timestamp(input.startDate, "input.startDate");
      const price = amount(input.price, "input.price", 96);
      const currency = optionalAddress(input.currency, "input.currency") ?? ZeroAddress;
      const cap = input.cap ?? 0;
      if (!Number.isInteger(cap) || cap < 0 || cap > 0xffffffff) throw badInput("input.cap", "must be between 0 and 2^32 − 1");
      const uri = input.uri ?? "";
      if (uri.length > 2048) throw badInput("input.uri", "at most 2048 characters");
      const revocation = revocationPolicyArg(input.revocation, "input.revocation");

      const chain = ctx.deps.chain;
      await requireAuthorized(ctx, from, workId);
      if (currency !== ZeroAddress) {
        const allowed = await read(chain, "input.currency", "Licensing.isCurrencyAllowed", () => chain.licensing.isCurrencyAllowed(currency));
        if (!allowed) throw badInput("input.currency", `${currency} is not on the currency allowlist`);
      }
      const terms = {
        workId,
        rights,
        territoryMode: territoryModeIndex(territory.mode),
        countries: countriesToBytes2(territory.countries),
        duration,
        startDate,
        price,
        currency,
        cap,
        exclusive: input.exclusive ?? false,
        transferable: input.transferable ?? false,
        revocableFor: revocation.revocableFor,
        noticePeriod: revocation.noticePeriod,
        uri,
      };
      const summary = summariseTerms({ rightsMask: rights, territoryMode: territory.mode, countries: territory.countries, duration, startDate, price, currency, exclusive: terms.exclusive, transferable: terms.transferable, uri, revocation });
      const tx = await chain.prepare({
        description: `Create an offer for work ${workId}: ${summary}`,
        to: chain.contracts.licensing.address,
        data: licensingInterface.encodeFunctionData("createOffer", [terms]),
        from,
      });
      return { summary, transactions: [tx] };
    },
  },
};
