import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { dateTime, money } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { useTransactions } from "../lib/useTransactions";
import { ErrorMessage } from "./ErrorMessage";
import { TxProgress } from "./TxProgress";
import { useState } from "react";
import { TableScroll } from "./TableScroll";
import { EarningsChart } from "./EarningsChart";
import { TableHead } from "./TableHead";

const EARNINGS = graphql(`
  query Earnings($account: String!) {
    earnings(account: $account, first: 20) {
      currencies { currency credited withdrawn withdrawable undistributed }
      payments { workId currency amount txHash timestamp }
      withdrawals { currency amount txHash timestamp }
    }
  }
`);
const PREPARE_WITHDRAWAL = graphql(`
  mutation PrepareWithdrawal($account: String!) {
    prepareWithdrawal(account: $account) { summary transactions { description to data value chainId gas simulationError } }
  }
`);

/** What I earned, what waits to be paid out, and a button that pays it out. */
export function Earnings({ account }: { account: string }) {
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: ["earnings", account], queryFn: ({ signal }) => request(EARNINGS, { account }, { signal }) });
  const tx = useTransactions();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const withdraw = async () => {
    setError(null);
    try {
      const { prepareWithdrawal } = await request(PREPARE_WITHDRAWAL, { account });
      if (await tx.run(prepareWithdrawal.transactions)) {
        // The withdrawal distributes first: the credits appear in the series too.
        await Promise.all([q.refetch(), queries.invalidateQueries({ queryKey: ["earnings-history", account] })]);
      }
    } catch (err) {
      setError(err);
    }
  };
  const e = q.data?.earnings;
  const payable = e?.currencies.some((c) => BigInt(c.withdrawable) + BigInt(c.undistributed) > 0n) ?? false;
  return (
    <section aria-labelledby="earnings-title" className="panel">
      <h2 id="earnings-title">{t("studio.earningsTitle")}</h2>
      {q.error && <ErrorMessage error={q.error} />}
      {e && e.currencies.length === 0 && <p>{t("studio.noEarnings")}</p>}
      {e && e.currencies.length > 0 && (
        <TableScroll label={t("studio.earningsTitle")}>
        <table className="table earnings">
          <TableHead columns={[t("studio.currency"), t("studio.withdrawable"), t("studio.pending"), t("studio.withdrawn")]} />
          <tbody>
            {e.currencies.map((c) => (
              <tr key={c.currency}>
                <td>{money("0", c.currency, lang).split(" ").slice(1).join(" ")}</td>
                <td data-testid="withdrawable">{money(c.withdrawable, c.currency, lang)}</td>
                <td>{money(c.undistributed, c.currency, lang)}</td>
                <td data-testid="withdrawn">{money(c.withdrawn, c.currency, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      )}
      <EarningsChart account={account} />
      <button type="button" disabled={!payable || tx.busy} onClick={() => void withdraw()}>
        {t("studio.withdraw")}
      </button>
      <TxProgress step={tx.step} />
      {error != null && <ErrorMessage error={error} />}
      {tx.error != null && <ErrorMessage error={tx.error} />}
      {e && e.payments.length > 0 && (
        <>
          <h3>{t("studio.payments")}</h3>
          <ul className="plain">
            {e.payments.map((p) => (
              <li key={p.txHash + p.workId}>
                {dateTime(p.timestamp, lang)}: {money(p.amount, p.currency, lang)} — {t("studio.fromWork", { id: p.workId })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
