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
  /** When the owner may end a licence early (the offer's on-chain terms). */
  revocationPolicy?: { revocable: boolean; revocableFor: readonly string[]; noticePeriod: string };
}

/** The revocation policy in words: not revocable, or for which reasons with which notice. */
export function RevocationPolicyText({ policy }: { policy: NonNullable<OfferTerms["revocationPolicy"]> }) {
  const { t, lang } = useI18n();
  if (!policy.revocable) return <>{t("work.revocation.none")}</>;
  const seconds = Number(policy.noticePeriod);
  const notice = seconds === 0 ? t("work.revocation.immediate") : seconds % 86_400 === 0 ? t("work.revocation.noticeDays", { n: seconds / 86_400 }) : t("work.revocation.noticeSeconds", { n: seconds });
  // "for a breach, non-payment or a dispute": any one of them.
  const reasons = new Intl.ListFormat(lang, { style: "long", type: "disjunction" }).format(policy.revocableFor.map((r) => t(`work.revocationReason.${r}` as never)));
  return <>{t("work.revocation.for", { reasons, notice })}</>;
}

/** An offer's terms in one plain sentence, then what it does and does not allow, and whether the owner may end it early. */
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
        {offer.revocationPolicy && (
          <li className="revocation-policy">
            <RevocationPolicyText policy={offer.revocationPolicy} />
          </li>
        )}
        <li>{offer.cap > 0 ? t("offer.capped", { sold: offer.sold, cap: offer.cap }) : t("offer.unlimited", { sold: offer.sold })}</li>
      </ul>
    </div>
  );
}
