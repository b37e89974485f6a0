import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { dateTime, money } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { Link } from "../lib/router";
import { mediaOf, OfferFields } from "../lib/works";
import { Address } from "../components/Address";
import { Artwork } from "../components/Artwork";
import { AudioPreview } from "../components/AudioPreview";
import { ErrorMessage } from "../components/ErrorMessage";
import { OfferSummary } from "../components/OfferSummary";
import { SplitChart } from "../components/SplitChart";
import { StatusBadge } from "../components/StatusBadge";
import { TerritoryList } from "../components/TerritoryList";
import { TableHead } from "../components/TableHead";

export const WORK = graphql(
  `
  query WorkPage($id: String!) {
    work(id: $id) {
      id kind title creators isrc iswc metadata metadataCid owner registrant licenceCount
      registeredAt registrationTx
      split { version recipients { account shareBps } }
      revenue { currency gross net licences }
      offers { ...OfferFields }
    }
    licences(work: $id, first: 100) { id licensee status start end perpetual rights }
  }
`,
  [OfferFields],
);

export function WorkPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: ["work", id], queryFn: ({ signal }) => request(WORK, { id }, { signal }) });
  if (q.error) return <ErrorMessage error={q.error} />;
  if (q.isPending) return <p role="status">{t("common.loading")}</p>;
  const work = q.data.work;
  if (!work) return <h1>{t("work.notFound")}</h1>;
  const title = work.title ?? t("work.untitled");
  const media = mediaOf(work.metadata);
  const meta = (work.metadata ?? {}) as Record<string, unknown>;
  return (
    <article className="work-page" aria-labelledby="work-title">
      <header className="work-head">
        <Artwork cid={media.artwork} title={title} size={220} />
        <div>
          <p className="kind">{t(`kind.${work.kind}` as never)}</p>
          <h1 id="work-title">{title}</h1>
          <p className="lead">{work.creators.join(", ")}</p>
          {media.audio && <AudioPreview cid={media.audio} title={title} />}
          {typeof meta.description === "string" && <p>{meta.description}</p>}
        </div>
      </header>

      <section aria-labelledby="ids">
        <h2 id="ids">{t("work.identifiers")}</h2>
        <dl className="facts">
          <dt>{t("work.tokenId")}</dt>
          <dd>#{work.id}</dd>
          {work.isrc && (
            <>
              <dt>ISRC</dt>
              <dd>
                {work.isrc} <span className="muted">({t("work.identifierRegistered")})</span>
              </dd>
            </>
          )}
          {work.iswc && (
            <>
              <dt>ISWC</dt>
              <dd>
                {work.iswc} <span className="muted">({t("work.identifierRegistered")})</span>
              </dd>
            </>
          )}
          <dt>{t("work.owner")}</dt>
          <dd>
            <Address value={work.owner} full />
          </dd>
          <dt>{t("work.registered")}</dt>
          <dd>{dateTime(work.registeredAt, lang)}</dd>
          <dt>{t("work.metadata")}</dt>
          <dd>
            <a href={`/ipfs/${work.metadataCid}`}>{work.metadataCid}</a>
          </dd>
          {typeof meta.genre === "string" && (
            <>
              <dt>{t("work.genre")}</dt>
              <dd>{meta.genre}</dd>
            </>
          )}
        </dl>
      </section>

      <section aria-labelledby="split">
        <h2 id="split">{t("work.split")}</h2>
        <p className="muted">{t("work.splitVersion", { v: work.split.version })}</p>
        <SplitChart recipients={work.split.recipients} />
      </section>

      <section aria-labelledby="offers">
        <h2 id="offers">{t("work.offers")}</h2>
        {work.offers.length === 0 && <p>{t("work.noOffers")}</p>}
        <ul className="offer-list">
          {work.offers.map((o) => (
            <li key={o.id} className="offer">
              <h3>
                {t("work.offer", { id: o.id })} <StatusBadge status={o.status} of="offer" />
              </h3>
              <OfferSummary offer={o} />
              <details>
                <summary>{t("work.territoryDetails")}</summary>
                <TerritoryList mode={o.territory.mode} countries={o.territory.countries} />
              </details>
              {o.status === "Active" && (
                <Link className="button" href={`/buy/${o.id}`}>
                  {t("work.buy", { price: money(o.price, o.currency, lang) })}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="sold">
        <h2 id="sold">{t("work.licencesSold", { n: work.licenceCount })}</h2>
        {work.revenue.map((r) => (
          <p key={r.currency}>{t("work.revenue", { gross: money(r.gross, r.currency, lang), n: r.licences })}</p>
        ))}
        {q.data.licences.length > 0 && (
          <table className="table">
            <TableHead columns={[t("licence.number"), t("licence.licensee"), t("licence.status"), t("licence.until")]} />
            <tbody>
              {q.data.licences.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link href={`/licences/${l.id}`}>#{l.id}</Link>
                  </td>
                  <td>
                    <Address value={l.licensee} />
                  </td>
                  <td>
                    <StatusBadge status={l.status} />
                  </td>
                  <td>{l.end ? dateTime(l.end, lang) : t("offer.perpetual")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
