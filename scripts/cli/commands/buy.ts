/** `tantieme buy <offer>`: buys a licence (an ERC-20 approval first when the offer needs one). */
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const PREPARE = /* GraphQL */ `
  mutation PreparePurchase($offer: String!, $licensee: String!, $payer: String) {
    prepareLicencePurchase(offer: $offer, licensee: $licensee, payer: $payer) {
      summary price fee net currency nativeCurrency
      transactions { description to data value chainId from gas simulationError }
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
  const wallet = await loadSigner(ctx.keys);
  const { prepareLicencePurchase: p } = await ctx.api.request<{
    prepareLicencePurchase: { summary: string; price: string; fee: string; net: string; currency: string; nativeCurrency: boolean; transactions: PreparedTransaction[] };
  }>(PREPARE, { offer, licensee: opts.licensee ?? wallet.address, payer: wallet.address });
  ctx.out.info(p.summary);
  const submissions = await signAndSubmit(p.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { summary: p.summary, price: p.price, fee: p.fee, currency: p.currency, licenceId: submissions.at(-1)!.licence?.id ?? null, submissions };
}
