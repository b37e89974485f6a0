import { useI18n, type MessageKey } from "../i18n/i18n";
import { DeliveryApiError } from "../lib/delivery";
import { ErrorMessage } from "./ErrorMessage";
import en from "../i18n/en.json";

/**
 * An error of the delivery service (a refused download, an expired sign-in) in words a musician
 * understands; anything else (wallet, network, busy server) as ErrorMessage shows it.
 */
export function DeliveryErrorMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof DeliveryApiError) {
    const key = `delivery.error.${error.code}` as MessageKey;
    if (key in en)
      return (
        <div role="alert" className="error" data-code={error.code}>
          <p>{t(key)}</p>
        </div>
      );
  }
  return <ErrorMessage error={error} />;
}
