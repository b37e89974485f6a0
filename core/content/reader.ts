import type * as DagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import { NotAFileError, StoreOperationError } from "./errors";

/** Leaf blocks read ahead of the consumer, per DAG level (4 × 256 KiB for a Kubo-default file). */
export const READ_AHEAD_BLOCKS = 4;

const RAW_CODE = 0x55;
const DAG_PB_CODE = 0x70;

// @ipld/dag-pb exports ESM only ("import" condition): it must be loaded with a real import().
let dagPbModule: Promise<typeof DagPb> | undefined;
const loadDagPb = () => (dagPbModule ??= import("@ipld/dag-pb"));

export type BlockReader = (cid: CID, signal?: AbortSignal) => Promise<Uint8Array>;

export interface ReadFileOptions {
  /** First byte to read. */
  offset: number;
  /** Number of bytes to read (the caller has checked the range against the file size). */
  length: number;
  readAhead?: number;
  signal?: AbortSignal;
}

/** A node of the file's DAG that is not UnixFS file data (the store answers "not a file"). */
const notUnixFs = (cid: CID, reason: string) => new NotAFileError({ cid: cid.toString(), type: `non-UnixFS node (${reason})` });
/** The DAG's blocks disagree with the sizes its root promised. */
const inconsistent = (root: CID, reason: string) => new StoreOperationError({ operation: "cat", cid: root.toString(), reason });

function decode(dagPb: typeof DagPb, cid: CID, block: Uint8Array): DagPb.PBNode | Uint8Array {
  if (cid.code === DAG_PB_CODE) return dagPb.decode(block);
  if (cid.code === RAW_CODE) return block;
  throw notUnixFs(cid, `unsupported codec 0x${cid.code.toString(16)}`);
}

/**
 * Streams bytes [offset, offset + length) of a UnixFS file, walking its DAG depth first with
 * backpressure: a level reads at most `readAhead` children ahead of the one being consumed, and
 * nothing more is read until the consumer asks. So a file of any size is read in constant
 * memory, however slow the consumer (@helia/unixfs `cat` pushes every block of the range into
 * an unbounded queue as fast as the disk allows, and reads all of a node's up to 174 children at
 * once: a slow HTTP client made the whole file sit in memory). A node that is not UnixFS file
 * data is NotAFileError; a DAG holding more or fewer bytes than its root says is
 * StoreOperationError; block reads throw their own.
 */
export async function* readFile(readBlock: BlockReader, root: CID, rootBlock: Uint8Array, options: ReadFileOptions): AsyncGenerator<Uint8Array> {
  const start = options.offset;
  const end = options.offset + options.length;
  const readAhead = Math.max(1, options.readAhead ?? READ_AHEAD_BLOCKS);
  const signal = options.signal;
  const dagPb = await loadDagPb();
  let sent = 0;

  /** The wanted part of `data`, which holds file bytes [at, at + data.length). */
  function slice(data: Uint8Array, at: number): Uint8Array | null {
    const s = Math.max(start - at, 0);
    const e = Math.min(end - at, data.byteLength);
    return e > s ? data.subarray(s, e) : null;
  }

  async function* walk(cid: CID, node: DagPb.PBNode | Uint8Array, at: number): AsyncGenerator<Uint8Array> {
    if (node instanceof Uint8Array) {
      const part = slice(node, at);
      if (part) yield part;
      return;
    }
    if (node.Data == null) throw notUnixFs(cid, "a file node without UnixFS data");
    let file: UnixFS;
    try {
      file = UnixFS.unmarshal(node.Data);
    } catch (cause) {
      throw notUnixFs(cid, (cause as Error).message);
    }
    if (file.data != null && file.data.byteLength > 0) {
      const part = slice(file.data, at);
      if (part) yield part;
      at += file.data.byteLength;
    }
    if (node.Links.length !== file.blockSizes.length) throw notUnixFs(cid, "inconsistent block sizes and links");
    const children: { cid: CID; at: number }[] = [];
    for (let i = 0; i < node.Links.length; i++) {
      const size = Number(file.blockSizes[i]);
      if (at + size > start && at < end) children.push({ cid: node.Links[i]!.Hash, at });
      at += size;
      if (at >= end) break;
    }
    const pending: Promise<Uint8Array>[] = [];
    let next = 0;
    const fill = () => {
      while (next < children.length && pending.length < readAhead) {
        const read = readBlock(children[next++]!.cid, signal);
        read.catch(() => undefined); // awaited below in order; never an unhandled rejection
        pending.push(read);
      }
    };
    for (const child of children) {
      signal?.throwIfAborted();
      fill();
      const block = await pending.shift()!;
      fill();
      yield* walk(child.cid, decode(dagPb, child.cid, block), child.at);
    }
  }

  for await (const part of walk(root, decode(dagPb, root, rootBlock), 0)) {
    sent += part.byteLength;
    if (sent > options.length) throw inconsistent(root, "the DAG holds more bytes than its root node says");
    yield part;
  }
  if (sent < options.length) throw inconsistent(root, `the DAG ended after ${sent} of ${options.length} bytes`);
}
