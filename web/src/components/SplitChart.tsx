import { useI18n } from "../i18n/i18n";
import { percent } from "../lib/format";
import { Address } from "./Address";

const COLOURS = ["#214e8a", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490", "#be123c", "#4d7c0f"];

/** Who shares in the income: a ring chart with a legend that also works as a table. */
export function SplitChart({ recipients }: { recipients: readonly { account: string; shareBps: number }[] }) {
  const { t, lang } = useI18n();
  const r = 15.915; // circumference 100
  let offset = 25;
  return (
    <figure className="split-chart">
      <svg viewBox="0 0 42 42" width="140" height="140" role="img" aria-label={t("work.splitChart")}>
        <circle cx="21" cy="21" r={r} fill="none" stroke="#e5e7eb" strokeWidth="7" />
        {recipients.map((p, i) => {
          const share = p.shareBps / 100;
          const el = (
            <circle key={p.account} cx="21" cy="21" r={r} fill="none" stroke={COLOURS[i % COLOURS.length]} strokeWidth="7" strokeDasharray={`${share} ${100 - share}`} strokeDashoffset={offset} />
          );
          offset = (offset - share + 100) % 100;
          return el;
        })}
      </svg>
      <figcaption>
        <table>
          <caption className="visually-hidden">{t("work.split")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("work.recipient")}</th>
              <th scope="col">{t("work.share")}</th>
            </tr>
          </thead>
          <tbody>
            {recipients.map((p, i) => (
              <tr key={p.account}>
                <td>
                  <span className="swatch" style={{ background: COLOURS[i % COLOURS.length] }} aria-hidden="true" /> <Address value={p.account} />
                </td>
                <td>{percent(p.shareBps, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
