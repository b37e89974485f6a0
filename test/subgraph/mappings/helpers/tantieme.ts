/**
 * A real tantieme deployment on Hardhat's in-process network, served over JSON-RPC, plus the
 * project's embedded IPFS store and the embedded indexer running the compiled subgraph.
 * `deployTantieme()` resets the chain and deploys with the Ignition module from account #0, which
 * gives the addresses and start blocks of networks.json's "hardhat" network.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { HDNodeWallet, Mnemonic, getBytes, type BytesLike, type Signer } from "ethers";
import { CID } from "multiformats/cid";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import type { Governance, Licensing, Links, Registrars, Works } from "../../../../typechain-types";
import { createContentStore } from "../../../../core/content";
import type { ContentStore } from "../../../../core/content/types";
import { startIndexer, type Indexer } from "../../../../subgraph/runtime/indexer";
import TantiemeModule from "../../../../ignition/modules/Tantieme";
import { SUBGRAPH_DIR } from "./build";
import { readDeploymentFile } from "../../../../core/deployment";
import { enumIndices, RIGHTS, TERRITORY_MODES, WORK_KIND_NAMES } from "../../../../core/domain";

const NETWORKS = readDeploymentFile(path.join(SUBGRAPH_DIR, "networks.json"), { network: "hardhat" });
export const WORKS_ADDRESS: string = NETWORKS.works.address;
export const LICENSING_ADDRESS: string = NETWORKS.licensing.address;
export const REGISTRARS_ADDRESS: string = NETWORKS.registrars!.address;
export const LINKS_ADDRESS: string = NETWORKS.links!.address;
export const ZERO = "0x0000000000000000000000000000000000000000";
export const PERPETUAL = 2n ** 40n - 1n;
export const KIND = enumIndices(WORK_KIND_NAMES);
export const TERRITORY = enumIndices(TERRITORY_MODES);
export const RIGHT = enumIndices(RIGHTS);

/** 32-byte big-endian id of a uint256 (the subgraph's id encoding). */
export function uintId(n: bigint | number): string {
  return "0x" + BigInt(n).toString(16).padStart(64, "0");
}
/** Split version id: uintId(work) ++ version (4 bytes big-endian). */
export function splitId(work: bigint | number, version: number): string {
  return uintId(work) + version.toString(16).padStart(8, "0");
}
/** Event entity id: txHash ++ logIndex (4 bytes little-endian, graph-ts concatI32). */
export function eventId(txHash: string, logIndex: number): string {
  const le = Buffer.alloc(4);
  le.writeInt32LE(logIndex);
  return txHash.toLowerCase() + le.toString("hex");
}
export function lower(address: string): string {
  return address.toLowerCase();
}
export function mask(...rights: number[]): number {
  return rights.reduce((m, r) => m | (1 << r), 0);
}
export function country(code: string): string {
  return "0x" + Buffer.from(code, "ascii").toString("hex");
}

/** Hardhat's default accounts as wallets (to sign EIP-712 digests). */
export function wallet(index: number): HDNodeWallet {
  const mnemonic = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
  return HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${index}`);
}
export function signDigest(index: number, digest: BytesLike): string {
  return wallet(index).signingKey.sign(getBytes(digest)).serialized;
}

export interface Split {
  recipients: string[];
  shares: number[];
}
/** A split from (address, bps) pairs, sorted ascending by address as the contract requires. */
export function split(...parts: [string, number][]): Split {
  const sorted = [...parts].sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
  return { recipients: sorted.map((p) => p[0]), shares: sorted.map((p) => p[1]) };
}

export interface LocalChain {
  url: string;
  close(): Promise<void>;
}
export async function startChain(): Promise<LocalChain> {
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: hre.network.provider });
  const { address, port } = await server.listen();
  return { url: `http://${address}:${port}`, close: () => server.close() };
}

export interface Deployment {
  works: Works;
  licensing: Licensing;
  registrars: Registrars;
  links: Links;
  governance: Governance;
  signers: Signer[];
  /** account #0: deployer and admin */
  admin: string;
  /** account #9: the treasury */
  treasury: string;
}

/** Deploys the contracts with the project's Ignition module (ignition/modules/Tantieme.ts) on a fresh chain. */
export async function deployTantieme(): Promise<Deployment> {
  await hre.network.provider.send("hardhat_reset", []);
  const signers = await hre.ethers.getSigners();
  const admin = signers[0].address;
  const treasury = signers[9].address;
  const deployed = await hre.ignition.deploy(TantiemeModule, { parameters: { Tantieme: { admin, treasury } } });
  const works = deployed.works as unknown as Works;
  const licensing = deployed.licensing as unknown as Licensing;
  const registrars = deployed.registrars as unknown as Registrars;
  const links = deployed.links as unknown as Links;
  const governance = deployed.governance as unknown as Governance;
  const blockOf = async (address: string) => {
    // The deployment block: the first block at which the contract has code.
    let lo = 0;
    let hi = Number(await hre.network.provider.send("eth_blockNumber", []));
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const code = await hre.network.provider.send("eth_getCode", [address, "0x" + mid.toString(16)]);
      if (code === "0x") lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const actual = {
    Works: { address: lower(await works.getAddress()), startBlock: await blockOf(await works.getAddress()) },
    Licensing: { address: lower(await licensing.getAddress()), startBlock: await blockOf(await licensing.getAddress()) },
    Registrars: { address: lower(await registrars.getAddress()), startBlock: await blockOf(await registrars.getAddress()) },
    Links: { address: lower(await links.getAddress()), startBlock: await blockOf(await links.getAddress()) },
  };
  const expected = {
    Works: { address: lower(WORKS_ADDRESS), startBlock: NETWORKS.works.startBlock },
    Licensing: { address: lower(LICENSING_ADDRESS), startBlock: NETWORKS.licensing.startBlock },
    Registrars: { address: lower(REGISTRARS_ADDRESS), startBlock: NETWORKS.registrars!.startBlock },
    Links: { address: lower(LINKS_ADDRESS), startBlock: NETWORKS.links!.startBlock },
  };
  expect(actual, "subgraph/networks.json (hardhat) must match a fresh Ignition deployment (npm run subgraph:sync-networks -- --deployment chain-31337)").to.deep.equal(expected);
  return { works, licensing, registrars, links, governance, signers, admin, treasury };
}

/** The project's embedded IPFS store in a temporary directory. */
export interface Ipfs {
  store: ContentStore;
  /** Adds a JSON document; returns its CID (Kubo-compatible CIDv0). */
  addJson(doc: unknown): Promise<string>;
  /** Synchronous reader for the runtime's ipfs.cat: the bytes of the files added through addJson. */
  reader(cid: string): Uint8Array | null;
  close(): Promise<void>;
}
export async function openIpfs(): Promise<Ipfs> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-sg-ipfs-"));
  const store = await createContentStore({ kind: "embedded", dir });
  const read = new Map<string, Uint8Array>();
  return {
    store,
    async addJson(doc) {
      const { cid } = await store.add(new TextEncoder().encode(JSON.stringify(doc)));
      // Read back from the blockstore: the runtime is served real IPFS blocks, not the input.
      read.set(cid.toString(), await store.catBytes(cid, 1 << 20));
      return cid.toString();
    },
    reader: (cid) => read.get(cid) ?? null,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
/** The binary CID the Works contract takes. */
export function cidBytes(cid: string): Uint8Array {
  return CID.parse(cid).bytes;
}

export interface Running {
  indexer: Indexer;
  dir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Waits until the indexer has processed the chain's current head. */
  synced(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the embedded indexer on the built tantieme subgraph and waits until it reached the head. */
export async function index(chain: LocalChain, ipfs: Ipfs | null, manifest: string): Promise<Running> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-sg-data-"));
  const indexer = await startIndexer({
    rpcUrl: chain.url, subgraph: manifest, dataDir: dir, name: "tantieme", port: 0, statusPort: null,
    reorgThreshold: 2, pollIntervalMs: 20, progressIntervalMs: 0, ipfsCat: ipfs ? ipfs.reader : null, log: () => {},
  });
  const running: Running = {
    indexer,
    dir,
    async gql(query, variables) {
      const res = await fetch(indexer.server!.url, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async synced() {
      const head = Number(await hre.network.provider.send("eth_blockNumber", []));
      // Stuck means no progress for a minute, however long the whole catch-up takes on a busy
      // machine (the test's own timeout bounds the total).
      let last = -1;
      let progressed = Date.now();
      for (;;) {
        const state = indexer.store.state();
        if (state.fatalError) throw new Error(`subgraph failed: ${JSON.stringify(state.fatalError)}`);
        const at = state.head?.number ?? 0;
        if (at >= head) return;
        if (at > last) [last, progressed] = [at, Date.now()];
        else if (Date.now() - progressed > 60_000) throw new Error(`indexer stuck at ${state.head?.number} for 60 s (head ${head})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await indexer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await running.synced();
  return running;
}
