import { useI18n } from "../i18n/i18n";

/**
 * A licence's or an offer's status as a coloured word (the colour is never the only signal). An
 * active licence reads "valid", an active offer "on sale".
 */
export function StatusBadge({ status, of = "licence" }: { status: string; of?: "licence" | "offer" }) {
  const { t } = useI18n();
  const key = of === "offer" ? `offerStatus.${status}` : `status.${status}`;
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(key as never)}</span>;
}
