import type { Plugin } from "graphql-yoga";
import type { AppDeps } from "../schema/context";
import type { MetadataCache } from "../schema/metadataCache";
import { createDeliveryHandler, DELIVERY_PREFIX, type DeliveryHandler } from "./handler";
import { DeliveryError } from "./errors";

/** Mounts /delivery/* (handler.ts); without a delivery service those paths answer DELIVERY_DISABLED. */
export function useDelivery(options: { deps: AppDeps; metadata: MetadataCache }): Plugin {
  const { deps } = options;
  let handler: DeliveryHandler | undefined;
  if (deps.delivery) {
    handler = createDeliveryHandler({
      keys: deps.delivery.keys,
      sessions: deps.delivery.sessions,
      tickets: deps.delivery.tickets,
      records: deps.delivery.records,
      store: deps.store,
      subgraph: deps.subgraph,
      metadata: options.metadata,
      clock: deps.clock,
      logger: deps.logger,
      origin: deps.delivery.config.origin,
    });
  }
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== DELIVERY_PREFIX && !url.pathname.startsWith(`${DELIVERY_PREFIX}/`)) return;
      if (!handler) return endResponse(new DeliveryError("DELIVERY_DISABLED", "licensed delivery is not configured on this server (DELIVERY_SECRET)").toResponse());
      return endResponse(await handler(request));
    },
  };
}
