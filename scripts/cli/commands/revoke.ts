/** `tantieme revoke <licence>`: the owner revokes a licence, or its holder surrenders it. */
import type { RevocationReason } from "../../../core/domain/enums";
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const PREPARE = /* GraphQL */ `
  mutation PrepareRevocation($licence: String!, $reason: RevocationReason!, $effectiveAt: BigInt, $from: String!) {
    prepareRevocation(licence: $licence, reason: $reason, effectiveAt: $effectiveAt, from: $from) {
      summary
      transactions { description to data value chainId from gas simulationError }
    }
  }
`;

export async function revoke(ctx: CommandContext, licence: string, opts: { reason: RevocationReason; effectiveAt?: string }): Promise<{ summary: string; submission: SubmissionResult }> {
  const wallet = await loadSigner(ctx.keys);
  const { prepareRevocation } = await ctx.api.request<{ prepareRevocation: { summary: string; transactions: PreparedTransaction[] } }>(PREPARE, {
    licence,
    reason: opts.reason,
    effectiveAt: opts.effectiveAt,
    from: wallet.address,
  });
  ctx.out.info(prepareRevocation.summary);
  const submissions = await signAndSubmit(prepareRevocation.transactions, wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { summary: prepareRevocation.summary, submission: submissions.at(-1)! };
}
