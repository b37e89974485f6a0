/**
 * An API test stack (the hostile-input suites', the layers suite's): Hardhat's network with the
 * deployed contracts served over JSON-RPC, the embedded IPFS store, the embedded indexer on the
 * compiled subgraph, and the API built by createApp from real dependencies. `listen()` puts an
 * app behind node:http on 127.0.0.1 and a free port, for what only a socket shows (keep-alive,
 * client addresses).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pino from "pino";
import type { JsonRpcProvider } from "ethers";
import { createApp, type App } from "../../../server/src/app";
import { generateApiKey, loadApiKeyStore } from "../../../server/src/auth/keys";
import { ChainClient } from "../../../server/src/chain/client";
import { systemClock, type Clock } from "../../../server/src/clock";
import { loadConfig, type Config } from "../../../server/src/config";
import type { DeliveryService } from "../../../server/src/delivery/service";
import { SubgraphClient } from "../../../server/src/subgraph/client";
import { buildTantiemeSubgraph, SUBGRAPH_DIR } from "../../subgraph/mappings/helpers/build";
import { deployTantieme, index, openIpfs, startChain, type Deployment, type Ipfs, type LocalChain, type Running } from "../../subgraph/mappings/helpers/tantieme";
import { rpcProvider } from "../../../core/chain";

export type Body = { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

/** The parts of a test stack an app is built on. */
export interface StackParts {
  chain: LocalChain;
  ipfs: Ipfs;
  run: Running;
}

/** A test app, with the configuration and the subgraph client it was built with. */
export interface TestApp extends App {
  config: Config;
  subgraph: SubgraphClient;
}

/** A configuration pointing at the stack's chain, index and deployment (silent logs); `env` adds or overrides. */
export function stackConfig(parts: StackParts, env: Record<string, string> = {}): Config {
  return loadConfig({
    RPC_URL: parts.chain.url,
    SUBGRAPH_URL: parts.run.indexer.server!.url,
    DEPLOYMENT_FILE: path.join(SUBGRAPH_DIR, "networks.json"),
    LOG_LEVEL: "silent",
    ...env,
  });
}

/** The API built by createApp from real dependencies on the stack (the stack's IPFS store), as main.ts builds it. */
export function appOnStack(parts: StackParts, config: Config, deps: { clock?: Clock; delivery?: DeliveryService } = {}): TestApp {
  const subgraph = new SubgraphClient({ url: config.subgraphUrl, statusUrl: config.subgraphStatusUrl, timeoutMs: config.subgraphTimeoutMs });
  const chainClient = new ChainClient({ rpcUrl: config.rpcUrl, chainId: config.chainId, deployment: config.deployment });
  const app = createApp(
    { config, logger: pino({ level: config.logLevel }), apiKeys: loadApiKeyStore(config), store: parts.ipfs.store, subgraph, chain: chainClient, clock: deps.clock ?? systemClock, delivery: deps.delivery },
    { defaultMetrics: false },
  );
  return { ...app, config, subgraph };
}

export interface Stack extends StackParts {
  d: Deployment;
  provider: JsonRpcProvider;
  writer: { key: string };
  reader: { key: string };
  /** An app on the stack (production mode, the writer's and reader's keys); `env` overrides the configuration. */
  makeApp(env?: Record<string, string>): TestApp;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const manifest = buildTantiemeSubgraph();
  const chain = await startChain();
  const ipfs = await openIpfs();
  const d = await deployTantieme();
  const run = await index(chain, ipfs, manifest);
  const provider = rpcProvider(chain.url, 31337);
  const writer = generateApiKey("writer", ["write", "bulk"]);
  const reader = generateApiKey("reader", []);
  const parts = { chain, ipfs, run };
  return {
    ...parts,
    d,
    provider,
    writer,
    reader,
    makeApp(env = {}) {
      return appOnStack(parts, stackConfig(parts, { NODE_ENV: "production", API_KEYS: JSON.stringify([writer.record, reader.record]), INDEX_WAIT_TIMEOUT_MS: "30000", ...env }));
    },
    async close() {
      provider.destroy();
      await run.stop();
      await ipfs.close();
      await chain.close();
    },
  };
}

export async function post(app: App, body: BodyInit, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; text: string; headers: Headers }> {
  const res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await res.text();
  let parsed: Body;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

export const gql = (app: App, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => post(app, JSON.stringify({ query, variables }), headers);

export function firstError(r: { body: Body }): { message: string; code?: string; field?: string; extensions: Record<string, any> } {
  const e = r.body.errors?.[0];
  if (!e) throw new Error(`expected an error, got ${JSON.stringify(r.body).slice(0, 500)}`);
  return { message: e.message, code: e.extensions?.code, field: e.extensions?.field, extensions: e.extensions ?? {} };
}

export interface Listening {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** The app behind node:http on 127.0.0.1 and a free port (as server/src/main.ts serves it). */
export async function listen(app: App): Promise<Listening> {
  const server = http.createServer(app.yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A multipart/form-data body (boundary fixed) from fields and files, as raw bytes. */
export function multipart(parts: { name: string; value: string | Uint8Array; filename?: string; type?: string }[], boundary = "----tantiemeHostile"): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`));
    chunks.push(typeof p.value === "string" ? Buffer.from(p.value) : Buffer.from(p.value));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Ensures nothing in Object.prototype changed: the names and the values of its members. */
export function prototypeSnapshot(): Map<string | symbol, unknown> {
  const m = new Map<string | symbol, unknown>();
  for (const k of Reflect.ownKeys(Object.prototype)) m.set(k, Object.getOwnPropertyDescriptor(Object.prototype, k)!.value ?? Object.getOwnPropertyDescriptor(Object.prototype, k)!.get);
  return m;
}

/** Restores Object.prototype to a snapshot; returns the members that had changed. */
export function restorePrototype(snapshot: Map<string | symbol, unknown>): string[] {
  const changed: string[] = [];
  for (const k of Reflect.ownKeys(Object.prototype)) {
    if (!snapshot.has(k)) {
      changed.push(String(k));
      delete (Object.prototype as Record<string | symbol, unknown>)[k];
    }
  }
  for (const [k, v] of snapshot) {
    const d = Object.getOwnPropertyDescriptor(Object.prototype, k);
    const now = d?.value ?? d?.get;
    if (now !== v) {
      changed.push(String(k));
      Object.defineProperty(Object.prototype, k, { value: v, writable: true, configurable: true, enumerable: false });
    }
  }
  return changed;
}
