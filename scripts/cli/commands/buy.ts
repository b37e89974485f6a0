/** `tantieme buy <offer>`: buys a licence (an ERC-20 approval first when the offer needs one). */
import type { SubmissionResult } from "../sign";
import type { CommandContext } from "./context";
import { prepareAndSubmit, TRANSACTIONS, type PreparedAction } from "./prepareAndSubmit";

const PREPARE = /* GraphQL */ `
  mutation PreparePurchase($offer: String!, $licensee: String!, $payer: String) {
    prepareLicencePurchase(offer: $offer, licensee: $licensee, payer: $payer) {
      summary price fee net currency nativeCurrency
      ${TRANSACTIONS}
    }
  }
`;

export interface BuyResult {
  summary: string;
  price: string;
  fee: string;
  currency: string;
  licenceId: string | null;
  submissions: SubmissionResult[];
}

export async function buy(ctx: CommandContext, offer: string, opts: { licensee?: string }): Promise<BuyResult> {
  type Purchase = PreparedAction & { price: string; fee: string; net: string; currency: string; nativeCurrency: boolean };
  const { prepared: p, submissions } = await prepareAndSubmit(
    ctx,
    async (from) => (await ctx.api.request<{ prepareLicencePurchase: Purchase }>(PREPARE, { offer, licensee: opts.licensee ?? from, payer: from })).prepareLicencePurchase,
  );
  return { summary: p.summary, price: p.price, fee: p.fee, currency: p.currency, licenceId: submissions.at(-1)!.licence?.id ?? null, submissions };
}
