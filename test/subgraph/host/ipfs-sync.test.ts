import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { unixfs } from "@helia/unixfs";
import { create } from "kubo-rpc-client";
import { createContentStore, type ContentStore } from "../../../core/content";
import { buildProbeSubgraph } from "../fixtures/build";
import { EntityCache } from "../../../subgraph/runtime/host/entity-cache";
import { MappingModule, type HostContext } from "../../../subgraph/runtime/host/module";
import { parseSchema } from "../../../subgraph/runtime/schema";
import { createSyncIpfsReader, splitIpfsPath, type SyncIpfsReader } from "../../../subgraph/runtime/host/ipfs-sync";
import { KUBO_RPC_SERVER_MISSING, kuboRpcServerInstalled, startKuboRpcServer, type KuboRpcServer } from "../../core/content/helpers/kubo-rpc-server";

const UNKNOWN = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"; // the empty directory: valid, never added here

describe("subgraph/host: synchronous ipfs.cat reader (worker + Atomics.wait)", function () {

  it("args: splits /ipfs/<cid>/path, ipfs://<cid>/path and <cid>/path", () => {
    expect(splitIpfsPath(`/ipfs/${UNKNOWN}/a/b.json`)).to.deep.equal({ cid: UNKNOWN, path: "a/b.json" });
    expect(splitIpfsPath(`ipfs://${UNKNOWN}`)).to.deep.equal({ cid: UNKNOWN, path: "" });
    expect(splitIpfsPath(` ${UNKNOWN}/x/ `)).to.deep.equal({ cid: UNKNOWN, path: "x" });
  });

  it("error: invalid options are typed errors naming the field", () => {
    for (const [opts, field] of [[{ timeoutMs: 0 }, "timeoutMs"], [{ maxBytes: 1.5 }, "maxBytes"]] as const) {
      try {
        createSyncIpfsReader({ kind: "embedded", dir: os.tmpdir() }, opts);
        expect.fail("expected SyncIpfsReaderError");
      } catch (err) {
        expect((err as Error).name).to.equal("SyncIpfsReaderError");
        expect((err as { code: string }).code).to.equal("INVALID_OPTION");
        expect((err as { details: { field: string } }).details.field).to.equal(field);
      }
    }
    expect(() => createSyncIpfsReader({ kind: "s3" } as never)).to.throw(/config\.kind/);
  });

  describe("embedded store", () => {
    let dir: string;
    let store: ContentStore;
    let reader: SyncIpfsReader;
    const errors: { path: string; code: string }[] = [];

    before(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-ipfs-sync-"));
      store = await createContentStore({ kind: "embedded", dir });
      reader = createSyncIpfsReader({ kind: "embedded", dir }, { timeoutMs: 10_000, maxBytes: 2 * 2 ** 20, onError: (p, e) => errors.push({ path: p, code: e.code }) });
    });
    after(async () => {
      await reader.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => errors.splice(0));

    it("default: returns the exact bytes of small and multi-block files added through the ContentStore, synchronously", async () => {
      // No worker until the first cat: subgraphs that never call ipfs.cat pay nothing.
      expect(reader.started).to.equal(false);
      const small = new TextEncoder().encode(JSON.stringify({ title: "Sonate", isrc: "FRZ039800212" }));
      const big = randomBytes(700_000); // > 256 KiB chunks: a multi-block DAG
      const a = await store.add(small);
      const b = await store.add(big);
      expect(Buffer.from(reader.cat(a.cid.toString())!).equals(Buffer.from(small))).to.equal(true);
      expect(Buffer.from(reader.cat(`/ipfs/${b.cid.toString()}`)!).equals(big)).to.equal(true);
      expect(Buffer.from(reader.cat(b.cid.toV1().toString())!).equals(big)).to.equal(true);
      expect(errors).to.deep.equal([]);
    });

    it("behavior: null for unknown CIDs, invalid CIDs, directories and files above maxBytes (graph-node returns null on any error)", async () => {
      const large = await store.add(randomBytes(2 * 2 ** 20 + 1));
      expect(reader.cat(UNKNOWN)).to.equal(null);
      expect(reader.cat("not-a-cid")).to.equal(null);
      expect(reader.cat(large.cid.toString())).to.equal(null);
      expect(errors.map((e) => e.code)).to.deep.equal(["IPFS_NOT_FOUND", "IPFS_INVALID_CID", "IPFS_CONTENT_TOO_LARGE"]);
    });

    it("behavior: resolves <cid>/<path> through UnixFS directories stored in the same block directory", async () => {
      // A real directory DAG, written into the embedded store's blockstore by @helia/unixfs itself.
      const { FsBlockstore } = await import("blockstore-fs");
      const { NextToLast } = await import("blockstore-fs/sharding");
      const bs = new FsBlockstore(path.join(dir, "blocks"), { shardingStrategy: new NextToLast() as never });
      await bs.open();
      const fs = unixfs({ blockstore: bs as never });
      const meta = new TextEncoder().encode('{"name":"cover"}');
      const art = randomBytes(300_000);
      let root = await fs.addDirectory();
      root = await fs.cp(await fs.addBytes(meta), root, "metadata.json");
      let sub = await fs.addDirectory();
      sub = await fs.cp(await fs.addBytes(art), sub, "cover.bin");
      root = await fs.cp(sub, root, "art");
      await bs.close();
      expect(Buffer.from(reader.cat(`${root.toString()}/metadata.json`)!).equals(Buffer.from(meta))).to.equal(true);
      expect(Buffer.from(reader.cat(`/ipfs/${root.toString()}/art/cover.bin`)!).equals(art)).to.equal(true);
      expect(reader.cat(`${root.toString()}/missing.json`)).to.equal(null);
      expect(reader.cat(root.toString())).to.equal(null); // a directory is not a file
      expect(errors.map((e) => e.code)).to.deep.equal(["IPFS_NOT_FOUND", "IPFS_NOT_A_FILE"]);
    });

    it("behavior: the compiled probe mapping's ipfs.cat reads through the reader (bytes, or null)", async function () {
      this.timeout(600_000); // the probe build, when it is not cached yet
      const manifest = buildProbeSubgraph();
      const dirOf = path.dirname(manifest);
      const module = MappingModule.fromBytes(readFileSync(path.join(dirOf, "Probe/Probe.wasm")), "Probe", "Probe.wasm");
      const schema = parseSchema(readFileSync(path.join(dirOf, "schema.graphql"), "utf8"));
      const content = new TextEncoder().encode('{"licence":"CC-BY-4.0"}');
      const { cid } = await store.add(content);
      const ctx: HostContext = {
        cache: new EntityCache({ get: () => null } as never, schema, 1), blockNumber: 1, handler: "test",
        dataSource: { name: "Probe", address: null, network: "hardhat", context: null },
        createDataSource: () => {}, log: () => {}, ipfsCat: reader.cat,
      };
      const read = (link: string) => module.call("ipfsCat", ctx, (h) => [h.writeString(link)], (h, p) => (p === 0 ? null : new TextDecoder().decode(h.readBytes(p as number))));
      expect(read(cid.toString())).to.equal('{"licence":"CC-BY-4.0"}');
      expect(read(UNKNOWN)).to.equal(null);
    });

    it("error: a closed reader throws a non-deterministic typed error", async () => {
      const r = createSyncIpfsReader({ kind: "embedded", dir });
      await r.close();
      expect(() => r.cat(UNKNOWN)).to.throw(/closed/).with.property("code", "READER_CLOSED");
    });
  });

  describe("Kubo RPC store", () => {
    let server: KuboRpcServer | undefined;

    before(async function () {
      if (!kuboRpcServerInstalled()) {
        console.warn(`      skipped: ${KUBO_RPC_SERVER_MISSING}`);
        this.skip();
      }
      server = await startKuboRpcServer();
    });
    after(async () => {
      await server?.stop();
    });

    it("default: reads files and <cid>/<path> from a Kubo RPC node; null for unknown CIDs", async () => {
      // Timeouts bound a hang; absent content costs one (the Kubo store reads a timeout as not found).
      const store = await createContentStore({ kind: "kubo", url: server!.url, timeoutMs: 10_000, offline: true });
      const reader = createSyncIpfsReader({ kind: "kubo", url: server!.url, timeoutMs: 10_000, offline: true }, { timeoutMs: 20_000 });
      try {
        // A directory made by the node itself. Written before any blocking cat: a blocked main thread
        // cannot notice the node closing idle keep-alive sockets.
        const client = create({ url: server!.url });
        let dirCid = "";
        for await (const entry of client.addAll([{ path: "d/hello.txt", content: new TextEncoder().encode("hello dir") }], { cidVersion: 0 })) {
          if (entry.path === "d") dirCid = entry.cid.toString();
        }
        expect(dirCid).to.match(/^Qm/);
        const bytes = randomBytes(400_000);
        const { cid } = await store.add(bytes);
        expect(Buffer.from(reader.cat(cid.toString())!).equals(bytes)).to.equal(true);
        expect(reader.cat(UNKNOWN.replace("Nn", "Nm"))).to.equal(null);
        expect(new TextDecoder().decode(reader.cat(`${dirCid}/hello.txt`)!)).to.equal("hello dir");
      } finally {
        await reader.close();
        await store.close();
      }
    });
  });

  it("behavior: a node that never answers → null after timeoutMs, and the reader stays usable", async () => {
    const sockets: net.Socket[] = [];
    const hang = net.createServer((s) => sockets.push(s)); // accepts, never responds
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", () => r()));
    const port = (hang.address() as net.AddressInfo).port;
    const codes: string[] = [];
    const reader = createSyncIpfsReader({ kind: "kubo", url: `http://127.0.0.1:${port}`, timeoutMs: 30_000 }, { timeoutMs: 400, onError: (_p, e) => codes.push(e.code) });
    try {
      // The first call also waits for the worker to start (not charged to timeoutMs).
      expect(reader.cat(UNKNOWN)).to.equal(null);
      for (let i = 0; i < 2; i++) {
        const start = Date.now();
        expect(reader.cat(UNKNOWN)).to.equal(null);
        // At least the reader's 400 ms; well under the client's own 30 s, which would apply if the
        // reader's timeout did not (the margin is for a busy machine, not a speed target).
        expect(Date.now() - start).to.be.within(390, 15_000);
      }
      expect(codes).to.deep.equal(["IPFS_TIMEOUT", "IPFS_TIMEOUT", "IPFS_TIMEOUT"]);
    } finally {
      await reader.close();
      for (const s of sockets) s.destroy();
      hang.close();
    }
  });
});
