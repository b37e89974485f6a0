/**
 * The stack as an operator meets it when things go wrong (`npm start`, real processes): a second
 * start on the same data folder, a part that dies (kill -9 of the indexer, the chain or the API), Ctrl-C
 * while a part is down, a start that fails half-way, and a broken chain journal mended by --repair.
 */
import { expect } from "chai";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ethers } from "ethers";
import { launchStackProcess, startStackProcess, waitPortsClosed, type OwnedStack } from "./helpers/stack";
import { rpcProvider } from "../../core/chain";

const lockPid = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, ".lock"), "utf8")) as { pid: number }).pid;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function readyz(stack: OwnedStack): Promise<{ status: number; body: { checks?: Record<string, { ok: boolean }> } }> {
  try {
    const res = await fetch(stack.apiUrl.replace(/\/graphql$/, "/readyz"));
    return { status: res.status, body: (await res.json()) as { checks?: Record<string, { ok: boolean }> } };
  } catch {
    return { status: 0, body: {} };
  }
}

describe("e2e: the stack when things go wrong (npm start)", function () {
  this.timeout(900_000);
  let stack: OwnedStack;
  let dataDir: string;

  before(async () => {
    stack = await startStackProcess({ seed: false });
    dataDir = stack.dataDir;
  });

  after(async () => {
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("error: a second npm start on the same data folder is refused, naming the folder and the pid holding it", async () => {
    const second = await launchStackProcess({ dataDir, seed: false });
    const code = await second.exited;
    expect(code).to.not.equal(0);
    expect(second.output.join("\n")).to.include(`the data folder ${dataDir} is in use by a tantieme stack (npm start) (pid ${lockPid(dataDir)}`);
    // The first stack is untouched.
    expect((await readyz(stack)).status).to.equal(200);
  });

  it("behavior: the supervisor says when the indexer dies, restarts it, and /readyz follows", async () => {
    const before = lockPid(path.join(dataDir, "subgraph"));
    process.kill(before, "SIGKILL");
    await waitFor("the death to be reported", () => stack.output.find((l) => /✗ subgraph runtime died \(killed by SIGKILL\); restarting in/.test(l)));
    const notReady = await waitFor("/readyz to say not ready", async () => {
      const r = await readyz(stack);
      return r.status === 503 ? r : stack.output.some((l) => l.includes("✓ subgraph runtime restarted")) ? r : undefined;
    });
    await waitFor("the restart", () => stack.output.find((l) => l.includes("✓ subgraph runtime restarted (restart 1)")));
    expect(lockPid(path.join(dataDir, "subgraph"))).to.not.equal(before);
    await waitFor("/readyz to be ready again", async () => ((await readyz(stack)).status === 200 ? true : undefined));
    // The restart usually takes seconds (a new process): /readyz saw the subgraph down meanwhile.
    if (notReady.status === 503) expect(notReady.body.checks?.subgraph?.ok).to.equal(false);
  });

  it("behavior: a dead chain is restarted from its journal, with every acknowledged transaction", async () => {
    const provider = rpcProvider(stack.rpcUrl, 31337);
    const wallet = new ethers.Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", provider);
    const tx = await wallet.sendTransaction({ to: wallet.address, value: 1n });
    const mined = await provider.getTransactionReceipt(tx.hash);
    process.kill(lockPid(path.join(dataDir, "chain")), "SIGKILL");
    await waitFor("the chain's restart", () => stack.output.find((l) => l.includes("✓ chain restarted")));
    const after = await provider.getTransactionReceipt(tx.hash);
    expect(after?.blockHash).to.equal(mined!.blockHash);
    provider.destroy();
    await waitFor("/readyz to be ready again", async () => ((await readyz(stack)).status === 200 ? true : undefined));
  });

  it("behavior: a dead API is reported and restarted, and the chain and the indexer never notice", async () => {
    const pidOf = (line: string | undefined) => Number(/pid (\d+)/.exec(line ?? "")?.[1]);
    const before = pidOf(stack.output.find((l) => l.includes("✓ rights API with GraphiQL")));
    expect(before, stack.output.join("\n")).to.be.greaterThan(0);
    const chainPid = lockPid(path.join(dataDir, "chain"));
    const indexerPid = lockPid(path.join(dataDir, "subgraph"));
    const seen = stack.output.length;
    process.kill(before, "SIGKILL");
    await waitFor("the death to be reported", () => stack.output.find((l) => /✗ API died \(killed by SIGKILL\); restarting in/.test(l)));
    const again = await waitFor("the restart", () => stack.output.find((l) => l.includes("✓ API answering again (pid ")));
    expect(pidOf(again)).to.not.equal(before);
    expect(stack.output).to.include("  ✓ API restarted (restart 1)");
    await waitFor("/readyz to be ready again", async () => ((await readyz(stack)).status === 200 ? true : undefined));
    // The API was the only part that died: the chain and the indexer are the same processes.
    expect(lockPid(path.join(dataDir, "chain"))).to.equal(chainPid);
    expect(lockPid(path.join(dataDir, "subgraph"))).to.equal(indexerPid);
    expect(stack.output.slice(seen).filter((l) => /✗ (chain|subgraph runtime) died/.test(l))).to.deep.equal([]);
  });

  it("behavior: Ctrl-C while a part is down reports it as not running, not as stopped", async () => {
    process.kill(lockPid(path.join(dataDir, "subgraph")), "SIGKILL");
    await waitFor("the death to be reported", () => stack.output.find((l, i, all) => /✗ subgraph runtime died/.test(l) && i > all.findIndex((x) => x.includes("✓ subgraph runtime restarted (restart 1)"))));
    await stack.stop();
    const out = stack.output.join("\n");
    expect(out).to.match(/✗ subgraph runtime was not running \(killed by SIGKILL at [^;]+; 1 restart\(s\)\)/);
    expect(out).to.not.include("✓ subgraph runtime stopped");
    for (const part of ["API", "chain"]) expect(out).to.include(`  ✓ ${part} stopped`);
    expect(await waitPortsClosed(Object.values(stack.ports))).to.deep.equal([]);
  });

  it("error: an operator's invalid API setting stops npm start before the chain starts, naming the variable", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-stack-config-"));
    try {
      const failing = await launchStackProcess({ dataDir: folder, seed: false, env: { LOG_LEVEL: "loud" } });
      const code = await failing.exited;
      const out = failing.output.join("\n");
      expect(code, out).to.not.equal(0);
      expect(out).to.include("LOG_LEVEL: Invalid enum value");
      expect(out).to.not.include("local chain on");
      expect(fs.existsSync(path.join(folder, "chain"))).to.equal(false);
      expect(fs.existsSync(path.join(folder, ".lock"))).to.equal(false);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("error: a start that fails half-way (the API's port is taken) leaves no process listening and the folder unlocked", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const apiPort = (blocker.address() as net.AddressInfo).port;
    try {
      const failing = await launchStackProcess({ dataDir, seed: false, ports: { api: apiPort } });
      const code = await failing.exited;
      expect(code).to.not.equal(0);
      expect(failing.output.join("\n")).to.match(/EADDRINUSE/);
      // The chain and the indexer had started: they were stopped.
      expect(failing.output.join("\n")).to.include("  ✓ chain stopped");
      expect(await waitPortsClosed([failing.ports.rpc, failing.ports.graph, failing.ports.status])).to.deep.equal([]);
      expect(fs.existsSync(path.join(dataDir, ".lock"))).to.equal(false);
    } finally {
      blocker.close();
    }
  });

  it("error: a journal that no longer replays stops the start (nothing left running) and names --repair; --repair keeps the blocks before it and re-indexes", async () => {
    const file = path.join(dataDir, "chain", "journal.ndjson");
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    const broken = Math.floor(lines.length / 2);
    const entry = JSON.parse(lines[broken]!) as { number: number; hash: string };
    entry.hash = "0x" + "cd".repeat(32);
    lines[broken] = JSON.stringify(entry);
    fs.writeFileSync(file, lines.join("\n") + "\n");

    const failing = await launchStackProcess({ dataDir, seed: false });
    expect(await failing.exited).to.not.equal(0);
    expect(failing.output.join("\n")).to.match(new RegExp(`replaying the chain journal produced block ${entry.number} .* start with --repair`));
    expect(await waitPortsClosed(Object.values(failing.ports))).to.deep.equal([]);

    const repaired = await startStackProcess({ dataDir, seed: false, args: ["--repair"] });
    try {
      expect(repaired.output.join("\n")).to.match(new RegExp(`repair: kept ${broken} journal entries`));
      const provider = rpcProvider(repaired.rpcUrl, 31337);
      const head = await provider.getBlockNumber();
      provider.destroy();
      expect(head).to.be.greaterThan(0);
      const discarded = fs.readdirSync(path.join(dataDir, "chain")).filter((f) => f.startsWith("journal.ndjson.discarded-"));
      expect(discarded).to.have.length(1);
      expect((await readyz(repaired)).status).to.equal(200);
    } finally {
      await repaired.stop();
    }
  });
});
