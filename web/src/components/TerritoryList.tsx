import { useI18n } from "../i18n/i18n";
import { countryName } from "../lib/format";

/**
 * Where a licence applies, as a list of countries (included or excluded). A world map can take
 * the same props later.
 */
export function TerritoryList({ mode, countries }: { mode: "Worldwide" | "Include" | "Exclude"; countries: readonly string[] }) {
  const { t, lang } = useI18n();
  if (mode === "Worldwide") return <p className="territory">{t("territory.worldwide")}</p>;
  const names = [...countries].map((c) => ({ c, name: countryName(c, lang) })).sort((a, b) => a.name.localeCompare(b.name, lang));
  return (
    <div className="territory">
      <p>{t(mode === "Include" ? "territory.onlyIn" : "territory.everywhereExcept")}</p>
      <ul className="country-list">
        {names.map(({ c, name }) => (
          <li key={c} className={mode === "Include" ? "included" : "excluded"}>
            {name} <span className="muted">({c})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
