import { useEffect, useState } from "react";
import { useI18n } from "../i18n/i18n";
import { getApiKey, onApiKeyChange, setApiKey } from "../lib/apiKey";

export function useApiKey(): string | null {
  const [key, setKey] = useState(getApiKey);
  useEffect(() => onApiKeyChange(() => setKey(getApiKey())), []);
  return key;
}

/** Asks for the API key an action needs (kept in this browser only). */
export function ApiKeyField({ scope }: { scope: "write" | "bulk" }) {
  const { t } = useI18n();
  const key = useApiKey();
  const [value, setValue] = useState("");
  if (key) return null;
  return (
    <form
      className="api-key"
      onSubmit={(e) => {
        e.preventDefault();
        setApiKey(value);
      }}
    >
      <label>
        {t(scope === "write" ? "apikey.needWrite" : "apikey.needBulk")}
        <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} placeholder="tk_…" />
      </label>
      <button type="submit" disabled={!value.trim()}>
        {t("apikey.save")}
      </button>
    </form>
  );
}
