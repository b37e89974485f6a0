import { expect } from "chai";
import hre from "hardhat";
import type { JsonRpcProvider } from "ethers";
import { rpcProvider } from "../../../core/chain";
import { startChain, wallet, type LocalChain } from "../../subgraph/mappings/helpers/tantieme";

// CI failed twice on "nonce too low": a test read the pending nonce right after a transaction
// was mined and ethers answered from its 250 ms request cache. rpcProvider turns that cache off.
describe("core/chain: rpcProvider", function () {
  let chain: LocalChain;
  before(async () => {
    await hre.network.provider.send("hardhat_reset", []);
    chain = await startChain();
  });
  after(async () => chain.close());

  /** Reads the pending nonce, mines one transaction from the same account, reads it again at once. */
  async function nonceAroundATransaction(provider: JsonRpcProvider): Promise<[number, number]> {
    const sender = wallet(3).connect(provider);
    const before = await provider.getTransactionCount(sender.address, "pending");
    await hre.network.provider.send("hardhat_setBalance", [sender.address, "0x56BC75E2D63100000"]);
    const tx = await wallet(3).connect(rpcProvider(chain.url, 31337)).sendTransaction({ to: wallet(4).address, value: 1n, nonce: before });
    await tx.wait();
    return [before, await provider.getTransactionCount(sender.address, "pending")];
  }

  it("default: a nonce read right after a mined transaction is the new one", async () => {
    const provider = rpcProvider(chain.url, 31337);
    const [before, after] = await nonceAroundATransaction(provider);
    expect(after).to.equal(before + 1);
    provider.destroy();
  });
});
