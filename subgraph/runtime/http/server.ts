/**
 * Serves the subgraph query endpoint and the index-node status API on node:http (graph-node's
 * ports 8000 and 8030; here any port, 0 picks a free one), bound to 127.0.0.1 by default.
 */
import type * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { SqliteEntityStore } from "../store/sqlite";
import { createIndexNodeHandler, type CreateIndexNodeHandlerParameters } from "../index-node";
import { createQueryHandler } from "../query/http";
import { serve } from "./fetch";

export interface StartQueryServerParameters {
  store: SqliteEntityStore;
  name: string;
  /** GraphQL port (graph-node: 8000); 0 picks a free one. */
  port: number;
  /** Index-node status port (graph-node: 8030); omit to not serve it. */
  statusPort?: number;
  host?: string;
  chainHead?: CreateIndexNodeHandlerParameters["chainHead"];
}

export interface QueryServer {
  url: string;
  port: number;
  statusUrl: string | null;
  statusPort: number | null;
  close(): Promise<void>;
}

export async function startQueryServer(params: StartQueryServerParameters): Promise<QueryServer> {
  const host = params.host ?? "127.0.0.1";
  const main = await serve(createQueryHandler({ store: params.store, name: params.name }), params.port, host);
  const port = (main.address() as AddressInfo).port;
  let status: http.Server | null = null;
  if (params.statusPort !== undefined) {
    status = await serve(createIndexNodeHandler({ store: params.store, name: params.name, chainHead: params.chainHead }), params.statusPort, host);
  }
  const statusPort = status ? (status.address() as AddressInfo).port : null;
  const close = (s: http.Server) => new Promise<void>((r) => s.close(() => r()));
  return {
    url: `http://${host}:${port}/subgraphs/name/${params.name}`,
    port,
    statusUrl: status ? `http://${host}:${statusPort}/graphql` : null,
    statusPort,
    async close() {
      main.closeAllConnections();
      await close(main);
      if (status) {
        status.closeAllConnections();
        await close(status);
      }
    },
  };
}
