/**
 * A real Hardhat JSON-RPC endpoint for ingest tests: Hardhat's own JsonRpcServer over the
 * in-process network, on 127.0.0.1 with a free port. `reset()` starts a fresh chain, so account #0's
 * first deployment lands at the probe manifest's address.
 */
import hre from "hardhat";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";

export interface LocalChain {
  url: string;
  close(): Promise<void>;
}

export async function startLocalChain(): Promise<LocalChain> {
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: hre.network.provider });
  const { address, port } = await server.listen();
  return { url: `http://${address}:${port}`, close: () => server.close() };
}

export async function resetChain(): Promise<void> {
  await hre.network.provider.send("hardhat_reset", []);
}

export async function deployProbe() {
  const [signer] = await hre.ethers.getSigners();
  const factory = await hre.ethers.getContractFactory("ProbeEmitter", signer);
  const probe = await factory.deploy();
  await probe.waitForDeployment();
  return probe;
}

export async function mine(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await hre.network.provider.send("evm_mine", []);
}
