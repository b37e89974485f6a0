import { lazy, Suspense } from "react";
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { countryName, date, dateTime, list, money } from "../lib/format";
import { graphql, request, type ResultOf } from "../lib/graphql";
import { LinkFields, MandateFields, useLinkedLayers, type LinkData, type MandateData } from "../lib/layers";
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
import { TableScroll } from "../components/TableScroll";
import { LayerNeeds } from "../components/LayerNeeds";

// The map and its country outlines load only when a work page shows an offer (first load stays small).
const TerritoryMap = lazy(() => import("../components/TerritoryMap"));

export const WORK = graphql(
  `
  query WorkPage($id: String!) {
    work(id: $id) {
      id kind title creators isrc iswc metadata metadataCid owner registrant licenceCount
      registeredAt registrationTx
      verified verifiedBy { name address } lostIdentifier
      identifierDisputes { identifier kind fromWork toWork registrar reason timestamp }
      compositions { ...LinkFields }
      recordings { ...LinkFields }
      societyMandates { ...MandateFields }
      split { version recipients { account shareBps } }
      revenue { currency gross net licences }
      offers { ...OfferFields }
    }
    licences(work: $id, first: 100) { id licensee status start end perpetual rights }
  }
`,
  [OfferFields, LinkFields, MandateFields],
);

export function WorkPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: ["work", id], queryFn: ({ signal }) => request(WORK, { id }, { signal }) });
  const { layers } = useLinkedLayers(q.data?.work);
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
          {(work.isrc || work.iswc) && (
            <>
              <dt>{work.isrc ? "ISRC" : "ISWC"}</dt>
              <dd>
                {work.isrc ?? work.iswc}{" "}
                <IdentifierState verified={work.verified} registrar={work.verifiedBy?.name ?? work.verifiedBy?.address ?? null} disputed={work.identifierDisputes.some((d) => d.identifier === (work.isrc ?? work.iswc))} />
              </dd>
            </>
          )}
          {work.lostIdentifier && (
            <>
              <dt>{t("work.lostIdentifierTerm")}</dt>
              <dd>
                {work.lostIdentifier} <IdentifierState verified={false} registrar={null} disputed />
              </dd>
            </>
          )}
          {work.identifierDisputes.length > 0 && (
            <>
              <dt>{t("work.disputes")}</dt>
              <dd>
                <ul>
                  {work.identifierDisputes.map((d) => (
                    <li key={`${d.timestamp}-${d.identifier}`}>
                      {t("work.disputeLine", {
                        date: date(d.timestamp, lang),
                        identifier: d.identifier,
                        from: d.fromWork ? `#${d.fromWork}` : t("work.noWork"),
                        to: d.toWork ? `#${d.toWork}` : t("work.noWork"),
                        reason: d.reason,
                      })}
                    </li>
                  ))}
                </ul>
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

      {(work.kind === "SoundRecording" || work.kind === "Composition") && <LayersSection work={work} layers={layers} />}

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
              <LayerNeeds offer={o} layers={layers} />
              <Suspense fallback={null}>
                <TerritoryMap mode={o.territory.mode} countries={o.territory.countries} />
              </Suspense>
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

/** An identifier's verification state in words (and a sign), never by colour alone. */
function IdentifierState({ verified, registrar, disputed }: { verified: boolean; registrar: string | null; disputed: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {verified ? (
        <span className="identifier-state verified">✓ {registrar ? t("work.verifiedBy", { registrar }) : t("work.verified")}</span>
      ) : (
        <span className="identifier-state unverified">{t("work.unverified")}</span>
      )}
      {disputed && <span className="identifier-state disputed"> ⚠ {t("work.disputed")}</span>}
    </>
  );
}

type WorkData = NonNullable<ResultOf<typeof WORK>["work"]>;

/** The other layers of a song: the composition a recording embodies (or the recordings of a composition), and the collecting societies' mandates. */
function LayersSection({ work, layers }: { work: WorkData; layers: ReturnType<typeof useLinkedLayers>["layers"] }) {
  const { t, lang } = useI18n();
  const recording = work.kind === "SoundRecording";
  const links: readonly LinkData[] = recording ? work.compositions : work.recordings;
  // A composition's own mandates; for a recording, those of the compositions it embodies.
  const mandates: { mandate: MandateData; workId: string; title: string | null }[] = recording
    ? layers.filter((l) => l.role === "Composition").flatMap((l) => (l.work?.societyMandates ?? []).map((mandate) => ({ mandate, workId: l.workId, title: l.link.title })))
    : work.societyMandates.map((mandate) => ({ mandate, workId: work.id, title: work.title }));
  const where = (m: MandateData) =>
    m.territory.mode === "Worldwide"
      ? t("territory.worldwide")
      : list(m.territory.countries.map((c) => countryName(c, lang)).sort((a, b) => a.localeCompare(b, lang)), lang) + (m.territory.mode === "Exclude" ? ` (${t("work.mandateExcluded")})` : "");
  return (
    <section aria-labelledby="layers">
      <h2 id="layers">{t("work.layers")}</h2>
      <p className="muted">{t(recording ? "work.layersRecordingHelp" : "work.layersCompositionHelp")}</p>
      {links.length === 0 ? (
        <p>{t(recording ? "work.noComposition" : "work.noRecording")}</p>
      ) : (
        <ul className="plain layer-links">
          {links.map((l) => {
            const other = recording ? l.compositionId : l.recordingId;
            return (
              <li key={other}>
                {t(recording ? "work.embodies" : "work.recordedAs")}{" "}
                <Link href={`/works/${other}`}>
                  “{l.title ?? t("work.untitled")}” (#{other})
                </Link>
                {l.identifier && (
                  <>
                    {" "}
                    · {recording ? "ISWC" : "ISRC"} {l.identifier} <span className={`identifier-state ${l.verified ? "verified" : "unverified"}`}>{l.verified ? `✓ ${t("work.verified")}` : t("work.unverified")}</span>
                  </>
                )}{" "}
                · <strong>{l.status !== "Confirmed" ? t("work.linkClaimed") : l.confirmedAt ? t("work.linkConfirmed", { date: date(l.confirmedAt, lang) }) : t("work.layerConfirmed")}</strong>
              </li>
            );
          })}
        </ul>
      )}
      <h3>{t("work.mandates")}</h3>
      {mandates.length === 0 ? (
        <p>{t("work.noMandates")}</p>
      ) : (
        <TableScroll label={t("work.mandates")}>
          <table className="table mandates">
            <TableHead columns={[t("work.society"), t("work.mandateRights"), t("work.mandateTerritory"), ...(recording ? [t("work.mandateComposition")] : [])]} />
            <tbody>
              {mandates.map(({ mandate: m, workId, title }) => (
                <tr key={`${workId}-${m.society}`}>
                  <td>{m.society}</td>
                  <td>{list(m.rights.map((r) => t(`right.${r}` as never)), lang)}</td>
                  <td>{where(m)}</td>
                  {recording && (
                    <td>
                      <Link href={`/works/${workId}`}>“{title ?? t("work.untitled")}” (#{workId})</Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
