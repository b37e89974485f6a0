/**
 * A build cache for the subgraphs this checkout compiles (the stack's, the tests' tantieme
 * subgraph, the probe fixture): one folder per hash of the build's inputs, in this checkout's own
 * `cache/subgraph-builds/` (git-ignored, like Hardhat's cache). A new data folder of `npm start`
 * (a test's, a second demo) deploys the same addresses on its fresh chain, so it reuses the build
 * instead of spending half a minute in graph-cli. Nothing is shared with other checkouts or left in the
 * machine's temp folder, where a temp cleaner could delete part of a build another run relies on.
 *
 * A build runs in a fresh folder beside the cache and is renamed into place only once complete, so
 * a build that is killed or fails is never used, and concurrent runs of the same checkout never
 * write into the same folder: the first rename wins, the others use its copy.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
export const BUILD_CACHE = path.join(ROOT, "cache", "subgraph-builds");

const DAY_MS = 24 * 3600_000;

/**
 * Removes `name`'s builds of other inputs, and abandoned build folders (a killed run's), once they
 * are a day old: a run that started on older inputs a moment ago may still be reading its copy.
 */
function pruneOlderBuilds(name: string, keep: string): void {
  for (const entry of readdirSync(BUILD_CACHE)) {
    const full = path.join(BUILD_CACHE, entry);
    if (full === keep || !(entry.startsWith(`${name}-`) || entry.startsWith(`.building-${name}-`))) continue;
    try {
      if (Date.now() - statSync(full).mtimeMs > DAY_MS) rmSync(full, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another run
    }
  }
}

/**
 * The built copy for `name` and `hash`: `<cache>/<name>-<hash>`, built by `build(workDir)` when it
 * is not there yet. `output` is a file the build produces (relative to its folder), returned as a
 * path in the cache.
 */
export function cachedBuild(name: string, hash: string, output: string, build: (workDir: string) => void): string {
  const dir = path.join(BUILD_CACHE, `${name}-${hash.slice(0, 20)}`);
  const result = path.join(dir, output);
  if (existsSync(result)) return result;
  mkdirSync(BUILD_CACHE, { recursive: true });
  const work = mkdtempSync(path.join(BUILD_CACHE, `.building-${name}-`));
  try {
    build(work);
    if (!existsSync(path.join(work, output))) throw new Error(`the ${name} build produced no ${output}`);
    try {
      renameSync(work, dir);
      pruneOlderBuilds(name, dir);
    } catch (error) {
      // Another run built the same inputs meanwhile (rename onto its non-empty folder fails): use its copy.
      if (!existsSync(result)) throw error;
      rmSync(work, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  return result;
}
