/**
 * The API key for actions that need one (mutations need the `write` scope, bulk checks `bulk`).
 * Kept in this browser's localStorage only. `npm start` prints the app's URL with the local demo
 * key in the fragment (`#apikey=…`, never sent to a server); the app stores it and removes it.
 */
const STORAGE = "tantieme.apiKey";
const listeners = new Set<() => void>();

export function getApiKey(): string | null {
  try {
    return localStorage.getItem(STORAGE);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  try {
    if (key) localStorage.setItem(STORAGE, key.trim());
    else localStorage.removeItem(STORAGE);
  } catch {
    /* storage disabled: the key lasts for this page only */
  }
  for (const l of listeners) l();
}

export function onApiKeyChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Takes `#apikey=tk_…` from the address, stores it and removes it from the address bar. */
export function adoptApiKeyFromFragment(): void {
  const m = /(?:^#|&)apikey=(tk_[A-Za-z0-9_-]+)/.exec(location.hash);
  if (!m) return;
  setApiKey(m[1]!);
  history.replaceState(history.state, "", location.pathname + location.search);
}
