/**
 * The JSON-RPC calls ingestion needs, over plain HTTP JSON-RPC with batching.
 * Every failure is a NonDeterministicHostError: retried with backoff by the follower, never recorded.
 */
import { NonDeterministicHostError } from "../host/errors";

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

export interface RpcTransaction {
  hash: string;
  transactionIndex: string;
  from: string;
  to: string | null;
  value: string;
  gas: string;
  gasPrice?: string;
  input: string;
  nonce: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  gasUsed: string;
  gasLimit: string;
  timestamp: string;
  difficulty: string;
  totalDifficulty?: string;
  size?: string;
  baseFeePerGas?: string;
  transactions: (RpcTransaction | string)[];
}

export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  cumulativeGasUsed: string;
  gasUsed: string;
  contractAddress: string | null;
  logs: RpcLog[];
  status: string;
  root?: string;
  logsBloom: string;
}

export interface LogFilter {
  fromBlock?: number;
  toBlock?: number;
  blockHash?: string;
  address?: string[];
  topics: string[][];
}

const hex = (n: number) => `0x${n.toString(16)}`;

interface JsonRpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Requests per JSON-RPC batch (one HTTP round trip). */
const BATCH_SIZE = 100;

/**
 * Plain JSON-RPC 2.0 over HTTP (Node's fetch, keep-alive), with batches: one round trip for many
 * calls (block headers of a scanned range). No response formatting: the raw JSON is returned.
 */
export class ChainRpc {
  calls = 0;
  requests = 0;
  private nextId = 1;
  private readonly controller = new AbortController();

  private constructor(readonly url: string, readonly chainId: bigint, private readonly timeoutMs: number) {}

  static async connect(url: string, options: { timeoutMs?: number } = {}): Promise<ChainRpc> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new NonDeterministicHostError("RPC_UNREACHABLE", `invalid JSON-RPC URL \`${url}\``, { url, field: "rpcUrl" }, { cause });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new NonDeterministicHostError("RPC_UNREACHABLE", `JSON-RPC URL \`${url}\` must be http(s)`, { url, field: "rpcUrl" });
    }
    const rpc = new ChainRpc(url, 0n, options.timeoutMs ?? 30_000);
    try {
      const id = await rpc.send<string>("eth_chainId", []);
      return Object.assign(rpc, { chainId: BigInt(id) });
    } catch (cause) {
      rpc.destroy();
      throw new NonDeterministicHostError("RPC_UNREACHABLE", `cannot reach JSON-RPC endpoint ${url}: ${(cause as Error).message}`, { url }, { cause });
    }
  }

  private async post(body: unknown, what: string): Promise<unknown> {
    this.requests++;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (cause) {
      throw new NonDeterministicHostError("RPC_FAILED", `${what} failed: ${(cause as Error).message}`, { method: what, url: this.url }, { cause });
    }
    const text = await res.text().catch((cause) => {
      throw new NonDeterministicHostError("RPC_FAILED", `${what} failed reading the response: ${(cause as Error).message}`, { method: what, url: this.url }, { cause });
    });
    if (!res.ok) throw new NonDeterministicHostError("RPC_FAILED", `${what} failed: HTTP ${res.status} ${text.slice(0, 200)}`, { method: what, url: this.url, status: res.status });
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new NonDeterministicHostError("RPC_FAILED", `${what} failed: invalid JSON response`, { method: what, url: this.url }, { cause });
    }
  }

  private result<T>(r: JsonRpcResponse | undefined, method: string): T {
    if (!r) throw new NonDeterministicHostError("RPC_FAILED", `${method} failed: no response in the batch`, { method, url: this.url });
    if (r.error) throw new NonDeterministicHostError("RPC_FAILED", `${method} failed: ${r.error.message} (code ${r.error.code})`, { method, url: this.url, rpcCode: r.error.code });
    return r.result as T;
  }

  async send<T>(method: string, params: unknown[]): Promise<T> {
    this.calls++;
    const id = this.nextId++;
    const r = (await this.post({ jsonrpc: "2.0", id, method, params }, method)) as JsonRpcResponse;
    return this.result<T>(r, method);
  }

  /** Many calls in JSON-RPC batches of up to 100; results in request order. */
  async batch<T>(requests: { method: string; params: unknown[] }[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < requests.length; i += BATCH_SIZE) {
      const chunk = requests.slice(i, i + BATCH_SIZE).map((r) => ({ jsonrpc: "2.0", id: this.nextId++, method: r.method, params: r.params }));
      this.calls += chunk.length;
      const what = `batch of ${chunk.length} ${chunk[0].method}`;
      const res = chunk.length === 1 ? [await this.post(chunk[0], what)] : await this.post(chunk, what);
      if (!Array.isArray(res)) throw new NonDeterministicHostError("RPC_FAILED", `${what} failed: ${(res as JsonRpcResponse).error?.message ?? "not a batch response"}`, { method: chunk[0].method, url: this.url });
      const byId = new Map((res as JsonRpcResponse[]).map((r) => [r.id, r]));
      for (const c of chunk) out.push(this.result<T>(byId.get(c.id), c.method));
    }
    return out;
  }

  async blockNumber(): Promise<number> {
    return Number(await this.send<string>("eth_blockNumber", []));
  }

  async latestBlock(): Promise<RpcBlock> {
    const b = await this.send<RpcBlock | null>("eth_getBlockByNumber", ["latest", false]);
    if (!b) throw new NonDeterministicHostError("RPC_FAILED", "eth_getBlockByNumber(latest) returned null", { method: "eth_getBlockByNumber", url: this.url });
    return b;
  }

  async block(number: number, withTransactions: boolean): Promise<RpcBlock | null> {
    return this.send<RpcBlock | null>("eth_getBlockByNumber", [hex(number), withTransactions]);
  }

  /** Several blocks in one round trip (null for a block the node does not have). */
  async blocks(numbers: number[], withTransactions: boolean): Promise<(RpcBlock | null)[]> {
    return this.batch<RpcBlock | null>(numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), withTransactions] })));
  }

  async logs(filter: LogFilter): Promise<RpcLog[]> {
    const f: Record<string, unknown> = { topics: filter.topics };
    if (filter.blockHash) f.blockHash = filter.blockHash;
    else {
      f.fromBlock = hex(filter.fromBlock!);
      f.toBlock = hex(filter.toBlock!);
    }
    if (filter.address) f.address = filter.address;
    return this.send<RpcLog[]>("eth_getLogs", [f]);
  }

  async receipt(txHash: string): Promise<RpcReceipt | null> {
    return this.send<RpcReceipt | null>("eth_getTransactionReceipt", [txHash]);
  }

  /** Aborts requests in flight. */
  destroy(): void {
    this.controller.abort();
  }
}
