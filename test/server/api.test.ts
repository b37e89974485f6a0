/**
 * The API over yoga.fetch (no socket) against the real components: Hardhat's network with the
 * deployed Works and Licensing contracts, the embedded IPFS store, and the embedded indexer running
 * the compiled subgraph. Transactions the API prepares are signed by test wallets and sent back
 * through submitTransaction.
 */
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import pino from "pino";
import { JsonRpcProvider, Wallet, HDNodeWallet } from "ethers";
import { createApp, type App } from "../../server/src/app";
import { generateApiKey, loadApiKeyStore } from "../../server/src/auth/keys";
import { ChainClient } from "../../server/src/chain/client";
import { systemClock } from "../../server/src/clock";
import { loadConfig, type Config } from "../../server/src/config";
import { SubgraphClient } from "../../server/src/subgraph/client";
import { renderPng, renderWav, wavDurationMs } from "../../scripts/stack/demo-media";
import { buildTantiemeSubgraph, SUBGRAPH_DIR } from "../subgraph/mappings/helpers/build";
import { KIND, cidBytes, deployTantieme, index, openIpfs, split, startChain, wallet, type Deployment, type Ipfs, type LocalChain, type Running } from "../subgraph/mappings/helpers/tantieme";

type Body = { data?: any; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

describe("server/api (real chain, IPFS store and indexer)", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  let app: App;
  let config: Config;
  let subgraph: SubgraphClient;
  let provider: JsonRpcProvider;
  const writer = generateApiKey("writer", ["write", "bulk"]);
  const reader = generateApiKey("reader", []);
  const W = { "x-api-key": writer.key };
  const tune = { notes: [60, 64, 67, 72], beatMs: 120 };
  let musician: HDNodeWallet, cowriter: HDNodeWallet, licensee: HDNodeWallet, platform: HDNodeWallet;
  const ids: Record<string, string> = {};

  function makeApp(env: Record<string, string> = {}): App {
    config = loadConfig({
      RPC_URL: chain.url,
      SUBGRAPH_URL: run.indexer.server!.url,
      DEPLOYMENT_FILE: path.join(SUBGRAPH_DIR, "networks.json"),
      NODE_ENV: process.env.API_TEST_DEV ? "development" : "test",
      LOG_LEVEL: "silent",
      API_KEYS: JSON.stringify([writer.record, reader.record]),
      INDEX_WAIT_TIMEOUT_MS: "30000",
      ...env,
    });
    subgraph = new SubgraphClient({ url: config.subgraphUrl });
    const chainClient = new ChainClient({ rpcUrl: config.rpcUrl, chainId: config.chainId, deployment: config.deployment });
    return createApp({ config, logger: pino({ level: "silent" }), apiKeys: loadApiKeyStore(config), store: ipfs.store, subgraph, chain: chainClient, clock: systemClock }, { defaultMetrics: false });
  }

  async function post(body: BodyInit, headers: Record<string, string> = {}, on: App = app): Promise<{ status: number; body: Body; headers: Headers }> {
    const res = await on.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), headers: res.headers };
  }
  const gql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, on: App = app) => post(JSON.stringify({ query, variables }), headers, on);
  async function ok(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = W): Promise<any> {
    const r = await gql(query, variables, headers);
    expect(r.body.errors, JSON.stringify(r.body.errors)).to.equal(undefined);
    return r.body.data;
  }
  function errorOf(r: { body: Body }): { message: string; code?: string; field?: string } {
    expect(r.body.errors, "errors").to.be.an("array").that.is.not.empty;
    const e = r.body.errors![0]!;
    return { message: e.message, code: e.extensions?.code, field: e.extensions?.field };
  }

  const SUBMIT = `mutation($tx: String!) { submitTransaction(signedTx: $tx) { hash status events indexed revertReason work { id owner } licence { id licensee status } offer { id price } } }`;
  async function signAndSubmit(w: HDNodeWallet, tx: { to: string; data: string; value: string; chainId: number }): Promise<any> {
    const signer = w.connect(provider);
    const populated = await signer.populateTransaction({ to: tx.to, data: tx.data, value: BigInt(tx.value), chainId: tx.chainId });
    const raw = await signer.signTransaction(populated);
    const data = await ok(SUBMIT, { tx: raw });
    return data.submitTransaction;
  }

  before(async function () {
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    d = await deployTantieme();
    run = await index(chain, ipfs, manifest);
    provider = new JsonRpcProvider(chain.url, 31337, { staticNetwork: true });
    [musician, cowriter, licensee, platform] = [1, 2, 3, 4].map((i) => wallet(i));
    app = makeApp();
  });

  after(async function () {
    provider?.destroy();
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
  });

  describe("flow", function () {
    it("default: uploadWork stores the files on IPFS and prepares the registration; submitTransaction returns the indexed work", async function () {
      const metadata = {
        schemaVersion: "1.0.0",
        kind: "sound-recording",
        title: "Harbour Lights",
        artists: [{ name: "Ada Marlowe" }],
        isrc: "GBTNT2600042",
        durationMs: wavDurationMs(tune),
        audio: { path: "master.wav", mimeType: "audio/wav" },
        artwork: { path: "cover.png", mimeType: "image/png" },
      };
      const operations = {
        query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid kind identifier files { path field cid size mimeType } transaction { to data value chainId from gas simulationError } } }`,
        variables: { input: { from: musician.address, metadata: JSON.stringify(metadata), files: [null, null], split: [{ account: musician.address, shareBps: 7000 }, { account: cowriter.address, shareBps: 3000 }] } },
      };
      const form = new FormData();
      form.append("operations", JSON.stringify(operations));
      form.append("map", JSON.stringify({ 0: ["variables.input.files.0"], 1: ["variables.input.files.1"] }));
      form.append("0", new Blob([renderWav(tune)], { type: "audio/wav" }), "master.wav");
      form.append("1", new Blob([renderPng(64, 64, 200)], { type: "image/png" }), "cover.png");
      const res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { ...W }, body: form });
      const body = (await res.json()) as Body;
      expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
      const up = body.data.uploadWork;
      expect(up.kind).to.equal("SoundRecording");
      expect(up.identifier).to.equal("GBTNT2600042");
      expect(up.files.map((f: { path: string }) => f.path).sort()).to.deep.equal(["cover.png", "master.wav"]);
      expect(await ipfs.store.has(up.metadataCid)).to.equal(true);
      for (const f of up.files) expect(await ipfs.store.has(f.cid), f.path).to.equal(true);
      expect(up.transaction).to.include({ to: await d.works.getAddress(), chainId: 31337, from: musician.address, simulationError: null });
      expect(Number(up.transaction.gas)).to.be.greaterThan(21_000);

      const sub = await signAndSubmit(musician, up.transaction);
      expect(sub.status).to.equal("SUCCESS");
      expect(sub.events).to.include("WorkRegistered");
      expect(sub.indexed).to.equal(true);
      expect(sub.work).to.deep.equal({ id: "1", owner: musician.address.toLowerCase() });
      ids.work = "1";

      const w = await ok(`query($cid: String!) { a: work(isrc: "GB-TNT-26-00042") { id metadataCid split { version recipients { account shareBps } } } b: work(metadataCid: $cid) { id metadata } }`, { cid: up.metadataCid });
      expect(w.a.metadataCid).to.equal(up.metadataCid);
      expect(w.a.split.recipients.map((r: { shareBps: number }) => r.shareBps).sort()).to.deep.equal([3000, 7000]);
      expect(w.b.id).to.equal("1");
      expect(w.b.metadata.title).to.equal("Harbour Lights");
    });

    it("behavior: works are searchable by title and creator (metadata read while indexing)", async function () {
      const cid = await ipfs.addJson({ title: "Blue Foundry", artists: [{ name: "Mina Park" }] });
      await (await d.works.connect(d.signers[2]).register(KIND.Composition, cidBytes(cid), "0x" + Buffer.from("T0345246801").toString("hex").padEnd(24, "0"), split([await d.signers[2].getAddress(), 10000]))).wait();
      await run.synced();
      const r = await ok(`{ t: works(title: "foundry") { id title iswc } c: works(creator: "mina park") { id } i: work(iswc: "T-034.524.680-1") { id } }`);
      expect(r.t).to.deep.equal([{ id: "2", title: "Blue Foundry", iswc: "T0345246801" }]);
      expect(r.c).to.deep.equal([{ id: "2" }]);
      expect(r.i).to.deep.equal({ id: "2" });
    });

    it("default: prepareOffer → signed → indexed offer", async function () {
      const data = await ok(`mutation($i: OfferInput!) { prepareOffer(input: $i) { summary transactions { to data value chainId gas simulationError } } }`, {
        i: { from: musician.address, work: "1", rights: ["Streaming", "Sync"], territory: { mode: "Include", countries: ["FR", "de"] }, duration: String(365 * 86400), price: "1000000000000000", exclusive: false },
      });
      expect(data.prepareOffer.summary).to.match(/^Streaming, Sync in FR, DE, for 365 days from purchase; price 0.001 ETH; non-exclusive; non-transferable$/);
      const sub = await signAndSubmit(musician, data.prepareOffer.transactions[0]);
      expect(sub.events).to.deep.equal(["OfferCreated"]);
      expect(sub.offer).to.deep.equal({ id: "1", price: "1000000000000000" });
    });

    it("default: prepareLicencePurchase → signed by the licensee → licenceStatus allows it with evidence", async function () {
      const p = (await ok(`mutation { prepareLicencePurchase(offer: "1", licensee: "${licensee.address}") { price fee net feeBps currency nativeCurrency summary offer { id } transactions { to value gas simulationError } } }`)).prepareLicencePurchase;
      expect(p).to.include({ price: "1000000000000000", nativeCurrency: true });
      expect(BigInt(p.fee) + BigInt(p.net)).to.equal(10n ** 15n);
      expect(p.transactions).to.have.length(1);
      expect(p.transactions[0].value).to.equal("1000000000000000");
      const sub = await signAndSubmit(licensee, (await ok(`mutation { prepareLicencePurchase(offer: "1", licensee: "${licensee.address}") { transactions { to data value chainId } } }`)).prepareLicencePurchase.transactions[0]);
      expect(sub.events).to.include("LicencePurchased");
      expect(sub.licence).to.deep.equal({ id: "1", licensee: licensee.address.toLowerCase(), status: "Active" });
      ids.licenceTx = sub.hash;

      const q = `query($w: String!, $r: Right!, $t: String!) { licenceStatus(work: $w, licensee: "${licensee.address}", right: $r, territory: $t, verify: true) { allowed workId reasons evidence { licenceId offerId txHash blockNumber timestamp } licences { licenceId status granted reasons } onChain { licensed licenceId agreesWithIndex checked } } }`;
      const yes = (await ok(q, { w: "GBTNT2600042", r: "Sync", t: "fr" })).licenceStatus;
      expect(yes.allowed).to.equal(true);
      expect(yes.evidence).to.include({ licenceId: "1", offerId: "1", txHash: sub.hash });
      expect(Number(yes.evidence.blockNumber)).to.be.greaterThan(0);
      expect(yes.onChain).to.deep.equal({ licensed: true, licenceId: "1", agreesWithIndex: true, checked: 1 });
      const no = (await ok(q, { w: "1", r: "Download", t: "US" })).licenceStatus;
      expect(no).to.deep.include({ allowed: false, reasons: ["RIGHT", "TERRITORY"], evidence: null });
      expect(no.onChain).to.include({ licensed: false, agreesWithIndex: true });
      const none = (await gql(`{ licenceStatus(work: "2", licensee: "${licensee.address}", right: Streaming, territory: "FR") { allowed reasons } }`)).body.data.licenceStatus;
      expect(none).to.deep.equal({ allowed: false, reasons: ["NO_LICENCE"] });
    });

    it("behavior: checkLicences answers 1,000 requests with a bounded number of index queries", async function () {
      const requests = Array.from({ length: 1000 }, (_, i) => {
        if (i % 4 === 0) return { work: "1", licensee: licensee.address, right: "Streaming", territory: "DE" };
        if (i % 4 === 1) return { work: "GBTNT2600042", licensee: licensee.address, right: "Print", territory: "DE" };
        if (i % 4 === 2) return { work: "T0345246801", licensee: platform.address, right: "Streaming", territory: "FR" };
        return { work: String(100 + i), licensee: licensee.address, right: "Streaming", territory: "FR" };
      });
      const before = subgraph.requests;
      const started = performance.now();
      const r = await ok(`query($r: [LicenceCheckInput!]!) { checkLicences(requests: $r) { allowed workId reasons error evidence { licenceId } } }`, { r: requests });
      const ms = performance.now() - started;
      const queries = subgraph.requests - before;
      expect(queries).to.be.at.most(2);
      const out = r.checkLicences;
      expect(out).to.have.length(1000);
      expect(out[0]).to.deep.equal({ allowed: true, workId: "1", reasons: [], error: null, evidence: { licenceId: "1" } });
      expect(out[1]).to.deep.include({ allowed: false, reasons: ["RIGHT"] });
      expect(out[2]).to.deep.include({ allowed: false, workId: "2", reasons: ["NO_LICENCE"] });
      expect(out[3]).to.deep.include({ allowed: false, workId: null, error: "work not found" });
      console.log(`      checkLicences(1000): ${ms.toFixed(0)} ms, ${queries} index queries`);
    });

    it("default: prepareRevocation → signed by the owner → status flips to revoked", async function () {
      const data = await ok(`mutation { prepareRevocation(licence: "1", reason: Breach, from: "${musician.address}") { summary transactions { to data value chainId simulationError } } }`);
      expect(data.prepareRevocation.transactions[0].simulationError).to.equal(null);
      const sub = await signAndSubmit(musician, data.prepareRevocation.transactions[0]);
      expect(sub.events).to.deep.equal(["LicenceRevoked"]);
      const s = (await ok(`{ licenceStatus(work: "1", licensee: "${licensee.address}", right: Sync, territory: "FR") { allowed reasons licences { status } } licence(id: "1") { status revocation { reason by } } }`));
      expect(s.licenceStatus).to.deep.equal({ allowed: false, reasons: ["REVOKED"], licences: [{ status: "Revoked" }] });
      expect(s.licence.revocation).to.deep.equal({ reason: "Breach", by: musician.address.toLowerCase() });
      const again = errorOf(await gql(`mutation { prepareRevocation(licence: "1", reason: Breach, from: "${musician.address}") { summary } }`, {}, W));
      expect(again).to.deep.include({ code: "BAD_USER_INPUT", field: "licence" });
    });

    it("default: earnings appear and prepareWithdrawal (distribute + withdraw) empties them", async function () {
      const q = `{ earnings(account: "${cowriter.address}") { currencies { currency native withdrawable undistributed withdrawn } payments { amount } withdrawals { amount } } }`;
      const e1 = (await ok(q)).earnings;
      expect(e1.currencies).to.have.length(1);
      const fee = BigInt((await d.licensing.protocolFee())[0]);
      const net = 10n ** 15n - (10n ** 15n * fee) / 10_000n;
      expect(BigInt(e1.currencies[0].undistributed)).to.equal((net * 3000n) / 10_000n);
      const w = (await ok(`mutation { prepareWithdrawal(account: "${cowriter.address}") { summary transactions { description to data value chainId } } }`)).prepareWithdrawal;
      expect(w.transactions.map((t: { description: string }) => t.description.split(" ")[0])).to.deep.equal(["Distribute", "Withdraw"]);
      const balanceBefore = await provider.getBalance(cowriter.address);
      for (const tx of w.transactions) expect((await signAndSubmit(cowriter, tx)).status).to.equal("SUCCESS");
      expect(await provider.getBalance(cowriter.address)).to.be.greaterThan(balanceBefore - 10n ** 15n);
      const e2 = (await ok(q)).earnings;
      expect(e2.currencies[0]).to.include({ withdrawable: "0", undistributed: "0", withdrawn: String((net * 3000n) / 10_000n) });
      expect(e2.withdrawals).to.deep.equal([{ amount: String((net * 3000n) / 10_000n) }]);
      expect(e2.payments).to.deep.equal([{ amount: String((net * 3000n) / 10_000n) }]);
    });

    it("default: indexing status, /healthz, /readyz and /metrics", async function () {
      const s = (await ok(`{ indexingStatus { latestBlock rpcHead blocksBehind health } }`)).indexingStatus;
      expect(s.health).to.equal("healthy");
      expect(s.latestBlock).to.equal(s.rpcHead);
      expect((await app.yoga.fetch("http://api.test/healthz")).status).to.equal(200);
      const ready = await app.yoga.fetch("http://api.test/readyz");
      const rb = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
      expect(ready.status, JSON.stringify(rb)).to.equal(200);
      expect(Object.keys(rb.checks).sort()).to.deep.equal(["ipfs", "rpc", "subgraph"]);
      const metrics = await (await app.yoga.fetch("http://api.test/metrics")).text();
      expect(metrics).to.match(/tantieme_api_graphql_operations_total\{operation="checkLicences",type="query",outcome="ok"\} 1/);
      expect(metrics).to.match(/tantieme_api_subgraph_query_duration_seconds_count/);
    });

    it("behavior: /ipfs/<cid> serves stored files", async function () {
      const cid = (await ok(`{ work(id: "1") { metadataCid } }`)).work.metadataCid;
      const res = await app.yoga.fetch(`http://api.test/ipfs/${cid}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("etag")).to.equal(`"${cid}"`);
      expect(JSON.parse(await res.text()).title).to.equal("Harbour Lights");
    });

    it("behavior: licence events stream over SSE", async function () {
      const from = (await d.licensing.runner!.provider!.getBlockNumber()) - 1;
      const ctrl = new AbortController();
      const res = await app.yoga.fetch("http://api.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ query: `subscription { licenceEvents(licensee: "${licensee.address}", fromBlock: 0) { type blockNumber licence { id } } }` }),
        signal: ctrl.signal,
      });
      expect(res.headers.get("content-type")).to.match(/text\/event-stream/);
      const reader = res.body!.getReader();
      let text = "";
      const deadline = Date.now() + 15_000;
      while (!(text.includes("REVOKED") && text.includes("ISSUED")) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      ctrl.abort();
      await reader.cancel().catch(() => {});
      void from;
      expect(text).to.match(/"type":"ISSUED"/);
      expect(text).to.match(/"type":"REVOKED"/);
    });
  });

  describe("auth and limits", function () {
    it("error: mutations without a key → UNAUTHENTICATED; without the scope → FORBIDDEN; a wrong key → 401", async function () {
      const m = `mutation { prepareWithdrawal(account: "${cowriter.address}") { summary } }`;
      expect(errorOf(await gql(m))).to.include({ code: "UNAUTHENTICATED" });
      expect(errorOf(await gql(m, {}, { "x-api-key": reader.key }))).to.include({ code: "FORBIDDEN" });
      const bad = await gql(m, {}, { authorization: `Bearer ${writer.key}x` });
      expect(bad.status).to.equal(401);
      expect(errorOf(bad)).to.include({ code: "UNAUTHENTICATED" });
      const bulk = `{ checkLicences(requests: [{ work: "1", licensee: "${licensee.address}", right: Streaming, territory: "FR" }]) { allowed } }`;
      expect(errorOf(await gql(bulk))).to.include({ code: "UNAUTHENTICATED" });
      expect(errorOf(await gql(bulk, {}, { "x-api-key": reader.key }))).to.include({ code: "FORBIDDEN" });
    });

    it("behavior: per-key token buckets → 429 RATE_LIMITED with Retry-After", async function () {
      const limited = makeApp({ RATE_LIMIT_KEY_BURST: "3", RATE_LIMIT_KEY_PER_MIN: "1", RATE_LIMIT_ANON_BURST: "2", RATE_LIMIT_ANON_PER_MIN: "1" });
      for (let i = 0; i < 3; i++) expect((await gql(`{ indexingStatus { health } }`, {}, W, limited)).status).to.equal(200);
      const r = await gql(`{ indexingStatus { health } }`, {}, W, limited);
      expect(r.status).to.equal(429);
      expect(r.headers.get("retry-after")).to.equal("60");
      expect(errorOf(r)).to.include({ code: "RATE_LIMITED" });
      // Another key, and anonymous callers, have their own buckets.
      expect((await gql(`{ indexingStatus { health } }`, {}, { "x-api-key": reader.key }, limited)).status).to.equal(200);
      expect((await gql(`{ indexingStatus { health } }`, {}, {}, limited)).status).to.equal(200);
    });

    it("error: query depth and cost limits → QUERY_TOO_COMPLEX before execution", async function () {
      const limited = makeApp({ QUERY_MAX_DEPTH: "4", QUERY_MAX_COST: "500" });
      const deep = await gql(`{ licence(id: "1") { work { offers { work { id } } } } }`, {}, {}, limited);
      expect(errorOf(deep)).to.include({ code: "QUERY_TOO_COMPLEX" });
      expect(errorOf(deep).message).to.match(/depth 5 exceeds the limit of 4/);
      const costly = await gql(`{ works(first: 100) { offers { id rights price } } }`, {}, {}, limited);
      expect(errorOf(costly).message).to.match(/cost \d+ exceeds the limit of 500/);
    });

    it("error: oversized and garbage bodies → clear errors, never 500", async function () {
      const small = makeApp({ BODY_LIMIT_BYTES: "2048" });
      const big = await post(JSON.stringify({ query: `{ indexingStatus { health } }`, variables: { pad: "x".repeat(5000) } }), {}, small);
      expect(big.status).to.equal(413);
      expect(errorOf(big)).to.include({ code: "PAYLOAD_TOO_LARGE" });
      for (const garbage of ["{not json", "[]", '{"query": 42}', "null"]) {
        const r = await post(garbage);
        expect(r.status, garbage).to.be.within(400, 499);
        expect(r.body.errors, garbage).to.be.an("array");
      }
      const syntax = await gql(`{ works( }`);
      expect(syntax.status).to.be.below(500);
      expect(errorOf(syntax).code).to.be.oneOf(["GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"]);
    });
  });

  describe("bad input", function () {
    const cases: [string, string, Record<string, string>, string, RegExp][] = [
      ["malformed address", `{ licences(licensee: "0x12") { id } }`, {}, "licensee", /not a valid address/],
      ["bad checksum", `{ earnings(account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C9") { account } }`, {}, "account", /checksum/],
      ["malformed id", `{ licence(id: "-3") { id } }`, {}, "id", /not a valid id/],
      ["malformed ISRC", `{ work(isrc: "GB-TNT-26") { id } }`, {}, "isrc", /12 characters/],
      ["ISWC check digit", `{ work(iswc: "T-034.524.680-9") { id } }`, {}, "iswc", /check digit/],
      ["unassigned country", `{ licenceStatus(work: "1", licensee: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", right: Sync, territory: "UK") { allowed } }`, {}, "territory", /not an assigned/],
      ["unknown work", `{ licenceStatus(work: "999", licensee: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", right: Sync, territory: "FR") { allowed } }`, {}, "work", /not found/],
      ["bad batch item", `{ checkLicences(requests: [{ work: "1", licensee: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", right: Sync, territory: "FR" }, { work: "1", licensee: "nope", right: Sync, territory: "FR" }]) { allowed } }`, W, "requests.1.licensee", /not a valid address/],
      ["split not summing to 10000", `mutation { prepareSplitChange(input: { from: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", work: "1", recipients: [{ account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", shareBps: 9000 }] }) { newSplitHash } }`, W, "input.recipients", /sum to 9000/],
      ["empty include territory", `mutation { prepareOffer(input: { from: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", work: "1", rights: [Sync], territory: { mode: Include }, price: "1" }) { summary } }`, W, "input.territory", /at least one country/],
      ["not the owner", `mutation { prepareOffer(input: { from: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", work: "1", rights: [Sync], territory: { mode: Worldwide }, price: "1" }) { summary } }`, W, "from", /neither the owner/],
      ["unknown offer", `mutation { prepareLicencePurchase(offer: "77", licensee: "0x90F79bf6EB2c4f870365E785982E1f101E93b906") { price } }`, W, "offer", /offer 77 not found/],
      ["garbage signed tx", `mutation { submitTransaction(signedTx: "0xdeadbeef") { hash } }`, W, "signedTx", /not a valid signed transaction/],
    ];
    for (const [name, query, headers, field, message] of cases) {
      it(`error: ${name} → BAD_USER_INPUT/NOT_FOUND naming ${field}`, async function () {
        const r = await gql(query, {}, headers);
        const e = errorOf(r);
        expect(["BAD_USER_INPUT", "NOT_FOUND"], e.message).to.include(e.code);
        expect(e.field, e.message).to.equal(field);
        expect(e.message).to.match(message);
        expect(r.status).to.be.below(500);
      });
    }

    it("error: more than 1,000 checkLicences requests", async function () {
      const r = { work: "1", licensee: licensee.address, right: "Sync", territory: "FR" };
      const e = errorOf(await gql(`query($r: [LicenceCheckInput!]!) { checkLicences(requests: $r) { allowed } }`, { r: Array(1001).fill(r) }, W));
      expect(e).to.include({ code: "BAD_USER_INPUT", field: "requests" });
      expect(e.message).to.match(/at most 1000 requests per call, got 1001/);
    });

    it("error: a signed transaction for another chain is refused before broadcasting", async function () {
      const other = Wallet.createRandom();
      const raw = await other.signTransaction({ to: other.address, value: 1n, chainId: 1, nonce: 0, gasLimit: 21000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 1n, type: 2 });
      const e = errorOf(await gql(SUBMIT, { tx: raw }, W));
      expect(e).to.include({ code: "BAD_USER_INPUT", field: "signedTx" });
      expect(e.message).to.match(/for chain 1, this server's chain is 31337/);
    });

    it("error: unexpected failures are masked, with no stack outside development", async function () {
      const down = makeApp({ SUBGRAPH_URL: "http://127.0.0.1:9/subgraphs/name/none", SUBGRAPH_TIMEOUT_MS: "500" });
      const r = await gql(`{ work(id: "1") { id } }`, {}, {}, down);
      const e = errorOf(r);
      expect(e.code).to.equal("UPSTREAM_UNAVAILABLE");
      expect(JSON.stringify(r.body)).not.to.match(/stack|at .*\.ts:/);
      const ready = await down.yoga.fetch("http://api.test/readyz");
      expect(ready.status).to.equal(503);
    });
  });

  void hre;
});
