import type { AppContext } from "./context";

export const typeDefs = /* GraphQL */ `
  type IndexingStatus {
    deployment: String!
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

export const resolvers = {
  Query: {
    async indexingStatus(_: unknown, __: unknown, ctx: AppContext) {
      const [status, rpcHead] = await Promise.all([ctx.deps.subgraph.indexingStatus(), ctx.deps.chain.blockNumber().catch(() => null)]);
      return {
        ...status,
        rpcHead,
        blocksBehind: rpcHead !== null && status.latestBlock !== null ? Math.max(0, rpcHead - status.latestBlock) : null,
      };
    },
  },
};
