import type { AppContext } from "./context";

export const typeDefs = /* GraphQL */ `
  type IndexingStatus {
    deployment: String!
    "From the index-node status endpoint when configured (SUBGRAPH_STATUS_URL), else: the index is within one block of this server's RPC head"
    synced: Boolean!
    "healthy, unhealthy or failed"
    health: String!
    fatalError: String
    "Latest block the index has processed"
    latestBlock: Int
    "Chain head as the indexer sees it (index-node status), else null"
    chainHead: Int
    "Chain head from this server's RPC; null when unreachable"
    rpcHead: Int
    "rpcHead − latestBlock"
    blocksBehind: Int
  }

  extend type Query {
    "Indexing status: latest indexed block, chain head, health."
    indexingStatus: IndexingStatus!
  }
`;

/** Blocks the index may trail the RPC head and still count as synced (no status endpoint). */
export const SYNC_TOLERANCE = 1;

export const resolvers = {
  Query: {
    async indexingStatus(_: unknown, __: unknown, ctx: AppContext) {
      const [status, rpcHead] = await Promise.all([ctx.deps.subgraph.indexingStatus(), ctx.deps.chain.blockNumber().catch(() => null)]);
      // Without an index-node status endpoint, synced means: the index has reached this server's RPC
      // head (within SYNC_TOLERANCE blocks: a block may land between the two reads).
      const synced = status.synced ?? (rpcHead !== null && status.latestBlock !== null && status.health !== "failed" && rpcHead - status.latestBlock <= SYNC_TOLERANCE);
      return {
        ...status,
        synced,
        rpcHead,
        blocksBehind: rpcHead !== null && status.latestBlock !== null ? Math.max(0, rpcHead - status.latestBlock) : null,
      };
    },
  },
};
