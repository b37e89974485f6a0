/** `tantieme check`: may a licensee make a use of a work in a country at a time? */
import type { CommandContext } from "./context";

const QUERY = /* GraphQL */ `
  query Check($work: String!, $licensee: String!, $right: Right!, $territory: String!, $at: BigInt, $verify: Boolean) {
    licenceStatus(work: $work, licensee: $licensee, right: $right, territory: $territory, at: $at, verify: $verify) {
      allowed work workId licensee right territory at reasons
      evidence { licenceId offerId source txHash blockNumber timestamp start end }
      licences { licenceId status granted reasons }
    }
  }
`;

export interface CheckResult {
  allowed: boolean;
  work: string;
  workId: string | null;
  licensee: string;
  right: string;
  territory: string;
  at: string;
  reasons: string[];
  evidence: { licenceId: string; offerId: string | null; source: string; txHash: string; blockNumber: string; timestamp: string; start: string; end: string | null } | null;
  licences: { licenceId: string; status: string; granted: boolean; reasons: string[] }[];
}

export async function check(
  ctx: CommandContext,
  opts: { work: string; licensee: string; right: string; territory: string; at?: string; verify?: boolean },
): Promise<CheckResult> {
  const { licenceStatus } = await ctx.api.request<{ licenceStatus: CheckResult }>(QUERY, { ...opts, verify: opts.verify ?? false });
  return licenceStatus;
}

export function describeCheck(r: CheckResult): string {
  const head = `${r.allowed ? "ALLOWED" : "NOT ALLOWED"}: ${r.licensee} · ${r.right} · ${r.territory} · work ${r.work}${r.workId && r.workId !== r.work ? ` (#${r.workId})` : ""} at ${new Date(Number(r.at) * 1000).toISOString()}`;
  if (r.allowed && r.evidence) {
    const e = r.evidence;
    return `${head}\n  licence #${e.licenceId}${e.offerId ? ` from offer #${e.offerId}` : " (signed deal)"}, valid ${new Date(Number(e.start) * 1000).toISOString()} → ${e.end ? new Date(Number(e.end) * 1000).toISOString() : "perpetual"}\n  proof: tx ${e.txHash} in block ${e.blockNumber}`;
  }
  const lines = r.licences.map((l) => `  licence #${l.licenceId}: ${l.status}${l.reasons.length ? ` (${l.reasons.join(", ")})` : ""}`);
  return [`${head}\n  reasons: ${r.reasons.join(", ")}`, ...lines].join("\n");
}
