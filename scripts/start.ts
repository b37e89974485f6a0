/**
 * `npm start` — the whole tantieme stack on one machine, bound to 127.0.0.1:
 *   a Hardhat JSON-RPC chain (8545, durable through its block journal), the contracts deployed with
 *   Ignition, the embedded IPFS store, the embedded subgraph runtime following the chain (GraphQL
 *   on 8000, index-node status on 8030), and the rights API with GraphiQL (4000). A demo catalogue
 *   is seeded on first start unless --no-seed. Ctrl-C stops everything; the next start reuses the data.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ethers } from "ethers";
import { startLocalChain } from "./stack/chain";
import { lockFolder } from "./stack/lock";
import { cachedBuild } from "./stack/build-cache";
import { StackSetupError, StackStepError } from "./stack/errors";
import { Supervisor } from "./stack/supervisor";
import { demoAccounts, seedDemoCatalogue, type SeedResult } from "./stack/seed";
import { createContentStore } from "../core/content";
import { readDeploymentFile } from "../core/deployment";
import { startIndexerProcess } from "./stack/indexer-process";
import { startApiProcess } from "./stack/api-process";
import { loadConfig } from "../server/src/config";
import { openDeliveryService } from "../server/src/delivery/service";
import { systemClock } from "../server/src/clock";
import { generateApiKey } from "../server/src/auth/keys";
import { ensureWebBuild } from "../web/scripts/ensure-build";
import { rpcProvider } from "../core/chain";

const ROOT = path.resolve(__dirname, "..");
const SUBGRAPH_NAME = "tantieme";
const DEPLOYMENT_ID = "chain-31337";

export interface StackOptions {
  data: string;
  seed: boolean;
  reset: boolean;
  /** Keep what replays of a broken chain journal, cut the rest (saved aside) and re-index. */
  repair?: boolean;
  /** Web origins allowed to call the chain's JSON-RPC (none: browsers are refused). */
  rpcAllowOrigin?: string[];
  rpcPort: number;
  graphPort: number;
  statusPort: number;
  apiPort: number;
}

function port(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`${name} must be a port number (1–65535), got \`${v}\``);
    return n;
  };
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a repository tool (hardhat, ts-node script) to completion, failing loudly. */
function run(step: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): void {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true", HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new StackStepError(step, result.status, (result.stdout ?? "") + (result.stderr ?? ""));
  }
  say(`  ✓ ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Whether every contract of an Ignition deployment has code on the chain. */
async function deploymentOnChain(deploymentDir: string, rpcUrl: string): Promise<boolean> {
  const file = path.join(deploymentDir, "deployed_addresses.json");
  if (!fs.existsSync(file)) return false;
  const deployment = readDeploymentFile(file);
  const addresses = [deployment.works.address, deployment.licensing.address];
  const provider = rpcProvider(rpcUrl);
  try {
    const codes = await Promise.all(addresses.map((a) => provider.getCode(a)));
    return addresses.length > 0 && codes.every((c) => c !== "0x");
  } finally {
    provider.destroy();
  }
}

/** The stack's copy of the subgraph sources (the ABIs exported from the compiled contracts first). */
function prepareSubgraphCopy(dir: string): void {
  run("contract ABIs exported", process.execPath, [bin("ts-node", "dist/bin.js"), "--transpile-only", "scripts/export-abis.ts"]);
  const source = path.join(ROOT, "subgraph");
  for (const entry of ["schema.graphql", "subgraph.yaml", "networks.json", "src", "abis"]) {
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    fs.cpSync(path.join(source, entry), path.join(dir, entry), { recursive: true });
  }
  // graph-cli resolves @graphprotocol/graph-ts from the subgraph folder.
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(ROOT, "node_modules"), modules, "dir");
}

/** What a subgraph build depends on: its sources, manifest, ABIs and networks, and the tools' versions. */
function subgraphInputsHash(dir: string): string {
  const hash = crypto.createHash("sha256");
  for (const pkg of ["@graphprotocol/graph-cli", "@graphprotocol/graph-ts"]) {
    const { version } = JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), "utf8")) as { version: string };
    hash.update(`${pkg}@${version}\0`);
  }
  const walk = (p: string): void => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(path.relative(dir, p)).update("\0").update(fs.readFileSync(p));
    }
  };
  for (const p of ["schema.graphql", "subgraph.yaml", "networks.json", "src", "abis"]) walk(path.join(dir, p));
  return hash.digest("hex");
}

/** The build products a data folder's subgraph copy takes from the build cache. */
const BUILT = ["build", "generated"];

/** Builds the subgraph copy in `dir` (from the checkout's build cache when these inputs were built before). */
function buildSubgraphCopy(dir: string, inputs: string): void {
  const started = Date.now();
  let built = false;
  const manifest = cachedBuild("stack", inputs, path.join("build", "subgraph.yaml"), (work) => {
    built = true;
    for (const entry of ["schema.graphql", "subgraph.yaml", "networks.json", "src", "abis"]) fs.cpSync(path.join(dir, entry), path.join(work, entry), { recursive: true });
    const graph = bin("@graphprotocol/graph-cli", "bin/run.js");
    run("subgraph codegen", process.execPath, [graph, "codegen"], {}, work);
    run("subgraph built (graph build)", process.execPath, [graph, "build", "--network", "hardhat"], {}, work);
  });
  const cached = path.dirname(path.dirname(manifest));
  for (const entry of BUILT) {
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    fs.cpSync(path.join(cached, entry), path.join(dir, entry), { recursive: true });
  }
  if (!built) say(`  ✓ subgraph build reused from ${path.relative(ROOT, cached)} (same sources and addresses) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const bin = (pkg: string, file: string) => require.resolve(`${pkg}/${file}`, { paths: [ROOT] });

export interface Stack {
  stop: () => Promise<void>;
  seed: SeedResult | null;
  /** The local demo API key (scopes write + bulk). */
  apiKey: string;
  supervisor: Supervisor;
}

/**
 * The stack's API key: created on first start (hashed in api-keys.json like any key, and — for
 * this local demo only — kept in clear in demo-api-key so every start can print it).
 */
function ensureDemoApiKey(data: string): { file: string; key: string } {
  const file = path.join(data, "api-keys.json");
  const clear = path.join(data, "demo-api-key");
  if (fs.existsSync(file) && fs.existsSync(clear)) return { file, key: fs.readFileSync(clear, "utf8").trim() };
  const { key, record } = generateApiKey("demo", ["write", "bulk"], "local demo stack");
  fs.writeFileSync(file, JSON.stringify([record], null, 2) + "\n", { mode: 0o600 });
  fs.writeFileSync(clear, key + "\n", { mode: 0o600 });
  return { file, key };
}

/** The stack's delivery secret: random on first start, kept in `delivery-secret` (0600) for the next ones. */
function ensureDeliverySecret(data: string): string {
  const file = path.join(data, "delivery-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const data = path.resolve(ROOT, opts.data);
  // One stack per data folder: a second start is refused (naming the pid that holds it); the lock
  // of a stack that was killed is taken over.
  const lock = await lockFolder(data, { purpose: "a tantieme stack (npm start)" });
  if (lock.tookOverFrom) say(`took over the lock of ${data} from a stack that is gone (pid ${lock.tookOverFrom.pid})`);
  if (opts.reset) {
    for (const entry of fs.readdirSync(data)) if (entry !== ".lock") fs.rmSync(path.join(data, entry), { recursive: true, force: true });
    say(`reset: removed the contents of ${data}`);
  }
  say(`tantieme stack — data in ${data}`);

  // Every part is registered with the supervisor as soon as it exists (child processes the moment
  // they are spawned), so whatever fails below, nothing is left running.
  const supervisor = new Supervisor(say);
  const killChildren = () => supervisor.killAll();
  process.on("exit", killChildren);
  const stop = async () => {
    await supervisor.stopAll();
    process.off("exit", killChildren);
    lock.release();
  };
  try {
    // The API's configuration: the operator's environment (log level, limits, UPLOAD_DIR…) with
    // the parts the stack runs itself set over it. The API process parses it (loadConfig) as in
    // production; the stack parses it first, before anything starts, so that an operator's mistake
    // stops the start at once, naming the variable (then again with the deployment file, below,
    // so that the seed seals with the same delivery settings).
    const apiKey = ensureDemoApiKey(data);
    const ipfsDir = path.join(data, "ipfs");
    const subgraphDir = path.join(data, "subgraph-src");
    const host = "127.0.0.1";
    const rpcUrl = `http://${host}:${opts.rpcPort}`;
    const deliverySecret = process.env.DELIVERY_SECRET ?? ensureDeliverySecret(data);
    const apiEnvFor = (deploymentFile: string | undefined): NodeJS.ProcessEnv => ({
      ...process.env,
      HOST: host,
      PORT: String(opts.apiPort),
      RPC_URL: rpcUrl,
      CHAIN_ID: "31337",
      SUBGRAPH_URL: `http://${host}:${opts.graphPort}/subgraphs/name/${SUBGRAPH_NAME}`,
      SUBGRAPH_STATUS_URL: `http://${host}:${opts.statusPort}/graphql`,
      IPFS_API_URL: undefined,
      IPFS_DIR: ipfsDir,
      // In-flight uploads in the stack's data folder (a killed API's are swept at its next start).
      UPLOAD_DIR: process.env.UPLOAD_DIR ?? path.join(data, "uploads"),
      DEPLOYMENT_FILE: deploymentFile,
      NETWORK: "hardhat",
      API_KEYS_FILE: apiKey.file,
      API_KEYS: undefined,
      DELIVERY_SECRET: deliverySecret,
      DELIVERY_DIR: path.join(data, "delivery"),
    });
    loadConfig(apiEnvFor(undefined), ROOT);

    // 1. The chain.
    const chainDir = path.join(data, "chain");
    const startChain = () =>
      startLocalChain({ dataDir: chainDir, port: opts.rpcPort, allowOrigins: opts.rpcAllowOrigin, repair: opts.repair, log: (l) => say(`  ${l}`), track: supervisor.track });
    // A restarted chain replays its journal as it is then (nothing is left to repair after a repair).
    const chain = await supervisor.addProcess("chain", startChain);
    const { fresh } = chain;
    say(`  ✓ local chain on ${rpcUrl} (${fresh ? "new chain" : `replayed ${chain.replayed} blocks`}; every block journaled before it is acknowledged)`);
    if (chain.repaired) say(`  ✓ repaired: kept ${chain.repaired.keptEntries} journal entries, cut the rest (${chain.repaired.reason})`);
    const subgraphDataDir = path.join(data, "subgraph");
    if (opts.repair) {
      // The index may hold blocks that are no longer on the chain, or be the broken part: rebuild it.
      fs.rmSync(subgraphDataDir, { recursive: true, force: true });
      say("  ✓ repair: the index will be rebuilt from the chain");
    }

    // 2. Contracts, with Ignition (a replayed chain already has them: Ignition sees its journal).
    const hardhat = bin("hardhat", "internal/cli/cli.js");
    const ignitionDir = path.join(data, "ignition");
    const deploymentDir = path.join(ignitionDir, "deployments", DEPLOYMENT_ID);
    // Ignition only runs modules from inside its folder: link the repository's modules there.
    if (!fs.existsSync(path.join(ignitionDir, "modules"))) {
      fs.mkdirSync(ignitionDir, { recursive: true });
      fs.symlinkSync(path.join(ROOT, "ignition", "modules"), path.join(ignitionDir, "modules"), "dir");
    }
    // Ignition wipes a localhost deployment whenever the Hardhat node is a new instance, which a
    // replayed chain always is: when the replay restored every contract of the journal, keep it.
    if (!fresh && (await deploymentOnChain(deploymentDir, rpcUrl))) say(`  ✓ contracts deployed (Ignition journal in ${deploymentDir})`);
    else {
      run("contracts deployed with Ignition", process.execPath, [hardhat, "ignition", "deploy", path.join(ignitionDir, "modules", "Tantieme.ts"), "--network", "localhost", "--deployment-id", DEPLOYMENT_ID, "--reset"], { RPC_URL: rpcUrl, TANTIEME_IGNITION_DIR: ignitionDir, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "false", HARDHAT_IGNITION_CONFIRM_RESET: "false" });
    }
    const deployment = readDeploymentFile(path.join(deploymentDir, "deployed_addresses.json"));
    const worksAddress = deployment.works.address;
    const licensingAddress = deployment.licensing.address;

    // 3. The subgraph, built for these addresses in a copy inside the data folder, so that the
    //    repository's networks.json and subgraph.yaml are never rewritten by a local chain.
    const tsNode = bin("ts-node", "dist/bin.js");
    prepareSubgraphCopy(subgraphDir);
    run("networks.json synced with the deployment", process.execPath, [tsNode, "--transpile-only", "scripts/sync-networks.ts", "--deployment", deploymentDir, "--subgraph-dir", subgraphDir]);
    const inputs = subgraphInputsHash(subgraphDir);
    const stamp = path.join(subgraphDir, "build", ".inputs-sha256");
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === inputs) say("  ✓ subgraph build is up to date");
    else {
      buildSubgraphCopy(subgraphDir, inputs);
      fs.writeFileSync(stamp, inputs);
    }

    // 4. The indexer.
    const startIndexer = () =>
      startIndexerProcess({
        rpcUrl,
        subgraphDir,
        dataDir: subgraphDataDir,
        ipfsDir,
        name: SUBGRAPH_NAME,
        port: opts.graphPort,
        statusPort: opts.statusPort,
        log: (line) => say(`  ${line}`),
        track: supervisor.track,
      });
    await supervisor.addProcess("subgraph runtime", startIndexer);
    say(`  ✓ subgraph runtime following the chain: http://127.0.0.1:${opts.graphPort}/subgraphs/name/${SUBGRAPH_NAME}`);

    // 5. The API's configuration, now with the deployment file (checked without it at the start).
    const apiEnv = apiEnvFor(path.join(subgraphDir, "networks.json"));
    const apiConfig = loadConfig(apiEnv, ROOT);

    // 6. The demo catalogue, on a new chain, before the API opens the delivery key store (one
    //    process writes it at a time): files into the IPFS store, the licensed master sealed.
    let seed: SeedResult | null = null;
    if (fresh && opts.seed) {
      if (!deployment.registrars || !deployment.links) {
        throw new StackSetupError("seed", "Registrars/Links", `${deploymentDir}: the deployment names no Registrars or Links contract (start once with --reset to deploy a new chain)`);
      }
      const provider = rpcProvider(rpcUrl);
      const store = await createContentStore({ kind: "embedded", dir: ipfsDir });
      const delivery = await openDeliveryService({ ...apiConfig.delivery!, chainId: 31337 }, { clock: systemClock, provider });
      try {
        seed = await seedDemoCatalogue({
          provider, store, worksAddress, licensingAddress, registrarsAddress: deployment.registrars.address, linksAddress: deployment.links.address,
          workDir: path.join(data, "demo-works"), sealer: delivery.keys, log: (l) => say(`  ${l}`),
        });
      } finally {
        await delivery.close();
        await store.close();
        provider.destroy();
      }
    }

    // 7. The API, in its own process.
    say(`  ✓ web app ${ensureWebBuild()} (web/dist)`);
    const apiUrl = `http://${host}:${opts.apiPort}`;
    const startApi = () => startApiProcess({ env: apiEnv, url: apiUrl, log: (line) => say(`  ${line}`), track: supervisor.track });
    const api = await supervisor.addProcess("API", startApi, { onRestart: (h) => say(`  ✓ API answering again (pid ${h.pid})`) });
    say(`  ✓ rights API with GraphiQL: ${apiUrl}/graphql (pid ${api.pid})`);
    printWelcome(opts, rpcUrl, worksAddress, licensingAddress, apiKey.key, seed);
    return { stop, seed, apiKey: apiKey.key, supervisor };
  } catch (err) {
    await stop();
    throw err;
  }
}

function printWelcome(opts: StackOptions, rpcUrl: string, works: string, licensing: string, apiKey: string, seed: SeedResult | null): void {
  const accounts = demoAccounts();
  say("");
  say("tantieme is running (everything on 127.0.0.1):");
  say(`  web app                 http://127.0.0.1:${opts.apiPort}/   (with the demo API key: http://127.0.0.1:${opts.apiPort}/#apikey=${apiKey})`);
  say(`  rights API + GraphiQL   http://127.0.0.1:${opts.apiPort}/graphql`);
  say(`  IPFS gateway            http://127.0.0.1:${opts.apiPort}/ipfs/<cid>`);
  say(`  subgraph (graph-node)   http://127.0.0.1:${opts.graphPort}/subgraphs/name/${SUBGRAPH_NAME}`);
  say(`  indexing status         http://127.0.0.1:${opts.statusPort}/graphql`);
  say(`  JSON-RPC chain          ${rpcUrl} (chain id 31337)`);
  say(`  Works                   ${works}`);
  say(`  Licensing               ${licensing}`);
  say(`  API key (write + bulk)  ${apiKey}   (send as "Authorization: Bearer <key>"; local demo key)`);
  say("");
  say("Demo accounts (Hardhat's public test keys — never use them on a real network):");
  for (const a of accounts) say(`  ${a.address}  ${a.privateKey}  ${a.role}`);
  if (seed) {
    say("");
    say(`Seeded ${seed.works.length} works, ${seed.offers.length} offers, ${seed.licences.length} licences.`);
  }
  say("");
  say("A first query to try in GraphiQL — may the café play Midnight Ferry's composition in France now?");
  say(`  { licenceStatus(work: "T3452468003", licensee: "${accounts[6]!.address}", right: PublicPerformance, territory: "FR") { allowed reasons evidence { licenceId txHash blockNumber } } }`);
  say("And may the platform stream the recording (both layers: master and composition), or play it in public in Germany (GEMA)?");
  say(`  { s: licenceStatus(work: "GBTNT2600001", licensee: "${accounts[5]!.address}", right: Streaming, territory: "FR") { allowed layers { role workId allowed evidence { licenceId licensedCid } } }`);
  say(`    p: licenceStatus(work: "GBTNT2600001", licensee: "${accounts[5]!.address}", right: PublicPerformance, territory: "DE") { allowed reasons requiredSocieties } }`);
  say("");
  say("Ctrl-C stops everything; the next `npm start` resumes with the same data (`-- --repair` mends a broken chain journal, `-- --reset` starts afresh).");
}

async function main(): Promise<void> {
  const program = new Command()
    .name("start")
    .description("Start the local tantieme stack: chain, contracts, IPFS, subgraph runtime and API")
    .option("--data <dir>", "data directory", ".data")
    .option("--no-seed", "do not seed the demo catalogue on a new chain")
    .option("--reset", "delete the data directory and start a new chain", false)
    .option("--repair", "keep what replays of a broken chain journal (the rest is saved aside), and re-index", false)
    .option("--rpc-allow-origin <origins>", "web origins allowed to call the chain's JSON-RPC (comma-separated; none by default)", (v: string) => v.split(",").map((o) => o.trim()).filter(Boolean), [] as string[])
    .option("--rpc-port <n>", "JSON-RPC port", port("--rpc-port"), 8545)
    .option("--graph-port <n>", "subgraph GraphQL port", port("--graph-port"), 8000)
    .option("--status-port <n>", "index-node status port", port("--status-port"), 8030)
    .option("--api-port <n>", "API port", port("--api-port"), 4000)
    .parse(process.argv);
  const opts = program.opts<StackOptions>();
  if (opts.reset && opts.repair) program.error("error: --reset and --repair are mutually exclusive (--reset deletes what --repair would keep)");
  const { stop } = await startStack(opts);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say("\nstopping…");
    await stop();
    say("stopped.");
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
