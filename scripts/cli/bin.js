#!/usr/bin/env node
// The `tantieme` command: runs the TypeScript CLI through ts-node (transpile only, no type check).
require("ts-node").register({ transpileOnly: true, project: require("node:path").join(__dirname, "..", "..", "tsconfig.json") });
require("./index.ts").main(process.argv).then((code) => {
  process.exitCode = code;
}, (err) => {
  // index.ts prints its own errors; anything reaching here is a bug.
  console.error(err);
  process.exit(1);
});
