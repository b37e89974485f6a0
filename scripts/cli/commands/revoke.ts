/** `tantieme revoke <licence>`: the owner revokes a licence, or its holder surrenders it. */
import type { RevocationReason } from "../../../core/domain/enums";
import type { SubmissionResult } from "../sign";
import type { CommandContext } from "./context";
import { prepareAndSubmitOne, TRANSACTIONS, type PreparedAction } from "./prepareAndSubmit";

const PREPARE = /* GraphQL */ `
  mutation PrepareRevocation($licence: String!, $reason: RevocationReason!, $effectiveAt: BigInt, $from: String!) {
    prepareRevocation(licence: $licence, reason: $reason, effectiveAt: $effectiveAt, from: $from) { summary ${TRANSACTIONS} }
  }
`;

export async function revoke(ctx: CommandContext, licence: string, opts: { reason: RevocationReason; effectiveAt?: string }): Promise<{ summary: string; submission: SubmissionResult }> {
  const { summary, submission } = await prepareAndSubmitOne(
    ctx,
    async (from) => (await ctx.api.request<{ prepareRevocation: PreparedAction }>(PREPARE, { licence, reason: opts.reason, effectiveAt: opts.effectiveAt, from })).prepareRevocation,
  );
  return { summary, submission };
}
