import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { INDEXER_NODE_FLAGS } from "../../scripts/indexer-flags";

// The indexer's Node flags are written once (scripts/indexer-flags.ts); the stack and the benchmarks
// import them, package.json's `npm run indexer` cannot, so it is pinned here.
describe("scripts/indexer-flags", function () {
  it("default: `npm run indexer` starts node with the indexer's flags, before the entry", () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.indexer).to.equal(`node ${INDEXER_NODE_FLAGS.join(" ")} -r ts-node/register/transpile-only scripts/indexer.ts`);
  });

  it("behavior: this Node accepts every flag (an unknown one would stop the indexer from starting)", () => {
    const r = spawnSync(process.execPath, [...INDEXER_NODE_FLAGS, "-e", "process.stdout.write(JSON.stringify(process.execArgv))"], { encoding: "utf8" });
    expect(r.stderr).to.equal("");
    expect(r.status).to.equal(0);
    expect((JSON.parse(r.stdout) as string[]).slice(0, INDEXER_NODE_FLAGS.length)).to.deep.equal([...INDEXER_NODE_FLAGS]);
  });
});
