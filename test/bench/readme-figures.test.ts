/**
 * The README's benchmark tables show the committed results (bench/results/*.json): a benchmark
 * re-run that changes a figure fails here until the README says the same.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const results = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(ROOT, "bench/results", name), "utf8"));

describe("bench: README figures match bench/results", function () {
  it("default: every gas scenario of gas.json is a row of the README's gas table, with its figure", function () {
    const gas = results("gas.json") as Record<string, number>;
    expect(Object.keys(gas)).to.not.be.empty;
    for (const [scenario, figure] of Object.entries(gas)) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${scenario}\``));
      expect(row, `README has no gas row for ${scenario}`).to.be.a("string");
      expect(row!.split("|")[2]!.trim(), scenario).to.equal(figure.toLocaleString("en-US"));
    }
  });
});
