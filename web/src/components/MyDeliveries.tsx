import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { myDeliveries, useDeliverySession } from "../lib/delivery";
import { DeliveryErrorMessage } from "./DeliveryErrorMessage";
import { DeliveryRecordTable } from "./DeliveryRecordTable";
import { DeliverySignIn } from "./DeliverySignIn";

/** The licensee's own deliveries (GET /delivery/records), once signed in to the delivery service. */
export function MyDeliveries({ address, titles, names }: { address: string; titles: ReadonlyMap<string, string>; names: ReadonlyMap<string, string> }) {
  const { t } = useI18n();
  const session = useDeliverySession(address);
  const q = useQuery({
    queryKey: ["my-deliveries", address.toLowerCase(), session?.token],
    enabled: !!session,
    queryFn: ({ signal }) => myDeliveries(session!, signal),
  });
  return (
    <section aria-labelledby="my-deliveries-title">
      <h2 id="my-deliveries-title">{t("downloads.recordTitle")}</h2>
      {!session ? (
        <DeliverySignIn label="downloads.recordSignIn" />
      ) : (
        <>
          <DeliveryErrorMessage error={q.error} />
          {q.data && q.data.length === 0 && <p>{t("downloads.recordNone")}</p>}
          {q.data && q.data.length > 0 && <DeliveryRecordTable records={q.data} label={t("downloads.recordTitle")} titles={titles} names={names} />}
        </>
      )}
    </section>
  );
}
