import { lazy, Suspense, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { money } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { LinkFields, useLinkedLayers } from "../lib/layers";
import { Link, navigate } from "../lib/router";
import { useTransactions } from "../lib/useTransactions";
import { OfferFields } from "../lib/works";
import { ApiKeyField } from "../components/ApiKeyField";
import { ErrorMessage } from "../components/ErrorMessage";
import { LayerNeeds } from "../components/LayerNeeds";
import { OfferSummary, RevocationPolicyText } from "../components/OfferSummary";
import { TerritoryList } from "../components/TerritoryList";
import { TxProgress } from "../components/TxProgress";
import { WalletButton } from "../components/WalletButton";

const TerritoryMap = lazy(() => import("../components/TerritoryMap"));

const OFFER = graphql(
  `
  query BuyOffer($id: String!) {
    offer(id: $id) { ...OfferFields work { id title creators owner kind compositions { ...LinkFields } recordings { ...LinkFields } } }
  }
`,
  [OfferFields, LinkFields],
);

const PREPARE = graphql(`
  mutation PreparePurchase($offer: String!, $licensee: String!) {
    prepareLicencePurchase(offer: $offer, licensee: $licensee) {
      offerId workId licensee payer price fee net currency summary
      transactions { description to data value chainId gas simulationError }
    }
  }
`);

const BOUGHT = graphql(`
  query BoughtLicence($licensee: String!, $work: String!) { licences(licensee: $licensee, work: $work, first: 100) { id txHash } }
`);

export function BuyPage({ offerId }: { offerId: string }) {
  const { t, lang } = useI18n();
  const { address } = useAccount();
  const [agreed, setAgreed] = useState(false);
  const offer = useQuery({ queryKey: ["offer", offerId], queryFn: ({ signal }) => request(OFFER, { id: offerId }, { signal }) });
  const prepare = useMutation({ mutationFn: (licensee: string) => request(PREPARE, { offer: offerId, licensee }) });
  const tx = useTransactions();
  const { layers } = useLinkedLayers(offer.data?.offer?.work);

  if (offer.error) return <ErrorMessage error={offer.error} />;
  if (offer.isPending) return <p role="status">{t("common.loading")}</p>;
  const o = offer.data.offer;
  if (!o) return <h1>{t("buy.notFound")}</h1>;
  const title = o.work?.title ?? t("work.untitled");
  const prepared = prepare.data?.prepareLicencePurchase;
  const simulationError = prepared?.transactions.find((x) => x.simulationError)?.simulationError;

  const buy = async () => {
    if (!prepared || !address) return;
    const done = await tx.run(prepared.transactions);
    if (!done) return;
    const last = done.hashes.at(-1)!.toLowerCase();
    const { licences } = await request(BOUGHT, { licensee: address, work: prepared.workId });
    const licence = licences.find((l) => l.txHash.toLowerCase() === last);
    if (licence) navigate(`/licences/${licence.id}?new=1`);
  };

  return (
    <section className="buy-page" aria-labelledby="buy-title">
      <h1 id="buy-title">{t("buy.title", { title })}</h1>
      <p className="lead">
        {o.work?.creators.join(", ")} · <Link href={`/works/${o.workId}`}>{t("buy.backToWork")}</Link>
      </p>
      <ol className="steps">
        <li>
          <h2>{t("buy.step.terms")}</h2>
          <OfferSummary offer={o} />
          <LayerNeeds offer={o} layers={layers} />
          <Suspense fallback={null}>
            <TerritoryMap mode={o.territory.mode} countries={o.territory.countries} />
          </Suspense>
          <TerritoryList mode={o.territory.mode} countries={o.territory.countries} />
          {o.status !== "Active" && <p className="error">{t("buy.notActive")}</p>}
        </li>
        <li>
          <h2>{t("buy.step.wallet")}</h2>
          {address ? <p>{t("buy.licensee", { address })}</p> : <p>{t("buy.connectFirst")}</p>}
          <WalletButton />
        </li>
        <li>
          <h2>{t("buy.step.summary")}</h2>
          <ApiKeyField scope="write" />
          <button type="button" disabled={!address || prepare.isPending || o.status !== "Active"} onClick={() => address && prepare.mutate(address)}>
            {t("buy.prepare")}
          </button>
          {prepare.error && <ErrorMessage error={prepare.error} />}
          {prepared && (
            <div className="purchase-summary" aria-live="polite">
              <p>{t("buy.youPay", { price: money(prepared.price, prepared.currency, lang), net: money(prepared.net, prepared.currency, lang), fee: money(prepared.fee, prepared.currency, lang) })}</p>
              <p className="muted">{prepared.summary}</p>
              <p>
                <RevocationPolicyText policy={o.revocationPolicy} />
              </p>
              <LayerNeeds offer={o} layers={layers} />
              <p>{t("buy.transactions", { n: prepared.transactions.length })}</p>
              <ol>
                {prepared.transactions.map((x, i) => (
                  <li key={i}>{x.description}</li>
                ))}
              </ol>
              {simulationError && (
                <p className="error" role="alert">
                  {t("buy.wouldFail", { reason: simulationError })}
                </p>
              )}
              <label className="checkbox">
                <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} /> {t("buy.agree")}
              </label>
            </div>
          )}
        </li>
        <li>
          <h2>{t("buy.step.sign")}</h2>
          <button type="button" disabled={!prepared || !agreed || tx.busy} onClick={() => void buy()}>
            {t("buy.sign")}
          </button>
          <TxProgress step={tx.step} />
          {tx.error != null && <ErrorMessage error={tx.error} />}
        </li>
      </ol>
    </section>
  );
}
