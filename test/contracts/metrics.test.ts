// The committed bytecode sizes and storage layouts match the compiled contracts, so a change of
// either is seen in review (regenerate with `npm run contracts:metrics`).
import { expect } from "chai";
import fs from "node:fs";
import hre from "hardhat";
import { BYTECODE_FILE, CODE_LIMIT, STORAGE_FILE, contractMetrics } from "../../scripts/contract-metrics";

describe("Contract metrics", () => {
  before(async function () {
    // Under `npm run coverage` the contracts are instrumented: their sizes are not the real ones.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    await hre.run("compile", { quiet: true });
  });

  it("default: bench/results/bytecode.json matches the compiled bytecode sizes; every contract fits EIP-170", () => {
    const { bytecode } = contractMetrics();
    expect(JSON.parse(fs.readFileSync(BYTECODE_FILE, "utf8"))).to.deep.equal(bytecode);
    for (const [name, { bytes }] of Object.entries(bytecode)) expect(bytes, name).to.be.at.most(CODE_LIMIT);
  });

  it("default: bench/results/storage-layout.json matches the compiled storage layouts", () => {
    const { storage } = contractMetrics();
    expect(JSON.parse(fs.readFileSync(STORAGE_FILE, "utf8"))).to.deep.equal(storage);
  });
});
