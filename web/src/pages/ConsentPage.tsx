import { useState } from "react";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { decodeJson, encodeJson } from "../lib/base64url";
import { percent } from "../lib/format";
import { signPreparedTypedData } from "../lib/wallet";
import { Address } from "../components/Address";
import { ErrorMessage } from "../components/ErrorMessage";
import { WalletButton } from "../components/WalletButton";
import type { ConsentRequest, ConsentReturn } from "../components/ChangeSplit";

/** A co-creator reads a proposed split change and signs their consent with their wallet. */
export function ConsentPage() {
  const { t, lang } = useI18n();
  const { address } = useAccount();
  const [req] = useState(() => decodeJson<ConsentRequest>(location.hash.slice(1)));
  const [back, setBack] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!req) return <h1>{t("consent.invalid")}</h1>;
  const isRecipient = address?.toLowerCase() === req.recipient.toLowerCase();
  const sign = async () => {
    setError(null);
    try {
      const signature = await signPreparedTypedData(req.typedData);
      setBack(`${req.returnTo}#consent=${encodeJson({ work: req.work, recipient: req.recipient, signature } satisfies ConsentReturn)}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="consent-title">
      <h1 id="consent-title">{t("consent.title", { title: req.title ?? `#${req.work}` })}</h1>
      <p className="lead">{t("consent.explain", { from: percent(req.currentShareBps, lang), to: percent(req.newShareBps, lang) })}</p>
      <p>
        {t("consent.for")} <Address value={req.recipient} full />
      </p>
      <WalletButton />
      {address && !isRecipient && <p className="error">{t("consent.wrongAccount")}</p>}
      <button type="button" disabled={!isRecipient || back !== null} onClick={() => void sign()}>
        {t("consent.sign")}
      </button>
      {error != null && <ErrorMessage error={error} />}
      {back && (
        <div className="ok" role="status">
          <p>{t("consent.signed")}</p>
          <a href={back} data-testid="consent-return">
            {t("consent.returnLink")}
          </a>
        </div>
      )}
    </section>
  );
}
