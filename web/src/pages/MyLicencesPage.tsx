import { useQuery } from "@tanstack/react-query";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { dateTime } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { Link } from "../lib/router";
import { ErrorMessage } from "../components/ErrorMessage";
import { StatusBadge } from "../components/StatusBadge";
import { WalletButton } from "../components/WalletButton";
import { TableScroll } from "../components/TableScroll";
import { TableHead } from "../components/TableHead";
import { LicensedDownloads, type LicenceWithFiles } from "../components/LicensedDownloads";
import { MyDeliveries } from "../components/MyDeliveries";
import { licensedFilesOf } from "../lib/licensedAccess";

const MY_LICENCES = graphql(`
  query MyLicences($licensee: String!) {
    licences(licensee: $licensee, first: 100) { id workId rights status start end perpetual work { title creators metadata } }
  }
`);

/**
 * For licensees: every licence of the connected account, with status and expiry; the licensed
 * files each licence unlocks (downloaded after signing in with the wallet); my deliveries.
 */
export function MyLicencesPage() {
  const { t, lang } = useI18n();
  const { address } = useAccount();
  const q = useQuery({ queryKey: ["my-licences", address], enabled: !!address, queryFn: ({ signal }) => request(MY_LICENCES, { licensee: address! }, { signal }) });
  const withFiles: LicenceWithFiles[] = (q.data?.licences ?? []).map((l) => ({ id: l.id, workId: l.workId, title: l.work?.title ?? `#${l.workId}`, rights: l.rights, status: l.status, files: licensedFilesOf(l.work?.metadata) }));
  const titles = new Map(withFiles.map((l) => [l.workId, l.title] as const));
  const names = new Map(withFiles.flatMap((l) => l.files.map((f) => [f.cid, f.name ?? f.cid] as const)));
  return (
    <section aria-labelledby="mine-title">
      <h1 id="mine-title">{t("mine.title")}</h1>
      {!address && (
        <div className="panel">
          <p>{t("mine.connect")}</p>
          <WalletButton />
        </div>
      )}
      {q.error && <ErrorMessage error={q.error} />}
      {q.data && q.data.licences.length === 0 && <p>{t("mine.none")}</p>}
      {q.data && q.data.licences.length > 0 && (
        <TableScroll label={t("mine.title")}>
          <table className="table stacked">
            <TableHead columns={[t("licence.number"), t("licence.work"), t("licence.rights"), t("licence.status"), t("licence.until")]} />
            <tbody>
              {q.data.licences.map((l) => (
                <tr key={l.id}>
                  <td data-label={t("licence.number")}>
                    <Link href={`/licences/${l.id}`}>{t("mine.certificate", { id: l.id })}</Link>
                  </td>
                  <td data-label={t("licence.work")}>
                    {l.work?.title} <span className="muted">{l.work?.creators.join(", ")}</span>
                  </td>
                  <td data-label={t("licence.rights")}>{l.rights.map((r) => t(`right.${r}` as never)).join(", ")}</td>
                  <td data-label={t("licence.status")}>
                    <StatusBadge status={l.status} />
                  </td>
                  <td data-label={t("licence.until")}>{l.end ? dateTime(l.end, lang) : t("offer.perpetual")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {q.data && q.data.licences.length > 0 && <LicensedDownloads licences={withFiles} />}
      {address && q.data && q.data.licences.length > 0 && <MyDeliveries address={address} titles={titles} names={names} />}
    </section>
  );
}
