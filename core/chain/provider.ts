import { JsonRpcProvider } from "ethers";

/**
 * The one way tantieme opens a JSON-RPC connection (API, CLI, stack scripts, benchmarks, tests).
 *
 * - `staticNetwork`: the chain id is known (or asked once), never polled again.
 * - `cacheTimeout: -1`: ethers v6 otherwise answers an identical request made within 250 ms
 *   from its cache. A "pending" nonce or a block number read right after a transaction was
 *   mined would then be stale, and a transaction signed with it is refused as "nonce too low".
 */
export function rpcProvider(url: string, chainId?: number, options: { batchMaxCount?: number } = {}): JsonRpcProvider {
  return new JsonRpcProvider(url, chainId, { staticNetwork: true, cacheTimeout: -1, ...options });
}
