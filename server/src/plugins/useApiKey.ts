import type { Plugin } from "graphql-yoga";
import type { ApiKeyStore } from "../auth/keys";
import { errorResponse } from "../errors";
import { getState } from "./state";

export interface UseApiKeyOptions {
  store: ApiKeyStore;
}

/** The presented key: `x-api-key: tk_…` or `Authorization: Bearer tk_…`. */
export function presentedKey(request: Request): string | null {
  const header = request.headers.get("x-api-key");
  if (header) return header.trim();
  const auth = request.headers.get("authorization");
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  return null;
}

/**
 * Authenticates the API key, if one is presented: a wrong, unknown or disabled key is refused at
 * once with 401 UNAUTHENTICATED (never silently downgraded to anonymous). Requests without a key
 * are anonymous; resolvers that need a scope say so (requireScope).
 */
export function useApiKey({ store }: UseApiKeyOptions): Plugin {
  return {
    onRequest({ request, endResponse }) {
      const key = presentedKey(request);
      if (key === null) return;
      const principal = store.authenticate(key);
      if (!principal) return endResponse(errorResponse("UNAUTHENTICATED", "invalid API key", { "www-authenticate": 'Bearer realm="tantieme"' }));
      const s = getState(request);
      if (s) s.principal = principal;
    },
  };
}
