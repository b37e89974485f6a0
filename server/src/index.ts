/**
 * Starts the API alone (`npm run server`): configuration from the environment, binds 127.0.0.1:4000
 * by default. `npm start` runs this same entry as a child process of its supervisor (with an IPC
 * channel): then it also stops when the supervisor goes away, however that died.
 */
import { ConfigError } from "./config";
import { startApiServer } from "./main";

// Started with an IPC channel (by the stack): no orphan API when the stack is gone, even before it listens.
const supervised = process.send !== undefined;
let onParentGone: () => void = () => process.exit(0);
if (supervised) process.once("disconnect", () => onParentGone());

startApiServer().then(
  (server) => {
    let stopping = false;
    const stop = (reason: string) => {
      if (stopping) return;
      stopping = true;
      // Under the stack, its supervisor reports the stop (`✓ API stopped`).
      if (!supervised) process.stderr.write(`\n${reason}: stopping the API\n`);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    onParentGone = () => stop("the stack is gone");
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`tantieme API: ${err.message}\n`);
    else process.stderr.write(`tantieme API failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
