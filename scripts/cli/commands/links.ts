/**
 * The two layers of a song from the command line: link a recording to the composition it embodies
 * (claimed, or confirmed with the composition owner's signed consent), confirm or remove a link,
 * and declare a collecting society's mandate over a composition.
 */
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const TX = "transactions { description to data value chainId from gas simulationError }";

interface TypedDataPayload {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  message: Record<string, string>;
  digest: string;
}

async function submit(ctx: CommandContext, action: { summary: string; transactions: PreparedTransaction[] }): Promise<{ summary: string; submission: SubmissionResult }> {
  const wallet = await loadSigner(ctx.keys);
  ctx.out.info(action.summary);
  const submissions = await signAndSubmit(action.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { summary: action.summary, submission: submissions.at(-1)! };
}

const PREPARE_LINK = `mutation($i: LinkInput!) { prepareLink(input: $i) { compositionOwner status resultingStatus summary consentTypedData { domain types primaryType message digest } ${TX} } }`;

type LinkPreparation = { compositionOwner: string; status: string; resultingStatus: string; summary: string; consentTypedData: TypedDataPayload; transactions: PreparedTransaction[] };

/** The recording's owner links it (claimed, or confirmed when `consent` and its `deadline` are given). */
export async function link(ctx: CommandContext, opts: { recording: string; composition: string; consent?: string; deadline?: string }) {
  const wallet = await loadSigner(ctx.keys);
  const { prepareLink } = await ctx.api.request<{ prepareLink: LinkPreparation }>(PREPARE_LINK, {
    i: { from: wallet.address, recording: opts.recording, composition: opts.composition, consent: opts.consent, deadline: opts.deadline },
  });
  const r = await submit(ctx, prepareLink);
  return { ...r, status: prepareLink.resultingStatus };
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

export async function confirmLink(ctx: CommandContext, opts: { recording: string; composition: string }) {
  const wallet = await loadSigner(ctx.keys);
  const { prepareLinkConfirmation } = await ctx.api.request<{ prepareLinkConfirmation: { summary: string; transactions: PreparedTransaction[] } }>(
    `mutation($from: String!, $r: String!, $c: String!) { prepareLinkConfirmation(from: $from, recording: $r, composition: $c) { summary ${TX} } }`,
    { from: wallet.address, r: opts.recording, c: opts.composition },
  );
  return submit(ctx, prepareLinkConfirmation);
}

export async function unlink(ctx: CommandContext, opts: { recording: string; composition: string }) {
  const wallet = await loadSigner(ctx.keys);
  const { prepareUnlink } = await ctx.api.request<{ prepareUnlink: { summary: string; transactions: PreparedTransaction[] } }>(
    `mutation($from: String!, $r: String!, $c: String!) { prepareUnlink(from: $from, recording: $r, composition: $c) { summary ${TX} } }`,
    { from: wallet.address, r: opts.recording, c: opts.composition },
  );
  return submit(ctx, prepareUnlink);
}

export async function declareSociety(ctx: CommandContext, opts: { composition: string; society: string; rights: string[]; include?: string[]; exclude?: string[] }) {
  const wallet = await loadSigner(ctx.keys);
  const territory = opts.include ? { mode: "Include", countries: opts.include } : opts.exclude ? { mode: "Exclude", countries: opts.exclude } : { mode: "Worldwide", countries: [] };
  const { prepareSocietyMandate } = await ctx.api.request<{ prepareSocietyMandate: { summary: string; transactions: PreparedTransaction[] } }>(
    `mutation($i: SocietyMandateInput!) { prepareSocietyMandate(input: $i) { summary ${TX} } }`,
    { i: { from: wallet.address, composition: opts.composition, society: opts.society, rights: opts.rights, territory } },
  );
  return submit(ctx, prepareSocietyMandate);
}
