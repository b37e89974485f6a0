// Mocha's spec reporter, closing with the plain summary line CI tools read: "N passed, N failed, N skipped",
// preceded by the command that reruns each failure alone (with the fast-check seed and path when a
// property failed), so a failure seen once can be replayed, and by the slowest test files (hooks
// included), so the suite's time is spent where it is seen.
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

/** How many of the slowest files the summary lists. */
const SLOWEST = 10;

/** --grep takes a regular expression: the title, matched literally. */
function literal(title) {
  return title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A shell word: single-quoted unless plain. */
function quote(s) {
  return /^[\w./:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failed = [];
    /** Wall time per test file: its top-level suites, from their first hook to their last. */
    const fileMs = new Map();
    const started = new Map();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.parent && suite.parent.root && suite.file) started.set(suite, Date.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const t0 = started.get(suite);
      if (t0 === undefined) return;
      const file = path.relative(process.cwd(), suite.file);
      fileMs.set(file, (fileMs.get(file) ?? 0) + Date.now() - t0);
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      // A failing hook ("before all" hook for …) reruns with the tests of its suite.
      const title = test.type === "hook" && test.parent ? test.parent.fullTitle() : test.fullTitle();
      const replay = /Replay this failure: (FC_SEED=\S+(?: FC_PATH=\S+)?)/.exec(String(err && err.message));
      failed.push({ file: test.file, title, env: replay ? replay[1] : "" });
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      const slowest = [...fileMs].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
      if (slowest.length > 0) {
        process.stdout.write(`\nSlowest test files (hooks included):\n`);
        for (const [file, ms] of slowest) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`);
      }
      if (failed.length > 0) {
        process.stdout.write(`\nRerun a failure alone:\n`);
        for (const f of failed) {
          const file = f.file ? path.relative(process.cwd(), f.file) : "<file>";
          process.stdout.write(`  ${f.env ? `${f.env} ` : ""}npx hardhat test ${quote(file)} --grep ${quote(literal(f.title))}\n`);
        }
      }
      process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}

module.exports = SpecWithSummary;
