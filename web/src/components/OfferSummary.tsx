import { useI18n } from "../i18n/i18n";
import { countryName, duration, list, money } from "../lib/format";

export interface OfferTerms {
  rights: readonly string[];
  territory: { mode: "Worldwide" | "Include" | "Exclude"; countries: readonly string[] };
  duration: string;
  price: string;
  currency: string;
  exclusive: boolean;
  transferable: boolean;
  cap: number;
  sold: number;
}

/** An offer's terms in one plain sentence, then what it does and does not allow. */
export function OfferSummary({ offer }: { offer: OfferTerms }) {
  const { t, lang } = useI18n();
  const rights = list(offer.rights.map((r) => t(`right.${r}` as never)), lang);
  const countries = list(offer.territory.countries.map((c) => countryName(c, lang)).sort((a, b) => a.localeCompare(b, lang)), lang);
  const where =
    offer.territory.mode === "Worldwide" ? t("territory.worldwide") : offer.territory.mode === "Include" ? t("offer.onlyIn", { countries }) : t("offer.worldwideExcept", { countries });
  return (
    <div className="offer-summary">
      <p className="offer-sentence">{t("offer.sentence", { rights, where, term: duration(offer.duration, t), price: money(offer.price, offer.currency, lang) })}</p>
      <ul>
        <li>{t(offer.exclusive ? "offer.exclusive" : "offer.nonExclusive")}</li>
        <li>{t(offer.transferable ? "offer.transferable" : "offer.notTransferable")}</li>
        <li>{offer.cap > 0 ? t("offer.capped", { sold: offer.sold, cap: offer.cap }) : t("offer.unlimited", { sold: offer.sold })}</li>
      </ul>
    </div>
  );
}
