import { useQueries } from "@tanstack/react-query";
import { graphql, request, type ResultOf } from "./graphql";
import { layersStillNeeded, rightsToMask, type LayerNeed, type OtherLayer, type Right, type TerritoryMode } from "./core";

/** A recording ↔ composition link as the Work query reads it. */
export const LinkFields = graphql(`
  fragment LinkFields on CompositionLink @_unmask {
    recordingId compositionId title identifier verified status linkedAt confirmedAt
  }
`);

export const MandateFields = graphql(`
  fragment MandateFields on SocietyMandate @_unmask {
    society rights territory { mode countries } declaredAt
  }
`);

/** A linked work's own layer facts: its mandates (a composition's collecting societies). */
const LINKED_WORK = graphql(
  `
  query LinkedWork($id: String!) {
    work(id: $id) { id kind title verified verifiedBy { name } societyMandates { ...MandateFields } }
  }
`,
  [MandateFields],
);

export type LinkData = ResultOf<typeof LinkFields>;
export type MandateData = ResultOf<typeof MandateFields>;
export type LinkedWork = NonNullable<ResultOf<typeof LINKED_WORK>["work"]>;

export interface LinkedLayer {
  link: LinkData;
  role: "Composition" | "Master";
  /** The other work: the composition a recording embodies, or a recording of a composition. */
  workId: string;
  /** Loaded on demand (null until then, or when the index does not know it). */
  work: LinkedWork | null;
}

/**
 * The other layers of a work: for a recording, the compositions it embodies; for a composition,
 * the recordings of it — each with its own mandates, read from the API (one small query per link).
 */
export function useLinkedLayers(work: { compositions: readonly LinkData[]; recordings: readonly LinkData[] } | null | undefined): { layers: LinkedLayer[]; pending: boolean } {
  const links: { link: LinkData; role: "Composition" | "Master"; workId: string }[] = [
    ...(work?.compositions ?? []).map((link) => ({ link, role: "Composition" as const, workId: link.compositionId })),
    ...(work?.recordings ?? []).map((link) => ({ link, role: "Master" as const, workId: link.recordingId })),
  ];
  const results = useQueries({
    queries: links.map((l) => ({ queryKey: ["linked-work", l.workId], queryFn: ({ signal }: { signal: AbortSignal }) => request(LINKED_WORK, { id: l.workId }, { signal }) })),
  });
  return {
    layers: links.map((l, i) => ({ ...l, work: results[i]?.data?.work ?? null })),
    pending: results.some((r) => r.isPending),
  };
}

/** What a licence from `offer` leaves to the linked layers (core's layersStillNeeded, the rule decideLayers applies). */
export function needsOf(offer: { rights: readonly string[]; territory: { mode: TerritoryMode; countries: readonly string[] } }, layers: readonly LinkedLayer[]): (LayerNeed & { layer: LinkedLayer })[] {
  const others: OtherLayer[] = layers
    .filter((l) => l.link.status === "Claimed" || l.link.status === "Confirmed")
    .map((l) => ({
      workId: l.workId,
      role: l.role,
      linkStatus: l.link.status as "Claimed" | "Confirmed",
      mandates: (l.work?.societyMandates ?? []).map((m) => ({ society: m.society, rightsMask: rightsToMask(m.rights), territoryMode: m.territory.mode, countries: m.territory.countries })),
    }));
  return layersStillNeeded({ rights: offer.rights as Right[], territory: offer.territory }, others).map((need) => ({ ...need, layer: layers.find((l) => l.workId === need.workId && l.role === need.role)! }));
}
