import { Repeater } from "graphql-yoga";
import { licenceEventsPage } from "../subgraph/reads";
import { address, workRef } from "./args";
import type { AppContext } from "./context";
import { workIndexId } from "./resolveWork";
import { badInput } from "../errors";

export const typeDefs = /* GraphQL */ `
  enum LicenceEventType { ISSUED REVOKED }

  type LicenceEvent {
    type: LicenceEventType!
    licence: Licence!
    blockNumber: Int!
    txHash: String!
  }

  type Subscription {
    """
    Licence events (issued, revoked or surrendered) of a work and/or a licensee, as the index sees
    them (polled). Over SSE: POST with Accept: text/event-stream. From \`fromBlock\` (exclusive;
    default: the index's current block).
    """
    licenceEvents(work: String, licensee: String, fromBlock: Int): LicenceEvent!
  }
`;

export const resolvers = {
  Subscription: {
    licenceEvents: {
      subscribe: async (_: unknown, args: { work?: string | null; licensee?: string | null; fromBlock?: number | null }, ctx: AppContext) => {
        if (args.work == null && args.licensee == null) throw badInput("work", "give a work, a licensee, or both");
        const where: Record<string, unknown> = {};
        if (args.licensee != null) where.licensee = address(args.licensee, "licensee").toLowerCase();
        if (args.work != null) {
          where.work = await workIndexId(ctx, workRef(args.work, "work"), "work", true);
        }
        if (args.fromBlock != null && (!Number.isInteger(args.fromBlock) || args.fromBlock < 0)) throw badInput("fromBlock", "must be a block number ≥ 0");
        const { subgraph, config } = ctx.deps;
        let cursor = args.fromBlock ?? (await subgraph.meta()).block.number;
        const revWhere: Record<string, unknown> = {};
        if (where.work) revWhere.work = where.work;
        if (where.licensee) revWhere.licence_ = { licensee: where.licensee };

        return new Repeater<{ licenceEvents: unknown }>(async (push, stop) => {
          let timer: NodeJS.Timeout | undefined;
          let stopped = false;
          stop.then(() => {
            stopped = true;
            if (timer) clearTimeout(timer);
          });
          const poll = async () => {
            if (stopped) return;
            try {
              const page = await licenceEventsPage(subgraph, where, revWhere, cursor);
              const head = page._meta.block.number;
              const events = [
                ...page.issued.filter((l) => Number(l.blockNumber) <= head).map((l) => ({ type: "ISSUED", licence: l, blockNumber: Number(l.blockNumber), txHash: l.txHash })),
                ...page.revoked.filter((r) => Number(r.blockNumber) <= head).map((r) => ({ type: "REVOKED", licence: r.licence, blockNumber: Number(r.blockNumber), txHash: r.txHash })),
              ].sort((a, b) => a.blockNumber - b.blockNumber);
              for (const e of events) await push({ licenceEvents: e });
              // A full page may not reach the head: continue from the last block delivered.
              cursor = page.issued.length === 1000 || page.revoked.length === 1000 ? Math.max(cursor, ...events.map((e) => e.blockNumber - 1)) : Math.max(cursor, head);
            } catch (err) {
              ctx.log.warn({ err: (err as Error).message }, "licenceEvents poll failed; retrying");
            }
            if (!stopped) timer = setTimeout(() => void poll(), config.ssePollMs);
          };
          await poll();
          await stop;
        });
      },
    },
  },
};
