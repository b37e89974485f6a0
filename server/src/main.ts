import http from "node:http";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import type { Provider } from "ethers";
import { createApp, type App } from "./app";
import { loadApiKeyStore } from "./auth/keys";
import { ChainClient } from "./chain/client";
import { systemClock, type Clock } from "./clock";
import { ConfigError, loadConfig, type Config } from "./config";
import { createContentStore } from "../../core/content";
import type { ContentStore } from "../../core/content/types";
import { SubgraphClient } from "./subgraph/client";
import { openDeliveryService, type DeliveryService } from "./delivery/service";
import { prepareUploadDir, UploadDirError } from "./uploadDir";

export interface StartApiServerOptions {
  /** The environment to configure from (default process.env); parsed once. Ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
  /** An already-parsed configuration (the stack derives its own from the operator's with loadConfig). */
  config?: Config;
  /** An already-open content store (the stack shares one); else opened from the configuration and closed on close(). */
  contentStore?: ContentStore;
  logger?: Logger;
  clock?: Clock;
  /** An ethers provider to use instead of RPC_URL (e.g. Hardhat's in-process network). */
  provider?: Provider;
}

export interface ApiServer {
  url: string;
  port: number;
  config: Config;
  app: App;
  /** The delivery service, when DELIVERY_SECRET is set: its `keys` seal licensed files for packaging. */
  delivery: DeliveryService | undefined;
  close(): Promise<void>;
}

/** Parses the configuration (throws ConfigError), wires the dependencies, listens. */
export async function startApiServer(options: StartApiServerOptions = {}): Promise<ApiServer> {
  const config = options.config ?? loadConfig(options.env ?? process.env);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: "tantieme-api" } });
  const apiKeys = loadApiKeyStore(config);
  // Upload folders left by an API process that died mid-upload (kill -9, a crash) are swept now.
  const swept = await prepareUploadDir(config.uploadDir).catch((err: unknown) => {
    if (err instanceof UploadDirError) throw new ConfigError([{ variable: "UPLOAD_DIR", problem: err.problem }], { cause: err });
    throw err;
  });
  if (swept.length > 0) logger.warn({ uploadDir: config.uploadDir, swept }, `removed ${swept.length} upload folder(s) left by stopped API processes`);
  const ownStore = !options.contentStore;
  const store = options.contentStore ?? (await createContentStore(config.ipfs));
  const subgraph = new SubgraphClient({ url: config.subgraphUrl, statusUrl: config.subgraphStatusUrl, timeoutMs: config.subgraphTimeoutMs, logger });
  const chain = new ChainClient({ rpcUrl: config.rpcUrl, chainId: config.chainId, deployment: config.deployment, provider: options.provider });
  const clock = options.clock ?? systemClock;
  const delivery = config.delivery ? await openDeliveryService({ ...config.delivery, chainId: config.chainId }, { clock, provider: chain.provider }) : undefined;
  const app = createApp({ config, logger, apiKeys, store, subgraph, chain, clock, delivery });

  const server = http.createServer(app.yoga);
  server.headersTimeout = 60_000;
  server.requestTimeout = 15 * 60_000; // large uploads
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url: `${url}/graphql`, subgraph: config.subgraphUrl, rpc: config.rpcUrl, ipfs: store.kind, uploadDir: config.uploadDir, apiKeys: apiKeys.size, env: config.nodeEnv }, "tantieme API listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    app,
    delivery,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // SSE streams and slow clients: give them a moment, then cut.
          setTimeout(() => server.closeAllConnections(), 2000).unref();
        });
        await app.yoga.dispose?.();
        if (!options.provider) (chain.provider as { destroy?: () => void }).destroy?.();
        await delivery?.close();
        if (ownStore) await store.close();
      })();
      return closing;
    },
  };
}
