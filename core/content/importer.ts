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
    layout: balanced({ maxChildrenPerNode: KUBO_MAX_LINKS }),
  };
}
