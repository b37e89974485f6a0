/**
 * The stack's local chain on its own (scripts/stack/chain.ts → chain-process.ts): durable
 * acknowledgements, a journal that stays replayable through evm_snapshot / evm_revert and state
 * setters, refused methods, browser origins refused, one chain per folder, and --repair.
 * A real Hardhat network in a real child process; killed with SIGKILL where a crash is the point.
 */
import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ethers } from "ethers";
import { startLocalChain, type RunningChain } from "../../scripts/stack/chain";
import { readJournal } from "../../scripts/stack/journal";
import { freePort } from "./helpers/stack";

const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ADDR1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

async function rpc(url: string, method: string, params: unknown[] = [], headers: Record<string, string> = {}): Promise<{ status: number; body: { result?: unknown; error?: { code: number; message: string } } | string }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

async function result<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const { body } = await rpc(url, method, params);
  if (typeof body === "string" || body.error) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body.result as T;
}

describe("e2e: the local chain (journal, locks, origins)", function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  const chains: RunningChain[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-chain-"));
    dirs.push(d);
    return d;
  };
  const start = async (dataDir: string, extra: { repair?: boolean; allowOrigins?: string[]; port?: number } = {}) => {
    const chain = await startLocalChain({ dataDir, port: extra.port ?? (await freePort()), repair: extra.repair, allowOrigins: extra.allowOrigins });
    chains.push(chain);
    return chain;
  };
  const kill9 = async (chain: RunningChain) => {
    process.kill(chain.pid, "SIGKILL");
    await chain.exited;
  };
  const wallet = new ethers.Wallet(KEY0);
  let nonce = 0;
  const transfer = async (url: string, value: bigint) => {
    const signed = await wallet.signTransaction({ type: 2, chainId: 31337, nonce: nonce++, to: ADDR1, value, gasLimit: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
    return result<string>(url, "eth_sendRawTransaction", [signed]);
  };

  after(async () => {
    for (const c of chains) await c.stop().catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("behavior: a transaction acknowledged by the RPC is in the journal, and survives SIGKILL the next instant", async () => {
    const dir = tmp();
    nonce = 0;
    const chain = await start(dir);
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) hashes.push(await transfer(chain.url, BigInt(i + 1)));
    // Nothing may be buffered: the journal already holds every acknowledged block.
    const journal = readJournal(path.join(dir, "journal.ndjson"));
    expect(journal.entries).to.have.length(5);
    const blockHashes = await Promise.all(hashes.map(async (h) => (await result<{ blockHash: string }>(chain.url, "eth_getTransactionReceipt", [h])).blockHash));
    await kill9(chain);
    const again = await start(dir);
    expect(again.replayed).to.equal(5);
    for (const [i, h] of hashes.entries()) {
      const receipt = await result<{ blockHash: string } | null>(again.url, "eth_getTransactionReceipt", [h]);
      expect(receipt?.blockHash).to.equal(blockHashes[i]);
    }
    await again.stop();
  });

  it("behavior: evm_snapshot / evm_revert and state setters keep the journal replayable", async () => {
    const dir = tmp();
    nonce = 0;
    const chain = await start(dir);
    await transfer(chain.url, 1n);
    const snapshot = await result<string>(chain.url, "evm_snapshot");
    await transfer(chain.url, 2n);
    await result(chain.url, "hardhat_setBalance", [ADDR1, "0x1234"]);
    await result(chain.url, "evm_mine");
    expect(readJournal(path.join(dir, "journal.ndjson")).entries).to.have.length(4);
    expect(await result<boolean>(chain.url, "evm_revert", [snapshot])).to.equal(true);
    // Cut back to the snapshot: block 1 only.
    expect(readJournal(path.join(dir, "journal.ndjson")).entries).to.have.length(1);
    nonce = 1;
    await transfer(chain.url, 3n);
    await result(chain.url, "hardhat_setBalance", [ADDR1, "0x5678"]);
    await result(chain.url, "evm_mine");
    const head = await result<{ hash: string; number: string }>(chain.url, "eth_getBlockByNumber", ["latest", false]);
    await kill9(chain);
    const again = await start(dir);
    const replayed = await result<{ hash: string }>(again.url, "eth_getBlockByNumber", [head.number, false]);
    expect(replayed.hash).to.equal(head.hash);
    expect(await result<string>(again.url, "eth_getBalance", [ADDR1, "latest"])).to.equal("0x5678");
    await again.stop();
  });

  it("error: methods whose effect cannot be journaled are refused with the reason", async () => {
    const chain = await start(tmp());
    for (const method of ["hardhat_reset", "evm_setIntervalMining", "hardhat_impersonateAccount"]) {
      const params = method === "evm_setIntervalMining" ? [1000] : method === "hardhat_impersonateAccount" ? [ADDR1] : [];
      const { body } = await rpc(chain.url, method, params);
      expect(typeof body === "object" && body.error?.message, method).to.match(new RegExp(`^${method} is refused by the local chain: `));
    }
    await chain.stop();
  });

  it("error: browser origins and non-JSON bodies are refused; no Access-Control-Allow-Origin: *", async () => {
    const chain = await start(tmp(), { allowOrigins: ["http://localhost:3000"] });
    const evil = await fetch(chain.url, { method: "POST", headers: { "content-type": "application/json", origin: "http://evil.example" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_accounts", params: [] }) });
    expect(evil.status).to.equal(403);
    expect(evil.headers.get("access-control-allow-origin")).to.equal(null);
    expect(await evil.text()).to.match(/origin http:\/\/evil\.example is not allowed/);
    // The "simple request" a page can send without a preflight.
    const plain = await fetch(chain.url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendTransaction", params: [{ from: wallet.address, to: ADDR1, value: "0x1" }] }) });
    expect(plain.status).to.equal(415);
    const preflight = await fetch(chain.url, { method: "OPTIONS", headers: { origin: "http://evil.example", "access-control-request-method": "POST" } });
    expect(preflight.status).to.equal(403);
    // DNS rebinding: the page's own origin, our address.
    // (fetch may not set Host: a raw request does.)
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request(chain.url, { method: "POST", headers: { "content-type": "application/json", host: "attacker.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.once("error", reject);
      req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_accounts", params: [] }));
    });
    expect(rebound).to.equal(403);
    const allowed = await rpc(chain.url, "eth_chainId", [], { origin: "http://localhost:3000" });
    expect(allowed.status).to.equal(200);
    expect((allowed.body as { result: string }).result).to.equal("0x7a69");
    await chain.stop();
  });

  it("error: a second chain on the same folder is refused, naming the folder and the pid", async () => {
    const dir = tmp();
    const chain = await start(dir);
    let error: Error | undefined;
    try {
      // A short lock wait: the first chain stays up, so waiting the default 15 s would change nothing.
      await startLocalChain({ dataDir: dir, port: await freePort(), readyTimeoutMs: 60_000, lockWaitMs: 1_000 });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.include(`the data folder ${dir} is in use by the local chain (pid ${chain.pid}`);
    expect((error as { code?: string }).code).to.equal("DATA_FOLDER_LOCKED");
    await chain.stop();
  });

  it("behavior: a torn last journal line (a crash mid-write) is dropped; a corrupt journal is refused, and --repair keeps what replays", async () => {
    const dir = tmp();
    nonce = 0;
    const chain = await start(dir);
    for (let i = 0; i < 4; i++) await transfer(chain.url, BigInt(i + 1));
    const block2 = await result<{ hash: string }>(chain.url, "eth_getBlockByNumber", ["0x2", false]);
    await chain.stop();
    const file = path.join(dir, "journal.ndjson");
    fs.appendFileSync(file, '{"number":5,"hash":"0x12');
    const torn = await start(dir);
    expect(torn.replayed).to.equal(4);
    await torn.stop();
    // Block 3 rewritten with a hash the chain cannot produce: the journal no longer replays.
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const third = JSON.parse(lines[2]!) as { hash: string };
    third.hash = "0x" + "ab".repeat(32);
    lines[2] = JSON.stringify(third);
    fs.writeFileSync(file, lines.join("\n"));
    let error: Error | undefined;
    try {
      await start(dir);
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/replaying the chain journal produced block 3 .* start with --repair/);
    const repaired = await start(dir, { repair: true });
    expect(repaired.repaired?.keptEntries).to.equal(2);
    expect(fs.existsSync(repaired.repaired!.discardedFile!)).to.equal(true);
    expect((await result<{ hash: string }>(repaired.url, "eth_getBlockByNumber", ["0x2", false])).hash).to.equal(block2.hash);
    expect(await result<string>(repaired.url, "eth_blockNumber")).to.equal("0x2");
    await repaired.stop();
  });
});
