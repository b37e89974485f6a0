import { useI18n, type MessageKey } from "../i18n/i18n";
import type { DeliveryRecord } from "../lib/delivery";
import { fileSize } from "../lib/licensedAccess";
import { dateTime } from "../lib/format";
import { Link } from "../lib/router";
import { Address } from "./Address";
import { TableHead } from "./TableHead";
import { TableScroll } from "./TableScroll";
import en from "../i18n/en.json";

/** The name a file goes by in a record: its file name when known, else what it is (`$.audio` → "master recording"). */
export function fieldLabel(field: string, t: (k: MessageKey) => string): string {
  const key = `delivery.field.${/^\$\.(\w+)/.exec(field)?.[1] ?? ""}` as MessageKey;
  return key in en ? t(key) : field;
}

/**
 * The delivery record as a table: when, which work and file, under which licence, to whom, how
 * many bytes, and the SHA-256 of exactly what was sent. Newest first.
 */
export function DeliveryRecordTable({ records, label, titles, names }: { records: readonly DeliveryRecord[]; label: string; titles: ReadonlyMap<string, string>; names: ReadonlyMap<string, string> }) {
  const { t, lang } = useI18n();
  const rows = [...records].sort((a, b) => b.at.localeCompare(a.at));
  const columns = [t("delivery.col.time"), t("delivery.col.work"), t("delivery.col.file"), t("delivery.col.licence"), t("delivery.col.recipient"), t("delivery.col.bytes"), t("delivery.col.hash")] as const;
  // On a phone each row stacks into a card, every cell under its column's name (data-label).
  const [when, work, file, licence, to, sent, hash] = columns;
  return (
    <TableScroll label={label}>
      <table className="table deliveries stacked">
        <TableHead columns={columns} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="delivery-row">
              <td data-label={when}>{dateTime(Date.parse(r.at) / 1000, lang)}</td>
              <td data-label={work}>
                <Link href={`/works/${r.workId}`}>{titles.get(r.workId) ?? `#${r.workId}`}</Link>
              </td>
              <td data-label={file}>
                {names.get(r.cid) ?? fieldLabel(r.field, t)}
                {r.stamp !== "none" && <span className="muted small"> {t("delivery.stamped")}</span>}
              </td>
              <td data-label={licence}>{r.licenceId ? <Link href={`/licences/${r.licenceId}`}>#{r.licenceId}</Link> : t(`delivery.role.${r.role}` as MessageKey)}</td>
              <td data-label={to}>
                <Address value={r.recipient} />
              </td>
              <td data-label={sent} data-testid="delivery-bytes" data-bytes={r.bytes}>
                {fileSize(r.bytes, lang)}
                {(!r.complete || r.range) && <span className="muted small"> {t("delivery.partial", { size: fileSize(r.size, lang) })}</span>}
              </td>
              <td data-label={hash}>
                <code className="mono small" title={r.sha256}>
                  {r.sha256}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
