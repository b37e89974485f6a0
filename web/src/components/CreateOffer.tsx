import { useState } from "react";
import { useAccount } from "wagmi";
import { parseEther } from "viem";
import { useI18n } from "../i18n/i18n";
import { isCountryCode, RIGHTS, type TerritoryMode } from "../lib/core";
import { countryName } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { useTransactions } from "../lib/useTransactions";
import { ErrorMessage } from "./ErrorMessage";
import { TxProgress } from "./TxProgress";

const PREPARE_OFFER = graphql(`
  mutation PrepareOffer($input: OfferInput!) {
    prepareOffer(input: $input) { summary transactions { description to data value chainId gas simulationError } }
  }
`);

/** Publish licence terms for one of my works: rights, territory, term, price, cap, exclusivity. */
export function CreateOffer({ works, onCreated }: { works: readonly { id: string; title: string | null }[]; onCreated: () => void }) {
  const { t, lang } = useI18n();
  const { address } = useAccount();
  const [work, setWork] = useState("");
  const [rights, setRights] = useState<string[]>(["Streaming"]);
  const [mode, setMode] = useState<TerritoryMode>("Worldwide");
  const [countries, setCountries] = useState("");
  const [days, setDays] = useState("365");
  const [price, setPrice] = useState("0.01");
  const [cap, setCap] = useState("0");
  const [exclusive, setExclusive] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const tx = useTransactions();
  const codes = countries.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
  const badCodes = codes.filter((c) => !isCountryCode(c));
  const selectedWork = work || works[0]?.id || "";

  const submit = async () => {
    if (!address || !selectedWork) return;
    setError(null);
    setSummary(null);
    try {
      const { prepareOffer } = await request(PREPARE_OFFER, {
        input: {
          from: address,
          work: selectedWork,
          rights: rights as (typeof RIGHTS)[number][],
          territory: { mode, countries: mode === "Worldwide" ? [] : codes },
          duration: String(Math.round(Number(days || "0") * 86400)),
          price: parseEther(price.replace(",", ".")).toString(),
          cap: Number(cap || "0"),
          exclusive,
        },
      });
      setSummary(prepareOffer.summary);
      const done = await tx.run(prepareOffer.transactions);
      if (done) onCreated();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="offer-title" className="panel">
      <h2 id="offer-title">{t("studio.offerTitle")}</h2>
      {works.length === 0 ? (
        <p>{t("studio.noWorks")}</p>
      ) : (
        <form
          className="offer-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            {t("studio.work")}
            <select value={selectedWork} onChange={(e) => setWork(e.target.value)} name="work">
              {works.map((w) => (
                <option key={w.id} value={w.id}>
                  #{w.id} {w.title}
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>{t("studio.rights")}</legend>
            <div className="checkbox-grid">
              {RIGHTS.map((r) => (
                <label key={r} className="checkbox">
                  <input type="checkbox" checked={rights.includes(r)} onChange={(e) => setRights(e.target.checked ? [...rights, r] : rights.filter((x) => x !== r))} /> {t(`right.${r}` as never)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("studio.territory")}</legend>
            {(["Worldwide", "Include", "Exclude"] as const).map((m) => (
              <label key={m} className="checkbox">
                <input type="radio" name="territory-mode" checked={mode === m} onChange={() => setMode(m)} /> {t(`studio.territory.${m}` as never)}
              </label>
            ))}
            {mode !== "Worldwide" && (
              <label>
                {t("studio.countries")}
                <input value={countries} onChange={(e) => setCountries(e.target.value)} placeholder="DE, AT, CH" aria-describedby="country-names" />
                <span id="country-names" className="muted">
                  {badCodes.length > 0 ? t("studio.badCountries", { codes: badCodes.join(", ") }) : codes.map((c) => countryName(c, lang)).join(", ")}
                </span>
              </label>
            )}
          </fieldset>
          <label>
            {t("studio.termDays")}
            <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
          <label>
            {t("studio.priceEth")}
            <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
          </label>
          <label>
            {t("studio.cap")}
            <input inputMode="numeric" value={cap} onChange={(e) => setCap(e.target.value)} />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={exclusive} onChange={(e) => setExclusive(e.target.checked)} /> {t("offer.exclusive")}
          </label>
          <button type="submit" disabled={!address || tx.busy || rights.length === 0 || badCodes.length > 0}>
            {t("studio.publish")}
          </button>
        </form>
      )}
      {summary && <p className="muted">{summary}</p>}
      <TxProgress step={tx.step} />
      {error != null && <ErrorMessage error={error} />}
      {tx.error != null && <ErrorMessage error={tx.error} />}
    </section>
  );
}
