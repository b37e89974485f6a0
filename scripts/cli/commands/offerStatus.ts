/** `tantieme offer pause|resume|retire <offer>`: changes whether an offer sells. */
import type { OfferStatus } from "../../../core/domain/enums";
import type { SubmissionResult } from "../sign";
import type { CommandContext } from "./context";
import { prepareAndSubmitOne, TRANSACTIONS, type PreparedAction } from "./prepareAndSubmit";

const PREPARE = /* GraphQL */ `
  mutation PrepareOfferStatus($offer: String!, $status: OfferStatus!, $from: String!) {
    prepareOfferStatus(offer: $offer, status: $status, from: $from) { summary ${TRANSACTIONS} }
  }
`;

export async function setOfferStatus(ctx: CommandContext, offer: string, status: OfferStatus): Promise<{ summary: string; submission: SubmissionResult }> {
  const { summary, submission } = await prepareAndSubmitOne(ctx, async (from) => (await ctx.api.request<{ prepareOfferStatus: PreparedAction }>(PREPARE, { offer, status, from })).prepareOfferStatus);
  return { summary, submission };
}
