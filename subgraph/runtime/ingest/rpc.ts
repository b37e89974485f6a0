/**
 * The JSON-RPC calls ingestion needs, over ethers' JsonRpcProvider (raw `send`, no formatting).
 * Every failure is a NonDeterministicHostError: retried with backoff by the follower, never recorded.
 */
import { FetchRequest, JsonRpcProvider, Network } from "ethers";
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

export class ChainRpc {
  readonly provider: JsonRpcProvider;
  calls = 0;

  private constructor(readonly url: string, chainId: bigint) {
    const req = new FetchRequest(url);
    req.timeout = 30_000;
    this.provider = new JsonRpcProvider(req, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  }

  static async connect(url: string): Promise<ChainRpc> {
    const probe = new JsonRpcProvider(url, undefined, { batchMaxCount: 1 });
    try {
      const id = await probe.send("eth_chainId", []);
      return new ChainRpc(url, BigInt(id));
    } catch (cause) {
      throw new NonDeterministicHostError("RPC_UNREACHABLE", `cannot reach JSON-RPC endpoint ${url}: ${(cause as Error).message}`, { url }, { cause });
    } finally {
      probe.destroy();
    }
  }

  async send<T>(method: string, params: unknown[]): Promise<T> {
    this.calls++;
    try {
      return (await this.provider.send(method, params)) as T;
    } catch (cause) {
      throw new NonDeterministicHostError("RPC_FAILED", `${method} failed: ${(cause as Error).message}`, { method, url: this.url }, { cause });
    }
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

  destroy(): void {
    this.provider.destroy();
  }
}
