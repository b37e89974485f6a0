/**
 * The local chain of the demo stack: a real Hardhat JSON-RPC node on 127.0.0.1, made durable.
 *
 * Hardhat's node keeps its chain in memory only. To let a second `npm start` reuse the data (the
 * subgraph index and the IPFS store are on disk), the stack journals every block — timestamp and
 * raw signed transactions — and, on the next start, replays the journal into a node started with
 * the same genesis date. Hardhat is deterministic, so the replayed blocks have the same hashes
 * (checked block by block); the on-disk index therefore stays valid and resumes where it stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { ethers } from "ethers";

export interface LocalChainOptions {
  /** Folder for the genesis date and the block journal. */
  dataDir: string;
  host?: string;
  port?: number;
  /** Log lines go here (progress of the replay, node exit). */
  log?: (line: string) => void;
}

export interface JournalBlock {
  number: number;
  hash: string;
  timestamp: number;
  /** Raw signed transactions in block order. */
  txs: string[];
}

export class ChainReplayError extends Error {
  override readonly name = "ChainReplayError";
  readonly code = "CHAIN_REPLAY_MISMATCH";
  constructor(
    readonly blockNumber: number,
    readonly expectedHash: string,
    readonly actualHash: string,
  ) {
    super(
      `replaying the chain journal produced block ${blockNumber} with hash ${actualHash}, expected ${expectedHash}; ` +
        `start with --reset to begin a new local chain`,
    );
  }
}

export class LocalChain {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  private node: ChildProcess | null = null;
  private provider: ethers.JsonRpcProvider | null = null;
  private journalFd: number | null = null;
  private journaled = 0;
  private recorder: NodeJS.Timeout | null = null;
  private recording: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;

  constructor(private readonly options: LocalChainOptions) {
    this.host = options.host ?? "127.0.0.1";
    this.port = options.port ?? 8545;
    this.url = `http://${this.host}:${this.port}`;
    this.log = options.log ?? (() => undefined);
  }

  private get genesisFile(): string {
    return path.join(this.options.dataDir, "genesis.json");
  }

  private get journalFile(): string {
    return path.join(this.options.dataDir, "journal.ndjson");
  }

  /** Whether a previous run left a chain to replay. */
  hasJournal(): boolean {
    return fs.existsSync(this.genesisFile);
  }

  /** Starts the node, replays the journal if any, and starts journaling new blocks. Returns blocks replayed. */
  async start(): Promise<{ replayed: number; fresh: boolean }> {
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    const fresh = !this.hasJournal();
    if (fresh) {
      // Whole seconds: the genesis date must survive a round trip through the config unchanged.
      const initialDate = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      fs.writeFileSync(this.genesisFile, JSON.stringify({ initialDate }, null, 2) + "\n");
      fs.writeFileSync(this.journalFile, "");
    }
    const { initialDate } = JSON.parse(fs.readFileSync(this.genesisFile, "utf8")) as { initialDate: string };
    await this.spawnNode(initialDate);
    const provider = new ethers.JsonRpcProvider(this.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
    this.provider = provider;
    const replayed = fresh ? 0 : await this.replay(provider);
    // Bring the chain clock to wall-clock time: the node's clock started at the genesis date.
    const latest = await provider.getBlock("latest");
    const lag = Math.floor(Date.now() / 1000) - Number(latest!.timestamp);
    if (lag > 0) await provider.send("evm_increaseTime", [lag]);
    this.journaled = Number(latest!.number);
    this.journalFd = fs.openSync(this.journalFile, "a");
    this.recorder = setInterval(() => {
      this.recording = this.recording.then(() => this.record()).catch((e) => this.log(`journal: ${String(e)}`));
    }, 250);
    return { replayed, fresh };
  }

  /** Journals every block up to the head, then stops the node. */
  async stop(): Promise<void> {
    if (this.recorder) clearInterval(this.recorder);
    this.recorder = null;
    await this.recording;
    if (this.node && this.provider) await this.record().catch((e) => this.log(`journal: ${String(e)}`));
    if (this.journalFd !== null) {
      fs.fsyncSync(this.journalFd);
      fs.closeSync(this.journalFd);
      this.journalFd = null;
    }
    this.provider?.destroy();
    this.provider = null;
    const node = this.node;
    this.node = null;
    if (node && node.exitCode === null) {
      await new Promise<void>((resolve) => {
        node.once("exit", () => resolve());
        node.kill("SIGINT");
        setTimeout(() => node.kill("SIGKILL"), 5000).unref();
      });
    }
  }

  private async spawnNode(initialDate: string): Promise<void> {
    const root = path.resolve(__dirname, "..", "..");
    const hardhat = require.resolve("hardhat/internal/cli/cli.js", { paths: [root] });
    const node = spawn(process.execPath, [hardhat, "node", "--hostname", this.host, "--port", String(this.port)], {
      cwd: root,
      env: { ...process.env, TANTIEME_CHAIN_INITIAL_DATE: initialDate, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a terminal's Ctrl-C goes to the stack, which journals the last
      // blocks and only then stops the node (a node killed first would lose them).
      detached: true,
    });
    this.node = node;
    const stderr: string[] = [];
    node.stderr!.on("data", (d: Buffer) => stderr.push(String(d)));
    await new Promise<void>((resolve, reject) => {
      const lines = readline.createInterface({ input: node.stdout! });
      const onExit = (code: number | null) =>
        reject(new Error(`the Hardhat node exited (code ${code}) before listening on ${this.url}: ${stderr.join("").trim()}`));
      node.once("exit", onExit);
      lines.on("line", (line) => {
        if (line.includes("Started HTTP and WebSocket JSON-RPC server")) {
          node.off("exit", onExit);
          // Keep draining stdout: the node logs every request and would block on a full pipe.
          node.stdout!.resume();
          resolve();
        }
      });
    });
    node.once("exit", (code, signal) => {
      if (this.node === node) this.log(`the Hardhat node exited unexpectedly (code ${code}, signal ${signal})`);
    });
  }

  private async replay(provider: ethers.JsonRpcProvider): Promise<number> {
    const lines = fs.readFileSync(this.journalFile, "utf8").split("\n").filter((l) => l.trim() !== "");
    if (lines.length === 0) return 0;
    await provider.send("evm_setAutomine", [false]);
    let count = 0;
    const started = Date.now();
    for (const line of lines) {
      const block = JSON.parse(line) as JournalBlock;
      for (const raw of block.txs) await provider.send("eth_sendRawTransaction", [raw]);
      await provider.send("evm_mine", [block.timestamp]);
      const mined = await provider.send("eth_getBlockByNumber", ["latest", false]);
      if (mined.hash !== block.hash) throw new ChainReplayError(block.number, block.hash, mined.hash);
      count++;
      if (count % 500 === 0) this.log(`chain: replayed ${count}/${lines.length} blocks (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await provider.send("evm_setAutomine", [true]);
    this.log(`chain: replayed ${count} blocks from the journal`);
    return count;
  }

  /** Appends every block after the last journaled one. */
  private async record(): Promise<void> {
    const provider = this.provider;
    if (!provider || this.journalFd === null) return;
    const head = Number(await provider.send("eth_blockNumber", []));
    let out = "";
    for (let n = this.journaled + 1; n <= head; n++) {
      const block = await provider.send("eth_getBlockByNumber", [ethers.toQuantity(n), true]);
      const txs: string[] = block.transactions.map((tx: Record<string, unknown>) => rawTransaction(tx));
      const entry: JournalBlock = { number: n, hash: block.hash, timestamp: Number(block.timestamp), txs };
      out += JSON.stringify(entry) + "\n";
      this.journaled = n;
    }
    if (out !== "") fs.writeSync(this.journalFd, out);
  }
}

/** Re-serialises a JSON-RPC transaction object (with its signature) into its raw signed form. */
export function rawTransaction(tx: Record<string, unknown>): string {
  const type = Number(tx.type ?? 0);
  const signature = ethers.Signature.from({
    r: tx.r as string,
    s: tx.s as string,
    v: type === 0 ? Number(tx.v) : Number(tx.yParity ?? tx.v) + 27,
  });
  const like: ethers.TransactionLike = {
    type,
    chainId: tx.chainId !== undefined ? BigInt(tx.chainId as string) : undefined,
    nonce: Number(tx.nonce),
    to: (tx.to as string | null) ?? null,
    data: tx.input as string,
    value: BigInt(tx.value as string),
    gasLimit: BigInt(tx.gas as string),
    signature,
  };
  if (type === 2 || type === 4) {
    like.maxFeePerGas = BigInt(tx.maxFeePerGas as string);
    like.maxPriorityFeePerGas = BigInt(tx.maxPriorityFeePerGas as string);
  } else {
    like.gasPrice = BigInt(tx.gasPrice as string);
  }
  if (type >= 1) like.accessList = (tx.accessList as ethers.AccessList) ?? [];
  if (type === 0 && tx.chainId === undefined) like.chainId = undefined;
  const serialized = ethers.Transaction.from(like).serialized;
  if (ethers.keccak256(serialized) !== tx.hash) {
    throw new Error(`cannot journal transaction ${String(tx.hash)}: its re-serialised form hashes differently`);
  }
  return serialized;
}
