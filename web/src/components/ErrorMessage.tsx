import { ApiError } from "../lib/graphql";
import { walletErrorCode } from "../lib/wallet";
import { useI18n, type MessageKey } from "../i18n/i18n";
import en from "../i18n/en.json";

/** The code an error is shown by: the API's `extensions.code`, a wallet's, or UNKNOWN. */
export function errorCode(error: unknown): string {
  if (error instanceof ApiError) return error.code;
  return walletErrorCode(error) ?? "UNKNOWN";
}

/** An error in words a musician understands (from the message files), never a stack trace. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const code = errorCode(error);
  const key = `error.${code}` as MessageKey;
  const known = key in en;
  const field = error instanceof ApiError ? error.field : undefined;
  const detail = error instanceof ApiError && error.code === "BAD_USER_INPUT" ? error.message : null;
  return (
    <div role="alert" className="error" data-code={code}>
      <p>{t(known ? key : "error.UNKNOWN")}</p>
      {field && <p className="muted">{t("error.field", { field })}</p>}
      {detail && <p className="muted">{detail}</p>}
    </div>
  );
}
