/**
 * The Node (V8) flags the indexer process starts with: the stack's child (scripts/stack/
 * indexer-process.ts), `npm run indexer` (package.json, pinned by test/e2e/indexer-flags.test.ts) and
 * the benchmarks (bench/helpers.ts). Both are heap sizing, read when the heap is set up, so they
 * cannot be set from inside the process.
 *
 * - `--max-semi-space-size=32`: a 32 MB young generation instead of V8's 16 MB. A block's RPC data
 *   (about 250 transactions with their calldata) lives while its handlers run, long enough to
 *   survive two scavenges of a 16 MB young generation and be promoted; with 32 MB most of it dies
 *   young. Half the scavenges, a sixth less CPU in replays of 200,000 events; peak RSS +35 MB.
 * - `--heap-growing-percent=50`: a full GC when the old generation has grown by half its live size.
 *   V8's own factor, up to 4× when collecting is cheap, let the heap reach three times the
 *   indexer's ~80 MB of live data and the peak RSS pass 530 MB.
 *
 * Figures: docs/subgraph.md ("Benchmark").
 */
export const INDEXER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=32", "--heap-growing-percent=50"];
