// Worker entry when running from TypeScript sources: registers ts-node in the worker itself.
// (A `.ts` worker file with `-r ts-node/register` in execArgv is routed to Node's ESM loader, which
// rejects the extension, when the parent was started by the ts-node CLI.)
require("ts-node").register({ transpileOnly: true });
require("./ipfs-sync-worker.ts");
