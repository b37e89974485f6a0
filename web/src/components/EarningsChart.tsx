import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { date, dateTime, ETH, money } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { ErrorMessage } from "./ErrorMessage";
import { TableHead } from "./TableHead";

const HISTORY = graphql(`
  query EarningsHistory($account: String!, $interval: SeriesInterval!, $currency: String!) {
    earningsHistory(account: $account, interval: $interval, currency: $currency, first: 60) { timestamp amount credits total }
  }
`);

const W = 600;
const H = 160;
const PAD = 4;
/** The widest a bar gets: one day of royalties is a bar, not a wall. */
const BAR_MAX = 40;

/** My ETH royalties over time: one bar per day (or hour) in which something was credited. */
export function EarningsChart({ account }: { account: string }) {
  const { t, lang } = useI18n();
  const [interval, setInterval] = useState<"DAY" | "HOUR">("DAY");
  const q = useQuery({ queryKey: ["earnings-history", account, interval], queryFn: ({ signal }) => request(HISTORY, { account, interval, currency: ETH }, { signal }) });
  const buckets = q.data?.earningsHistory ?? [];
  const max = buckets.reduce((m, b) => (BigInt(b.amount) > m ? BigInt(b.amount) : m), 0n);
  const slot = buckets.length ? (W - 2 * PAD) / buckets.length : 0;
  const when = (ts: string) => (interval === "DAY" ? date(ts, lang) : dateTime(ts, lang));
  const total = buckets.at(-1)?.total ?? "0";

  return (
    <figure className="earnings-chart" aria-labelledby="earnings-chart-title">
      <figcaption id="earnings-chart-title">
        {t("studio.chartTitle")}{" "}
        <select aria-label={t("studio.chartInterval")} value={interval} onChange={(e) => setInterval(e.target.value as "DAY" | "HOUR")}>
          <option value="DAY">{t("studio.chartDay")}</option>
          <option value="HOUR">{t("studio.chartHour")}</option>
        </select>
      </figcaption>
      {q.error && <ErrorMessage error={q.error} />}
      {q.isSuccess && buckets.length === 0 && <p>{t("studio.noEarnings")}</p>}
      {buckets.length > 0 && (
        <>
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("studio.chartSummary", { n: buckets.length, total: money(total, ETH, lang) })} preserveAspectRatio="none">
            {buckets.map((b, i) => {
              const h = max === 0n ? 0 : Math.max(2, Number((BigInt(b.amount) * BigInt(H - 2 * PAD)) / max));
              const width = Math.min(slot * 0.8, BAR_MAX);
              return (
                <rect key={b.timestamp} data-testid="earnings-bar" x={PAD + i * slot + (slot - width) / 2} y={H - PAD - h} width={width} height={h} className="bar">
                  <title>{`${when(b.timestamp)}: ${money(b.amount, ETH, lang)}`}</title>
                </rect>
              );
            })}
          </svg>
          <details>
            <summary>{t("studio.chartTable")}</summary>
            <table className="table">
              <TableHead columns={[t("studio.chartWhen"), t("studio.chartAmount"), t("studio.chartTotal")]} />
              <tbody>
                {buckets.map((b) => (
                  <tr key={b.timestamp}>
                    <td>{when(b.timestamp)}</td>
                    <td>{money(b.amount, ETH, lang)}</td>
                    <td>{money(b.total, ETH, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
