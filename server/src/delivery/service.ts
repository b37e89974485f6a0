/** Opens the delivery service from its configuration: key store, KEK, sessions, records. */
import path from "node:path";
import type { Provider } from "ethers";
import type { Clock } from "../clock";
import { FileKeys } from "./keys";
import { DeliverySecret, LocalKek, LocalKeyStore, type KeyEncryptionKey, type KeyStore } from "./keystore";
import { DeliveryRecords } from "./records";
import { SiweSessions } from "./sessions";
import { DownloadTickets } from "./tickets";

export interface DeliveryConfig {
  secret: string;
  dir: string;
  /** EIP-4361 domain (host[:port]) the sign-in messages must name. */
  domain: string;
  /** The API origin users reach (scheme://domain), for the message URI. */
  origin: string;
  chainId: number;
  sessionTtlMs: number;
}

export interface DeliveryService {
  config: DeliveryConfig;
  keys: FileKeys;
  sessions: SiweSessions;
  /** Single-use download tickets (60 s), for downloads a browser streams to disk. */
  tickets: DownloadTickets;
  records: DeliveryRecords;
  close(): Promise<void>;
}

/**
 * `kek` and `keyStore` replace the local ones (a KMS-backed KEK, a database-backed store); by
 * default both come from DELIVERY_SECRET and DELIVERY_DIR. `chunkSize` is the encryption chunk
 * size of newly sealed files (default DEFAULT_CHUNK_SIZE, 1 MiB); files already sealed keep theirs.
 */
export async function openDeliveryService(
  config: DeliveryConfig,
  options: { clock: Clock; provider?: Provider; kek?: KeyEncryptionKey; keyStore?: KeyStore; chunkSize?: number },
): Promise<DeliveryService> {
  const secret = new DeliverySecret(config.secret);
  const store = options.keyStore ?? (await LocalKeyStore.open(path.join(config.dir, "keys"), secret));
  const keys = new FileKeys(store, options.kek ?? new LocalKek(secret), options.chunkSize);
  const sessions = new SiweSessions(
    { domain: config.domain, chainId: config.chainId, sessionTtlMs: config.sessionTtlMs, nonceTtlMs: 5 * 60_000, maxNonces: 10_000, skewMs: 60_000 },
    secret.subkey("session"),
    options.clock,
    options.provider,
  );
  const records = await DeliveryRecords.open(config.dir);
  return {
    config,
    keys,
    sessions,
    tickets: new DownloadTickets({ ttlMs: 60_000, maxTickets: 10_000 }, options.clock),
    records,
    async close() {
      await records.close();
      await store.close();
    },
  };
}
