/** `tantieme offer create`: publishes licence terms for a work. */
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const PREPARE = /* GraphQL */ `
  mutation PrepareOffer($input: OfferInput!) {
    prepareOffer(input: $input) {
      summary
      transactions { description to data value chainId from gas simulationError }
    }
  }
`;

export interface OfferOptions {
  work: string;
  rights: string[];
  include?: string[];
  exclude?: string[];
  duration?: bigint;
  startDate?: string;
  price: bigint;
  currency?: string;
  cap?: number;
  exclusive?: boolean;
  transferable?: boolean;
  uri?: string;
  /** The revocation policy; absent = not revocable. */
  revocation?: { revocableFor: string[]; noticePeriod: string };
}

export interface OfferResult {
  summary: string;
  offerId: string | null;
  submission: SubmissionResult;
}

export async function createOffer(ctx: CommandContext, opts: OfferOptions): Promise<OfferResult> {
  const wallet = await loadSigner(ctx.keys);
  const territory = opts.include
    ? { mode: "Include", countries: opts.include }
    : opts.exclude
      ? { mode: "Exclude", countries: opts.exclude }
      : { mode: "Worldwide", countries: [] };
  const input = {
    from: wallet.address,
    work: opts.work,
    rights: opts.rights,
    territory,
    duration: opts.duration?.toString(),
    startDate: opts.startDate,
    price: opts.price.toString(),
    currency: opts.currency,
    cap: opts.cap,
    exclusive: opts.exclusive ?? false,
    transferable: opts.transferable ?? false,
    uri: opts.uri,
    revocation: opts.revocation,
  };
  const { prepareOffer } = await ctx.api.request<{ prepareOffer: { summary: string; transactions: PreparedTransaction[] } }>(PREPARE, { input });
  ctx.out.info(prepareOffer.summary);
  const submissions = await signAndSubmit(prepareOffer.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  const last = submissions.at(-1)!;
  return { summary: prepareOffer.summary, offerId: last.offer?.id ?? null, submission: last };
}
