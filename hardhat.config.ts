import path from "node:path";
import { subtask } from "hardhat/config";
import fs from "node:fs";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

// The Solidity compiler comes from the npm `solc` package (soljson.js), never from the network:
// config and compiler read the same version, so they can never disagree.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SOLC_VERSION: string = require("solc/package.json").version;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: (solc.version() as string).replace(/\.Emscripten.*$/, ""),
  };
});

// Test files are `*.test.ts` under test/ (helpers, fixtures, benchmarks and the dev-only Kubo RPC
// server's node_modules are not tests). A folder argument runs the test files inside it.
function testFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "fixtures" ? [] : testFilesUnder(full);
      return entry.name.endsWith(".test.ts") ? [full] : [];
    })
    .sort();
}

subtask(TASK_TEST_GET_TEST_FILES, async ({ testFiles }: { testFiles: string[] }, hre) => {
  const targets = testFiles.length > 0 ? testFiles.map((f) => path.resolve(f)) : [hre.config.paths.tests];
  return targets.flatMap((target) => (fs.statSync(target).isDirectory() ? testFilesUnder(target) : [target]));
});

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        settings: {
          // Osaka is the newest hardfork Hardhat 2.28's network runs (and its default).
          evmVersion: "osaka",
          optimizer: { enabled: true, runs: 10_000 },
          // Storage layouts go to the build info, so bench/results/storage-layout.json can be checked.
          outputSelection: { "*": { "*": ["storageLayout"] } },
        },
      },
    ],
    overrides: {
      // Licensing (ERC-721 + offers + deals + ledger) must stay under the 24,576-byte code limit
      // without allowUnlimitedContractSize: fewer optimizer runs for that file only.
      "contracts/licensing/Licensing.sol": {
        version: SOLC_VERSION,
        settings: {
          evmVersion: "osaka", optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["storageLayout"] } },
        },
      },
    },
  },
  networks: {
    hardhat: {
      // The demo stack pins the genesis date so that replaying its block journal reproduces the
      // same chain, block hashes included (see scripts/stack/chain.ts).
      ...(process.env.TANTIEME_CHAIN_INITIAL_DATE ? { initialDate: process.env.TANTIEME_CHAIN_INITIAL_DATE } : {}),
    },
    localhost: { url: process.env.RPC_URL ?? "http://127.0.0.1:8545" },
    // Any other EVM chain (a public testnet, mainnet): `--network remote` with DEPLOY_RPC_URL and
    // DEPLOYER_PRIVATE_KEY in the environment. Nothing here is used unless both are set.
    ...(process.env.DEPLOY_RPC_URL && process.env.DEPLOYER_PRIVATE_KEY
      ? { remote: { url: process.env.DEPLOY_RPC_URL, accounts: [process.env.DEPLOYER_PRIVATE_KEY] } }
      : {}),
  },
  paths: {
    // The demo stack keeps its Ignition journal with its own data (TANTIEME_IGNITION_DIR), so
    // stacks and tests on other chains never share a deployment folder.
    ignition: process.env.TANTIEME_IGNITION_DIR ?? "ignition",
  },
  // The per-test timeout is a hang detector, not a speed target: generous, so that a test does not
  // fail because the machine is busy (CI shares its cores); suites that build or index more set
  // their own.
  mocha: { timeout: 300_000, reporter: path.join(__dirname, "test", "reporter.js") },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    offline: true,
    currency: "USD",
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
};

export default config;
