/**
 * Worker side of createSyncIpfsReader (ipfs-sync.ts): opens the content store from the same
 * ContentStoreConfig, answers cat requests on the transferred port, and bumps the shared counter
 * (Atomics.notify) after each answer so the blocked main thread wakes.
 *
 * `<cid>/<path>` is resolved through UnixFS directories (@helia/unixfs `stat` with `path`) over a
 * read-only block source of the same store: the embedded store's block directory, or Kubo's
 * /api/v0/block/get. The resolved file is then read with the store's own `catBytes`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { workerData, type MessagePort } from "node:worker_threads";
import { unixfs, type UnixFS } from "@helia/unixfs";
import { create } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import { createContentStore, parseCid, type ContentStore, type ContentStoreConfig } from "../../../core/content";
import { splitIpfsPath, type CatRequest, type CatResponse } from "./ipfs-sync";

const { config, control: controlBuffer, port } = workerData as { config: ContentStoreConfig; control: SharedArrayBuffer; port: MessagePort };
const control = new Int32Array(controlBuffer);

function notFound(cid: CID): Error {
  const err = new Error(`block ${cid.toString()} not found`);
  err.name = "NotFoundError";
  return err;
}

/** A read-only blockstore for path resolution, over the same storage the ContentStore uses. */
async function blockSource(c: ContentStoreConfig): Promise<{ get(cid: CID): AsyncGenerator<Uint8Array>; has(cid: CID): Promise<boolean> }> {
  if (c.kind === "embedded") {
    const blocksDir = path.join(path.resolve(c.dir), "blocks");
    const { NextToLast } = await import("blockstore-fs/sharding");
    const sharding = new NextToLast();
    const file = (cid: CID) => {
      const { dir, file: name } = sharding.encode(cid as never);
      return path.join(blocksDir, dir, name);
    };
    return {
      async *get(cid: CID) {
        try {
          yield await readFile(file(cid));
        } catch {
          throw notFound(cid);
        }
      },
      async has(cid: CID) {
        return readFile(file(cid)).then(() => true, () => false);
      },
    };
  }
  const client = create({ url: c.url });
  const timeoutMs = c.timeoutMs ?? 60_000;
  const get = async (cid: CID): Promise<Uint8Array> => {
    try {
      return await client.block.get(cid as never, { signal: AbortSignal.timeout(timeoutMs), offline: c.offline === true } as never);
    } catch {
      throw notFound(cid);
    }
  };
  return {
    async *get(cid: CID) {
      yield await get(cid);
    },
    async has(cid: CID) {
      return get(cid).then(() => true, () => false);
    },
  };
}

let store: ContentStore | null = null;
let fs: UnixFS | null = null;
const ready: Promise<void> = (async () => {
  store = await createContentStore(config);
  fs = unixfs({ blockstore: (await blockSource(config)) as never });
})();
// Tell the blocked main thread the worker is ready (or failed to open: requests then answer the error).
void ready.then(
  () => undefined,
  () => undefined,
).then(() => {
  Atomics.store(control, 1, 1);
  Atomics.notify(control, 1);
});

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  if (e?.name === "NotFoundError" || e?.code === "ERR_NOT_FOUND" || e?.name === "DoesNotExistError") return "IPFS_NOT_FOUND";
  if (typeof e?.code === "string") return e.code;
  return "IPFS_READ_FAILED";
}

async function answer(req: CatRequest): Promise<CatResponse> {
  try {
    await ready;
    const { cid: cidText, path: inner } = splitIpfsPath(req.path);
    let cid = parseCid(cidText, "cid");
    if (inner) {
      const st = await fs!.stat(cid, { path: inner, offline: true } as never);
      cid = (st as { cid: CID }).cid;
    }
    const bytes = await store!.catBytes(cid, req.maxBytes);
    return { id: req.id, ok: true, bytes };
  } catch (err) {
    return { id: req.id, ok: false, code: errorCode(err), message: (err as Error).message };
  }
}

port.on("message", (msg: CatRequest | { close: true }) => {
  if ("close" in msg) {
    port.close();
    void ready.then(() => store?.close()).catch(() => {}).finally(() => process.exit(0));
    return;
  }
  void answer(msg).then((res) => {
    if (res.ok && (res.bytes.byteOffset !== 0 || res.bytes.byteLength !== res.bytes.buffer.byteLength)) res.bytes = res.bytes.slice();
    port.postMessage(res, res.ok ? [res.bytes.buffer as ArrayBuffer] : []);
    Atomics.add(control, 0, 1);
    Atomics.notify(control, 0);
  });
});

