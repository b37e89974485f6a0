import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { createSchema, createYoga } from "graphql-yoga";
import { Slots, useAnonymousConcurrency } from "../../server/src/plugins/useAnonymousConcurrency";

describe("server/plugins: anonymous request slots", function () {
  it("behavior: slots are handed to waiters in arrival order; a full queue refuses at once", async function () {
    const slots = new Slots(2, 2);
    expect(slots.acquire()).to.equal(true);
    expect(slots.acquire()).to.equal(true);
    const order: string[] = [];
    const a = (slots.acquire() as Promise<boolean>).then((ok) => order.push(`a:${ok}`));
    const b = (slots.acquire() as Promise<boolean>).then((ok) => order.push(`b:${ok}`));
    expect(await slots.acquire(), "queue full").to.equal(false);
    expect(slots.queued).to.equal(2);
    slots.release();
    slots.release();
    await Promise.all([a, b]);
    expect(order).to.deep.equal(["a:true", "b:true"]);
    expect(slots.inUse).to.equal(2);
    slots.release();
    slots.release();
    expect(slots.inUse).to.equal(0);
  });

  it("behavior: a waiter whose client goes away leaves the queue without taking a slot", async function () {
    const slots = new Slots(1, 5);
    expect(slots.acquire()).to.equal(true);
    const gone = new AbortController();
    const left = slots.acquire(gone.signal) as Promise<boolean>;
    const stays = slots.acquire() as Promise<boolean>;
    gone.abort();
    expect(await left).to.equal(false);
    expect(slots.queued).to.equal(1);
    slots.release();
    expect(await stays).to.equal(true);
    expect(slots.inUse).to.equal(1);
    const aborted = new AbortController();
    aborted.abort();
    expect(await slots.acquire(aborted.signal), "already gone").to.equal(false);
    expect(slots.queued).to.equal(0);
  });

  it("error: a request whose handling throws (no onResponse) still frees its slot when its response closes", async function () {
    const yoga = createYoga({
      schema: createSchema({ typeDefs: "type Query { ok: Boolean }", resolvers: { Query: { ok: () => true } } }),
      logging: false,
      plugins: [
        useAnonymousConcurrency({ maxActive: 1, maxQueued: 0 }),
        {
          onRequest({ url }: { url: URL }) {
            if (url.pathname === "/boom") throw new Error("a route's bug");
          },
        },
      ],
    });
    const server = http.createServer(yoga);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const boom = await fetch(`${base}/boom`);
      expect(boom.status).to.equal(500);
      await boom.arrayBuffer();
      for (let i = 0; i < 3; i++) {
        const ok = await fetch(`${base}/graphql?query=${encodeURIComponent("{ ok }")}`);
        expect(ok.status, `request ${i} after the failure`).to.equal(200);
        await ok.arrayBuffer();
      }
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
