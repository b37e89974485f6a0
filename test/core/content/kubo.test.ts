import { expect } from "chai";
import { createContentStore, type ContentStore } from "../../../core/content/index";
import { behavesLikeContentStore } from "./content-store.behaviour";
import { KUBO_RPC_SERVER_MISSING, kuboRpcServerInstalled, startKuboRpcServer, type KuboRpcServer } from "./helpers/kubo-rpc-server";

describe("ipfs: Kubo RPC content store (against js-ipfs' independent Kubo RPC server)", function () {
  let server: KuboRpcServer | undefined;
  let store: ContentStore;
  let absentStore: ContentStore;

  before(async function () {
    if (!kuboRpcServerInstalled()) {
      console.warn(`      skipped: ${KUBO_RPC_SERVER_MISSING}`);
      this.skip();
    }
    server = await startKuboRpcServer();
    // The Kubo store reads a request timeout as "not found" (a node may look for a block for ever),
    // so absent content costs one timeout; 1.5 s made present content "not found" whenever the
    // machine was busy enough to slow a request past it. 10 s: absent-content tests stay short.
    store = await createContentStore({ kind: "kubo", url: server.url, timeoutMs: 10_000, offline: true });
    // Absent content is asked of a store with a 1 s timeout: five such requests then cost 5 s, not 50.
    absentStore = await createContentStore({ kind: "kubo", url: server.url, timeoutMs: 1_000, offline: true });
  });
  after(async () => {
    await store?.close();
    await absentStore?.close();
    await server?.stop();
  });

  behavesLikeContentStore(
    () => store,
    () => absentStore,
  );

  it("error: an unreachable Kubo node → StoreOperationError naming the operation", async () => {
    const dead = await createContentStore({ kind: "kubo", url: "http://127.0.0.1:9", timeoutMs: 2_000 });
    try {
      await dead.add(new Uint8Array([1]));
      expect.fail("expected StoreOperationError");
    } catch (err) {
      expect((err as Error).name).to.equal("StoreOperationError");
      expect((err as { details: { operation: string } }).details.operation).to.equal("kubo add");
    }
  });
});
