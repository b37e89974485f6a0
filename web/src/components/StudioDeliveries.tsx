import { useQueries, useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { graphql, request } from "../lib/graphql";
import { useDeliverySession, workDeliveries } from "../lib/delivery";
import { licensedFilesOf } from "../lib/licensedAccess";
import { DeliveryErrorMessage } from "./DeliveryErrorMessage";
import { DeliveryRecordTable } from "./DeliveryRecordTable";
import { DeliverySignIn } from "./DeliverySignIn";
import { ErrorMessage } from "./ErrorMessage";

const LICENSED_WORKS = graphql(`
  query StudioLicensedWorks($holder: String!) {
    works(rightsHolder: $holder, first: 100) { id title metadata }
  }
`);

/**
 * The delivery record of the licensed files of the works I hold rights in — those I own and those
 * whose current split pays me (GET /delivery/works/<id>/records as a rights holder): every
 * delivery to a licensee or a rights holder, with licence, bytes and hash.
 */
export function StudioDeliveries({ address }: { address: string }) {
  const { t } = useI18n();
  const session = useDeliverySession(address);
  const works = useQuery({ queryKey: ["studio-licensed-works", address], queryFn: ({ signal }) => request(LICENSED_WORKS, { holder: address }, { signal }) });
  const licensed = (works.data?.works ?? []).map((w) => ({ ...w, files: licensedFilesOf(w.metadata) })).filter((w) => w.files.length > 0);
  const records = useQueries({
    queries: licensed.map((w) => ({
      queryKey: ["work-deliveries", w.id, session?.token],
      enabled: !!session,
      queryFn: ({ signal }: { signal: AbortSignal }) => workDeliveries(session!, w.id, signal),
    })),
  });
  const titles = new Map(licensed.map((w) => [w.id, w.title ?? `#${w.id}`] as const));
  const names = new Map(licensed.flatMap((w) => w.files.map((f) => [f.cid, f.name ?? f.cid] as const)));
  const all = records.flatMap((r) => r.data?.records ?? []);
  const error = records.find((r) => r.error)?.error;
  const loaded = records.length > 0 && records.every((r) => r.isSuccess);
  return (
    <section aria-labelledby="studio-deliveries-title" className="panel">
      <h2 id="studio-deliveries-title">{t("delivery.studioTitle")}</h2>
      <p className="muted">{t("delivery.studioLead")}</p>
      {works.error && <ErrorMessage error={works.error} />}
      {works.isSuccess && licensed.length === 0 && <p>{t("delivery.studioNoFiles")}</p>}
      {licensed.length > 0 &&
        (!session ? (
          <DeliverySignIn label="delivery.studioSignIn" />
        ) : (
          <>
            <DeliveryErrorMessage error={error} />
            {loaded && all.length === 0 && <p>{t("delivery.studioNone")}</p>}
            {all.length > 0 && <DeliveryRecordTable records={all} label={t("delivery.studioTitle")} titles={titles} names={names} />}
            <button type="button" className="secondary" onClick={() => records.forEach((r) => void r.refetch())}>
              {t("delivery.refresh")}
            </button>
          </>
        ))}
    </section>
  );
}
