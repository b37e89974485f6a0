import { useQuery } from "@tanstack/react-query";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { graphql, request } from "../lib/graphql";
import { Link } from "../lib/router";
import { ApiKeyField } from "../components/ApiKeyField";
import { ChangeSplit } from "../components/ChangeSplit";
import { CreateOffer } from "../components/CreateOffer";
import { Earnings } from "../components/Earnings";
import { MyOffers } from "../components/MyOffers";
import { ErrorMessage } from "../components/ErrorMessage";
import { RegisterWork } from "../components/RegisterWork";
import { StatusBadge } from "../components/StatusBadge";
import { WalletButton } from "../components/WalletButton";
import { StudioDeliveries } from "../components/StudioDeliveries";

const MY_WORKS = graphql(`
  query StudioWorks($owner: String!) {
    works(owner: $owner, first: 100) { id title kind licenceCount split { version recipients { account shareBps } } offers { id status sold } }
  }
`);

/** For creators: register works, publish, pause and retire offers, change splits, collect earnings; the delivery record of my licensed files. */
export function StudioPage() {
  const { t } = useI18n();
  const { address } = useAccount();
  const works = useQuery({ queryKey: ["studio-works", address], enabled: !!address, queryFn: ({ signal }) => request(MY_WORKS, { owner: address! }, { signal }) });
  const mine = works.data?.works ?? [];
  const refresh = () => void works.refetch();
  return (
    <section aria-labelledby="studio-title" className="studio">
      <h1 id="studio-title">{t("studio.title")}</h1>
      <p className="lead">{t("studio.lead")}</p>
      {!address ? (
        <div className="panel">
          <p>{t("studio.connect")}</p>
          <WalletButton />
        </div>
      ) : (
        <>
          <ApiKeyField scope="write" />
          <section aria-labelledby="my-works" className="panel">
            <h2 id="my-works">{t("studio.myWorks")}</h2>
            {works.error && <ErrorMessage error={works.error} />}
            {mine.length === 0 && works.isSuccess && <p>{t("studio.noWorks")}</p>}
            <ul className="plain">
              {mine.map((w) => (
                <li key={w.id}>
                  <Link href={`/works/${w.id}`}>
                    #{w.id} {w.title}
                  </Link>{" "}
                  — {t("studio.workLine", { offers: w.offers.length, licences: w.licenceCount })}{" "}
                  {w.offers.map((o) => (
                    <StatusBadge key={o.id} status={o.status} of="offer" />
                  ))}
                </li>
              ))}
            </ul>
          </section>
          <RegisterWork onRegistered={refresh} />
          <CreateOffer works={mine} onCreated={refresh} />
          <MyOffers works={mine} onChanged={refresh} />
          <ChangeSplit works={mine} onChanged={refresh} />
          <Earnings account={address} />
          <StudioDeliveries address={address} />
        </>
      )}
    </section>
  );
}
