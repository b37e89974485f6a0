import { useState } from "react";
import { useI18n, type MessageKey } from "../i18n/i18n";
import { signIn } from "../lib/delivery";
import { DeliveryErrorMessage } from "./DeliveryErrorMessage";

/**
 * A button that signs the connected wallet in to the delivery service (Sign-In with Ethereum: the
 * wallet signs a message, nothing is sent to the blockchain). The session stays in memory.
 */
export function DeliverySignIn({ label }: { label: MessageKey }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await signIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="delivery-sign-in">
      <p className="muted">{t("delivery.signInExplain")}</p>
      <button type="button" className="secondary" disabled={busy} onClick={() => void run()}>
        {t(label)}
      </button>
      {busy && (
        <p role="status" aria-live="polite">
          {t("delivery.confirmInWallet")}
        </p>
      )}
      <DeliveryErrorMessage error={error} />
    </div>
  );
}
