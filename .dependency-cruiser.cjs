// The layering of tantieme (docs/architecture.md, "Dependency rules"), checked by
// `npm run lint:layers` inside `npm test`, and pinned by test/layering.test.ts.
//
//   core/             imports no other top-level folder of ours (it may run in a browser later)
//   subgraph/runtime  imports core/ only
//   subgraph/src      (AssemblyScript mappings) imports its generated bindings only
//   server/           imports core/ (and the generated contract bindings); reaches the index only
//                     through server/src/subgraph, whose query text nobody else imports
//   scripts/, bench/, test/ may use everything.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-is-the-bottom",
      comment: "core/ is shared by every part: it knows no server, subgraph, CLI, bench or test code.",
      severity: "error",
      from: { path: "^core/" },
      to: { path: "^(server|subgraph|scripts|web|bench|test|contracts|ignition|typechain-types|artifacts)/" },
    },
    {
      name: "runtime-imports-core-only",
      comment: "subgraph/runtime (the embedded graph-node) builds on core/ only.",
      severity: "error",
      from: { path: "^subgraph/runtime/" },
      to: { path: "^(server|scripts|web|bench|test|contracts|ignition|typechain-types|artifacts|subgraph/(src|generated|build))/" },
    },
    {
      name: "mappings-are-self-contained",
      comment: "the AssemblyScript mappings compile to WASM: they import graph-ts and their generated bindings only.",
      severity: "error",
      from: { path: "^subgraph/src/" },
      to: { path: "^(core|server|scripts|web|bench|test|subgraph/runtime)/" },
    },
    {
      name: "server-below-scripts",
      comment: "server/ imports core/; the index is reached over GraphQL, never by importing subgraph/.",
      severity: "error",
      from: { path: "^server/" },
      to: { path: "^(subgraph|scripts|web|bench|test)/" },
    },
    {
      name: "one-subgraph-client",
      comment: "every subgraph read lives in server/src/subgraph: its query fragments and client internals are imported nowhere else.",
      severity: "error",
      from: { path: "^", pathNot: "^server/src/subgraph/" },
      to: { path: "^server/src/subgraph/fragments\\.ts$" },
    },
    {
      name: "no-circular-core",
      comment: "core/ folders do not import each other in a circle.",
      severity: "error",
      from: { path: "^core/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|generated|build|dist)/|^test/core/content/kubo-rpc-server/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
