import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadManifest } from "../../../subgraph/runtime/manifest";
import { buildTantiemeSubgraph } from "../mappings/helpers/build";

// graph/src/data/subgraph/features.rs (detect_features, validate_subgraph_features): a subgraph
// that uses a feature without declaring it is refused, so what runs embedded also deploys to
// graph-node. The tantieme subgraph uses two: @fulltext (fullTextSearch) and ipfs.cat in the Works
// handlers (ipfsOnEthereumContracts).
describe("subgraph/runtime: manifest features as graph-node detects them", function () {
  this.timeout(600_000);
  let built: string;
  let scratch: string;
  before(() => {
    built = path.dirname(buildTantiemeSubgraph());
    scratch = mkdtempSync(path.join(os.tmpdir(), "tantieme-manifest-"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** The built subgraph with its `features:` list replaced. */
  function withFeatures(features: string[]): string {
    const dir = path.join(scratch, features.join("-") || "none");
    cpSync(built, dir, { recursive: true });
    const file = path.join(dir, "subgraph.yaml");
    const yaml = readFileSync(file, "utf8").replace(/^features:\n(?:  - \w+\n)+/m, features.length ? `features:\n${features.map((f) => `  - ${f}\n`).join("")}` : "");
    writeFileSync(file, yaml);
    return file;
  }

  it("default: the tantieme subgraph declares what it uses", () => {
    expect(loadManifest(withFeatures(["fullTextSearch", "ipfsOnEthereumContracts"])).features).to.deep.equal(["fullTextSearch", "ipfsOnEthereumContracts"]);
  });

  it("error: @fulltext without fullTextSearch", () => {
    expect(() => loadManifest(withFeatures(["ipfsOnEthereumContracts"]))).to.throw("The feature `fullTextSearch` is used by the subgraph but it is not declared in the manifest.");
  });

  it("error: ipfs.cat in an Ethereum mapping without ipfsOnEthereumContracts", () => {
    expect(() => loadManifest(withFeatures(["fullTextSearch"]))).to.throw("The feature `ipfsOnEthereumContracts` is used by the subgraph but it is not declared in the manifest.");
  });
});
