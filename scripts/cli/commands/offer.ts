/** `tantieme offer create`: publishes licence terms for a work. */
import type { SubmissionResult } from "../sign";
import type { CommandContext } from "./context";
import { prepareAndSubmitOne, TRANSACTIONS, type PreparedAction } from "./prepareAndSubmit";

const PREPARE = /* GraphQL */ `
  mutation PrepareOffer($input: OfferInput!) {
    prepareOffer(input: $input) { summary ${TRANSACTIONS} }
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
  const territory = opts.include
    ? { mode: "Include", countries: opts.include }
    : opts.exclude
      ? { mode: "Exclude", countries: opts.exclude }
      : { mode: "Worldwide", countries: [] };
  const input = {
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
  const { summary, submission } = await prepareAndSubmitOne(ctx, async (from) => (await ctx.api.request<{ prepareOffer: PreparedAction }>(PREPARE, { input: { from, ...input } })).prepareOffer);
  return { summary, offerId: submission.offer?.id ?? null, submission };
}
