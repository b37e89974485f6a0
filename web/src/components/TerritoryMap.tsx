import { useId } from "react";
import world from "virtual:world-map";
import { useI18n } from "../i18n/i18n";
import { territoryContains, type TerritoryMode } from "../lib/core";
import { countryName, list } from "../lib/format";

/**
 * An offer's territory on a world map: the countries it covers filled, the ones it names
 * (included, or excluded) outlined and, when excluded, hatched. Loaded lazily (React.lazy) with
 * its map data, so the first page load carries neither. The SVG is one image whose accessible
 * name says the territory in words, country by country; the country list stays beside it as text
 * (TerritoryList). The map data: see web/scripts/world-map.ts (no Antarctica in it).
 */
export default function TerritoryMap({ mode, countries }: { mode: TerritoryMode; countries: readonly string[] }) {
  const { t, lang } = useI18n();
  const hatch = `map-hatch-${useId().replace(/:/g, "")}`;
  const territory = { mode, countries };
  const named = new Set(countries);
  const names = list([...countries].map((c) => countryName(c, lang)).sort((a, b) => a.localeCompare(b, lang)), lang);
  const label =
    mode === "Worldwide" ? t("map.labelWorldwide") : mode === "Include" ? t("map.labelInclude", { countries: names }) : t("map.labelExclude", { countries: names });
  const classOf = (id: string) => (named.has(id) ? (mode === "Include" ? "in named" : "excluded named") : territoryContains(territory, id) ? "in" : "out");
  return (
    <figure className="territory-map">
      <svg viewBox={world.viewBox} role="img" aria-label={label} data-testid="territory-map">
        <defs>
          <pattern id={hatch} patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">
            <rect width="4" height="4" className="hatch-ground" />
            <line x1="0" y1="0" x2="0" y2="4" className="hatch-line" />
          </pattern>
        </defs>
        {world.countries.map((c) => (
          <path key={c.id} d={c.d} className={classOf(c.id)} fill={mode === "Exclude" && named.has(c.id) ? `url(#${hatch})` : undefined} />
        ))}
        {world.countries
          .filter((c) => c.dot && named.has(c.id))
          .map((c) => (
            <circle key={c.id} cx={c.dot![0]} cy={c.dot![1]} r="4" className={`dot ${mode === "Include" ? "in" : "excluded"}`} fill={mode === "Exclude" ? `url(#${hatch})` : undefined} />
          ))}
      </svg>
      <figcaption>
        <span className="map-key">
          <span className="map-swatch in" aria-hidden="true" /> {t("map.covered")}
        </span>
        <span className="map-key">
          <span className={`map-swatch ${mode === "Exclude" ? "excluded" : "out"}`} aria-hidden="true" /> {t(mode === "Exclude" ? "map.excluded" : "map.notCovered")}
        </span>
        <span className="muted map-credit">{t("map.credit")}</span>
      </figcaption>
    </figure>
  );
}
