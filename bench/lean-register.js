/**
 * A lean TypeScript loader for benchmark child processes: each .ts file is transpiled with swc
 * (types stripped, CommonJS, `import()` kept) and nothing else. ts-node loads the TypeScript
 * compiler as well, which alone puts ~110 MB in RSS before a line of ours runs; a phase whose
 * figure is the process's peak RSS (bench:delivery's adds) runs under this instead.
 *
 *   node -r ./bench/lean-register.js bench/delivery.ts …
 */
"use strict";
const fs = require("node:fs");
const swc = require("@swc/core");

const options = {
  sourceMaps: false,
  jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { useDefineForClassFields: true } },
  module: { type: "commonjs", ignoreDynamic: true },
};

require.extensions[".ts"] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, "utf8"), { ...options, filename });
  module._compile(code, filename);
};
