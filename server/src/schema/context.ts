import type { Logger } from "pino";
import type { Principal, Scope } from "../auth/keys";
import type { ApiKeyStore } from "../auth/keys";
import type { ChainClient } from "../chain/client";
import type { Clock } from "../clock";
import type { Config } from "../config";
import { ApiError } from "../errors";
import type { ContentStore } from "../../../core/content/types";
import type { SubgraphClient } from "../subgraph/client";
import type { BatchLoader } from "../subgraph/batch";
import type { RawOffer, RawWork } from "../subgraph/types";
import type { MetadataCache } from "./metadataCache";
import type { StatusCache } from "./statusCache";

/** Everything the app needs from outside; `createApp(deps)` builds nothing else that talks to the world. */
export interface AppDeps {
  config: Config;
  subgraph: SubgraphClient;
  chain: ChainClient;
  store: ContentStore;
  logger: Logger;
  clock: Clock;
  apiKeys: ApiKeyStore;
}

export interface AppContext {
  deps: AppDeps;
  principal: Principal | null;
  requestId: string;
  log: Logger;
  /** Per-request batching of subgraph reads. */
  loaders: {
    work: BatchLoader<string, RawWork | null>;
    offersByWork: BatchLoader<string, RawOffer[]>;
  };
  metadata: MetadataCache;
  /** licenceStatus reads, cached by indexed block (shared by every request of the app). */
  statusCache: StatusCache;
  request: Request;
}

/** UNAUTHENTICATED without a key, FORBIDDEN when the key lacks `scope`. */
export function requireScope(ctx: AppContext, scope: Scope, what: string): void {
  if (!ctx.principal) {
    throw new ApiError("UNAUTHENTICATED", `${what} needs an API key (header x-api-key or Authorization: Bearer)`, { details: { scope } });
  }
  if (!ctx.principal.scopes.has(scope)) {
    throw new ApiError("FORBIDDEN", `${what} needs an API key with the "${scope}" scope; key "${ctx.principal.keyId}" does not have it`, { details: { scope } });
  }
}
