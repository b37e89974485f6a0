/**
 * Benchmark chain (run with `hardhat run`, as a separate process so the indexer under test does not
 * share its event loop): Hardhat's in-process network behind its JSON-RPC server on 127.0.0.1,
 * the probe emitter deployed, BENCH_BLOCKS blocks of BENCH_TX_PER_BLOCK pingMany transactions of
 * BENCH_EVENTS_PER_TX events (4 senders), then automine on. Prints one JSON line
 * {url, probe, head, events} and serves until stdin closes.
 */
import hre from "hardhat";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const blocks = env("BENCH_BLOCKS", 500);
  const perBlock = env("BENCH_TX_PER_BLOCK", 2);
  const perTx = env("BENCH_EVENTS_PER_TX", 20);
  const provider = hre.network.provider;
  await provider.send("hardhat_reset", []);
  const signers = await hre.ethers.getSigners();
  const probe = await (await hre.ethers.getContractFactory("ProbeEmitter", signers[0])).deploy();
  await probe.waitForDeployment();
  await provider.send("evm_setAutomine", [false]);
  let events = 0;
  const nonces = await Promise.all(signers.slice(0, 4).map((s) => s.getNonce()));
  for (let b = 0; b < blocks; b++) {
    const sent = [];
    for (let t = 0; t < perBlock; t++) {
      const i = (b * perBlock + t) % 4;
      sent.push(probe.connect(signers[i]).pingMany(b * 1000 + t * 100, perTx, { nonce: nonces[i]++, gasLimit: 30_000 + perTx * 8_000 }));
      events += perTx;
    }
    await Promise.all(sent);
    await provider.send("evm_mine", []);
  }
  await provider.send("evm_setAutomine", [true]);
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider });
  const { address, port } = await server.listen();
  const head = Number(await provider.send("eth_blockNumber", []));
  process.stdout.write(`${JSON.stringify({ url: `http://${address}:${port}`, probe: await probe.getAddress(), head, events })}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on("end", resolve);
    process.stdin.on("close", resolve);
    process.stdin.resume();
  });
  await server.close();
}

// Only as a script: `npx hardhat test` loads every .ts file under test/.
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
