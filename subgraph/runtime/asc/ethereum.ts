/**
 * ethereum.Event / Block / Transaction / TransactionReceipt layouts (graph-ts chain/ethereum.ts,
 * graph-node chain/ethereum/src/runtime/abi.rs). Each is a struct of u32 pointers in declaration
 * order; nullable fields are pointer 0. Offsets are pinned by test/subgraph/host/host.test.ts.
 * Byte fields take 0x-hex or bytes (the ingest path decodes a block's hex once, not per event).
 */
import { AscHeap, type EthValue } from "./heap";

/** 0x-hex text or raw bytes. */
export type Hex = string | Uint8Array;

export interface EthBlockData {
  hash: Hex;
  parentHash: Hex;
  unclesHash: Hex;
  author: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  number: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty: bigint | null;
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface EthTransactionData {
  hash: Hex;
  index: bigint;
  from: Hex;
  to: Hex | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: Hex;
  nonce: bigint;
}

export interface EthLogData {
  address: string;
  topics: string[];
  data: string;
  blockHash: string;
  blockNumber: bigint;
  transactionHash: string;
  transactionIndex: bigint;
  logIndex: bigint;
  /** graph-node (alloy) writes null: a non-standard field. */
  transactionLogIndex: bigint | null;
  logType: string | null;
  /** graph-node always writes a Wrapped<bool> (false when the node omits it). */
  removed: boolean;
}

export interface EthReceiptData {
  transactionHash: string;
  transactionIndex: bigint;
  blockHash: string;
  blockNumber: bigint;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  contractAddress: string | null;
  logs: EthLogData[];
  status: bigint;
  root: string | null;
  logsBloom: string;
}

export interface EthEventData {
  address: string;
  logIndex: bigint;
  transactionLogIndex: bigint;
  logType: string | null;
  block: EthBlockData;
  transaction: EthTransactionData;
  params: { name: string; value: EthValue }[];
  receipt: EthReceiptData | null;
}

/** Field order of each struct, exactly as graph-ts declares it (the ABI). */
export const BLOCK_FIELDS = ["hash", "parentHash", "unclesHash", "author", "stateRoot", "transactionsRoot", "receiptsRoot", "number", "gasUsed", "gasLimit", "timestamp", "difficulty", "totalDifficulty", "size", "baseFeePerGas"] as const;
export const TRANSACTION_FIELDS = ["hash", "index", "from", "to", "value", "gasLimit", "gasPrice", "input", "nonce"] as const;
export const EVENT_FIELDS = ["address", "logIndex", "transactionLogIndex", "logType", "block", "transaction", "parameters", "receipt"] as const;
export const RECEIPT_FIELDS = ["transactionHash", "transactionIndex", "blockHash", "blockNumber", "cumulativeGasUsed", "gasUsed", "contractAddress", "logs", "status", "root", "logsBloom"] as const;

export function hexToBytes(hex: Hex): Uint8Array {
  if (typeof hex !== "string") return hex;
  const h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  return new Uint8Array(Buffer.from(h.length % 2 ? `0${h}` : h, "hex"));
}

function bytesOrNull(heap: AscHeap, hex: Hex | null): number {
  return hex === null ? 0 : heap.writeBytes(hexToBytes(hex));
}
function bigOrNull(heap: AscHeap, v: bigint | null): number {
  return v === null ? 0 : heap.writeBigInt(v);
}

export function writeBlock(heap: AscHeap, b: EthBlockData): number {
  const h = (x: Hex) => heap.writeBytes(hexToBytes(x));
  return heap.writeStruct(
    [
      h(b.hash), h(b.parentHash), h(b.unclesHash), h(b.author), h(b.stateRoot), h(b.transactionsRoot), h(b.receiptsRoot),
      heap.writeBigInt(b.number), heap.writeBigInt(b.gasUsed), heap.writeBigInt(b.gasLimit), heap.writeBigInt(b.timestamp),
      heap.writeBigInt(b.difficulty), bigOrNull(heap, b.totalDifficulty), bigOrNull(heap, b.size), bigOrNull(heap, b.baseFeePerGas),
    ],
    "EthereumBlock",
  );
}

export function writeTransaction(heap: AscHeap, t: EthTransactionData): number {
  return heap.writeStruct(
    [
      heap.writeBytes(hexToBytes(t.hash)), heap.writeBigInt(t.index), heap.writeBytes(hexToBytes(t.from)), bytesOrNull(heap, t.to),
      heap.writeBigInt(t.value), heap.writeBigInt(t.gasLimit), heap.writeBigInt(t.gasPrice), heap.writeBytes(hexToBytes(t.input)),
      heap.writeBigInt(t.nonce),
    ],
    "EthereumTransaction",
  );
}

function writeLog(heap: AscHeap, l: EthLogData): number {
  const removed = heap.alloc(4, "WrappedBool");
  new Uint8Array(heap.exports.memory.buffer)[removed] = l.removed ? 1 : 0;
  return heap.writeStruct(
    [
      heap.writeBytes(hexToBytes(l.address)),
      heap.writePointerArray(l.topics.map((t) => heap.writeBytes(hexToBytes(t))), "ArrayH256"),
      heap.writeBytes(hexToBytes(l.data)), heap.writeBytes(hexToBytes(l.blockHash)), heap.writeBigInt(l.blockNumber),
      heap.writeBytes(hexToBytes(l.transactionHash)), heap.writeBigInt(l.transactionIndex), heap.writeBigInt(l.logIndex),
      bigOrNull(heap, l.transactionLogIndex), l.logType === null ? 0 : heap.writeString(l.logType), removed,
    ],
    "Log",
  );
}

export function writeReceipt(heap: AscHeap, r: EthReceiptData): number {
  return heap.writeStruct(
    [
      heap.writeBytes(hexToBytes(r.transactionHash)), heap.writeBigInt(r.transactionIndex), heap.writeBytes(hexToBytes(r.blockHash)),
      heap.writeBigInt(r.blockNumber), heap.writeBigInt(r.cumulativeGasUsed), heap.writeBigInt(r.gasUsed), bytesOrNull(heap, r.contractAddress),
      heap.writePointerArray(r.logs.map((l) => writeLog(heap, l)), "ArrayLog"), heap.writeBigInt(r.status), bytesOrNull(heap, r.root),
      heap.writeBytes(hexToBytes(r.logsBloom)),
    ],
    "TransactionReceipt",
  );
}

export function writeEvent(heap: AscHeap, e: EthEventData): number {
  const params = e.params.map((p) => heap.writeStruct([heap.writeString(p.name), heap.writeEthValue(p.value)], "EventParam"));
  return heap.writeStruct(
    [
      heap.writeBytes(hexToBytes(e.address)), heap.writeBigInt(e.logIndex), heap.writeBigInt(e.transactionLogIndex),
      e.logType === null ? 0 : heap.writeString(e.logType), writeBlock(heap, e.block), writeTransaction(heap, e.transaction),
      heap.writePointerArray(params, "ArrayEventParam"), e.receipt === null ? 0 : writeReceipt(heap, e.receipt),
    ],
    "EthereumEvent",
  );
}
