import { verifyTypedData } from "ethers";
import { unixSeconds } from "../clock";
import { badInput } from "../errors";
import { linksInterface } from "../chain/contracts";
import { typedData, type PreparedTransaction } from "../chain/client";
import { LINK_CONSENT_TYPES, LINK_STATUSES, countriesToBytes2, maskToRights, territoryModeIndex } from "../../../core/domain";
import { address, id, timestamp } from "./args";
import { requireScope, type AppContext } from "./context";
import { parseRights, territoryArg } from "./prepareOffer";
import { read } from "./transactions";

export const typeDefs = /* GraphQL */ `
  input LinkInput {
    "The recording's owner or operator (who sends the link)"
    from: String!
    "The sound recording (token id)"
    recording: String!
    "The composition it embodies (token id)"
    composition: String!
    "Last second the composition owner's consent is valid; default now + 7 days. Pass it back with the consent."
    deadline: BigInt
    "The composition owner's signature of the typed data: the link is then confirmed at once, else claimed"
    consent: String
  }

  type LinkPreparation {
    "What the composition's owner signs to confirm the link (eth_signTypedData_v4); it dies when the composition changes hands"
    consentTypedData: TypedData!
    "The composition's owner (who signs the consent)"
    compositionOwner: String!
    "The link's state now"
    status: LinkStatus!
    "Confirmed with a valid consent, Claimed without"
    resultingStatus: LinkStatus!
    summary: String!
    "Links.link (claimed, or confirmed with the consent)"
    transactions: [Transaction!]!
  }

  input SocietyMandateInput {
    "The composition's owner or operator"
    from: String!
    composition: String!
    "The society's short name or CISAC code as declared on-chain (up to 32 bytes), e.g. GEMA"
    society: String!
    "The rights it administers; empty ends the mandate"
    rights: [Right!]!
    territory: TerritoryInput
  }

  extend type Mutation {
    """
    Links a sound recording to a composition it embodies (several for a medley). Without \`consent\`:
    the consent typed data for the composition's owner, and a transaction that records a claimed
    link; with it: a transaction that records a confirmed link.
    """
    prepareLink(input: LinkInput!): LinkPreparation!
    "The composition's owner (or operator) confirms a claimed link."
    prepareLinkConfirmation(from: String!, recording: String!, composition: String!): PreparedAction!
    "The recording's or the composition's owner (or operator) removes a link."
    prepareUnlink(from: String!, recording: String!, composition: String!): PreparedAction!
    "Declares (or with no rights, ends) a collecting society's mandate over a composition's rights in a territory."
    prepareSocietyMandate(input: SocietyMandateInput!): PreparedAction!
  }
`;

const KIND_NAMES = ["SoundRecording", "Composition", "Design", "Other"];

/** The work's kind and whether `from` may act for it; BAD_USER_INPUT naming `field` otherwise. */
async function requireWork(ctx: AppContext, workId: bigint, field: string, kind: "SoundRecording" | "Composition"): Promise<{ owner: string; ownershipEpoch: bigint }> {
  const chain = ctx.deps.chain;
  const w = await read(chain, field, "Works.work", () => chain.works.work(workId));
  if (w.registeredAt === 0n) throw badInput(field, `work ${workId} does not exist`);
  if (KIND_NAMES[Number(w.kind)] !== kind) throw badInput(field, `work ${workId} is a ${KIND_NAMES[Number(w.kind)]}, not a ${kind}`);
  const owner = await read(chain, field, "Works.ownerOf", () => chain.works.ownerOf(workId));
  return { owner, ownershipEpoch: BigInt(w.ownershipEpoch) };
}

async function requireActor(ctx: AppContext, from: string, workIds: bigint[], what: string): Promise<void> {
  const chain = ctx.deps.chain;
  for (const w of workIds) if (await read(chain, "from", "Works.isAuthorized", () => chain.works.isAuthorized(from, w))) return;
  throw badInput("from", `${from} is neither the owner nor an approved operator of ${what}`);
}

function societyBytes32(name: string, field: string): string {
  const trimmed = name.trim();
  const bytes = Buffer.from(trimmed, "utf8");
  if (trimmed === "" || bytes.length > 32) throw badInput(field, "a society's short name or code, 1 to 32 bytes (e.g. GEMA)");
  return "0x" + bytes.toString("hex").padEnd(64, "0");
}

export const resolvers = {
  Mutation: {
    async prepareLink(_: unknown, { input }: { input: { from: string; recording: string; composition: string; deadline?: string | null; consent?: string | null } }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareLink");
      const from = address(input.from, "input.from");
      const recording = id(input.recording, "input.recording");
      const composition = id(input.composition, "input.composition");
      const now = unixSeconds(ctx.deps.clock);
      const deadline = input.deadline == null ? now + 7n * 86_400n : timestamp(input.deadline, "input.deadline");
      if (deadline < now) throw badInput("input.deadline", "has passed");
      const chain = ctx.deps.chain;
      await requireWork(ctx, recording, "input.recording", "SoundRecording");
      const comp = await requireWork(ctx, composition, "input.composition", "Composition");
      await requireActor(ctx, from, [recording], `recording ${recording}`);
      const links = chain.links;
      const status = LINK_STATUSES[Number(await read(chain, "input.composition", "Links.linkStatus", () => links.linkStatus(recording, composition)))]!;
      const message = { recordingId: recording.toString(), compositionId: composition.toString(), ownershipEpoch: comp.ownershipEpoch.toString(), deadline: deadline.toString() };
      const domain = await chain.eip712Domain(chain.linksAddress);
      const payload = typedData(domain, LINK_CONSENT_TYPES, "LinkConsent", message);
      const onchain = await chain.call("Links.linkDigest", () => links.linkDigest(recording, composition, deadline));
      if (onchain !== payload.digest) throw new Error(`LinkConsent digest mismatch: computed ${payload.digest}, Links.linkDigest ${onchain}`);

      let consent = "0x";
      if (input.consent != null) {
        if (!/^0x[0-9a-fA-F]+$/.test(input.consent)) throw badInput("input.consent", "must be 0x-prefixed hex");
        consent = input.consent;
        const code = await chain.call("eth_getCode", () => chain.provider.getCode(comp.owner));
        if (code === "0x") {
          let recovered: string | null = null;
          try {
            recovered = verifyTypedData(domain, LINK_CONSENT_TYPES, message, consent);
          } catch {
            recovered = null;
          }
          if (recovered?.toLowerCase() !== comp.owner.toLowerCase()) {
            throw badInput("input.consent", `is not composition ${composition}'s owner ${comp.owner}'s consent${recovered ? ` (signed by ${recovered}; was the deadline passed back unchanged?)` : ""}`);
          }
        }
      }
      const resultingStatus = consent === "0x" ? "Claimed" : "Confirmed";
      if (status === "Confirmed" || (status === "Claimed" && resultingStatus === "Claimed")) {
        throw badInput("input.composition", `recording ${recording} is already linked to composition ${composition} (${status})${status === "Claimed" ? ": its owner confirms with prepareLinkConfirmation, or pass their consent" : ""}`);
      }
      const tx = await chain.prepare({
        description: `Link recording ${recording} to composition ${composition} (${resultingStatus.toLowerCase()})`,
        to: chain.linksAddress,
        data: linksInterface.encodeFunctionData("link", [recording, composition, consent === "0x" ? 0n : deadline, consent]),
        from,
      });
      const transactions: PreparedTransaction[] = [tx];
      return {
        consentTypedData: payload,
        compositionOwner: comp.owner,
        status,
        resultingStatus,
        summary: `recording ${recording} embodies composition ${composition}: ${resultingStatus === "Confirmed" ? "confirmed by the composition's owner" : `claimed (the composition's owner ${comp.owner} can confirm it)`}`,
        transactions,
      };
    },

    async prepareLinkConfirmation(_: unknown, args: { from: string; recording: string; composition: string }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareLinkConfirmation");
      const from = address(args.from, "from");
      const recording = id(args.recording, "recording");
      const composition = id(args.composition, "composition");
      const chain = ctx.deps.chain;
      await requireWork(ctx, composition, "composition", "Composition");
      await requireActor(ctx, from, [composition], `composition ${composition}`);
      const status = LINK_STATUSES[Number(await read(chain, "composition", "Links.linkStatus", () => chain.links.linkStatus(recording, composition)))]!;
      if (status !== "Claimed") throw badInput("recording", `recording ${recording} has ${status === "None" ? "no link" : "a confirmed link"} to composition ${composition}`);
      const tx = await chain.prepare({
        description: `Confirm that recording ${recording} embodies composition ${composition}`,
        to: chain.linksAddress,
        data: linksInterface.encodeFunctionData("confirmLink", [recording, composition]),
        from,
      });
      return { summary: `confirm the link of recording ${recording} to composition ${composition}`, transactions: [tx] };
    },

    async prepareUnlink(_: unknown, args: { from: string; recording: string; composition: string }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareUnlink");
      const from = address(args.from, "from");
      const recording = id(args.recording, "recording");
      const composition = id(args.composition, "composition");
      const chain = ctx.deps.chain;
      const status = LINK_STATUSES[Number(await read(chain, "composition", "Links.linkStatus", () => chain.links.linkStatus(recording, composition)))]!;
      if (status === "None") throw badInput("recording", `recording ${recording} is not linked to composition ${composition}`);
      await requireActor(ctx, from, [recording, composition], `recording ${recording} or composition ${composition}`);
      const tx = await chain.prepare({
        description: `Remove the link of recording ${recording} to composition ${composition}`,
        to: chain.linksAddress,
        data: linksInterface.encodeFunctionData("unlink", [recording, composition]),
        from,
      });
      return { summary: `unlink recording ${recording} from composition ${composition}`, transactions: [tx] };
    },

    async prepareSocietyMandate(
      _: unknown,
      { input }: { input: { from: string; composition: string; society: string; rights: string[]; territory?: { mode: string; countries?: string[] | null } | null } },
      ctx: AppContext,
    ) {
      requireScope(ctx, "write", "prepareSocietyMandate");
      const from = address(input.from, "input.from");
      const composition = id(input.composition, "input.composition");
      const society = societyBytes32(input.society, "input.society");
      const rights = input.rights.length === 0 ? 0 : parseRights(input.rights, "input.rights");
      const territory = rights === 0 ? { mode: "Worldwide" as const, countries: [] as string[] } : territoryArg(input.territory ?? { mode: "Worldwide" }, "input.territory");
      const chain = ctx.deps.chain;
      await requireWork(ctx, composition, "input.composition", "Composition");
      await requireActor(ctx, from, [composition], `composition ${composition}`);
      const name = input.society.trim();
      const where = territory.mode === "Worldwide" ? "worldwide" : territory.mode === "Include" ? `in ${territory.countries.join(", ")}` : `worldwide except ${territory.countries.join(", ")}`;
      const summary = rights === 0 ? `${name} no longer administers rights of composition ${composition}` : `${name} administers ${maskToRights(rights).join(", ")} of composition ${composition} ${where}`;
      const tx = await chain.prepare({
        description: summary,
        to: chain.linksAddress,
        data: linksInterface.encodeFunctionData("declareSociety", [composition, society, rights, territoryModeIndex(territory.mode), countriesToBytes2(territory.countries)]),
        from,
      });
      return { summary, transactions: [tx] };
    },
  },
};
