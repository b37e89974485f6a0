import { useI18n } from "../i18n/i18n";
import { countryName, list } from "../lib/format";
import { needsOf, type LinkedLayer } from "../lib/layers";
import type { TerritoryMode } from "../lib/core";
import { Link } from "../lib/router";

/**
 * What a licence from this offer does NOT cover, in words: a recording's licence is for its
 * master only, each composition it embodies needs its own licence (from the composition's owner,
 * or from the collecting society that administers that use in a country); a composition's licence
 * does not cover a recording of it. The rule is core's layersStillNeeded.
 */
export function LayerNeeds({ offer, layers }: { offer: { rights: readonly string[]; territory: { mode: TerritoryMode; countries: readonly string[] } }; layers: readonly LinkedLayer[] }) {
  const { t, lang } = useI18n();
  const needs = needsOf(offer, layers);
  if (needs.length === 0) return null;
  const rights = (rs: readonly string[]) => list(rs.map((r) => t(`right.${r}` as never)), lang);
  const countries = (cs: readonly string[]) => list(cs.map((c) => countryName(c, lang)).sort((a, b) => a.localeCompare(b, lang)), lang);
  return (
    <div className="layer-needs" data-testid="layer-needs">
      {needs.map((need) => {
        const title = need.layer.link.title ?? need.layer.work?.title ?? t("work.untitled");
        const link = (
          <Link href={`/works/${need.workId}`}>
            “{title}” (#{need.workId})
          </Link>
        );
        const status = t(need.linkStatus === "Confirmed" ? "work.layerConfirmed" : "work.layerClaimed");
        if (need.role === "Master")
          return (
            <p key={`m${need.workId}`}>
              {t("work.needMasterBefore")} {link} {t("work.needMasterAfter", { status })}
            </p>
          );
        return (
          <div key={`c${need.workId}`}>
            <p>
              {t("work.needCompositionBefore")} {link} {t("work.needCompositionAfter", { status, rights: rights(need.rights) })}
            </p>
            {need.societies.map((s) => (
              <p key={`${s.society}-${s.countries.join()}`}>
                <strong>{t("work.needSociety", { society: s.society, rights: rights(s.rights), countries: countries(s.countries) })}</strong>
              </p>
            ))}
          </div>
        );
      })}
    </div>
  );
}
