import { useState } from "react";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { nextOfferStatuses, type OfferStatus } from "../lib/core";
import { graphql, request } from "../lib/graphql";
import { useTransactions } from "../lib/useTransactions";
import { ErrorMessage } from "./ErrorMessage";
import { StatusBadge } from "./StatusBadge";
import { TableScroll } from "./TableScroll";
import { TxProgress } from "./TxProgress";
import { TableHead } from "./TableHead";

const PREPARE_STATUS = graphql(`
  mutation PrepareOfferStatus($offer: String!, $status: OfferStatus!, $from: String!) {
    prepareOfferStatus(offer: $offer, status: $status, from: $from) { summary transactions { description to data value chainId gas simulationError } }
  }
`);

interface OfferRow {
  id: string;
  status: OfferStatus;
  sold: number;
}

/** My offers with their status, and the buttons that pause, resume or retire each one. */
export function MyOffers({ works, onChanged }: { works: readonly { id: string; title: string | null; offers: readonly OfferRow[] }[]; onChanged: () => void }) {
  const { t } = useI18n();
  const { address } = useAccount();
  const [error, setError] = useState<unknown>(null);
  const tx = useTransactions();
  const offers = works.flatMap((w) => w.offers.map((o) => ({ ...o, work: w })));

  const change = async (offer: string, status: OfferStatus) => {
    if (!address) return;
    setError(null);
    try {
      const { prepareOfferStatus } = await request(PREPARE_STATUS, { offer, status, from: address });
      if (await tx.run(prepareOfferStatus.transactions)) onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="my-offers" className="panel">
      <h2 id="my-offers">{t("studio.myOffers")}</h2>
      {offers.length === 0 ? (
        <p>{t("studio.noOffers")}</p>
      ) : (
        <TableScroll label={t("studio.myOffers")}>
        <table className="table">
          <TableHead columns={[t("studio.offer"), t("studio.work"), t("studio.sold"), t("studio.offerStatus"), t("studio.offerActions")]} />
          <tbody>
            {offers.map((o) => (
              <tr key={o.id} data-offer={o.id}>
                <td>#{o.id}</td>
                <td>
                  #{o.work.id} {o.work.title}
                </td>
                <td>{o.sold}</td>
                <td>
                  <StatusBadge status={o.status} of="offer" />
                </td>
                <td className="offer-actions">
                  {nextOfferStatuses(o.status).map((next) => (
                    <button key={next} type="button" className="secondary" disabled={tx.busy} onClick={() => void change(o.id, next)}>
                      {t(`studio.offerTo.${next}` as never)}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      )}
      <TxProgress step={tx.step} />
      {(error ?? tx.error) != null && <ErrorMessage error={error ?? tx.error} />}
    </section>
  );
}
