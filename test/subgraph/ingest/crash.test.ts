/**
 * Crash-restart: the indexer (scripts/indexer.ts, a child process) is killed with SIGKILL at random
 * moments while a real Hardhat chain keeps producing events, restarted each time, and finally left
 * to catch up. Every entity version (all rows, block ranges, vids) and every dynamic data source
 * must equal a clean full re-index of the same chain.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import hre from "hardhat";
import { buildProbeSubgraph } from "../fixtures/build";
import { deployProbe, mine, resetChain, startLocalChain, type LocalChain } from "./chain";
import { dumpDatabase, versionCount } from "./dump";

const ROOT = path.resolve(__dirname, "../../..");

/** Deterministic PRNG (mulberry32) so a failing run can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function headOf(file: string): number | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const r = db.prepare(`SELECT head_number FROM "meta$deployment" WHERE k = 1`).get() as { head_number: number | null } | undefined;
      return r?.head_number ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null; // not created yet, or mid-migration
  }
}

function spawnIndexer(rpc: string, manifest: string, dataDir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/indexer.ts"), "--rpc", rpc, "--subgraph", manifest, "--data", dataDir,
      "--name", "probe", "--port", "0", "--status-port", "0", "--reorg-threshold", "2", "--poll-interval", "20", "--max-range", "7", "--progress-interval", "0"],
    { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
  );
  child.stderr!.on("data", () => {});
  return child;
}

function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGKILL");
  return exited;
}

async function waitFor(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("subgraph/ingest: crash-restart (kill -9)", function () {
  this.timeout(900_000);
  let chain: LocalChain;
  let manifest: string;
  const dirs: string[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    manifest = buildProbeSubgraph(); // cached after its first build (the suite timeout covers a cold one)
    chain = await startLocalChain();
    await resetChain();
  });
  after(async () => {
    for (const c of children) await killHard(c);
    await chain.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("behavior: SIGKILL at random moments while the chain produces events loses and duplicates nothing (equals a clean re-index, every version)", async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const random = rng(seed);
    const ctx = `seed ${seed} (replay with CRASH_SEED=${seed})`;
    const crashDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-crash-"));
    const cleanDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-crash-clean-"));
    dirs.push(crashDir, cleanDir);
    const dbFile = path.join(crashDir, "subgraph.sqlite");

    const probe = await deployProbe();
    const signers = await hre.ethers.getSigners();
    const kids: string[] = [];
    let producing = true;
    let txs = 0;
    // The chain: one transaction per block (automine), a mix of every event the probe maps.
    const produce = (async () => {
      while (producing) {
        const who = probe.connect(signers[Math.floor(random() * 4)]);
        const r = random();
        if (r < 0.45) await (await who.pingMany(Math.floor(random() * 1e6), 1 + Math.floor(random() * 40))).wait();
        else if (r < 0.65) await (await who.ping(Math.floor(random() * 1e9), `note ${txs}`, "0x0102", Math.floor(random() * 2000) - 1000)).wait();
        else if (r < 0.72) await (await who.remove()).wait();
        else if (r < 0.8 || kids.length === 0) {
          const receipt = (await (await who.spawnAndTick(`kid ${kids.length}`, txs)).wait())!;
          const spawned = receipt.logs.map((l) => probe.interface.parseLog(l)).find((p) => p?.name === "Spawned");
          kids.push(spawned!.args.child as string);
        } else if (r < 0.93) {
          const kid = await hre.ethers.getContractAt("ProbeChild", kids[Math.floor(random() * kids.length)], signers[0]);
          await (await kid.tick(txs)).wait();
        } else await mine(1 + Math.floor(random() * 3));
        txs++;
        await new Promise((res) => setTimeout(res, 20 + random() * 30));
      }
    })();

    let kills = 0;
    const heads: (number | null)[] = [];
    try {
      // Kill at random moments: during startup, while catching up by range, while following the head.
      // Round 0 dies during startup; later rounds once the restarted indexer has committed again
      // (so every kill lands mid-indexing: range scans, head following, template creation).
      for (let round = 0; round < 6; round++) {
        const child = spawnIndexer(chain.url, manifest, crashDir);
        children.push(child);
        const before = headOf(dbFile);
        if (round === 0) await new Promise((r) => setTimeout(r, 300 + random() * 1700));
        else {
          await waitFor(() => (headOf(dbFile) ?? -1) > (before ?? -1), `${ctx}: progress after restart ${round}`, 240_000);
          await new Promise((r) => setTimeout(r, random() * 1000));
        }
        await killHard(child);
        kills++;
        const after = headOf(dbFile);
        heads.push(after);
        if (process.env.CRASH_VERBOSE) console.log(`      round ${round}: head ${before} → ${after}, chain ${Number(await hre.network.provider.send("eth_blockNumber", []))}`);
      }
    } finally {
      producing = false;
      await produce;
    }
    await mine(3);
    const chainHead = Number(await hre.network.provider.send("eth_blockNumber", []));

    // Restart once more and let it catch up.
    const last = spawnIndexer(chain.url, manifest, crashDir);
    children.push(last);
    let t = Date.now();
    await waitFor(() => headOf(dbFile) === chainHead, `${ctx}: restarted indexer reaching block ${chainHead}`, 240_000);
    await killHard(last);
    if (process.env.CRASH_VERBOSE) console.log(`      catch-up after the last restart: ${Date.now() - t} ms`);
    t = Date.now();

    // A clean full re-index of the same chain, never interrupted.
    const clean = spawnIndexer(chain.url, manifest, cleanDir);
    children.push(clean);
    await waitFor(() => headOf(path.join(cleanDir, "subgraph.sqlite")) === chainHead, `${ctx}: clean index reaching block ${chainHead}`, 240_000);
    await killHard(clean);
    if (process.env.CRASH_VERBOSE) console.log(`      clean re-index: ${Date.now() - t} ms`);

    if (process.env.CRASH_VERBOSE) console.log(`      chain head ${chainHead}, ${txs} transactions, ${kids.length} children`);
    const crashed = dumpDatabase(dbFile);
    const reference = dumpDatabase(path.join(cleanDir, "subgraph.sqlite"));
    expect(kills).to.equal(6);
    expect(new Set(heads.slice(1)).size, `${ctx}: kill heads ${heads.join(", ")}`).to.be.greaterThan(3);
    expect(txs, ctx).to.be.greaterThan(20);
    expect(versionCount(reference), ctx).to.be.greaterThan(100);
    expect(reference.dataSources.length, ctx).to.equal(kids.length);
    expect(crashed.head, ctx).to.deep.equal(reference.head);
    for (const table of Object.keys(reference.tables)) {
      expect(crashed.tables[table], `${ctx}: table ${table}`).to.deep.equal(reference.tables[table]);
    }
    expect(crashed, ctx).to.deep.equal(reference);
  });
});
