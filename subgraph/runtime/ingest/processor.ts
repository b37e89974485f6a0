/**
 * Runs one block's triggers through the mappings and commits the result atomically
 * (EntityStore.transactBlock), graph-node style: logs in logIndex order, every matching handler of a
 * data source in manifest order, data sources created from templates in block N then process N's
 * matching logs. A deterministic error discards the failing handler's writes and data sources
 * (graph-node BlockState::exit_handler_and_discard_changes_due_to_error). Without the
 * `nonFatalErrors` feature it then fails the subgraph at that block (EntityStore.fail, nothing else
 * of the block written); with it, the block's other handlers run and commit together with the
 * error (core/src/subgraph/runner/mod.rs transact_block_state). A non-deterministic error
 * propagates and nothing is written.
 */
import { getAddress } from "ethers";
import { EthKind, type AscHeap, type EthValue } from "../asc/heap";
import { hexToBytes, writeEvent, type EthBlockData, type EthEventData, type EthReceiptData, type EthTransactionData } from "../asc/ethereum";
import { EntityCache } from "../host/entity-cache";
import { DeterministicHostError, isDeterministic } from "../host/errors";
import { abiTypeOf, decodeAbi, decodeTopic, isDynamic, type AbiType } from "../host/abi-decode";
import type { IpfsReader, MappingLogger } from "../host/module";
import type { DataSourceSpec, EventHandlerSpec, Manifest, MappingSpec, TemplateSpec } from "../manifest";
import type { Entity } from "../entity";
import type { BlockPtr, DynamicDataSource, EntityStore, SubgraphError } from "../store/types";
import type { RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from "./rpc";

/** A data source being indexed: a manifest one, or one created from a template. */
export interface ActiveDataSource {
  name: string;
  template: string | null;
  address: string | null;
  network: string;
  context: Entity | null;
  startBlock: number;
  mapping: MappingSpec;
  byTopic: Map<string, EventHandlerSpec[]>;
}

function byTopic(mapping: MappingSpec): Map<string, EventHandlerSpec[]> {
  const m = new Map<string, EventHandlerSpec[]>();
  for (const h of mapping.eventHandlers) m.set(h.topic0, [...(m.get(h.topic0) ?? []), h]);
  return m;
}

export function staticDataSource(ds: DataSourceSpec): ActiveDataSource {
  return { name: ds.name, template: null, address: ds.address, network: ds.network, context: null, startBlock: ds.startBlock, mapping: ds.mapping, byTopic: byTopic(ds.mapping) };
}

export function templateDataSource(t: TemplateSpec, d: DynamicDataSource): ActiveDataSource {
  return { name: t.name, template: t.name, address: d.address.toLowerCase(), network: t.network, context: d.context, startBlock: d.createdAtBlock, mapping: t.mapping, byTopic: byTopic(t.mapping) };
}

export interface BlockInput {
  block: RpcBlock;
  /** Logs of this block matching the current filters, any order. */
  logs: RpcLog[];
}

export interface ProcessOptions {
  log: MappingLogger;
  ipfsCat: IpfsReader | null;
  /** Logs of block `blockHash` for newly created data sources' addresses. */
  fetchLogs(blockHash: string, addresses: string[], topics: string[]): Promise<RpcLog[]>;
  fetchReceipt(txHash: string): Promise<RpcReceipt | null>;
}

export interface ProcessResult {
  ptr: BlockPtr;
  events: number;
  entityWrites: number;
  created: DynamicDataSource[];
  /** The first deterministic error when it was fatal (the subgraph failed at this block). */
  failed: { message: string; handler: string } | null;
  /** Deterministic errors recorded as non-fatal (manifest feature `nonFatalErrors`), in order. */
  errors: SubgraphError[];
}

const big = (h: string | undefined | null): bigint => (h ? BigInt(h) : 0n);

export function blockPtr(b: RpcBlock): BlockPtr {
  return { number: Number(b.number), hash: b.hash.toLowerCase(), parentHash: b.parentHash.toLowerCase(), timestamp: Number(b.timestamp) };
}

function blockData(b: RpcBlock): EthBlockData {
  const x = hexToBytes;
  return {
    hash: x(b.hash), parentHash: x(b.parentHash), unclesHash: x(b.sha3Uncles), author: x(b.miner), stateRoot: x(b.stateRoot), transactionsRoot: x(b.transactionsRoot),
    receiptsRoot: x(b.receiptsRoot), number: big(b.number), gasUsed: big(b.gasUsed), gasLimit: big(b.gasLimit), timestamp: big(b.timestamp),
    difficulty: big(b.difficulty), totalDifficulty: b.totalDifficulty ? big(b.totalDifficulty) : null, size: b.size ? big(b.size) : null,
    baseFeePerGas: b.baseFeePerGas ? big(b.baseFeePerGas) : null,
  };
}

function txData(t: RpcTransaction): EthTransactionData {
  const x = hexToBytes;
  return { hash: x(t.hash), index: big(t.transactionIndex), from: x(t.from), to: t.to ? x(t.to) : null, value: big(t.value), gasLimit: big(t.gas), gasPrice: big(t.gasPrice), input: x(t.input), nonce: big(t.nonce) };
}

function receiptData(r: RpcReceipt): EthReceiptData {
  return {
    transactionHash: r.transactionHash, transactionIndex: big(r.transactionIndex), blockHash: r.blockHash, blockNumber: big(r.blockNumber),
    cumulativeGasUsed: big(r.cumulativeGasUsed), gasUsed: big(r.gasUsed), contractAddress: r.contractAddress, status: big(r.status), root: r.root ?? null,
    logsBloom: r.logsBloom,
    logs: r.logs.map((l) => ({
      address: l.address, topics: l.topics, data: l.data, blockHash: l.blockHash, blockNumber: big(l.blockNumber), transactionHash: l.transactionHash,
      transactionIndex: big(l.transactionIndex), logIndex: big(l.logIndex), transactionLogIndex: null, logType: null, removed: l.removed ?? false,
    })),
  };
}

/** How to decode one event's parameters: each input's ABI type, worked out once per event fragment. */
interface DecodePlan {
  nonIndexed: AbiType[];
  inputs: { name: string; indexed: boolean; type: AbiType; asTopic: boolean }[];
}
const plans = new WeakMap<EventHandlerSpec["fragment"], DecodePlan>();
function decodePlan(f: EventHandlerSpec["fragment"]): DecodePlan {
  let plan = plans.get(f);
  if (!plan) {
    const inputs = f.inputs.map((input) => {
      const type = abiTypeOf(input);
      // An indexed dynamic value (string, bytes, array, tuple) is only its keccak in the topic.
      return { name: input.name, indexed: input.indexed === true, type, asTopic: isDynamic(type) || type.kind === "tuple" || type.kind === "fixedArray" };
    });
    plan = { nonIndexed: inputs.filter((i) => !i.indexed).map((i) => i.type), inputs };
    plans.set(f, plan);
  }
  return plan;
}

/** Decode a log's parameters with the handler's ABI event; indexed dynamic values stay as their topic (FixedBytes). */
export function decodeParams(h: EventHandlerSpec, log: RpcLog): { name: string; value: EthValue }[] {
  const plan = decodePlan(h.fragment);
  const decoded = decodeAbi(plan.nonIndexed, hexToBytes(log.data));
  let topic = 1;
  let data = 0;
  return plan.inputs.map((input) => {
    if (input.indexed) {
      const t = log.topics[topic++];
      if (t === undefined) throw new DeterministicHostError("MISSING_TOPIC", `log ${log.logIndex} of ${log.transactionHash} has no topic for indexed parameter \`${input.name}\``, { field: input.name });
      if (input.asTopic) return { name: input.name, value: { kind: EthKind.FIXED_BYTES, value: hexToBytes(t) } };
      return { name: input.name, value: decodeTopic(input.type, t) };
    }
    return { name: input.name, value: decoded[data++] };
  });
}

export class BlockProcessor {
  constructor(
    private readonly manifest: Manifest,
    private readonly store: EntityStore,
    readonly dataSources: ActiveDataSource[],
    private readonly options: ProcessOptions,
  ) {}

  /** graph-node SubgraphInputs::errors_are_non_fatal. */
  private get errorsAreNonFatal(): boolean {
    return this.manifest.features.includes("nonFatalErrors");
  }

  /** Addresses (null = any) and topic0s the log filter must cover. */
  filter(): { addresses: string[] | null; topics: string[] } {
    const topics = new Set<string>();
    const addresses = new Set<string>();
    let any = false;
    for (const ds of this.dataSources) {
      for (const t of ds.byTopic.keys()) topics.add(t);
      if (ds.address === null) any = true;
      else addresses.add(ds.address);
    }
    return { addresses: any ? null : [...addresses], topics: [...topics] };
  }

  private matching(log: RpcLog, blockNumber: number, among: ActiveDataSource[]): [ActiveDataSource, EventHandlerSpec][] {
    const out: [ActiveDataSource, EventHandlerSpec][] = [];
    const address = log.address.toLowerCase();
    for (const ds of among) {
      if (ds.startBlock > blockNumber) continue;
      if (ds.address !== null && ds.address !== address) continue;
      for (const h of ds.byTopic.get(log.topics[0]?.toLowerCase() ?? "") ?? []) out.push([ds, h]);
    }
    return out;
  }

  async process(input: BlockInput): Promise<ProcessResult> {
    const ptr = blockPtr(input.block);
    const cache = new EntityCache(this.store, this.manifest.schema, ptr.number, { rejectUndefinedFields: true, blockTimestamp: ptr.timestamp });
    const created: DynamicDataSource[] = [];
    const createdActive: ActiveDataSource[] = [];
    const block = blockData(input.block);
    const txs = new Map<string, RpcTransaction>();
    for (const t of input.block.transactions) if (typeof t !== "string") txs.set(t.hash.toLowerCase(), t);
    const txDecoded = new Map<string, EthTransactionData>();
    const receipts = new Map<string, EthReceiptData | null>();
    let events = 0;

    const run = async (log: RpcLog, ds: ActiveDataSource, h: EventHandlerSpec): Promise<{ message: string; handler: string } | null> => {
      const tx = txs.get(log.transactionHash.toLowerCase());
      if (!tx) throw new DeterministicHostError("TX_NOT_IN_BLOCK", `transaction ${log.transactionHash} of log ${log.logIndex} is not in block ${ptr.number}`, { block: ptr.number });
      let receipt: EthReceiptData | null = null;
      if (h.receipt) {
        const key = log.transactionHash.toLowerCase();
        if (!receipts.has(key)) {
          const r = await this.options.fetchReceipt(log.transactionHash);
          receipts.set(key, r ? receiptData(r) : null);
        }
        receipt = receipts.get(key)!;
      }
      const event: EthEventData = {
        // graph-node deliberately passes the block-level logIndex as transactionLogIndex
        // (chain/ethereum/src/trigger.rs `transaction_log_index()`: geth has no such field).
        address: log.address, logIndex: big(log.logIndex), transactionLogIndex: big(log.logIndex), logType: null, block,
        transaction: txDecoded.get(log.transactionHash) ?? txDecoded.set(log.transactionHash, txData(tx)).get(log.transactionHash)!, params: decodeParams(h, log), receipt,
      };
      const module = ds.mapping.module;
      const createdBefore = created.length;
      const activeBefore = createdActive.length;
      try {
        module.call(h.handler, {
          cache,
          blockNumber: ptr.number,
          handler: h.handler,
          dataSource: { name: ds.name, address: ds.address ? hexToBytes(ds.address) : null, network: ds.network, context: ds.context },
          log: this.options.log,
          ipfsCat: this.options.ipfsCat,
          createDataSource: (template, params, context) => {
            const t = this.manifest.templates.find((x) => x.name === template);
            if (!t) {
              throw new DeterministicHostError(
                "UNKNOWN_TEMPLATE",
                `Failed to create data source from name \`${template}\`: No template with this name in parent data source \`${ds.name}\`. Available names: ${this.manifest.templates.map((x) => x.name).join(", ")}.`,
                { template },
              );
            }
            const address = (params[0] ?? "").toLowerCase();
            if (!/^0x[0-9a-f]{40}$/.test(address)) {
              throw new DeterministicHostError("INVALID_TEMPLATE_PARAMS", `dataSource.create(${template}): params[0] \`${params[0]}\` is not an address`, { template, field: "params[0]" });
            }
            const d: DynamicDataSource = { template, address: getAddress(address).toLowerCase(), context, createdAtBlock: ptr.number };
            created.push(d);
            createdActive.push(templateDataSource(t, d));
          },
        }, (heap: AscHeap) => [writeEvent(heap, event)]);
        cache.commitHandler();
        events++;
        return null;
      } catch (err) {
        cache.discardHandler();
        created.length = createdBefore;
        createdActive.length = activeBefore;
        // A trap leaves the instance in an unknown state.
        module.reset();
        if (!isDeterministic(err)) throw err;
        return { message: (err as Error).message, handler: h.handler };
      }
    };

    const sorted = (logs: RpcLog[]) => [...logs].sort((a, b) => Number(BigInt(a.logIndex) - BigInt(b.logIndex)));
    let pending: [RpcLog, ActiveDataSource, EventHandlerSpec][] = [];
    for (const log of sorted(input.logs)) for (const [ds, h] of this.matching(log, ptr.number, this.dataSources)) pending.push([log, ds, h]);
    let failed: { message: string; handler: string } | null = null;
    const errors: SubgraphError[] = [];
    const nonFatal = this.errorsAreNonFatal;
    let firstNew = 0;
    for (;;) {
      for (const [log, ds, h] of pending) {
        const err = await run(log, ds, h);
        if (!err) continue;
        if (!nonFatal) {
          // Fatal: only the error is kept of this block, so the remaining handlers cannot matter.
          failed = err;
          break;
        }
        errors.push({ message: err.message, block: { number: ptr.number, hash: ptr.hash }, handler: err.handler, deterministic: true });
      }
      if (failed || createdActive.length === firstNew) break;
      // Data sources created in this block process this block's matching logs too.
      const fresh = createdActive.slice(firstNew);
      firstNew = createdActive.length;
      const topics = [...new Set(fresh.flatMap((d) => [...d.byTopic.keys()]))];
      const logs = await this.options.fetchLogs(input.block.hash, fresh.map((d) => d.address!), topics);
      pending = [];
      for (const log of sorted(logs)) for (const [ds, h] of this.matching(log, ptr.number, fresh)) pending.push([log, ds, h]);
    }

    if (failed) {
      this.store.fail(ptr, { message: failed.message, block: { number: ptr.number, hash: ptr.hash }, handler: failed.handler, deterministic: true });
      return { ptr, events, entityWrites: 0, created: [], failed, errors: [] };
    }
    const mods = cache.modifications();
    this.store.transactBlock(ptr, mods, created, errors);
    this.dataSources.push(...createdActive);
    return { ptr, events, entityWrites: mods.length, created, failed: null, errors };
  }
}
