/**
 * Verified identifiers from the command line: a registrar signs an attestation (`tantieme attest`),
 * a registrant verifies a registered work's identifier with it (`tantieme identifier verify`), and
 * a registrar resolves a dispute by moving an identifier (`tantieme identifier reassign`).
 */
import fs from "node:fs";
import { CliError } from "../errors";
import { loadSigner } from "../keys";
import type { CommandContext } from "./context";
import { prepareAndSubmitOne, TRANSACTIONS as TX, type PreparedAction } from "./prepareAndSubmit";

/** An attestation as AttestationInput takes it (what `attest` writes and `register --attestation` reads). */
export interface SignedAttestation {
  registrar: string;
  account: string;
  kind: string;
  scope: string;
  identifier: string;
  nonce: string;
  expiry: string;
  signature: string;
}

export async function attest(
  ctx: CommandContext,
  opts: { account: string; kind: string; scope: string; identifier: string; expiry?: string; out?: string },
): Promise<{ attestation: SignedAttestation; summary: string; digest: string }> {
  const wallet = await loadSigner(ctx.keys);
  const input = { registrar: wallet.address, account: opts.account, kind: opts.kind, scope: opts.scope, identifier: opts.identifier, expiry: opts.expiry };
  const { prepareAttestation: p } = await ctx.api.request<{
    prepareAttestation: { attestation: { nonce: string; expiry: string }; identifier: string; summary: string; typedData: { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; message: Record<string, unknown>; digest: string } };
  }>(
    `mutation($i: AttestationInput!) { prepareAttestation(input: $i) { attestation identifier summary typedData { domain types primaryType message digest } } }`,
    { i: input },
  );
  const { EIP712Domain: _, ...types } = p.typedData.types;
  void _;
  const signature = await wallet.signTypedData(p.typedData.domain, types, p.typedData.message);
  const attestation: SignedAttestation = {
    registrar: wallet.address, account: opts.account, kind: opts.kind, scope: opts.scope, identifier: p.identifier,
    nonce: p.attestation.nonce, expiry: p.attestation.expiry, signature,
  };
  if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(attestation, null, 2) + "\n");
  return { attestation, summary: p.summary, digest: p.typedData.digest };
}

/** Reads a signed attestation file (`tantieme attest --out`). */
export function readAttestation(file: string): SignedAttestation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (cause) {
    throw new CliError("ATTESTATION_UNREADABLE", `${file}: not a readable JSON attestation (${(cause as Error).message})`, { file }, { cause });
  }
  const a = parsed as Partial<SignedAttestation>;
  for (const k of ["registrar", "account", "kind", "scope", "identifier", "nonce", "expiry", "signature"] as const) {
    if (typeof a[k] !== "string") throw new CliError("ATTESTATION_INVALID", `${file}: field ${k} is missing (write it with tantieme attest --out)`, { file, field: k });
  }
  return a as SignedAttestation;
}

export async function verifyIdentifier(ctx: CommandContext, opts: { work: string; attestation: string }) {
  const attestation = readAttestation(opts.attestation);
  const { summary, submission } = await prepareAndSubmitOne(ctx, async (from) =>
    (await ctx.api.request<{ prepareIdentifierVerification: PreparedAction }>(
      `mutation($w: String!, $from: String!, $a: AttestationInput!) { prepareIdentifierVerification(work: $w, from: $from, attestation: $a) { summary ${TX} } }`,
      { w: opts.work, from, a: attestation },
    )).prepareIdentifierVerification,
  );
  return { summary, submission };
}

export async function reassignIdentifier(ctx: CommandContext, opts: { kind: string; identifier: string; to?: string; reason: string }) {
  const { summary, submission } = await prepareAndSubmitOne(ctx, async (from) =>
    (await ctx.api.request<{ prepareIdentifierReassignment: PreparedAction }>(
      `mutation($from: String!, $kind: WorkKind!, $id: String!, $to: String, $reason: String!) { prepareIdentifierReassignment(from: $from, kind: $kind, identifier: $id, toWork: $to, reason: $reason) { summary ${TX} } }`,
      { from, kind: opts.kind, id: opts.identifier, to: opts.to, reason: opts.reason },
    )).prepareIdentifierReassignment,
  );
  return { summary, submission };
}
