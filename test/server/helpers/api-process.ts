/**
 * The API alone in its own process, as `npm run server` runs it (configuration from the
 * environment), for tests that kill it: prints `listening <url>` once it serves.
 */
import { startApiServer } from "../../../server/src/main";

startApiServer().then(
  (server) => {
    process.stdout.write(`listening ${server.url}\n`);
    process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
