import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { countryIn, verifyUrl } from "../lib/verifyLink";
import { dateTime, money } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { Link } from "../lib/router";
import { Address } from "../components/Address";
import { ErrorMessage } from "../components/ErrorMessage";
import { QrCode } from "../components/QrCode";
import { StatusBadge } from "../components/StatusBadge";
import { TerritoryList } from "../components/TerritoryList";

const LICENCE = graphql(`
  query Certificate($id: String!) {
    licence(id: $id) {
      id workId offerId source licensee originalLicensee payer rights territory { mode countries }
      start end perpetual exclusive transferable uri price fee currency splitVersion status
      txHash blockNumber timestamp
      revocation { reason effectiveAt txHash }
      work { id title creators kind isrc iswc metadataCid owner split { version recipients { account shareBps } } }
    }
  }
`);

/** A printable licence certificate with its live status and a QR code to verify it. */
export function CertificatePage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: ["licence", id], queryFn: ({ signal }) => request(LICENCE, { id }, { signal }), refetchInterval: 15_000 });
  if (q.error) return <ErrorMessage error={q.error} />;
  if (q.isPending) return <p role="status">{t("common.loading")}</p>;
  const l = q.data.licence;
  if (!l) return <h1>{t("licence.notFound")}</h1>;
  const title = l.work?.title ?? t("work.untitled");
  const territory = countryIn(l.territory, [lang === "de" ? "DE" : "GB", "DE"]);
  const url = verifyUrl(location.origin, { work: l.workId, licensee: l.licensee, right: l.rights[0]!, territory, licence: l.id });
  return (
    <article className="certificate" aria-labelledby="cert-title">
      <div className="no-print actions">
        <button type="button" onClick={() => window.print()}>
          {t("licence.print")}
        </button>
        <Link href={url.replace(location.origin, "")}>{t("licence.verifyNow")}</Link>
      </div>
      <header className="cert-head">
        <div>
          <p className="kind">{t("licence.certificate")}</p>
          <h1 id="cert-title">{t("licence.heading", { id: l.id, title })}</h1>
          <p>
            {t("licence.liveStatus")} <StatusBadge status={l.status} />
          </p>
        </div>
        <QrCode url={url} label={t("licence.qr")} />
      </header>

      <section aria-labelledby="terms">
        <h2 id="terms">{t("licence.terms")}</h2>
        <dl className="facts">
          <dt>{t("licence.rights")}</dt>
          <dd>{l.rights.map((r) => t(`right.${r}` as never)).join(", ")}</dd>
          <dt>{t("licence.territory")}</dt>
          <dd>
            <TerritoryList mode={l.territory.mode} countries={l.territory.countries} />
          </dd>
          <dt>{t("licence.valid")}</dt>
          <dd>{l.end ? t("licence.fromTo", { start: dateTime(l.start, lang), end: dateTime(l.end, lang) }) : t("licence.fromPerpetual", { start: dateTime(l.start, lang) })}</dd>
          <dt>{t("licence.exclusivity")}</dt>
          <dd>{t(l.exclusive ? "offer.exclusive" : "offer.nonExclusive")}</dd>
          <dt>{t("licence.transfer")}</dt>
          <dd>{t(l.transferable ? "offer.transferable" : "offer.notTransferable")}</dd>
          <dt>{t("licence.price")}</dt>
          <dd>{money(l.price, l.currency, lang)}</dd>
          {l.uri && (
            <>
              <dt>{t("licence.legalText")}</dt>
              <dd>{l.uri}</dd>
            </>
          )}
          {l.revocation && (
            <>
              <dt>{t("licence.revoked")}</dt>
              <dd>{t("licence.revokedDetail", { reason: l.revocation.reason, at: dateTime(l.revocation.effectiveAt, lang) })}</dd>
            </>
          )}
        </dl>
      </section>

      <section aria-labelledby="parties">
        <h2 id="parties">{t("licence.parties")}</h2>
        <dl className="facts">
          <dt>{t("licence.licensee")}</dt>
          <dd>
            <Address value={l.licensee} full />
          </dd>
          {l.payer.toLowerCase() !== l.licensee.toLowerCase() && (
            <>
              <dt>{t("licence.payer")}</dt>
              <dd>
                <Address value={l.payer} full />
              </dd>
            </>
          )}
          <dt>{t("licence.licensor")}</dt>
          <dd>
            <Address value={l.work?.owner ?? ""} full />
          </dd>
          <dt>{t("licence.rightsHolders", { v: l.splitVersion })}</dt>
          <dd>
            <ul>
              {l.work?.split.recipients.map((r) => (
                <li key={r.account}>
                  <Address value={r.account} full /> — {(r.shareBps / 100).toLocaleString(lang)} %
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="content">
        <h2 id="content">{t("licence.content")}</h2>
        <dl className="facts">
          <dt>{t("licence.work")}</dt>
          <dd>
            <Link href={`/works/${l.workId}`}>{title}</Link> — {l.work?.creators.join(", ")} (#{l.workId}
            {l.work?.isrc ? `, ISRC ${l.work.isrc}` : ""}
            {l.work?.iswc ? `, ISWC ${l.work.iswc}` : ""})
          </dd>
          <dt>{t("licence.metadataCid")}</dt>
          <dd className="mono">{l.work?.metadataCid}</dd>
        </dl>
      </section>

      <section aria-labelledby="evidence">
        <h2 id="evidence">{t("licence.evidence")}</h2>
        <dl className="facts">
          <dt>{t("licence.tx")}</dt>
          <dd className="mono">{l.txHash}</dd>
          <dt>{t("licence.block")}</dt>
          <dd>
            {l.blockNumber} · {dateTime(l.timestamp, lang)}
          </dd>
          <dt>{t("licence.source")}</dt>
          <dd>{l.offerId ? t("licence.fromOffer", { id: l.offerId }) : t("licence.fromDeal")}</dd>
          <dt>{t("licence.verifyAt")}</dt>
          <dd className="mono small">{url}</dd>
        </dl>
      </section>
    </article>
  );
}
