/**
 * The local chain's public JSON-RPC endpoint, in front of Hardhat's in-process network (EDR).
 *
 * Durability: every call that can change the chain (eth_sendRawTransaction, eth_sendTransaction,
 * evm_mine, hardhat_mine, state setters, …) runs alone, and the blocks it mined — or the state
 * call itself — are appended to the journal and fsynced before the call is answered. Reads run
 * concurrently with each other but never alongside such a call, so no reader (the indexer, the
 * API) ever sees a block that a crash could still lose.
 *
 * Consistency: evm_snapshot / evm_revert are followed — a revert cuts the journal back to where it
 * was at the snapshot. Methods whose effect cannot be journaled (hardhat_reset, interval mining,
 * impersonation) are refused with an error saying why.
 *
 * Browsers: the accounts are unlocked, so a web page must not be able to drive this endpoint. A
 * request carrying an `Origin` not in the allow-list, or a `Host` that is not this endpoint (DNS
 * rebinding), is refused with 403; POST bodies must be `application/json` (a browser cannot send
 * that cross-origin without a preflight, which is refused too). No `Access-Control-Allow-Origin: *`.
 */
import type http from "node:http";
import { ethers } from "ethers";
import { type JournalEntry, type JournalWriter } from "./journal";

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export interface ChainRpcOptions {
  provider: Eip1193;
  journal: JournalWriter;
  /** The last block already in the journal. */
  journaledHead: number;
  /** Host names this endpoint answers to, with the port (e.g. `127.0.0.1:8545`). */
  hosts: string[];
  /** Web origins allowed to call (exact `scheme://host[:port]`); none by default. */
  allowOrigins: string[];
  log: (line: string) => void;
  /** Called when a block could not be journaled: the process must stop (the block is not durable). */
  onJournalFailure: (err: Error) => void;
  maxBodyBytes?: number;
}

interface JsonRpcRequest {
  jsonrpc: "2.0";
  id?: string | number | null;
  method: string;
  params?: unknown[];
}

type JsonRpcResponse = { jsonrpc: "2.0"; id: string | number | null } & ({ result: unknown } | { error: { code: number; message: string; data?: unknown } });

/** Reads that never change the chain (everything else runs alone and is journaled). */
const READ_PREFIXES = ["net_", "web3_", "debug_"];
const READ_METHODS = new Set(["hardhat_metadata", "hardhat_getAutomine", "hardhat_getStackTraceFailuresCount"]);
const WRITE_ETH = new Set(["eth_sendRawTransaction", "eth_sendTransaction"]);
/** State changes that mine nothing: journaled as calls and replayed in order. */
export const JOURNALED_CALLS = new Set([
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setNonce",
  "hardhat_setStorageAt",
  "hardhat_setCoinbase",
  "hardhat_setNextBlockBaseFeePerGas",
  "hardhat_setPrevRandao",
  "hardhat_setMinGasPrice",
  "evm_setBlockGasLimit",
]);
/** Methods refused, and why. */
export const REFUSED: Record<string, string> = {
  hardhat_reset: "it would discard every block of the durable local chain (use `npm start -- --reset` for a new chain)",
  evm_setIntervalMining: "blocks mined on a timer could be seen before they are journaled (send evm_mine instead)",
  hardhat_impersonateAccount: "transactions from an impersonated account carry no signature and cannot be journaled",
  eth_subscribe: "this endpoint serves HTTP only (poll instead)",
  eth_unsubscribe: "this endpoint serves HTTP only (poll instead)",
};

export const isRead = (method: string) =>
  READ_METHODS.has(method) || READ_PREFIXES.some((p) => method.startsWith(p)) || (method.startsWith("eth_") && !WRITE_ETH.has(method));

/** Many readers or one writer, first come first served. */
class ReadWriteLock {
  private readers = 0;
  private writer = false;
  private readonly queue: { write: boolean; grant: () => void }[] = [];

  async run<T>(write: boolean, fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.queue.push({ write, grant });
      this.pump();
    });
    try {
      return await fn();
    } finally {
      if (write) this.writer = false;
      else this.readers--;
      this.pump();
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.writer) {
      const next = this.queue[0]!;
      if (next.write) {
        if (this.readers > 0) return;
        this.writer = true;
      } else this.readers++;
      this.queue.shift();
      next.grant();
    }
  }
}

export class ChainRpc {
  private readonly lock = new ReadWriteLock();
  private journaledHead: number;
  /** evm_snapshot id → where the journal and the chain were. */
  private readonly snapshots = new Map<string, { bytes: number; head: number }>();
  private failed = false;

  constructor(private readonly o: ChainRpcOptions) {
    this.journaledHead = o.journaledHead;
  }

  /** Waits for the call in progress, if any (used before stopping). */
  async drain(): Promise<void> {
    await this.lock.run(true, async () => undefined);
  }

  /** The node's HTTP handler. */
  readonly handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const origin = req.headers.origin;
    const refuse = (status: number, message: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(message + "\n");
      req.resume();
    };
    if (req.headers.host !== undefined && !this.o.hosts.includes(req.headers.host.toLowerCase())) {
      return refuse(403, `host ${req.headers.host} is not this chain's endpoint`);
    }
    const allowed = origin === undefined || this.o.allowOrigins.includes(origin);
    if (!allowed) return refuse(403, `origin ${origin} is not allowed to call the local chain (its accounts are unlocked); allow it with --rpc-allow-origin`);
    const cors: Record<string, string> = origin !== undefined ? { "access-control-allow-origin": origin, vary: "Origin" } : {};
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...cors, "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type", "access-control-max-age": "600" }).end();
      return;
    }
    if (req.method !== "POST") return refuse(405, "JSON-RPC is served by POST");
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") return refuse(415, "the body must be JSON sent with content-type: application/json");
    const max = this.o.maxBodyBytes ?? 16 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return refuse(413, `the body exceeds ${max} bytes`);
      void this.answer(Buffer.concat(chunks).toString("utf8")).then((body) => {
        res.writeHead(200, { ...cors, "content-type": "application/json" }).end(body);
      });
    });
  };

  private async answer(text: string): Promise<string> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return JSON.stringify(failure(null, -32700, "parse error: the body is not JSON"));
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) return JSON.stringify(failure(null, -32600, "invalid request: empty batch"));
      const out: JsonRpcResponse[] = [];
      for (const one of parsed) out.push(await this.call(one));
      return JSON.stringify(out);
    }
    return JSON.stringify(await this.call(parsed));
  }

  /** One JSON-RPC request: refused, read, or run alone and journaled. */
  async call(request: unknown): Promise<JsonRpcResponse> {
    const r = request as JsonRpcRequest;
    const id = r && typeof r === "object" && (typeof r.id === "string" || typeof r.id === "number") ? r.id : null;
    if (!r || typeof r !== "object" || r.jsonrpc !== "2.0" || typeof r.method !== "string" || (r.params !== undefined && !Array.isArray(r.params))) {
      return failure(id, -32600, "invalid request: expected {jsonrpc: \"2.0\", method, params: [...]}");
    }
    const { method } = r;
    const params = r.params ?? [];
    if (this.failed) return failure(id, -32603, "the local chain is stopping: a block could not be journaled");
    const refusal = REFUSED[method];
    if (refusal !== undefined && !(method === "evm_setIntervalMining" && (params[0] === 0 || params[0] === false))) {
      return failure(id, -32004, `${method} is refused by the local chain: ${refusal}`);
    }
    if (isRead(method)) return this.lock.run(false, () => this.forward(id, method, params));
    return this.lock.run(true, async () => {
      const response = await this.forward(id, method, params);
      const ok = "result" in response;
      try {
        if (method === "evm_snapshot" && ok) {
          this.snapshots.set(String(response.result), { bytes: this.o.journal.size, head: this.journaledHead });
        } else if (method === "evm_revert" && ok && response.result === true) {
          this.reverted(String(params[0]));
        } else {
          const entries: JournalEntry[] = [];
          if (ok && JOURNALED_CALLS.has(method)) entries.push({ call: { method, params } });
          const mined = await this.newBlocks();
          entries.push(...mined.entries);
          this.o.journal.append(entries);
          this.journaledHead = mined.head;
        }
      } catch (err) {
        this.failed = true;
        this.o.onJournalFailure(err as Error);
        return failure(id, -32603, `the local chain could not journal the result of ${method} (${(err as Error).message}); it stops so that nothing is built on an unrecorded block`);
      }
      return response;
    });
  }

  private reverted(snapshotId: string): void {
    const at = [...this.snapshots.entries()].find(([k]) => BigInt(k) === BigInt(snapshotId));
    if (!at) return; // a snapshot from before this process: the node rejected it anyway
    // The node drops the reverted snapshot and every later one.
    for (const k of [...this.snapshots.keys()]) if (BigInt(k) >= BigInt(snapshotId)) this.snapshots.delete(k);
    const [, { bytes, head }] = at;
    this.o.journal.truncate(bytes);
    this.o.log(`chain: evm_revert to snapshot ${snapshotId}: journal cut back to block ${head} (was ${this.journaledHead})`);
    this.journaledHead = head;
  }

  private async headNumber(): Promise<number> {
    return Number(await this.o.provider.request({ method: "eth_blockNumber", params: [] }));
  }

  /** Every block after the last journaled one, as journal entries. */
  private async newBlocks(): Promise<{ entries: JournalEntry[]; head: number }> {
    const head = await this.headNumber();
    const out: JournalEntry[] = [];
    for (let n = this.journaledHead + 1; n <= head; n++) {
      const block = (await this.o.provider.request({ method: "eth_getBlockByNumber", params: [ethers.toQuantity(n), true] })) as {
        hash: string;
        timestamp: string;
        transactions: Record<string, unknown>[];
      };
      out.push({ number: n, hash: block.hash, timestamp: Number(block.timestamp), txs: block.transactions.map((tx) => rawTransaction(tx)) });
    }
    return { entries: out, head: Math.max(head, this.journaledHead) };
  }

  private async forward(id: JsonRpcResponse["id"], method: string, params: unknown[]): Promise<JsonRpcResponse> {
    try {
      const result = await this.o.provider.request({ method, params });
      return { jsonrpc: "2.0", id, result: result === undefined ? null : result };
    } catch (err) {
      const e = err as { code?: unknown; message?: string; data?: unknown };
      const code = typeof e.code === "number" ? e.code : -32603;
      return { jsonrpc: "2.0", id, error: { code, message: e.message ?? String(err), ...(e.data !== undefined ? { data: e.data } : {}) } };
    }
  }
}

function failure(id: JsonRpcResponse["id"], code: number, message: string): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

/** Re-serialises a JSON-RPC transaction object (with its signature) into its raw signed form. */
export function rawTransaction(tx: Record<string, unknown>): string {
  const type = Number(tx.type ?? 0);
  const signature = ethers.Signature.from({
    r: tx.r as string,
    s: tx.s as string,
    v: type === 0 ? Number(tx.v) : Number(tx.yParity ?? tx.v) + 27,
  });
  const like: ethers.TransactionLike = {
    type,
    chainId: tx.chainId !== undefined ? BigInt(tx.chainId as string) : undefined,
    nonce: Number(tx.nonce),
    to: (tx.to as string | null) ?? null,
    data: tx.input as string,
    value: BigInt(tx.value as string),
    gasLimit: BigInt(tx.gas as string),
    signature,
  };
  if (type === 2 || type === 4) {
    like.maxFeePerGas = BigInt(tx.maxFeePerGas as string);
    like.maxPriorityFeePerGas = BigInt(tx.maxPriorityFeePerGas as string);
  } else {
    like.gasPrice = BigInt(tx.gasPrice as string);
  }
  if (type >= 1) like.accessList = (tx.accessList as ethers.AccessList) ?? [];
  if (type === 0 && tx.chainId === undefined) like.chainId = undefined;
  const serialized = ethers.Transaction.from(like).serialized;
  if (ethers.keccak256(serialized) !== tx.hash) {
    throw new Error(`cannot journal transaction ${String(tx.hash)}: its re-serialised form hashes differently`);
  }
  return serialized;
}
