/** `tantieme offer pause|resume|retire <offer>`: changes whether an offer sells. */
import type { OfferStatus } from "../../../core/domain/enums";
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const PREPARE = /* GraphQL */ `
  mutation PrepareOfferStatus($offer: String!, $status: OfferStatus!, $from: String!) {
    prepareOfferStatus(offer: $offer, status: $status, from: $from) {
      summary
      transactions { description to data value chainId from gas simulationError }
    }
  }
`;

export async function setOfferStatus(ctx: CommandContext, offer: string, status: OfferStatus): Promise<{ summary: string; submission: SubmissionResult }> {
  const wallet = await loadSigner(ctx.keys);
  const { prepareOfferStatus } = await ctx.api.request<{ prepareOfferStatus: { summary: string; transactions: PreparedTransaction[] } }>(PREPARE, { offer, status, from: wallet.address });
  ctx.out.info(prepareOfferStatus.summary);
  const submissions = await signAndSubmit(prepareOfferStatus.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { summary: prepareOfferStatus.summary, submission: submissions.at(-1)! };
}
