import type { GraphQLSchema } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createGatewayHandler } from "./ipfs/gateway";
import { BatchLoader } from "./subgraph/batch";
import { offersByWorks, worksByIds } from "./subgraph/reads";
import type { RawOffer, RawWork } from "./subgraph/types";
import { buildSchema } from "./schema";
import type { AppContext, AppDeps } from "./schema/context";
import { MetadataCache } from "./schema/metadataCache";
import { StatusCache } from "./schema/statusCache";
import { createMaskError, createYogaLogger } from "./plugins/errors";
import { getState } from "./plugins/state";
import { useAnonymousConcurrency } from "./plugins/useAnonymousConcurrency";
import { useApiKey } from "./plugins/useApiKey";
import { useBodyLimit } from "./plugins/useBodyLimit";
import { createMetrics, useMetrics, type ApiMetrics } from "./plugins/useMetrics";
import { QueryCache } from "./plugins/queryCache";
import { useInputChecks } from "./plugins/useInputChecks";
import { useQueryLimits } from "./plugins/useQueryLimits";
import { useRateLimit } from "./plugins/useRateLimit";
import { useRequestLog } from "./plugins/useRequestLog";
import { useRoutes } from "./plugins/useRoutes";
import { useStreamingUploads } from "./plugins/useStreamingUploads";
import { useStreamLimits } from "./plugins/useStreamLimits";
import { useDelivery } from "./delivery/plugin";

export type { AppDeps, AppContext } from "./schema/context";

export const GRAPHQL_PATH = "/graphql";

export interface App {
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  metrics: ApiMetrics;
  metadata: MetadataCache;
  statusCache: StatusCache;
}

/**
 * Builds the API (GraphQL at /graphql with GraphiQL, /healthz, /readyz, /metrics, /ipfs/<cid>)
 * from its dependencies. Nothing listens: call `app.yoga.fetch(…)` in tests, or hand
 * `app.yoga` to node:http (index.ts / main.ts).
 */
export function createApp(deps: AppDeps, options: { defaultMetrics?: boolean } = {}): App {
  const { config, logger } = deps;
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics });
  const metadata = new MetadataCache(deps.store, config.metadataCacheSize, logger);
  const statusCache = new StatusCache(deps.subgraph, config.statusCache.maxAgeMs, config.statusCache.maxEntries);
  const isDev = config.nodeEnv === "development";
  deps.subgraph.onQuery ??= ({ operation, ms, ok }) => metrics.subgraphQueries.observe({ operation, ok: String(ok) }, ms / 1000);

  const yoga = createYoga<Record<string, unknown>, Record<string, unknown>>({
    schema: buildSchema() as unknown as GraphQLSchema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: "/__yoga_health",
    landingPage: false,
    graphiql: config.graphiql ? { title: "tantieme rights API", defaultQuery: DEFAULT_QUERY } : false,
    // GraphiQL's page with its scripts and styles inlined: it works with no network (yoga's default loads them from a CDN).
    renderGraphiQL,
    cors: config.corsOrigins === false ? false : { origin: config.corsOrigins === "*" ? "*" : config.corsOrigins, credentials: false, allowedHeaders: ["content-type", "x-api-key", "authorization", "x-request-id"], methods: ["GET", "POST", "OPTIONS"] },
    maskedErrors: { isDev, maskError: createMaskError(logger, isDev) },
    multipart: true,
    // useBodyLimit enforces BODY_LIMIT_BYTES / UPLOAD_LIMIT_BYTES (yoga's own 25 MB cap would cut uploads).
    maxRequestBodySize: false,
    batching: false,
    // Parsed documents are cached by query text: a bounded LRU that never keeps a long query
    // (QUERY_CACHE_SIZE entries of at most QUERY_CACHE_MAX_LENGTH characters).
    parserAndValidationCache: {
      documentCache: new QueryCache(config.query.cacheSize, config.query.cacheMaxQueryLength),
      errorCache: new QueryCache(config.query.cacheSize, config.query.cacheMaxQueryLength),
      validationCache: true,
    },
    logging: createYogaLogger(logger),
    // Order matters: the key is authenticated and the client's bucket charged before any route
    // answers or any body is read.
    plugins: [
      useRequestLog({ logger }),
      useMetrics({ metrics }),
      useApiKey({ store: deps.apiKeys, failures: config.authFailures, clock: deps.clock, onLimited: () => metrics.rateLimited.inc() }),
      useRateLimit({ anonymous: config.rateLimit.anonymous, perKey: config.rateLimit.perKey, clock: deps.clock, onLimited: () => metrics.rateLimited.inc() }),
      useAnonymousConcurrency({ maxActive: config.anonymous.maxActive, maxQueued: config.anonymous.maxQueued, onLimited: () => metrics.rateLimited.inc() }),
      // Before the routes: the web app's fallback would otherwise answer GETs under /delivery.
      useDelivery({ deps, metadata }),
      useRoutes({
        metrics,
        gateway: createGatewayHandler(deps.store, { prefix: "/ipfs", onError: (err) => logger.error({ err }, "ipfs gateway error") }),
        readiness: [
          { name: "subgraph", check: async (signal) => `block ${(await deps.subgraph.meta(signal)).block.number}` },
          {
            name: "rpc",
            check: async () => {
              const id = await deps.chain.remoteChainId();
              if (id !== config.chainId) throw new Error(`RPC is on chain ${id}, CHAIN_ID is ${config.chainId}`);
              return `chain ${id}, block ${await deps.chain.blockNumber()}`;
            },
          },
          { name: "ipfs", check: async () => void (await deps.store.has(EMPTY_FILE_CID)) },
        ],
      }),
      useBodyLimit({ maxBytes: config.bodyLimitBytes, maxUploadBytes: config.uploadLimitBytes, maxAnonymousBytes: config.anonymous.maxBodyBytes }),
      useStreamingUploads({ maxBytes: config.uploadLimitBytes, scope: "write", tmpDir: config.uploadDir }),
      useInputChecks(),
      useQueryLimits({
        maxDepth: config.query.maxDepth,
        maxCost: config.query.maxCost,
        maxTokens: config.query.maxTokens,
        maxAliases: config.query.maxAliases,
        maxDirectives: config.query.maxDirectives,
        // A licence check's layers (the work and its linked compositions), the societies they name
        // and the identifier disputes come with the check's own reads: a few items, no index query.
        listSizes: { "LicenceCheck.layers": 3, "LicenceCheck.requiredSocieties": 2, "LicenceCheck.disputes": 2, "LayerCheck.licences": 5 },
      }),
      useStreamLimits({ maxStreams: config.sse.maxStreams, maxStreamsPerClient: config.sse.maxStreamsPerClient }),
    ],
    context: ({ request }): AppContext & Record<string, unknown> => {
      const state = getState(request);
      return {
        deps,
        request,
        principal: state?.principal ?? null,
        requestId: state?.requestId ?? "unknown",
        log: state?.log ?? logger,
        metadata,
        statusCache,
        loaders: {
          work: new BatchLoader<string, RawWork | null>((ids) => worksByIds(deps.subgraph, ids), () => null),
          offersByWork: new BatchLoader<string, RawOffer[]>((ids) => offersByWorks(deps.subgraph, ids), () => []),
        },
      };
    },
  });
  return { yoga, metrics, metadata, statusCache };
}

/** The CID of an empty file (Kubo); `has` on it exercises the store without side effects. */
const EMPTY_FILE_CID = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

const DEFAULT_QUERY = /* GraphQL */ `# tantieme rights API. Try:
query FirstWorks {
  works(first: 5) { id title creators isrc iswc owner licenceCount offers { id rights price currency } }
  indexingStatus { latestBlock chainHead synced health }
}
`;
