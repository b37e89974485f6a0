/**
 * The layers of a use. A sound recording carries two copyrights: the master (the recording, ISRC)
 * and each composition it embodies (ISWC: writers and publishers), linked on-chain by Links; a
 * composition or a design is one layer. A use is allowed only when every layer is: a licence the
 * licensee holds for that layer's work grants it, or a collecting society administers that right
 * in that country and the caller holds the society's licence. One copy of the rules for the API,
 * the CLI and the web app.
 */
import { maskIncludes, type Right } from "./rights";
import { decide, type DenialReason, type LicenceTerms, type UseQuery } from "./status";
import { COUNTRY_CODES, territoryContains, type TerritoryMode } from "./territory";

/** Which copyright a layer is: the recording's master, a composition it embodies, or a work of its own. */
export type LayerRole = "Master" | "Composition" | "Work";

/**
 * Why a layer does not allow the use, beyond the licence reasons: the society that administers the
 * right there must license it; the caller requires verified identifiers and this one is not.
 */
export type LayerDenialReason = DenialReason | "SOCIETY_LICENCE_REQUIRED" | "UNVERIFIED";

/** A society's mandate over a composition, as indexed (active ones only). */
export interface SocietyMandateTerms {
  society: string;
  rightsMask: number;
  territoryMode: TerritoryMode;
  countries: readonly string[];
}

export interface LayerInput<L extends LicenceTerms> {
  role: LayerRole;
  workId: string;
  /** Whether the work's identifier is attested by a registrar. */
  verified: boolean;
  /** For a composition: the link's state (a claimed link counts: the composition may be in it). */
  linkStatus: "Claimed" | "Confirmed" | null;
  /** The licences the licensee holds for this layer's work. */
  licences: readonly L[];
  /** Active society mandates of this layer's work. */
  mandates: readonly SocietyMandateTerms[];
}

export interface LayerOptions {
  /** Deny layers whose identifier is not verified. */
  requireVerified: boolean;
  /** Societies the caller holds a licence from (their names as declared, e.g. GEMA); case-insensitive. */
  societyLicences: readonly string[];
}

export interface LayerDecision<L extends LicenceTerms> {
  role: LayerRole;
  workId: string;
  verified: boolean;
  linkStatus: "Claimed" | "Confirmed" | null;
  allowed: boolean;
  reasons: LayerDenialReason[];
  /** The licence granting this layer, the longest-lasting first. */
  granting: L[];
  verdicts: ReturnType<typeof decide<L>>["verdicts"];
  /** The society administering this right in this country, if one does (the platform's licensor for this layer). */
  society: string | null;
  /** Whether the layer is covered by the caller's licence from `society`. */
  coveredBySociety: boolean;
}

export interface LayeredDecision<L extends LicenceTerms> {
  /** True only when every layer allows the use. */
  allowed: boolean;
  /** The union of the layers' reasons, in a fixed order. */
  reasons: LayerDenialReason[];
  layers: LayerDecision<L>[];
}

const REASON_ORDER: LayerDenialReason[] = ["UNVERIFIED", "NO_LICENCE", "REVOKED", "EXPIRED", "NOT_YET_VALID", "RIGHT", "TERRITORY", "SOCIETY_LICENCE_REQUIRED"];

/** The society administering `right` in `country`, if a mandate says so (the first by name when several do). */
export function administeringSociety(mandates: readonly SocietyMandateTerms[], right: Right, country: string): string | null {
  const hits = mandates
    .filter((m) => maskIncludes(m.rightsMask, right) && territoryContains({ mode: m.territoryMode, countries: m.countries }, country))
    .map((m) => m.society)
    .sort();
  return hits[0] ?? null;
}

/** Decides one layer. */
export function decideLayer<L extends LicenceTerms>(layer: LayerInput<L>, query: UseQuery, options: LayerOptions): LayerDecision<L> {
  const d = decide(layer.licences, query);
  const society = administeringSociety(layer.mandates, query.right, query.country);
  const held = new Set(options.societyLicences.map((s) => s.trim().toUpperCase()));
  const coveredBySociety = society !== null && held.has(society.toUpperCase());
  const reasons: LayerDenialReason[] = [];
  if (options.requireVerified && !layer.verified) reasons.push("UNVERIFIED");
  if (!d.allowed && !coveredBySociety) {
    if (society !== null) reasons.push("SOCIETY_LICENCE_REQUIRED");
    else reasons.push(...d.reasons);
  }
  return {
    role: layer.role,
    workId: layer.workId,
    verified: layer.verified,
    linkStatus: layer.linkStatus,
    allowed: reasons.length === 0,
    reasons,
    granting: d.granting,
    verdicts: d.verdicts,
    society,
    coveredBySociety,
  };
}

/** Decides a use over every layer: allowed only when each layer is. */
export function decideLayers<L extends LicenceTerms>(layers: readonly LayerInput<L>[], query: UseQuery, options: LayerOptions): LayeredDecision<L> {
  const decided = layers.map((l) => decideLayer(l, query, options));
  const seen = new Set(decided.flatMap((l) => l.reasons));
  return { allowed: decided.length > 0 && decided.every((l) => l.allowed), reasons: REASON_ORDER.filter((r) => seen.has(r)), layers: decided };
}

/** An offer's grant as layersStillNeeded reads it. */
export interface GrantTerms {
  rights: readonly Right[];
  territory: { mode: TerritoryMode; countries: readonly string[] };
}

/** Another work whose licence a use of the offered work may also need. */
export interface OtherLayer {
  workId: string;
  /** Composition: a work the offered recording embodies. Master: a recording that embodies the offered composition. */
  role: "Composition" | "Master";
  linkStatus: "Claimed" | "Confirmed";
  /** Active society mandates of that work (compositions only; none for a master). */
  mandates: readonly SocietyMandateTerms[];
}

/** Where a society administers some of the uses a layer still needs. */
export interface SocietyNeed {
  society: string;
  rights: Right[];
  /** The countries of the offer's territory where it administers those rights, sorted. */
  countries: string[];
}

export interface LayerNeed {
  workId: string;
  role: "Composition" | "Master";
  linkStatus: "Claimed" | "Confirmed";
  /**
   * Composition: every right of the offer — a use of the recording is also a use of the
   * composition (decideLayers answers it as its own layer). Master: every right of the offer, but
   * only for a use of that recording (a new performance of the composition needs no master).
   */
  rights: Right[];
  /**
   * Where a collecting society administers a right of the layer: there the layer is licensed by
   * that society (decideLayer: SOCIETY_LICENCE_REQUIRED), elsewhere by the layer's owner.
   */
  societies: SocietyNeed[];
}

/**
 * What a licence bought from an offer does NOT cover: the other layers of the same use. A
 * recording's licence covers its master only; each composition it embodies (claimed or confirmed)
 * is a layer of its own, licensed by the composition's owner or, for a right and country a
 * collecting society administers (administeringSociety, the rule decideLayer applies), by that
 * society. A composition's licence covers the composition; the recordings embodying it are
 * needed only to use those recordings. Layers in the order given; a society's rights share one
 * country list (a society with different countries per right appears once per country list).
 */
export function layersStillNeeded(offer: GrantTerms, others: readonly OtherLayer[]): LayerNeed[] {
  const countries = [...COUNTRY_CODES].filter((c) => territoryContains(offer.territory, c)).sort();
  return others.map((layer) => {
    // right → society → countries, with the exact per-(right, country) rule of decideLayer.
    const bySociety = new Map<string, Map<Right, string[]>>();
    if (layer.role === "Composition") {
      for (const right of offer.rights) {
        for (const country of countries) {
          const society = administeringSociety(layer.mandates, right, country);
          if (society === null) continue;
          const rights = bySociety.get(society) ?? new Map<Right, string[]>();
          bySociety.set(society, rights);
          rights.set(right, [...(rights.get(right) ?? []), country]);
        }
      }
    }
    const societies: SocietyNeed[] = [];
    for (const [society, rights] of [...bySociety].sort(([a], [b]) => a.localeCompare(b))) {
      const groups = new Map<string, SocietyNeed>();
      for (const [right, list] of rights) {
        const key = list.join(",");
        const group = groups.get(key) ?? { society, rights: [], countries: list };
        groups.set(key, group);
        group.rights.push(right);
      }
      societies.push(...groups.values());
    }
    return { workId: layer.workId, role: layer.role, linkStatus: layer.linkStatus, rights: [...offer.rights], societies };
  });
}
