/**
 * `tantieme check`: may a licensee make a use of a work in a country at a time? Answered per
 * layer — a sound recording's master and each composition it is linked to — with the evidence of
 * each, the society a platform must hold a licence from, and identifier disputes.
 */
import type { CommandContext } from "./context";

const EVIDENCE = "{ licenceId offerId source txHash blockNumber timestamp start end licensedCid metadataVersion revocationPolicy { summary } }";

const QUERY = /* GraphQL */ `
  query Check($work: String!, $licensee: String!, $right: Right!, $territory: String!, $at: BigInt, $verify: Boolean, $requireVerified: Boolean, $societyLicences: [String!]) {
    licenceStatus(work: $work, licensee: $licensee, right: $right, territory: $territory, at: $at, verify: $verify, requireVerified: $requireVerified, societyLicences: $societyLicences) {
      allowed work workId licensee right territory at reasons verified requiredSocieties
      evidence ${EVIDENCE}
      licences { licenceId status granted reasons }
      layers { role workId identifier verified linkStatus allowed reasons society coveredBySociety evidence ${EVIDENCE} licences { licenceId status granted reasons } }
      disputes { identifier fromWork toWork registrar reason timestamp txHash }
    }
  }
`;

export interface Evidence {
  licenceId: string;
  offerId: string | null;
  source: string;
  txHash: string;
  blockNumber: string;
  timestamp: string;
  start: string;
  end: string | null;
  licensedCid: string;
  metadataVersion: number;
  revocationPolicy: { summary: string };
}

export interface LayerCheck {
  role: "Master" | "Composition" | "Work";
  workId: string;
  identifier: string | null;
  verified: boolean;
  linkStatus: string | null;
  allowed: boolean;
  reasons: string[];
  society: string | null;
  coveredBySociety: boolean;
  evidence: Evidence | null;
  licences: { licenceId: string; status: string; granted: boolean; reasons: string[] }[];
}

export interface CheckResult {
  allowed: boolean;
  work: string;
  workId: string | null;
  licensee: string;
  right: string;
  territory: string;
  at: string;
  reasons: string[];
  verified: boolean;
  requiredSocieties: string[];
  evidence: Evidence | null;
  licences: { licenceId: string; status: string; granted: boolean; reasons: string[] }[];
  layers: LayerCheck[];
  disputes: { identifier: string; fromWork: string | null; toWork: string | null; registrar: string; reason: string; timestamp: string; txHash: string }[];
}

export async function check(
  ctx: CommandContext,
  opts: { work: string; licensee: string; right: string; territory: string; at?: string; verify?: boolean; requireVerified?: boolean; society?: string[] },
): Promise<CheckResult> {
  const { licenceStatus } = await ctx.api.request<{ licenceStatus: CheckResult }>(QUERY, {
    work: opts.work, licensee: opts.licensee, right: opts.right, territory: opts.territory, at: opts.at,
    verify: opts.verify ?? false, requireVerified: opts.requireVerified ?? false, societyLicences: opts.society ?? [],
  });
  return licenceStatus;
}

const iso = (t: string) => new Date(Number(t) * 1000).toISOString();

function describeLayer(l: LayerCheck): string[] {
  const name = l.role === "Composition" ? `composition #${l.workId}` : l.role === "Master" ? `master #${l.workId}` : `work #${l.workId}`;
  const id = `${l.identifier ?? "no identifier"}, ${l.verified ? "verified" : "unverified"}${l.linkStatus ? `, link ${l.linkStatus.toLowerCase()}` : ""}`;
  const head = `  ${l.allowed ? "✓" : "✗"} ${name} (${id})`;
  const lines: string[] = [];
  if (l.evidence) {
    const e = l.evidence;
    lines.push(`${head}: licence #${e.licenceId}${e.offerId ? ` from offer #${e.offerId}` : " (signed deal)"}, valid ${iso(e.start)} → ${e.end ? iso(e.end) : "perpetual"}`);
    lines.push(`      covers metadata v${e.metadataVersion} ${e.licensedCid}; ${e.revocationPolicy.summary}`);
    lines.push(`      proof: tx ${e.txHash} in block ${e.blockNumber}`);
  } else if (l.society && l.coveredBySociety) {
    lines.push(`${head}: administered by ${l.society} here, covered by your ${l.society} licence`);
  } else {
    lines.push(`${head}: ${l.reasons.join(", ")}${l.society ? ` — administered by ${l.society} here: a licence from ${l.society} is needed` : ""}`);
    for (const v of l.licences) lines.push(`      licence #${v.licenceId}: ${v.status}${v.reasons.length ? ` (${v.reasons.join(", ")})` : ""}`);
  }
  if (l.evidence && l.reasons.includes("UNVERIFIED")) lines.push("      but its identifier is not verified");
  return lines;
}

export function describeCheck(r: CheckResult): string {
  const head = `${r.allowed ? "ALLOWED" : "NOT ALLOWED"}: ${r.licensee} · ${r.right} · ${r.territory} · work ${r.work}${r.workId && r.workId !== r.work ? ` (#${r.workId})` : ""} at ${iso(r.at)}`;
  const lines = [head];
  if (!r.allowed) lines.push(`  reasons: ${r.reasons.join(", ")}`);
  lines.push(...r.layers.flatMap(describeLayer));
  if (r.requiredSocieties.length) lines.push(`  licence needed from: ${r.requiredSocieties.join(", ")}`);
  for (const d of r.disputes) {
    lines.push(`  ! identifier ${d.identifier} moved from ${d.fromWork ? `work #${d.fromWork}` : "no work"} to ${d.toWork ? `work #${d.toWork}` : "no work"} by registrar ${d.registrar} on ${iso(d.timestamp)}: ${d.reason}`);
  }
  return lines.join("\n");
}
