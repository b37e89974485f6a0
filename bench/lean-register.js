/**
 * A lean TypeScript loader for benchmark child processes, whose figure may be the process's own
 * peak RSS (bench:delivery's adds). ts-node loads the TypeScript compiler, ~110 MB of RSS before
 * a line of ours runs; even swc's native binding is ~20 MB. So the parent transpiles the source
 * folders once with swc (`precompile`, types stripped, CommonJS, `import()` kept) into a cache
 * folder, and the child, started with
 *
 *   node -r ./bench/lean-register.js …   (LEAN_TS_CACHE=<that folder>)
 *
 * loads each .ts file's transpiled code from there: its RSS is node, the modules it requires and
 * what it measures. A file missing from the cache is transpiled on the spot (swc is then loaded).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const OPTIONS = {
  sourceMaps: false,
  jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { useDefineForClassFields: true } },
  module: { type: "commonjs", ignoreDynamic: true },
};

function transpile(filename) {
  return require("@swc/core").transformSync(fs.readFileSync(filename, "utf8"), { ...OPTIONS, filename }).code;
}

/** Transpiles every .ts file under `folders` (relative to the repository) into `cacheDir`. */
function precompile(folders, cacheDir) {
  let n = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(full);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const out = path.join(cacheDir, `${path.relative(ROOT, full)}.js`);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, transpile(full));
        n++;
      }
    }
  };
  for (const folder of folders) walk(path.join(ROOT, folder));
  return n;
}

const cacheDir = process.env.LEAN_TS_CACHE;
require.extensions[".ts"] = (module, filename) => {
  if (cacheDir) {
    const cached = path.join(cacheDir, `${path.relative(ROOT, filename)}.js`);
    if (fs.existsSync(cached)) return module._compile(fs.readFileSync(cached, "utf8"), filename);
  }
  module._compile(transpile(filename), filename);
};

module.exports = { precompile };
