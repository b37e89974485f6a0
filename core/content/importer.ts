import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";

/** Kubo's default `ipfs add` chunk size (size-262144). */
export const KUBO_CHUNK_SIZE = 262_144;
/** Kubo's default Import.UnixFSFileMaxLinks (helpers.DefaultLinksPerBlock). */
export const KUBO_MAX_LINKS = 174;

/**
 * Importer options that give exactly the CID of a default Kubo `ipfs add`: CIDv0 (sha2-256,
 * dag-pb), 256 KiB fixed chunks, balanced DAG of at most 174 links, leaves wrapped as UnixFS
 * `file` nodes (no raw leaves), a single-chunk file reduced to its leaf. All four are passed
 * explicitly: @helia/unixfs's own defaults (CIDv1, raw leaves, 1 MiB chunks, 1024 links) would
 * otherwise silently win.
 */
export function kuboCompatibleImportOptions() {
  return {
    cidVersion: 0 as const,
    rawLeaves: false,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: KUBO_CHUNK_SIZE }),
    layout: leanLayout(balanced({ maxChildrenPerNode: KUBO_MAX_LINKS })),
  };
}

type Layout = ReturnType<typeof balanced>;

/**
 * The layout with each leaf's chunk let go once its block is written. The importer's leaf
 * entries keep their `unixfs` object, whose `data` is the 256 KiB chunk (often a view of a
 * whole 1 MiB read), while the balanced layout gathers up to 174 leaves per parent and the
 * parents of those: the chunks of a whole parent stayed reachable, so a 200 MB add peaked near
 * 300 MB RSS. The reducer only needs each leaf's data length (`unixfs.data.length`, or
 * `fileSize()` when `data` is absent), so leaves are handed on with a `unixfs` that has no data
 * and reports the same size: the same parent nodes, the same CIDs, no retained chunks.
 */
export function leanLayout(layout: Layout): Layout {
  return (source, reduce) =>
    layout(
      (async function* () {
        for await (const leaf of source) {
          const l = leaf as { single?: boolean; unixfs?: { data?: Uint8Array; fileSize(): bigint } };
          if (l.single !== true && l.unixfs?.data != null) {
            const size = BigInt(l.unixfs.data.length);
            yield { ...leaf, unixfs: { data: undefined, fileSize: () => size } } as unknown as typeof leaf;
          } else {
            yield leaf;
          }
        }
      })(),
      reduce,
    );
}
