import { useI18n } from "../i18n/i18n";

/** A licence or offer status as a coloured word (the colour is never the only signal). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}` as never)}</span>;
}
