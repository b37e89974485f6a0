/**
 * One compiled mapping (a data source's or template's WASM) and its host imports. The module is
 * compiled once. Every call starts from the state of a fresh instance after `_start` (graph-cli
 * builds with --explicitStart), as graph-node's instance per trigger: one instance is kept and put
 * back into that state before each call (asc/snapshot.ts), or, when that is not possible, a new
 * instance is created for the call. Every import the WASM declares must be implemented here: an
 * unknown one fails at load, named.
 */
import { keccak256 } from "ethers";
import { AscHeap, type MappingExports } from "../asc/heap";
import { hexToBytes } from "../asc/ethereum";
import { InstanceSnapshot, exposeMutableGlobals } from "../asc/snapshot";
import { Wasm, type WasmImports, type WasmInstance, type WasmModule } from "../asc/wasm";
import type { Entity } from "../entity";
import * as bd from "./bigdecimal";
import type { EntityCache } from "./entity-cache";
import { DeterministicHostError, MappingLoadError, NonDeterministicHostError, abortMessage } from "./errors";
import { ethDecode, ethEncode } from "./ethabi";
import { jsonFromBytes, jsonToBigInt, jsonToF64, jsonToI64, jsonToU64, jsonTryFromBytes } from "./json";

export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";
export type MappingLogger = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

/** Synchronous IPFS reader injected by the embedder: file bytes for a CID (or `/ipfs/<cid>/path`), null if unknown. */
export type IpfsReader = (cid: string) => Uint8Array | null;

/** What a host call needs to know about the trigger being handled; set by the runtime before each call. */
export interface HostContext {
  cache: EntityCache;
  blockNumber: number;
  dataSource: { name: string; address: Uint8Array | null; network: string; context: Entity | null };
  handler: string;
  /** dataSource.create / createWithContext. */
  createDataSource(template: string, params: string[], context: Entity | null): void;
  log: MappingLogger;
  ipfsCat: IpfsReader | null;
}

const LEVELS: LogLevel[] = ["critical", "error", "warning", "info", "debug"];
const BIGINT_MAX_BITS = 435_412;
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

function checkBigInt(v: bigint, fn: string): bigint {
  const bits = (v < 0n ? -v : v).toString(2).length;
  if (bits > BIGINT_MAX_BITS) throw new DeterministicHostError("BIG_INT_TOO_BIG", `BigInt is too big, total bits ${bits} (max ${BIGINT_MAX_BITS})`, { fn });
  return v;
}

type HostFn = (...args: never[]) => unknown;

/** The host functions by import name (graph-node links imports by name). */
function hostFunctions(m: MappingModule): Record<string, HostFn> {
  const h = () => m.heap;
  const ctx = () => m.context();
  const bigOp = (f: (x: bigint, y: bigint) => bigint, name: string) => (x: number, y: number) =>
    h().writeBigInt(checkBigInt(f(h().readBigInt(x), h().readBigInt(y)), name));
  const decOp = (f: (x: bd.BigDecimalValueT, y: bd.BigDecimalValueT) => bd.BigDecimalValueT) => (x: number, y: number) =>
    h().writeBigDecimal(f(h().readBigDecimal(x), h().readBigDecimal(y)));
  const nat = (v: bd.BigDecimalValueT) => bd.normalize(v);
  return {
    abort: (msg: number, file: number, line: number, column: number) => {
      const text = abortMessage(msg ? h().readString(msg) : null, file ? h().readString(file) : null, line, column);
      throw new DeterministicHostError("MAPPING_ABORT", text, { handler: ctx().handler });
    },

    // store
    "store.get": (type: number, id: number) => {
      const e = ctx().cache.get(h().readName(type), h().readString(id));
      return e ? h().writeEntity(e) : 0;
    },
    "store.get_in_block": (type: number, id: number) => {
      const e = ctx().cache.getInBlock(h().readName(type), h().readString(id));
      return e ? h().writeEntity(e) : 0;
    },
    "store.set": (type: number, id: number, data: number) => {
      ctx().cache.set(h().readName(type), h().readString(id), h().readEntity(data));
    },
    "store.remove": (type: number, id: number) => {
      ctx().cache.remove(h().readName(type), h().readString(id));
    },
    "store.loadRelated": (type: number, id: number, field: number) =>
      h().writeEntityArray(ctx().cache.loadRelated(h().readName(type), h().readString(id), h().readName(field))),

    // log
    "log.log": (level: number, msg: number) => {
      const text = h().readString(msg);
      const name = LEVELS[level] ?? "info";
      ctx().log(name, text, { dataSource: ctx().dataSource.name, handler: ctx().handler });
      if (level === 0) {
        throw new DeterministicHostError("LOG_CRITICAL", `Critical error logged in mapping with log message: ${text}`, { handler: ctx().handler });
      }
    },

    // typeConversion
    "typeConversion.bytesToString": (p: number) => {
      // graph-node: String::from_utf8_lossy, then trailing NULs trimmed.
      return h().writeString(h().bytesView(p).toString("utf8").replace(/\u0000+$/, ""));
    },
    "typeConversion.bytesToHex": (p: number) => h().bytesToHexString(p),
    "typeConversion.bigIntToString": (p: number) => h().writeString(h().readBigInt(p).toString()),
    "typeConversion.bigIntToHex": (p: number) => {
      const v = h().readBigInt(p);
      return h().writeString(v === 0n ? "0x0" : `0x${(v < 0n ? -v : v).toString(16)}`);
    },
    "typeConversion.stringToH160": (p: number) => {
      const s = h().readString(p);
      const hex = s.startsWith("0x") ? s.slice(2) : s;
      if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
        throw new DeterministicHostError("INVALID_H160", `Failed to convert string to Address/H160: '${s}'`, { fn: "typeConversion.stringToH160", input: s });
      }
      return h().writeBytes(hexToBytes(hex));
    },
    "typeConversion.bytesToBase58": (p: number) => h().writeString(base58(h().readBytes(p))),

    // bigInt
    "bigInt.plus": bigOp((x, y) => x + y, "bigInt.plus"),
    "bigInt.minus": bigOp((x, y) => x - y, "bigInt.minus"),
    "bigInt.times": bigOp((x, y) => x * y, "bigInt.times"),
    "bigInt.dividedBy": bigOp((x, y) => {
      if (y === 0n) throw new DeterministicHostError("BIG_INT_DIVISION_BY_ZERO", `attempted to divide BigInt \`${x}\` by zero`, { fn: "bigInt.dividedBy" });
      return x / y;
    }, "bigInt.dividedBy"),
    "bigInt.mod": bigOp((x, y) => {
      if (y === 0n) {
        throw new DeterministicHostError("BIG_INT_MOD_BY_ZERO", `attempted to calculate the remainder of \`${x}\` with a divisor of zero`, { fn: "bigInt.mod" });
      }
      return x % y;
    }, "bigInt.mod"),
    "bigInt.pow": (x: number, exp: number) => h().writeBigInt(checkBigInt(h().readBigInt(x) ** BigInt(exp & 0xff), "bigInt.pow")),
    "bigInt.fromString": (p: number) => {
      const s = h().readString(p);
      if (!/^[+-]?\d+$/.test(s)) throw new DeterministicHostError("BIG_INT_PARSE", `string is not a BigInt: \`${s}\``, { fn: "bigInt.fromString", input: s });
      return h().writeBigInt(checkBigInt(BigInt(s), "bigInt.fromString"));
    },
    "bigInt.bitOr": bigOp((x, y) => x | y, "bigInt.bitOr"),
    "bigInt.bitAnd": bigOp((x, y) => x & y, "bigInt.bitAnd"),
    "bigInt.leftShift": (x: number, bits: number) => h().writeBigInt(checkBigInt(h().readBigInt(x) << BigInt(bits & 0xff), "bigInt.leftShift")),
    "bigInt.rightShift": (x: number, bits: number) => h().writeBigInt(h().readBigInt(x) >> BigInt(bits & 0xff)),
    "bigInt.dividedByDecimal": (x: number, y: number) =>
      h().writeBigDecimal(bd.dividedBy(bd.fromBigInt(h().readBigInt(x)), nat(h().readBigDecimal(y)))),

    // bigDecimal (operands are normalised when read, as graph-node's BigDecimal::new does)
    "bigDecimal.plus": decOp((x, y) => bd.plus(nat(x), nat(y))),
    "bigDecimal.minus": decOp((x, y) => bd.minus(nat(x), nat(y))),
    "bigDecimal.times": decOp((x, y) => bd.times(nat(x), nat(y))),
    "bigDecimal.dividedBy": decOp((x, y) => bd.dividedBy(nat(x), nat(y))),
    "bigDecimal.equals": (x: number, y: number) => (bd.equals(h().readBigDecimal(x), h().readBigDecimal(y)) ? 1 : 0),
    "bigDecimal.toString": (x: number) => h().writeString(bd.toString(nat(h().readBigDecimal(x)))),
    "bigDecimal.fromString": (p: number) => h().writeBigDecimal(bd.fromString(h().readString(p))),

    // json
    "json.fromBytes": (p: number) => h().writeJsonValue(jsonFromBytes(h().readBytes(p))),
    "json.try_fromBytes": (p: number) => h().writeJsonResult(jsonTryFromBytes(h().readBytes(p))),
    "json.toI64": (p: number) => jsonToI64(h().readString(p)),
    "json.toU64": (p: number) => jsonToU64(h().readString(p)),
    "json.toF64": (p: number) => jsonToF64(h().readString(p)),
    "json.toBigInt": (p: number) => h().writeBigInt(jsonToBigInt(h().readString(p))),

    // crypto
    "crypto.keccak256": (p: number) => h().writeBytes(hexToBytes(keccak256(h().readBytes(p)))),

    // ethereum
    "ethereum.encode": (p: number) => {
      const bytes = ethEncode(h().readEthValue(p));
      return bytes ? h().writeBytes(bytes) : 0;
    },
    "ethereum.decode": (types: number, data: number) => {
      const v = ethDecode(h().readString(types), h().readBytes(data));
      return v ? h().writeEthValue(v) : 0;
    },

    // dataSource
    "dataSource.address": () => h().writeBytes(ctx().dataSource.address ?? new Uint8Array(0)),
    "dataSource.network": () => h().writeString(ctx().dataSource.network),
    "dataSource.context": () => h().writeEntity(ctx().dataSource.context ?? new Map()),
    "dataSource.create": (name: number, params: number) => {
      ctx().createDataSource(h().readString(name), h().readStringArray(params), null);
    },
    "dataSource.createWithContext": (name: number, params: number, context: number) => {
      ctx().createDataSource(h().readString(name), h().readStringArray(params), h().readEntity(context));
    },

    // ipfs
    "ipfs.cat": (p: number) => {
      const cid = h().readString(p);
      const reader = ctx().ipfsCat;
      if (!reader) throw new NonDeterministicHostError("IPFS_UNAVAILABLE", `ipfs.cat(${cid}): no IPFS reader configured`, { cid });
      let bytes: Uint8Array | null;
      try {
        bytes = reader(cid);
      } catch (cause) {
        throw new NonDeterministicHostError("IPFS_READ_FAILED", `ipfs.cat(${cid}) failed: ${(cause as Error).message}`, { cid }, { cause });
      }
      return bytes ? h().writeBytes(bytes) : 0;
    },
  };
}

/** Names of every host import this runtime implements. */
export const IMPLEMENTED_IMPORTS: readonly string[] = Object.keys(hostFunctions({} as MappingModule));

export class MappingModule {
  private instance: WasmInstance | null = null;
  private ctx: HostContext | null = null;
  private _heap: AscHeap | null = null;
  private readonly imports: WasmImports;
  /** The current instance's post-`_start` state, or null: then each call gets a fresh instance. */
  private snapshot: InstanceSnapshot | null = null;
  /** Whether a call ran on the current instance since it was created or restored. */
  private used = false;
  /** Fresh instances created (the first, after a trap, after a call that grew memory by more than 8 MiB, or per call without a snapshot). */
  instances = 0;

  /**
   * @param globals names under which the module exports its mutable globals (exposeMutableGlobals),
   *   or null when it could not be rewritten.
   */
  constructor(
    readonly module: WasmModule,
    readonly dataSource: string,
    readonly file: string,
    private readonly globals: string[] | null = null,
  ) {
    const fns = hostFunctions(this);
    const imports: Record<string, Record<string, HostFn>> = {};
    for (const imp of Wasm.Module.imports(module)) {
      if (imp.kind !== "function") continue;
      const fn = fns[imp.name];
      if (!fn) {
        throw new MappingLoadError("UNKNOWN_IMPORT", `${file}: the mapping of data source \`${dataSource}\` imports \`${imp.module}.${imp.name}\`, which this runtime does not implement`, {
          dataSource,
          file,
          importName: imp.name,
          reason: "host function not implemented",
        });
      }
      (imports[imp.module] ??= {})[imp.name] = fn;
    }
    this.imports = imports;
    const exportNames = Wasm.Module.exports(module).map((e) => e.name);
    for (const needed of ["memory", "__new", "id_of_type"]) {
      if (!exportNames.includes(needed)) {
        throw new MappingLoadError("MISSING_EXPORT", `${file}: the mapping does not export \`${needed}\` (build it with graph-cli)`, { dataSource, file, reason: `missing export ${needed}` });
      }
    }
  }

  /** Whether the mapping imports host function `name` (e.g. "ipfs.cat"). */
  importsHostFunction(name: string): boolean {
    return Object.values(this.imports).some((fns) => Object.hasOwn(fns, name));
  }

  static fromBytes(bytes: Uint8Array, dataSource: string, file: string): MappingModule {
    // The module with its mutable globals exported, so that one instance can be restored between
    // calls; the module as built (a fresh instance per call) when it cannot be rewritten.
    const exposed = exposeMutableGlobals(bytes);
    if (exposed) {
      let module: WasmModule | null = null;
      try {
        module = new Wasm.Module(exposed.bytes);
      } catch {
        // Compiled as built below, which names what is wrong with it.
      }
      if (module) return new MappingModule(module, dataSource, file, exposed.names);
    }
    let module: WasmModule;
    try {
      module = new Wasm.Module(bytes);
    } catch (cause) {
      throw new MappingLoadError("INVALID_WASM", `${file}: invalid WebAssembly: ${(cause as Error).message}`, { dataSource, file, reason: "invalid wasm" }, { cause });
    }
    return new MappingModule(module, dataSource, file);
  }

  get heap(): AscHeap {
    if (!this._heap) this.reset();
    return this._heap!;
  }

  context(): HostContext {
    if (!this.ctx) throw new DeterministicHostError("NO_CONTEXT", "host function called outside a handler", {});
    return this.ctx;
  }

  /** A fresh instance (fresh memory); `_start` runs first, then its state is snapshotted. */
  reset(): void {
    const instance = new Wasm.Instance(this.module, this.imports);
    const exports = instance.exports as unknown as MappingExports;
    this._heap = new AscHeap(exports);
    this.instance = instance;
    this.instances++;
    this.used = false;
    this.snapshot = null;
    try {
      exports._start?.();
    } catch (cause) {
      throw new MappingLoadError("START_FAILED", `${this.file}: _start failed: ${(cause as Error).message}`, { dataSource: this.dataSource, file: this.file, reason: "_start trapped" }, { cause });
    }
    if (this.globals) {
      this.snapshot = InstanceSnapshot.take(instance, this.globals, exports.__new);
      // Strings below the snapshot's end are the same after every restore; above it, memory is reused.
      if (this.snapshot) this._heap.staticEnd = this.snapshot.staticEnd;
    }
  }

  /** Whether calls share one restored instance; false: a new instance per call (slower). */
  get restorable(): boolean {
    if (!this.instance) this.reset();
    return this.snapshot !== null;
  }

  /** The state of a fresh instance for the next call: the current one restored, or a new one. */
  private fresh(): void {
    if (!this.instance) this.reset();
    else if (this.used) {
      if (!this.snapshot?.restore()) this.reset();
      else if (this._heap!.rewriteFieldNames()) this._heap!.staticEnd = this.snapshot.extend();
    }
    this.used = true;
  }

  hasExport(name: string): boolean {
    return typeof (this.instance ?? (this.reset(), this.instance))!.exports[name] === "function";
  }

  /**
   * Call an exported function with `ctx` as the host context. `args` are produced by `prepare`
   * against this instance's heap (allocations must happen after any reset).
   */
  call<T>(name: string, ctx: HostContext, prepare: (heap: AscHeap) => (number | bigint)[], after?: (heap: AscHeap, result: unknown) => T): T {
    this.fresh();
    const fn = this.instance!.exports[name];
    if (typeof fn !== "function") {
      throw new MappingLoadError("MISSING_EXPORT", `${this.file}: handler \`${name}\` is not exported by the mapping`, { dataSource: this.dataSource, file: this.file, reason: `missing export ${name}` });
    }
    this.ctx = ctx;
    try {
      const args = prepare(this.heap);
      const result = (fn as (...a: unknown[]) => unknown)(...args);
      return after ? after(this.heap, result) : (result as T);
    } finally {
      this.ctx = null;
    }
  }
}
