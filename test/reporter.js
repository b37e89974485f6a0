// Mocha's spec reporter, closing with the plain summary line CI tools read: "N passed, N failed, N skipped",
// preceded by the command that reruns each failure alone (with the fast-check seed and path when a
// property failed), so a failure seen once can be replayed.
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

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
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      // A failing hook ("before all" hook for …) reruns with the tests of its suite.
      const title = test.type === "hook" && test.parent ? test.parent.fullTitle() : test.fullTitle();
      const replay = /Replay this failure: (FC_SEED=\S+(?: FC_PATH=\S+)?)/.exec(String(err && err.message));
      failed.push({ file: test.file, title, env: replay ? replay[1] : "" });
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
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
