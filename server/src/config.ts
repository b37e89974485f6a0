import path from "node:path";
import { z } from "zod";
import { defaultUploadDir } from "./uploadDir";
import { BaseError } from "../../core/errors";
import { contentStoreConfigOf, type ContentStoreConfig } from "../../core/content/config";
import { DeploymentFileError, readDeploymentFile, type ContractRef, type Deployment } from "../../core/deployment";

/** A bad configuration value: names the variable and the problem. The process exits with it. */
export class ConfigError extends BaseError<{ issues: { variable: string; problem: string }[] }> {
  override readonly name = "ConfigError" as const;
  readonly code = "CONFIG_INVALID" as const;
  constructor(
    readonly issues: { variable: string; problem: string }[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.problem}`).join("\n")}`, { issues }, options);
  }
}

export type { ContractRef, Deployment };

export interface RateLimit {
  /** Bucket size: requests allowed in a burst. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  host: string;
  port: number;
  rpcUrl: string;
  /** Expected chain id; the RPC's must match (readyz) and signed transactions must carry it. */
  chainId: number;
  subgraphUrl: string;
  subgraphStatusUrl: string | undefined;
  subgraphTimeoutMs: number;
  /** The content store (core/content's one schema): Kubo when IPFS_API_URL is set, else the embedded store in IPFS_DIR. */
  ipfs: ContentStoreConfig;
  deployment: Deployment | undefined;
  apiKeys: { file: string | undefined; inline: string | undefined };
  rateLimit: { anonymous: RateLimit; perKey: RateLimit };
  corsOrigins: string[] | "*" | false;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** The folder in-flight uploads are kept in (UPLOAD_DIR); stale ones are swept at start. */
  uploadDir: string;
  query: {
    maxDepth: number;
    maxCost: number;
    /** Lexical tokens per document, enforced by the parser (it stops at the first token over). */
    maxTokens: number;
    maxAliases: number;
    maxDirectives: number;
    /** Parsed documents kept (LRU) and the longest query text kept; longer queries are parsed every time. */
    cacheSize: number;
    cacheMaxQueryLength: number;
  };
  /** Wrong API keys per client address: a bucket of failures; once empty, keyed requests from that address get 429. */
  authFailures: RateLimit;
  /** Anonymous requests handled at once, and waiting for a slot (keyed requests never wait). */
  anonymous: { maxActive: number; maxQueued: number; maxBodyBytes: number };
  /** Open SSE subscriptions: per API key (or per address for anonymous callers), and overall. */
  sse: { maxStreams: number; maxStreamsPerClient: number };
  graphiql: boolean;
  timeouts: { txWaitMs: number; indexWaitMs: number };
  ssePollMs: number;
  metadataCacheSize: number;
  /** licenceStatus reads cached by indexed block; the head is re-checked every maxAgeMs (0 = off). */
  statusCache: { maxAgeMs: number; maxEntries: number };
  /** Licensed delivery (docs/delivery.md); undefined when DELIVERY_SECRET is not set. */
  delivery: { secret: string; dir: string; domain: string; origin: string; sessionTtlMs: number } | undefined;
}

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .url("must be a URL")
    .refine((u) => {
      try {
        return protocols.includes(new URL(u).protocol);
      } catch {
        return true; // reported by .url()
      }
    }, `must use ${protocols.map((p) => p.replace(":", "")).join(" or ")}`);

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), "must be true or false")
  .transform((v) => ["true", "1", "yes"].includes(v));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  PORT: int(0, 65535).default("4000"),
  RPC_URL: url(["http:", "https:", "ws:", "wss:"]).default("http://127.0.0.1:8545"),
  CHAIN_ID: int(1, 2 ** 53 - 1).default("31337"),
  SUBGRAPH_URL: url(["http:", "https:"]).default("http://127.0.0.1:8000/subgraphs/name/tantieme"),
  SUBGRAPH_STATUS_URL: url(["http:", "https:"]).optional(),
  SUBGRAPH_TIMEOUT_MS: int(100, 600_000).default("10000"),
  IPFS_API_URL: url(["http:", "https:"]).optional(),
  IPFS_DIR: z.string().trim().min(1, "must not be empty").optional(),
  DEPLOYMENT_FILE: z.string().trim().min(1, "must not be empty").optional(),
  NETWORK: z.string().trim().regex(/^[a-z0-9-]+$/, "must be a graph-cli network name like hardhat or sepolia").optional(),
  API_KEYS_FILE: z.string().trim().min(1, "must not be empty").optional(),
  API_KEYS: z.string().trim().min(1, "must not be empty").optional(),
  RATE_LIMIT_ANON_PER_MIN: int(1, 10_000_000).default("600"),
  RATE_LIMIT_ANON_BURST: int(1, 1_000_000).default("60"),
  RATE_LIMIT_KEY_PER_MIN: int(1, 10_000_000).default("6000"),
  RATE_LIMIT_KEY_BURST: int(1, 1_000_000).default("300"),
  CORS_ORIGINS: z.string().trim().optional(),
  BODY_LIMIT_BYTES: int(1024, 1 << 30).default(String(1 << 20)),
  ANON_BODY_LIMIT_BYTES: int(1024, 1 << 30).default(String(64 << 10)),
  UPLOAD_LIMIT_BYTES: int(1024, 2 ** 40).default(String(512 * (1 << 20))),
  UPLOAD_DIR: z.string().trim().min(1, "must not be empty").optional(),
  QUERY_MAX_DEPTH: int(2, 100).default("12"),
  QUERY_MAX_COST: int(10, 10_000_000).default("250000"),
  QUERY_MAX_TOKENS: int(50, 1_000_000).default("3000"),
  QUERY_MAX_ALIASES: int(0, 100_000).default("30"),
  QUERY_MAX_DIRECTIVES: int(0, 100_000).default("30"),
  QUERY_CACHE_SIZE: int(0, 1_000_000).default("1000"),
  QUERY_CACHE_MAX_LENGTH: int(0, 1 << 20).default("16384"),
  AUTH_FAILURE_BURST: int(1, 1_000_000).default("20"),
  AUTH_FAILURE_PER_MIN: int(1, 10_000_000).default("20"),
  ANON_CONCURRENCY: int(1, 100_000).default("4"),
  ANON_QUEUE: int(0, 1_000_000).default("200"),
  SSE_MAX_STREAMS: int(1, 1_000_000).default("500"),
  SSE_MAX_STREAMS_PER_CLIENT: int(1, 1_000_000).default("10"),
  GRAPHIQL: bool.optional(),
  TX_WAIT_TIMEOUT_MS: int(1000, 3_600_000).default("120000"),
  INDEX_WAIT_TIMEOUT_MS: int(100, 3_600_000).default("30000"),
  SSE_POLL_MS: int(50, 600_000).default("1000"),
  METADATA_CACHE_SIZE: int(0, 1_000_000).default("1000"),
  STATUS_CACHE_MS: int(0, 60_000).default("250"),
  STATUS_CACHE_SIZE: int(0, 10_000_000).default("100000"),
  DELIVERY_SECRET: z.string().min(32, "must be at least 32 characters (it derives the key-encryption key)").optional(),
  DELIVERY_DIR: z.string().trim().min(1, "must not be empty").optional(),
  DELIVERY_ORIGIN: url(["http:", "https:"]).optional(),
  DELIVERY_SESSION_TTL_S: int(30, 86_400).default("900"),
});

/**
 * DEPLOYMENT_FILE read by the one deployment reader (core/deployment.ts): networks.json (graph-cli),
 * `{ chainId, contracts }` or Ignition's deployed_addresses.json. Problems are ConfigErrors.
 */
export function loadDeployment(file: string, chainId?: number, network?: string): Deployment {
  try {
    return readDeploymentFile(file, { chainId, network });
  } catch (err) {
    if (err instanceof DeploymentFileError) throw new ConfigError([{ variable: "DEPLOYMENT_FILE", problem: err.details.problem }], { cause: err });
    throw err;
  }
}

/**
 * Licensed delivery's settings. `origin` is where users reach the API (DELIVERY_ORIGIN, default
 * http://HOST:PORT): its host is the SIWE domain.
 */
function deliveryConfig(o: { secret: string; dir: string; host: string; port: number; origin?: string; sessionTtlS: number }): NonNullable<Config["delivery"]> {
  const host = o.host.includes(":") ? `[${o.host}]` : o.host;
  const origin = new URL(o.origin ?? `http://${host}:${o.port}`).origin;
  return { secret: o.secret, dir: o.dir, domain: new URL(origin).host, origin, sessionTtlMs: o.sessionTtlS * 1000 };
}

/**
 * Parses the environment once. Every bad value is reported (variable and problem) in one
 * ConfigError. Relative paths are resolved against `cwd`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  // Empty strings count as unset, as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "environment"), problem: i.message })));
  }
  const e = parsed.data;
  const issues: { variable: string; problem: string }[] = [];

  let corsOrigins: Config["corsOrigins"] = false;
  if (e.CORS_ORIGINS !== undefined) {
    if (e.CORS_ORIGINS === "*") corsOrigins = "*";
    else {
      const list = e.CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean);
      for (const o of list) {
        let ok = false;
        try {
          const u = new URL(o);
          ok = (u.protocol === "http:" || u.protocol === "https:") && u.origin === o;
        } catch {
          ok = false;
        }
        if (!ok) issues.push({ variable: "CORS_ORIGINS", problem: `"${o}" is not an origin like https://app.example.com (no path, no trailing slash)` });
      }
      corsOrigins = list;
    }
  }

  let deployment: Deployment | undefined;
  if (e.DEPLOYMENT_FILE !== undefined) {
    try {
      deployment = loadDeployment(path.resolve(cwd, e.DEPLOYMENT_FILE), e.CHAIN_ID, e.NETWORK);
      if (deployment.chainId !== undefined && deployment.chainId !== e.CHAIN_ID) {
        issues.push({ variable: "DEPLOYMENT_FILE", problem: `is for chain ${deployment.chainId} but CHAIN_ID is ${e.CHAIN_ID}` });
      }
    } catch (err) {
      if (err instanceof ConfigError) issues.push(...err.issues);
      else throw err;
    }
  }
  if (e.API_KEYS_FILE !== undefined && e.API_KEYS !== undefined) {
    issues.push({ variable: "API_KEYS", problem: "set either API_KEYS or API_KEYS_FILE, not both" });
  }
  if (e.IPFS_API_URL !== undefined && e.IPFS_DIR !== undefined) {
    issues.push({ variable: "IPFS_DIR", problem: "set either IPFS_API_URL (Kubo) or IPFS_DIR (embedded store), not both" });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const perMin = (n: number) => n / 60;
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    rpcUrl: e.RPC_URL,
    chainId: e.CHAIN_ID,
    subgraphUrl: e.SUBGRAPH_URL,
    subgraphStatusUrl: e.SUBGRAPH_STATUS_URL,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    ipfs: contentStoreConfigOf({ url: e.IPFS_API_URL, dir: e.IPFS_API_URL ? undefined : path.resolve(cwd, e.IPFS_DIR ?? ".data/ipfs") })!,
    deployment,
    apiKeys: { file: e.API_KEYS_FILE ? path.resolve(cwd, e.API_KEYS_FILE) : undefined, inline: e.API_KEYS },
    rateLimit: {
      anonymous: { burst: e.RATE_LIMIT_ANON_BURST, perSecond: perMin(e.RATE_LIMIT_ANON_PER_MIN) },
      perKey: { burst: e.RATE_LIMIT_KEY_BURST, perSecond: perMin(e.RATE_LIMIT_KEY_PER_MIN) },
    },
    corsOrigins,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    uploadDir: e.UPLOAD_DIR !== undefined ? path.resolve(cwd, e.UPLOAD_DIR) : defaultUploadDir(),
    query: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxCost: e.QUERY_MAX_COST,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      cacheSize: e.QUERY_CACHE_SIZE,
      cacheMaxQueryLength: e.QUERY_CACHE_MAX_LENGTH,
    },
    authFailures: { burst: e.AUTH_FAILURE_BURST, perSecond: perMin(e.AUTH_FAILURE_PER_MIN) },
    anonymous: { maxActive: e.ANON_CONCURRENCY, maxQueued: e.ANON_QUEUE, maxBodyBytes: e.ANON_BODY_LIMIT_BYTES },
    sse: { maxStreams: e.SSE_MAX_STREAMS, maxStreamsPerClient: e.SSE_MAX_STREAMS_PER_CLIENT },
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== "production",
    timeouts: { txWaitMs: e.TX_WAIT_TIMEOUT_MS, indexWaitMs: e.INDEX_WAIT_TIMEOUT_MS },
    ssePollMs: e.SSE_POLL_MS,
    metadataCacheSize: e.METADATA_CACHE_SIZE,
    statusCache: { maxAgeMs: e.STATUS_CACHE_MS, maxEntries: e.STATUS_CACHE_SIZE },
    delivery:
      e.DELIVERY_SECRET === undefined
        ? undefined
        : deliveryConfig({ secret: e.DELIVERY_SECRET, dir: path.resolve(cwd, e.DELIVERY_DIR ?? ".data/delivery"), host: e.HOST, port: e.PORT, origin: e.DELIVERY_ORIGIN, sessionTtlS: e.DELIVERY_SESSION_TTL_S }),
  };
}
