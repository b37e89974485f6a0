import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { rpcProvider } from "../../../core/chain";

// CI failed twice on "nonce too low": a test read the pending nonce right after a transaction
// was mined, and ethers answered from its 250 ms request cache. rpcProvider turns that cache off.
describe("core/chain: rpcProvider", function () {
  let server: http.Server;
  let url: string;
  /** The JSON-RPC methods that reached the node, in order; eth_getTransactionCount answers one more each time. */
  const received: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const calls = ([] as { id: number; method: string }[]).concat(JSON.parse(body) as { id: number; method: string });
        const answers = calls.map((c) => {
          received.push(c.method);
          const result = c.method === "eth_getTransactionCount" ? `0x${received.filter((m) => m === c.method).length.toString(16)}` : "0x7a69";
          return { jsonrpc: "2.0", id: c.id, result };
        });
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(JSON.parse(body)) ? answers : answers[0]));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("default: the request cache is off and the chain id is fixed", () => {
    const provider = rpcProvider(url, 31337);
    expect(provider._getOption("cacheTimeout")).to.equal(-1);
    expect(provider._getOption("staticNetwork")).to.equal(true);
    provider.destroy();
  });

  it("behavior: the same request made twice in a row reaches the node twice (a fresh nonce, never a cached one)", async () => {
    const provider = rpcProvider(url, 31337);
    received.length = 0;
    const account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const first = await provider.getTransactionCount(account, "pending");
    const second = await provider.getTransactionCount(account, "pending");
    expect(received.filter((m) => m === "eth_getTransactionCount")).to.have.length(2);
    expect(second).to.equal(first + 1);
    provider.destroy();
  });
});
