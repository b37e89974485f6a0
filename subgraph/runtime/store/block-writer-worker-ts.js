// Worker entry when running from TypeScript sources: registers ts-node in the worker itself
// (as host/ipfs-sync-worker-ts.js does).
require("ts-node").register({ transpileOnly: true });
require("./block-writer-worker.ts");
