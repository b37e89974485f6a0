import { memo } from "react";
import { useI18n } from "../i18n/i18n";
import { money } from "../lib/format";
import { Link } from "../lib/router";
import { mediaOf, type WorkCardData } from "../lib/works";
import { Artwork } from "./Artwork";
import { AudioPreview } from "./AudioPreview";

/**
 * A work in the catalogue: artwork, title, creators, kind, the lowest active price, a preview.
 * Memoised: a page of works appended to a long list renders only the new cards.
 */
export const WorkCard = memo(function WorkCard({ work }: { work: WorkCardData }) {
  const { t, lang } = useI18n();
  const title = work.title ?? t("work.untitled");
  const { artwork, audio } = mediaOf(work.metadata);
  const active = work.offers.filter((o) => o.status === "Active");
  const cheapest = active.reduce<(typeof active)[number] | null>((min, o) => (min === null || BigInt(o.price) < BigInt(min.price) ? o : min), null);
  return (
    <li className="work-card">
      <Artwork cid={artwork} title={title} size={240} />
      <div className="work-card-body">
        <h3>
          <Link href={`/works/${work.id}`}>{title}</Link>
        </h3>
        <p className="muted">{work.creators.join(", ")}</p>
        <p className="kind">{t(`kind.${work.kind}` as never)}</p>
        <p>{cheapest ? t("catalogue.from", { price: money(cheapest.price, cheapest.currency, lang) }) : t("catalogue.noOffer")}</p>
        {audio && <AudioPreview cid={audio} title={title} deferred />}
      </div>
    </li>
  );
});
