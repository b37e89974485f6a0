// Starts js-ipfs (ipfs-core 0.18 + ipfs-http-server 0.15): an independent implementation of the
// Kubo RPC HTTP API, offline, on 127.0.0.1 with a random port. Usage: node server.mjs <repoDir>
// Prints one JSON line {"url": "http://127.0.0.1:<port>"} once listening; stops on SIGTERM,
// SIGINT or when stdin closes (so a crashed parent never leaves it running).
import { create } from "ipfs-core";
import { HttpApi } from "ipfs-http-server";

const repo = process.argv[2];
if (!repo) {
  console.error("usage: node server.mjs <repoDir>");
  process.exit(2);
}

const ipfs = await create({
  repo,
  offline: true,
  start: true,
  silent: true,
  preload: { enabled: false },
  init: { emptyRepo: true },
  config: {
    Bootstrap: [],
    Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
    Addresses: { Swarm: [], API: "/ip4/127.0.0.1/tcp/0", Gateway: "", Delegates: [] },
  },
});
const api = new HttpApi(ipfs);
await api.start();
const port = api._apiServers[0].info.port;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await api.stop();
    await ipfs.stop();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
