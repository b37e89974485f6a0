/**
 * Parameters for every fast-check property of the suite, so that a failure can be replayed:
 * - the seed is FC_SEED when set (and FC_PATH, when set, jumps straight to the shrunk
 *   counterexample), else a fresh one;
 * - a failure's message is fast-check's report (seed, path, counterexample, the error) followed by
 *   the command line that replays it.
 *
 * Replay a failure: `FC_SEED=<seed> FC_PATH=<path> npx hardhat test <file> --grep "<test name>"`
 * (test/reporter.js prints that exact command at the end of the run).
 */
import fc from "fast-check";

function replaySeed(): { seed: number; path?: string } | undefined {
  const raw = process.env.FC_SEED;
  if (raw === undefined || raw.trim() === "") return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer (the seed of a fast-check report), got ${JSON.stringify(raw)}`);
  const path = process.env.FC_PATH?.trim() || undefined;
  return { seed, path };
}

export function replayable<T>(params: fc.Parameters<T> = {}): fc.Parameters<T> {
  const replay = replaySeed();
  // fast-check's own default, made explicit so that it is known before the run starts.
  const seed = replay?.seed ?? (Date.now() ^ (Math.random() * 0x1_0000_0000)) | 0;
  if (replay) console.log(`      fast-check: replaying seed ${seed}${replay.path ? `, path ${replay.path}` : ""}`);
  return {
    ...params,
    seed,
    ...(replay?.path ? { path: replay.path, endOnFailure: true } : {}),
    reporter(out) {
      if (!out.failed) return;
      const report = fc.defaultReportMessage(out) ?? `Property failed (seed ${out.seed}, path ${out.counterexamplePath})`;
      throw new Error(
        `${report}\n\nReplay this failure: FC_SEED=${out.seed}${out.counterexamplePath ? ` FC_PATH=${out.counterexamplePath}` : ""} npx hardhat test <this test file> --grep "<this test's name>"`,
        { cause: out.errorInstance },
      );
    },
  };
}
