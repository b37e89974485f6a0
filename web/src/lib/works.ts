import { graphql, type ResultOf } from "./graphql";
import { fileCid } from "./format";
import { publicAudioRef } from "./core";

export const OfferFields = graphql(`
  fragment OfferFields on Offer @_unmask {
    id workId rights territory { mode countries } duration perpetual startDate price currency nativeCurrency
    cap sold exclusive transferable status uri createdAt txHash
    revocationPolicy { revocable revocableFor noticePeriod }
  }
`);

/** What a catalogue card and its filters need (kept small: the API prices a query by fields × list sizes). */
export const WorkCardFields = graphql(`
  fragment WorkCardFields on Work @_unmask {
    id kind title creators metadata
    offers { id status price currency rights territory { mode countries } }
  }
`);

export type WorkCardData = ResultOf<typeof WorkCardFields>;
export type OfferData = ResultOf<typeof OfferFields>;

/** The artwork and public audio CIDs of a work's metadata (sound recordings: artwork, preview or public audio; designs: first image). */
export function mediaOf(metadata: unknown): { artwork: string | null; audio: string | null } {
  const m = (metadata ?? {}) as Record<string, unknown>;
  let artwork = fileCid(m.artwork);
  if (!artwork && Array.isArray(m.files)) {
    const img = m.files.find((f) => typeof (f as { mimeType?: unknown }).mimeType === "string" && (f as { mimeType: string }).mimeType.startsWith("image/"));
    artwork = fileCid(img);
  }
  return { artwork, audio: fileCid(publicAudioRef(m)) };
}
