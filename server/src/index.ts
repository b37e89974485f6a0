/** Starts the API alone (`npm run server`): configuration from the environment, binds 127.0.0.1:4000 by default. */
import { ConfigError } from "./config";
import { startApiServer } from "./main";

startApiServer().then(
  (server) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\n${signal}: stopping the API\n`);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`tantieme API: ${err.message}\n`);
    else process.stderr.write(`tantieme API failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
