/**
 * The two layers of a song from the command line: link a recording to the composition it embodies
 * (claimed, or confirmed with the composition owner's signed consent), confirm or remove a link,
 * and declare a collecting society's mandate over a composition.
 */
import { loadSigner } from "../keys";
import type { CommandContext } from "./context";
import { prepareAndSubmitOne, TRANSACTIONS as TX, type PreparedAction } from "./prepareAndSubmit";

interface TypedDataPayload {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  message: Record<string, string>;
  digest: string;
}

const PREPARE_LINK = `mutation($i: LinkInput!) { prepareLink(input: $i) { compositionOwner status resultingStatus summary consentTypedData { domain types primaryType message digest } ${TX} } }`;

type LinkPreparation = PreparedAction & { compositionOwner: string; status: string; resultingStatus: string; consentTypedData: TypedDataPayload };

/** The recording's owner links it (claimed, or confirmed when `consent` and its `deadline` are given). */
export async function link(ctx: CommandContext, opts: { recording: string; composition: string; consent?: string; deadline?: string }) {
  const { prepared, summary, submission } = await prepareAndSubmitOne(ctx, async (from) =>
    (await ctx.api.request<{ prepareLink: LinkPreparation }>(PREPARE_LINK, {
      i: { from, recording: opts.recording, composition: opts.composition, consent: opts.consent, deadline: opts.deadline },
    })).prepareLink,
  );
  return { summary, submission, status: prepared.resultingStatus };
}

/** The composition's owner signs the consent the recording's owner passes to `link --consent`. */
export async function linkConsent(ctx: CommandContext, opts: { recording: string; composition: string; from: string; deadline?: string }) {
  const wallet = await loadSigner(ctx.keys);
  const { prepareLink } = await ctx.api.request<{ prepareLink: LinkPreparation }>(PREPARE_LINK, {
    i: { from: opts.from, recording: opts.recording, composition: opts.composition, deadline: opts.deadline },
  });
  const { EIP712Domain: _, ...types } = prepareLink.consentTypedData.types;
  void _;
  const consent = await wallet.signTypedData(prepareLink.consentTypedData.domain, types, prepareLink.consentTypedData.message);
  return { recording: opts.recording, composition: opts.composition, deadline: prepareLink.consentTypedData.message.deadline!, consent, signer: wallet.address };
}

/** Confirms (the composition's owner) or removes (either owner) the link between a recording and a composition. */
async function changeLink(ctx: CommandContext, mutation: "prepareLinkConfirmation" | "prepareUnlink", opts: { recording: string; composition: string }) {
  const { summary, submission } = await prepareAndSubmitOne(ctx, async (from) =>
    (await ctx.api.request<Record<typeof mutation, PreparedAction>>(
      `mutation($from: String!, $r: String!, $c: String!) { ${mutation}(from: $from, recording: $r, composition: $c) { summary ${TX} } }`,
      { from, r: opts.recording, c: opts.composition },
    ))[mutation],
  );
  return { summary, submission };
}

export const confirmLink = (ctx: CommandContext, opts: { recording: string; composition: string }) => changeLink(ctx, "prepareLinkConfirmation", opts);

export const unlink = (ctx: CommandContext, opts: { recording: string; composition: string }) => changeLink(ctx, "prepareUnlink", opts);

export async function declareSociety(ctx: CommandContext, opts: { composition: string; society: string; rights: string[]; include?: string[]; exclude?: string[] }) {
  const territory = opts.include ? { mode: "Include", countries: opts.include } : opts.exclude ? { mode: "Exclude", countries: opts.exclude } : { mode: "Worldwide", countries: [] };
  const { summary, submission } = await prepareAndSubmitOne(ctx, async (from) =>
    (await ctx.api.request<{ prepareSocietyMandate: PreparedAction }>(
      `mutation($i: SocietyMandateInput!) { prepareSocietyMandate(input: $i) { summary ${TX} } }`,
      { i: { from, composition: opts.composition, society: opts.society, rights: opts.rights, territory } },
    )).prepareSocietyMandate,
  );
  return { summary, submission };
}
