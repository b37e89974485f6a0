import { expect } from "chai";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// The layering rules of .dependency-cruiser.cjs (run over the repository by `npm run lint:layers`
// in `npm test`) applied to a small tree with one import against each rule: each one fails.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require("../.dependency-cruiser.cjs") as { forbidden: { name: string }[]; options: Record<string, unknown> };

const TREE: Record<string, string> = {
  "core/domain/a.ts": `import { b } from "../../server/src/b";\nimport { y } from "./y";\nexport const a = b + y;\n`,
  "core/domain/y.ts": `import { a } from "./a";\nexport const y = 1;\nexport const z = () => a;\n`,
  "core/content/ok.ts": `import { y } from "../domain/y";\nexport const ok = y;\n`,
  "server/src/b.ts": `import { c } from "../../scripts/c";\nexport const b = c;\n`,
  "server/src/schema/q.ts": `import { LICENCE } from "../subgraph/fragments";\nimport { ok } from "../../../core/content/ok";\nexport const q = LICENCE + ok;\n`,
  "server/src/subgraph/fragments.ts": `export const LICENCE = "{ id }";\n`,
  "server/src/subgraph/reads.ts": `import { LICENCE } from "./fragments";\nexport const reads = LICENCE;\n`,
  "server/src/app.ts": `import { r } from "../../subgraph/runtime/r";\nexport const app = r;\n`,
  "subgraph/runtime/r.ts": `import { b } from "../../server/src/b";\nimport { ok } from "../../core/content/ok";\nexport const r = b + ok;\n`,
  "subgraph/src/m.ts": `import { y } from "../../core/domain/y";\nexport const m = y;\n`,
  "scripts/c.ts": `import { ok } from "../core/content/ok";\nimport { reads } from "../server/src/subgraph/reads";\nexport const c = ok + reads;\n`,
  "test/t.ts": `import { a } from "../core/domain/a";\nimport { r } from "../subgraph/runtime/r";\nexport const t = a + r;\n`,
};

describe("layering: .dependency-cruiser.cjs", function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tantieme-layering-"));
    for (const [file, text] of Object.entries(TREE)) {
      await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("behavior: every rule fails on an import against it, and only there", async function () {
    const { cruise } = await import("dependency-cruiser");
    const cwd = process.cwd();
    process.chdir(dir); // dependency-cruiser resolves and reports relative to the working directory
    let output;
    try {
      output = await cruise(Object.keys(TREE), {
        ruleSet: { forbidden: config.forbidden } as never,
        validate: true,
        tsPreCompilationDeps: true,
        moduleSystems: ["cjs", "es6"],
        doNotFollow: { path: "node_modules" },
      });
    } finally {
      process.chdir(cwd);
    }
    const result = output.output as { summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: unknown }[] } };
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    // The cycle a.ts ⇄ y.ts is reported (dependency-cruiser names the edges it reached it by).
    expect(found).to.include("no-circular-core: core/domain/a.ts -> core/domain/y.ts");
    expect(found.filter((f) => !f.startsWith("no-circular-core:")).sort()).to.deep.equal(
      [
        "core-is-the-bottom: core/domain/a.ts -> server/src/b.ts",
        "mappings-are-self-contained: subgraph/src/m.ts -> core/domain/y.ts",
        "one-subgraph-client: server/src/schema/q.ts -> server/src/subgraph/fragments.ts",
        "runtime-imports-core-only: subgraph/runtime/r.ts -> server/src/b.ts",
        "server-below-scripts: server/src/app.ts -> subgraph/runtime/r.ts",
        "server-below-scripts: server/src/b.ts -> scripts/c.ts",
      ].sort(),
    );
    // Every rule of the configuration is exercised by the tree above.
    expect([...new Set(result.summary.violations.map((v) => v.rule.name))].sort()).to.deep.equal(config.forbidden.map((r) => r.name).sort());
  });
});
