import { access, mkdir, open, readFile, readdir, rename, rm, unlink, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { unixfs, type UnixFS } from "@helia/unixfs";
import type { CID } from "multiformats/cid";
import { cidKey, parseCid } from "./cid";
import {
  ContentNotFoundError,
  ContentTooLargeError,
  InvalidRangeError,
  IpfsError,
  NotAFileError,
  StoreClosedError,
  StoreOperationError,
} from "./errors";
import { kuboCompatibleImportOptions } from "./importer";
import { readFile as readUnixfsFile, type BlockReader } from "./reader";
import { checkRange, collect, countingSource } from "./util";
import type { AddOptions, AddResult, CatOptions, ContentStat, ContentStore, PinInfo } from "./types";

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

interface ShardingStrategy {
  encode(cid: CID): { dir: string; file: string };
}

interface PinRecord {
  cid: string;
  pinnedAt: string;
}

/**
 * The embedded store: UnixFS (@helia/unixfs) over blockstore-fs in `<dir>/blocks`, recursive pins
 * recorded one JSON file per pin in `<dir>/pins` (written to a temp file, fsynced, renamed).
 * No daemon, no network: everything not on disk is "not found".
 */
export class EmbeddedContentStore implements ContentStore {
  readonly kind = "embedded" as const;
  readonly dir: string;
  readonly #fs: UnixFS;
  readonly #blockstore: { close(): Promise<void>; has(cid: CID): Promise<boolean> };
  readonly #readBlock: BlockReader;
  readonly #pinsDir: string;
  #closed = false;

  private constructor(dir: string, fs: UnixFS, blockstore: { close(): Promise<void>; has(cid: CID): Promise<boolean> }, readBlock: BlockReader) {
    this.dir = dir;
    this.#fs = fs;
    this.#blockstore = blockstore;
    this.#readBlock = readBlock;
    this.#pinsDir = path.join(dir, "pins");
  }

  static async open(dir: string): Promise<EmbeddedContentStore> {
    const root = path.resolve(dir);
    const blocksDir = path.join(root, "blocks");
    try {
      await mkdir(blocksDir, { recursive: true });
      await mkdir(path.join(root, "pins"), { recursive: true });
    } catch (cause) {
      throw new StoreOperationError({ operation: "open", reason: `cannot create ${root}: ${(cause as Error).message}` }, { cause });
    }
    // blockstore-fs has a broken `module-sync` export: it must be loaded with a real import().
    const { FsBlockstore } = await import("blockstore-fs");
    const { NextToLast } = await import("blockstore-fs/sharding");
    const sharding: ShardingStrategy = new NextToLast();
    const fsBlockstore = new FsBlockstore(blocksDir, { shardingStrategy: sharding as never });
    await fsBlockstore.open();
    // Reads go straight to one readFile per block: blockstore-fs streams each block through a
    // 64 KiB createReadStream, which costs a third of the cat throughput.
    // Writes skip blocks already on disk and share one write per block in flight: repeated
    // chunks (silence in a WAV master, a flat-colour image) otherwise make blockstore-fs race
    // several temp-file-and-rename writers on one path, which costs seconds per block.
    const inFlight = new Map<string, Promise<CID>>();
    const madeDirs = new Set<string>();
    let tmpCounter = 0;
    const readBlock: BlockReader = async (cid, signal) => {
      const { dir: shard, file } = sharding.encode(cid);
      try {
        return await readFile(path.join(blocksDir, shard, file), { signal });
      } catch (cause) {
        if ((cause as Error).name === "AbortError") throw cause;
        const err = new Error(`block ${cid.toString()} not found`, { cause });
        err.name = "NotFoundError";
        throw err;
      }
    };
    const blockstore = {
      put(cid: CID, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID> {
        const key = Buffer.from(cid.multihash.bytes).toString("base64");
        const pending = inFlight.get(key);
        if (pending) return pending;
        const write = (async () => {
          try {
            options?.signal?.throwIfAborted();
            const { dir: shard, file } = sharding.encode(cid);
            const target = path.join(blocksDir, shard, file);
            if (await exists(target)) return cid;
            if (!madeDirs.has(shard)) {
              await mkdir(path.join(blocksDir, shard), { recursive: true });
              madeDirs.add(shard);
            }
            // Same layout as blockstore-fs (so its reads, has and getAll agree), one write + rename.
            const tmp = `${target}.${process.pid}.${(tmpCounter++).toString(36)}.tmp`;
            try {
              await writeFile(tmp, bytes);
              await rename(tmp, target);
            } catch (cause) {
              await rm(tmp, { force: true }).catch(() => undefined);
              throw cause;
            }
            return cid;
          } finally {
            inFlight.delete(key);
          }
        })();
        inFlight.set(key, write);
        return write;
      },
      has: fsBlockstore.has.bind(fsBlockstore),
      async *get(cid: CID): AsyncGenerator<Uint8Array> {
        yield await readBlock(cid);
      },
    };
    return new EmbeddedContentStore(root, unixfs({ blockstore }), fsBlockstore, readBlock);
  }

  async add(content: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: AddOptions = {}): Promise<AddResult> {
    this.#assertOpen("add");
    const counter = countingSource(content, options.onProgress);
    let cid: CID;
    try {
      cid = await this.#fs.addByteStream(counter.source, { ...kuboCompatibleImportOptions(), signal: options.signal });
    } catch (cause) {
      if (cause instanceof IpfsError) throw cause;
      throw new StoreOperationError({ operation: "add", reason: (cause as Error).message }, { cause });
    }
    let newlyPinned = false;
    if (options.pin !== false && !(await this.isPinned(cid))) {
      await this.#writePin(cid);
      newlyPinned = true;
    }
    return { cid, size: counter.bytes(), newlyPinned };
  }

  async *cat(cidLike: CID | string, options: CatOptions = {}): AsyncIterable<Uint8Array> {
    this.#assertOpen("cat");
    const cid = parseCid(cidLike);
    const { size } = await this.#fileInfo(cid);
    const { offset, length } = checkRange(options, size);
    if (length === 0) return;
    try {
      // Our own DAG walk, not @helia/unixfs `cat`: it reads ahead a few blocks only (reader.ts).
      const rootBlock = await this.#readBlock(cid, options.signal);
      yield* readUnixfsFile(this.#readBlock, cid, rootBlock, { offset, length, signal: options.signal });
    } catch (cause) {
      throw this.#wrap(cause, "cat", cid);
    }
  }

  async catBytes(cidLike: CID | string, maxBytes: number, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    this.#assertOpen("catBytes");
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new InvalidRangeError({ field: "maxBytes", value: maxBytes, reason: "must be a non-negative integer" });
    }
    const cid = parseCid(cidLike);
    const { size } = await this.#fileInfo(cid);
    if (size > maxBytes) throw new ContentTooLargeError({ cid: cid.toString(), size, maxBytes });
    return collect(this.cat(cid, { signal: options.signal }), size);
  }

  async stat(cidLike: CID | string, options: { signal?: AbortSignal } = {}): Promise<ContentStat> {
    this.#assertOpen("stat");
    const cid = parseCid(cidLike);
    try {
      // Not `offline: true`: with it, @helia/unixfs counts missing blocks as "not local" instead of failing.
      const st = await this.#fs.stat(cid, { extended: true, signal: options.signal });
      return {
        cid,
        size: Number(st.size),
        type: st.type,
        blocks: Number(st.blocks),
        dagSize: Number(st.dagSize),
      };
    } catch (cause) {
      throw this.#wrap(cause, "stat", cid);
    }
  }

  async size(cidLike: CID | string, options: { signal?: AbortSignal } = {}): Promise<number> {
    this.#assertOpen("size");
    return (await this.#fileInfo(parseCid(cidLike))).size;
  }

  async has(cidLike: CID | string): Promise<boolean> {
    this.#assertOpen("has");
    const cid = parseCid(cidLike);
    try {
      return await this.#blockstore.has(cid);
    } catch (cause) {
      throw new StoreOperationError({ operation: "has", cid: cid.toString(), reason: (cause as Error).message }, { cause });
    }
  }

  async pin(cidLike: CID | string): Promise<void> {
    this.#assertOpen("pin");
    const cid = parseCid(cidLike);
    if (await this.isPinned(cid)) return;
    // A recursive pin promises the whole DAG: walk it, every block must be on disk.
    await this.stat(cid);
    await this.#writePin(cid);
  }

  async unpin(cidLike: CID | string): Promise<void> {
    this.#assertOpen("unpin");
    const cid = parseCid(cidLike);
    try {
      await unlink(this.#pinPath(cid));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new StoreOperationError({ operation: "unpin", cid: cid.toString(), reason: (cause as Error).message }, { cause });
    }
  }

  async isPinned(cidLike: CID | string): Promise<boolean> {
    this.#assertOpen("isPinned");
    const cid = parseCid(cidLike);
    try {
      await readFile(this.#pinPath(cid));
      return true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw new StoreOperationError({ operation: "isPinned", cid: cid.toString(), reason: (cause as Error).message }, { cause });
    }
  }

  async listPins(): Promise<PinInfo[]> {
    this.#assertOpen("listPins");
    const names = (await readdir(this.#pinsDir)).filter((n) => n.endsWith(".json")).sort();
    const pins: PinInfo[] = [];
    for (const name of names) {
      let record: PinRecord;
      try {
        record = JSON.parse(await readFile(path.join(this.#pinsDir, name), "utf8")) as PinRecord;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === "ENOENT") continue; // unpinned meanwhile
        throw new StoreOperationError({ operation: "listPins", reason: `pin record ${name} is unreadable` }, { cause });
      }
      pins.push({ cid: parseCid(record.cid, `pins/${name}`), pinnedAt: record.pinnedAt });
    }
    return pins;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#blockstore.close();
  }

  // ---------------------------------------------------------------- internal

  #assertOpen(operation: string): void {
    if (this.#closed) throw new StoreClosedError({ operation });
  }

  #pinPath(cid: CID): string {
    return path.join(this.#pinsDir, `${cidKey(cid)}.json`);
  }

  /** Atomic and durable: temp file in the same directory, fsync, rename, fsync the directory. */
  async #writePin(cid: CID): Promise<void> {
    const target = this.#pinPath(cid);
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const record: PinRecord = { cid: cid.toString(), pinnedAt: new Date().toISOString() };
    let handle: FileHandle | undefined;
    try {
      handle = await open(tmp, "wx");
      await handle.writeFile(JSON.stringify(record));
      await handle.sync();
      await handle.close();
      handle = undefined;
      await rename(tmp, target);
      const dirHandle = await open(this.#pinsDir, "r");
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch (cause) {
      await handle?.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      throw new StoreOperationError({ operation: "pin", cid: cid.toString(), reason: (cause as Error).message }, { cause });
    }
  }

  /** Size and type from the root block only. */
  async #fileInfo(cid: CID): Promise<{ size: number }> {
    let st;
    try {
      st = await this.#fs.stat(cid, { offline: true });
    } catch (cause) {
      throw this.#wrap(cause, "stat", cid);
    }
    if (st.type === "directory") throw new NotAFileError({ cid: cid.toString(), type: st.type });
    return { size: Number(st.size) };
  }

  #wrap(cause: unknown, operation: string, cid: CID): Error {
    if (cause instanceof IpfsError) return cause;
    const name = (cause as Error | undefined)?.name;
    if (name === "NotFoundError" || name === "BlockNotFoundWhileOfflineError" || name === "LoadBlockFailedError") {
      return new ContentNotFoundError({ cid: cid.toString(), reason: "a block is missing from the embedded store" }, { cause });
    }
    if (name === "NotAFileError" || name === "NotUnixFSError") {
      return new NotAFileError({ cid: cid.toString(), type: name === "NotAFileError" ? "directory" : "non-UnixFS node" }, { cause });
    }
    return new StoreOperationError({ operation, cid: cid.toString(), reason: (cause as Error).message ?? String(cause) }, { cause });
  }
}
