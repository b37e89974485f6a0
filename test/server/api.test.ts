/**
 * The API over yoga.fetch (no socket) against the real components: Hardhat's network with the
 * deployed Works and Licensing contracts, the embedded IPFS store, and the embedded indexer running
 * the compiled subgraph. Transactions the API prepares are signed by test wallets and sent back
 * through submitTransaction.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect } from "chai";
import hre from "hardhat";
import { JsonRpcProvider, Wallet, HDNodeWallet } from "ethers";
import type { App } from "../../server/src/app";
import { generateApiKey } from "../../server/src/auth/keys";
import { systemClock, type Clock } from "../../server/src/clock";
import type { Config } from "../../server/src/config";
import { SubgraphClient } from "../../server/src/subgraph/client";
import { COUNTRY_CODES } from "../../core/domain";
import { startIndexer } from "../../subgraph/runtime/indexer";
import { renderPng, renderWav, wavDurationMs } from "../../scripts/stack/demo-media";
import { buildTantiemeSubgraph } from "../subgraph/mappings/helpers/build";
import { KIND, ZERO, cidBytes, split, wallet, type Deployment, type Ipfs, type LocalChain, type Running } from "../subgraph/mappings/helpers/tantieme";
import { appOnStack, stackConfig, startStack, type Stack } from "./helpers/apiStack";

type Body = { data?: any; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

describe("server/api (real chain, IPFS store and indexer)", function () {
  this.timeout(300_000);
  let stack: Stack;
  let chain: LocalChain;
  let ipfs: Ipfs;
  let d: Deployment;
  let run: Running;
  let app: App;
  let config: Config;
  let subgraph: SubgraphClient;
  let provider: JsonRpcProvider;
  /** This suite's own UPLOAD_DIR: what it asserts on is never shared with another process. */
  let uploadDir: string;
  const uploadFolders = () => readdirSync(uploadDir).filter((n) => n.startsWith("tantieme-multipart-") || n.startsWith("tantieme-upload-"));
  const writer = generateApiKey("writer", ["write", "bulk"]);
  const reader = generateApiKey("reader", []);
  const W = { "x-api-key": writer.key };
  const tune = { notes: [60, 64, 67, 72], beatMs: 120 };
  let musician: HDNodeWallet, cowriter: HDNodeWallet, licensee: HDNodeWallet, platform: HDNodeWallet;
  const ids: Record<string, string> = {};

  function makeApp(env: Record<string, string> = {}, clock: Clock = systemClock): App {
    const made = appOnStack(
      stack,
      stackConfig(stack, {
        NODE_ENV: process.env.API_TEST_DEV ? "development" : "test",
        API_KEYS: JSON.stringify([writer.record, reader.record]),
        // submitTransaction's wait for the index: the tests expect `indexed: true`, so the bound is
        // generous (a busy machine indexes slowly); it is not what they measure.
        INDEX_WAIT_TIMEOUT_MS: "240000",
        UPLOAD_DIR: uploadDir,
        ...env,
      }),
      { clock },
    );
    ({ config, subgraph } = made);
    return made;
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
    uploadDir = mkdtempSync(path.join(os.tmpdir(), "tantieme-api-uploads-"));
    stack = await startStack();
    ({ chain, ipfs, d, run, provider } = stack);
    [musician, cowriter, licensee, platform] = [1, 2, 3, 4].map((i) => wallet(i));
    app = makeApp();
  });

  after(async function () {
    await stack?.close();
    if (uploadDir) rmSync(uploadDir, { recursive: true, force: true });
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
      // The fulltext search (the subgraph's workSearch): words of title and creators in any order,
      // the last one a beginning; the identifier; user-typed operators are only words.
      const s = await ok(`{ a: works(search: "park blue") { id } b: works(search: "Foundr") { id } c: works(search: "T0345246801") { id } d: works(search: "blue & !(foundry") { id } e: works(search: "foundry nothing") { id } f: works(search: "::") { id } }`);
      expect(s).to.deep.equal({ a: [{ id: "2" }], b: [{ id: "2" }], c: [{ id: "2" }], d: [{ id: "2" }], e: [], f: [] });
      expect(errorOf(await gql(`{ works(search: "  ") { id } }`))).to.deep.include({ code: "BAD_USER_INPUT", field: "search" });
    });

    it("default: prepareOffer → signed → indexed offer", async function () {
      const data = await ok(`mutation($i: OfferInput!) { prepareOffer(input: $i) { summary transactions { to data value chainId gas simulationError } } }`, {
        i: { from: musician.address, work: "1", rights: ["Streaming", "Sync"], territory: { mode: "Include", countries: ["FR", "de"] }, duration: String(365 * 86400), price: "1000000000000000", exclusive: false, revocation: { revocableFor: ["Breach"] } },
      });
      // The revocation policy is stated before anyone buys.
      expect(data.prepareOffer.summary).to.equal("Streaming, Sync in FR, DE, for 365 days from purchase; price 0.001 ETH; non-exclusive; non-transferable; revocable by the work's owner only for Breach, with immediate effect; no refund");
      const sub = await signAndSubmit(musician, data.prepareOffer.transactions[0]);
      expect(sub.events).to.deep.equal(["OfferCreated"]);
      expect(sub.offer).to.deep.equal({ id: "1", price: "1000000000000000" });
    });

    it("default: prepareLicencePurchase → signed by the licensee → licenceStatus allows it with evidence", async function () {
      const p = (await ok(`mutation { prepareLicencePurchase(offer: "1", licensee: "${licensee.address}") { price fee net feeBps currency nativeCurrency summary offer { id } transactions { to value gas simulationError } } }`)).prepareLicencePurchase;
      expect(p).to.include({ price: "1000000000000000", nativeCurrency: true });
      expect(p.summary).to.match(/; revocable by the work's owner only for Breach, with immediate effect; no refund$/);
      expect(BigInt(p.fee) + BigInt(p.net)).to.equal(10n ** 15n);
      expect(p.transactions).to.have.length(1);
      expect(p.transactions[0].value).to.equal("1000000000000000");
      const sub = await signAndSubmit(licensee, (await ok(`mutation { prepareLicencePurchase(offer: "1", licensee: "${licensee.address}") { transactions { to data value chainId } } }`)).prepareLicencePurchase.transactions[0]);
      expect(sub.events).to.include("LicencePurchased");
      expect(sub.licence).to.deep.equal({ id: "1", licensee: licensee.address.toLowerCase(), status: "Active" });
      ids.licenceTx = sub.hash;
      // The work's licence count (the subgraph's per-currency WorkRevenue.licences, summed) and the
      // offer's sales (the subgraph's OfferSales) as the API shows them.
      const counted = (await ok(`{ work(id: "1") { licenceCount revenue { licences } offers { id sold grossRevenue } } }`)).work;
      expect(counted).to.deep.equal({ licenceCount: 1, revenue: [{ licences: 1 }], offers: [{ id: "1", sold: 1, grossRevenue: "1000000000000000" }] });

      const q = `query($w: String!, $r: Right!, $t: String!) { licenceStatus(work: $w, licensee: "${licensee.address}", right: $r, territory: $t, verify: true) { allowed workId reasons evidence { licenceId offerId txHash blockNumber timestamp } licences { licenceId status granted reasons } onChain { licensed licenceId agreesWithIndex checked } } }`;
      const yes = (await ok(q, { w: "GBTNT2600042", r: "Sync", t: "fr" })).licenceStatus;
      expect(yes.allowed).to.equal(true);
      expect(yes.evidence).to.include({ licenceId: "1", offerId: "1", txHash: sub.hash });
      expect(Number(yes.evidence.blockNumber)).to.be.greaterThan(0);
      expect(yes.onChain).to.deep.equal({ licensed: true, licenceId: "1", agreesWithIndex: true, checked: 1 });
      // The decision reads slim licences; the evidence's full licence is fetched when asked for.
      const full = (await ok(`{ licenceStatus(work: "1", licensee: "${licensee.address}", right: Sync, territory: "FR") { evidence { licence { id payer currency splitVersion licensee } } } }`)).licenceStatus;
      expect(full.evidence.licence).to.deep.equal({ id: "1", payer: licensee.address.toLowerCase(), currency: ZERO, splitVersion: 1, licensee: licensee.address.toLowerCase() });
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
      expect(queries, "works and licences in one query").to.equal(1);
      const out = r.checkLicences;
      expect(out).to.have.length(1000);
      expect(out[0]).to.deep.equal({ allowed: true, workId: "1", reasons: [], error: null, evidence: { licenceId: "1" } });
      expect(out[1]).to.deep.include({ allowed: false, reasons: ["RIGHT"] });
      expect(out[2]).to.deep.include({ allowed: false, workId: "2", reasons: ["NO_LICENCE"] });
      expect(out[3]).to.deep.include({ allowed: false, workId: null, error: "work not found" });
      console.log(`      checkLicences(1000): ${ms.toFixed(0)} ms, ${queries} index queries`);
      // licenceStatus is the same read as a batch of one: the same answer for each kind of request.
      for (const i of [0, 1, 2]) {
        const q = requests[i]!;
        const one = await ok(`query($w: String!, $l: String!, $r: Right!, $t: String!) { licenceStatus(work: $w, licensee: $l, right: $r, territory: $t) { allowed workId reasons evidence { licenceId } } }`, {
          w: q.work, l: q.licensee, r: q.right, t: q.territory,
        });
        const { error: _, ...batchAnswer } = out[i];
        expect(one.licenceStatus, `request ${i}`).to.deep.equal(batchAnswer);
      }
    });

    it("default: prepareRevocation → signed by the owner → status flips to revoked", async function () {
      // Only for a reason the licence's terms allow (the offer named Breach).
      const beyond = errorOf(await gql(`mutation { prepareRevocation(licence: "1", reason: Dispute, from: "${musician.address}") { summary } }`, {}, W));
      expect(beyond).to.deep.include({ code: "BAD_USER_INPUT", field: "reason" });
      expect(beyond.message).to.match(/cannot be revoked for Dispute: its terms say revocable by the work's owner only for Breach/);
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
      // A bound for a broken stream, not a speed target (the test's timeout bounds it too).
      const deadline = Date.now() + 120_000;
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

  describe("more flows", function () {
    /** ethers' signTypedData takes the types without EIP712Domain. */
    async function signPayload(w: HDNodeWallet, p: { domain: any; types: Record<string, any>; message: any }): Promise<string> {
      const { EIP712Domain: _, ...types } = p.types;
      void _;
      return w.signTypedData(p.domain, types, p.message);
    }

    it("default: prepareOfferStatus pauses, resumes and retires an offer; the index follows; impossible changes name the field", async function () {
      const created = await ok(`mutation($i: OfferInput!) { prepareOffer(input: $i) { transactions { to data value chainId } } }`, {
        i: { from: musician.address, work: "1", rights: ["Broadcast"], territory: { mode: "Worldwide" }, price: "1000" },
      });
      const offerId = (await signAndSubmit(musician, created.prepareOffer.transactions[0])).offer.id as string;
      const STATUS = `mutation($o: String!, $s: OfferStatus!, $f: String!) { prepareOfferStatus(offer: $o, status: $s, from: $f) { summary transactions { to data value chainId simulationError } } }`;
      const move = async (status: string, expected: string) => {
        const data = await ok(STATUS, { o: offerId, s: status, f: musician.address });
        expect(data.prepareOfferStatus.transactions[0].simulationError).to.equal(null);
        const sub = await signAndSubmit(musician, data.prepareOfferStatus.transactions[0]);
        expect(sub.events).to.deep.equal(["OfferStatusChanged"]);
        expect((await ok(`{ offer(id: "${offerId}") { status } }`)).offer.status).to.equal(expected);
      };
      expect(errorOf(await gql(STATUS, { o: offerId, s: "Active", f: musician.address }, W))).to.deep.include({ code: "BAD_USER_INPUT", field: "status" });
      expect(errorOf(await gql(STATUS, { o: offerId, s: "Paused", f: licensee.address }, W))).to.deep.include({ code: "BAD_USER_INPUT", field: "from" });
      await move("Paused", "Paused");
      await move("Active", "Active");
      await move("Retired", "Retired");
      const retired = errorOf(await gql(STATUS, { o: offerId, s: "Active", f: musician.address }, W));
      expect(retired).to.deep.include({ code: "BAD_USER_INPUT", field: "status" });
      expect(retired.message).to.match(/retired/);
      expect(errorOf(await gql(STATUS, { o: "999999", s: "Paused", f: musician.address }, W))).to.deep.include({ code: "NOT_FOUND", field: "offer" });
      expect(errorOf(await gql(STATUS, { o: offerId, s: "Paused", f: musician.address }, { "x-api-key": reader.key })).code).to.equal("FORBIDDEN");
    });

    it("default: prepareSplitChange → consents signed by the recipients whose share decreases → changeSplit on-chain → the index shows the new version", async function () {
      const CHANGE = `mutation($i: SplitChangeInput!) { prepareSplitChange(input: $i) { fromVersion newSplitHash deadline missing consents { recipient currentShareBps newShareBps signed typedData { domain types primaryType message digest } } transactions { to data value chainId simulationError } } }`;
      const recipients = [{ account: musician.address, shareBps: 5000 }, { account: cowriter.address, shareBps: 2000 }, { account: platform.address, shareBps: 3000 }];
      const first = (await ok(CHANGE, { i: { from: musician.address, work: "1", recipients } })).prepareSplitChange;
      expect(first.fromVersion).to.equal(1);
      expect(first.transactions).to.deep.equal([]);
      expect([...first.missing].sort()).to.deep.equal([musician.address, cowriter.address].sort());
      expect(first.consents.map((c: any) => [c.recipient, c.currentShareBps, c.newShareBps, c.signed])).to.have.deep.members([[musician.address, 7000, 5000, false], [cowriter.address, 3000, 2000, false]]);
      const payload = first.consents[0].typedData;
      expect(payload.primaryType).to.equal("SplitConsent");
      expect(payload.digest).to.equal(await d.works.consentDigest(1, 1, first.newSplitHash, first.deadline));

      // A consent signed by the wrong wallet is refused, naming the recipient.
      const forged = await signPayload(licensee, payload);
      const bad = errorOf(await gql(CHANGE, { i: { from: musician.address, work: "1", recipients, deadline: first.deadline, consents: [{ recipient: cowriter.address, signature: forged }] } }, W));
      expect(bad).to.include({ code: "BAD_USER_INPUT", field: "input.consents" });
      expect(bad.message).to.contain(`signed by ${licensee.address}`);

      // One consent → still missing the other; both → the transaction.
      const cowriterSig = await signPayload(cowriter, payload);
      const half = (await ok(CHANGE, { i: { from: musician.address, work: "1", recipients, deadline: first.deadline, consents: [{ recipient: cowriter.address, signature: cowriterSig }] } })).prepareSplitChange;
      expect(half.missing).to.deep.equal([musician.address]);
      expect(half.transactions).to.deep.equal([]);
      const consents = [{ recipient: cowriter.address, signature: cowriterSig }, { recipient: musician.address, signature: await signPayload(musician, payload) }];
      const full = (await ok(CHANGE, { i: { from: musician.address, work: "1", recipients, deadline: first.deadline, consents } })).prepareSplitChange;
      expect(full.missing).to.deep.equal([]);
      expect(full.transactions).to.have.length(1);
      expect(full.transactions[0].simulationError).to.equal(null);
      const sub = await signAndSubmit(musician, full.transactions[0]);
      expect(sub.status).to.equal("SUCCESS");
      expect(sub.events).to.include("SplitUpdated");
      expect(sub.indexed).to.equal(true);
      const w = (await ok(`{ work(id: "1") { split { version hash recipients { account shareBps } } } }`)).work;
      expect(w.split.version).to.equal(2);
      expect(w.split.hash).to.equal(full.newSplitHash);
      expect(w.split.recipients.map((r: any) => [r.account, r.shareBps])).to.have.deep.members(recipients.map((r) => [r.account.toLowerCase(), r.shareBps]));
      // The consents were for version 1: replaying them is refused by the index/chain check.
      const stale = errorOf(await gql(CHANGE, { i: { from: musician.address, work: "1", recipients: [{ account: musician.address, shareBps: 10000 }], deadline: first.deadline, consents } }, W));
      expect(stale).to.include({ code: "BAD_USER_INPUT", field: "input.consents" });
    });

    it("args: works(rightsHolder) — the works an account owns or receives a share of under the current split (the changed split of work 1 counts, not its first)", async function () {
      // Work 1: owned by the musician, split now musician / co-writer / platform; work 2: the co-writer's own.
      const idsOf = (list: { id: string }[]) => list.map((w) => w.id).sort();
      const r = await ok(`query($m: String!, $c: String!, $p: String!, $l: String!) {
        musician: works(rightsHolder: $m) { id } cowriter: works(rightsHolder: $c) { id } platform: works(rightsHolder: $p) { id } licensee: works(rightsHolder: $l) { id }
        both: works(owner: $m, rightsHolder: $c) { id } searched: works(rightsHolder: $c, search: "foundry") { id } owned: works(owner: $p) { id }
      }`, { m: musician.address, c: cowriter.address.toLowerCase(), p: platform.address, l: licensee.address });
      expect(idsOf(r.musician)).to.include("1").and.not.include("2");
      expect(idsOf(r.cowriter)).to.include.members(["1", "2"]);
      expect(idsOf(r.platform)).to.deep.equal(["1"]);
      expect(r.owned).to.deep.equal([]);
      expect(r.licensee).to.deep.equal([]);
      expect(idsOf(r.both)).to.deep.equal(["1"]);
      expect(idsOf(r.searched)).to.deep.equal(["2"]);
      expect(errorOf(await gql(`{ works(rightsHolder: "0x1234") { id } }`))).to.deep.include({ code: "BAD_USER_INPUT", field: "rightsHolder" });
    });

    it("default: prepareSignedDeal → signed by the owner → redeemed by the licensee → licence indexed and licensed", async function () {
      const DEAL = `mutation($i: DealInput!) { prepareSignedDeal(input: $i) { deal summary typedData { domain types primaryType message digest } transactions { to data value chainId from simulationError } } }`;
      const input = { from: musician.address, work: "1", licensee: platform.address, rights: ["Broadcast"], territory: { mode: "Exclude", countries: ["US"] }, duration: String(30 * 86400), price: "5000000000000" };
      const first = (await ok(DEAL, { i: input })).prepareSignedDeal;
      expect(first.transactions).to.deep.equal([]);
      expect(first.summary).to.match(/^deal for 0x[0-9a-fA-F]{40}: Broadcast/);
      expect(first.typedData.primaryType).to.equal("Deal");
      const signature = await signPayload(musician, first.typedData);
      // The nonce and deadline must come back unchanged; a deal signed by someone else is refused.
      const again = { ...input, nonce: first.deal.nonce, deadline: first.deal.deadline };
      const wrong = errorOf(await gql(DEAL, { i: { ...again, signature: await signPayload(cowriter, first.typedData) } }, W));
      expect(wrong).to.include({ code: "BAD_USER_INPUT", field: "input.signature" });
      const signed = (await ok(DEAL, { i: { ...again, signature } })).prepareSignedDeal;
      expect(signed.typedData.digest).to.equal(first.typedData.digest);
      expect(signed.transactions).to.have.length(1);
      expect(signed.transactions[0]).to.include({ value: "5000000000000", from: platform.address, simulationError: null });
      const sub = await signAndSubmit(platform, signed.transactions[0]);
      expect(sub.events).to.include("DealRedeemed");
      expect(sub.indexed).to.equal(true);
      expect(sub.licence).to.include({ licensee: platform.address.toLowerCase(), status: "Active" });
      ids.dealLicence = sub.licence.id;
      const s = (await ok(`{ a: licenceStatus(work: "1", licensee: "${platform.address}", right: Broadcast, territory: "JP") { allowed evidence { licenceId source } } b: licenceStatus(work: "1", licensee: "${platform.address}", right: Broadcast, territory: "US") { allowed reasons } }`));
      expect(s.a).to.deep.equal({ allowed: true, evidence: { licenceId: sub.licence.id, source: "SignedDeal" } });
      expect(s.b).to.deep.equal({ allowed: false, reasons: ["TERRITORY"] });
      // The nonce is spent: redeeming twice reverts in simulation.
      const replay = (await ok(DEAL, { i: { ...again, signature } })).prepareSignedDeal;
      expect(replay.transactions[0].simulationError).to.be.a("string").and.not.equal("");
    });

    it("default: an offer in an allowlisted ERC-20 → prepareLicencePurchase returns approve then purchase → both signed → licence indexed", async function () {
      const Mock = await hre.ethers.getContractFactory("MockERC20", d.signers[0]);
      const token = await Mock.deploy("Bench Dollar", "BUSD");
      await token.waitForDeployment();
      const tokenAddress = await token.getAddress();
      // Refused before the admin allowlists it.
      const offerInput = { from: musician.address, work: "1", rights: ["Download"], territory: { mode: "Worldwide" }, price: "2500000", currency: tokenAddress };
      const refused = errorOf(await gql(`mutation($i: OfferInput!) { prepareOffer(input: $i) { summary } }`, { i: offerInput }, W));
      expect(refused).to.include({ code: "BAD_USER_INPUT", field: "input.currency" });
      await (await (await hre.ethers.getContractAt("Governance", await d.licensing.governance())).connect(d.signers[0]).setCurrencyAllowed(tokenAddress, true)).wait();
      const offer = (await ok(`mutation($i: OfferInput!) { prepareOffer(input: $i) { transactions { to data value chainId } } }`, { i: offerInput })).prepareOffer;
      const created = await signAndSubmit(musician, offer.transactions[0]);
      const offerId = created.offer.id;
      await (await (token.connect(d.signers[0]) as any).mint(licensee.address, 10_000_000n)).wait();

      const P = `mutation { prepareLicencePurchase(offer: "${offerId}", licensee: "${licensee.address}") { price currency nativeCurrency transactions { description to data value chainId gas simulationError } } }`;
      const p = (await ok(P)).prepareLicencePurchase;
      expect(p).to.include({ price: "2500000", currency: tokenAddress, nativeCurrency: false });
      expect(p.transactions).to.have.length(2);
      const [approve, purchase] = p.transactions;
      expect(approve.to).to.equal(tokenAddress);
      expect(approve.description).to.match(/approve/i);
      expect(approve.value).to.equal("0");
      expect(Number(approve.gas)).to.be.greaterThan(21_000);
      expect(purchase.to).to.equal(await d.licensing.getAddress());
      expect(purchase.value).to.equal("0");
      expect(purchase.gas, "purchase depends on the approval: not estimated").to.equal(null);
      expect((await signAndSubmit(licensee, approve)).status).to.equal("SUCCESS");
      // With the allowance in place, the purchase is the only step left.
      const after = (await ok(P)).prepareLicencePurchase;
      expect(after.transactions).to.have.length(1);
      expect(after.transactions[0].simulationError).to.equal(null);
      const sub = await signAndSubmit(licensee, purchase);
      expect(sub.events).to.include("LicencePurchased");
      expect(sub.licence).to.include({ licensee: licensee.address.toLowerCase(), status: "Active" });
      expect(await (token as any).balanceOf(licensee.address)).to.equal(7_500_000n);
      ids.erc20Licence = sub.licence.id;
    });

    it("behavior: licences(status, at) filters in the subgraph query, so pages are exact", async function () {
      const all = (await ok(`{ licences(work: "1", first: 1000) { id status(at: "0") s1: status } }`)).licences as { id: string }[];
      expect(all.length).to.be.at.least(3);
      const now = Math.floor(Date.now() / 1000);
      for (const at of [0, now, now + 40 * 86400, now + 400 * 86400]) {
        const everything = (await ok(`{ licences(work: "1", first: 1000) { id status(at: "${at}") } }`)).licences as { id: string; status: string }[];
        for (const status of ["Active", "Scheduled", "Expired", "Revoked"]) {
          const expected = everything.filter((l) => l.status === status).map((l) => l.id);
          const got = (await ok(`{ licences(work: "1", status: ${status}, at: "${at}", first: 1000) { id } }`)).licences.map((l: { id: string }) => l.id);
          expect(got, `${status} at ${at}`).to.deep.equal(expected);
          // A page of one is the first match, not an empty page left by filtering after paging.
          const one = (await ok(`{ licences(work: "1", status: ${status}, at: "${at}", first: 1, skip: ${expected.length > 1 ? 1 : 0}) { id } }`)).licences.map((l: { id: string }) => l.id);
          expect(one, `page of ${status} at ${at}`).to.deep.equal(expected.length > 1 ? [expected[1]] : expected.slice(0, 1));
        }
      }
      const revoked = (await ok(`{ licences(work: "1", status: Revoked) { id } }`)).licences;
      expect(revoked).to.deep.equal([{ id: "1" }]);
    });

    it("error: uploadWork maps metadata and file problems to BAD_USER_INPUT naming the field", async function () {
      const base = { schemaVersion: "1.0.0", kind: "sound-recording", title: "Second Tide", artists: [{ name: "Ada Marlowe" }], isrc: "GBTNT2600043", durationMs: wavDurationMs(tune), audio: { path: "master.wav", mimeType: "audio/wav" } };
      const upload = async (metadata: unknown, files: { name: string; bytes: Uint8Array }[], headers: Record<string, string> = W) => {
        const form = new FormData();
        form.append("operations", JSON.stringify({ query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid } }`, variables: { input: { from: musician.address, metadata: typeof metadata === "string" ? metadata : JSON.stringify(metadata), files: files.map(() => null), split: [{ account: musician.address, shareBps: 10000 }] } } }));
        form.append("map", JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.input.files.${i}`]]))));
        files.forEach((f, i) => form.append(String(i), new Blob([f.bytes]), f.name));
        const res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { ...headers }, body: form });
        return { status: res.status, body: (await res.json()) as Body };
      };
      const wav = { name: "master.wav", bytes: renderWav(tune) };
      const cases: [string, unknown, { name: string; bytes: Uint8Array }[], string, RegExp][] = [
        ["not JSON", "{nope", [wav], "input.metadata", /not valid JSON/],
        ["unknown kind", { ...base, kind: "poem" }, [wav], "input.metadata.kind", /must be one of/],
        ["bad ISRC", { ...base, isrc: "GB-TNT-26" }, [wav], "input.metadata.isrc", /12 characters/],
        ["ISRC already registered", { ...base, isrc: "GBTNT2600042" }, [wav], "input.metadata.isrc", /already registered by work 1/],
        ["schema violation", { ...base, title: "" }, [wav], "input.metadata.title", /./],
        ["file referenced but not uploaded", { ...base, artwork: { path: "cover.png", mimeType: "image/png" } }, [wav], "input.metadata.artwork.path", /cover\.png/],
        ["path traversal in a file name", base, [{ name: "../master.wav", bytes: wav.bytes }], "input.files.0", /plain file name/],
        ["duplicate file names", base, [wav, wav], "input.files.1", /used twice/],
        ["bytes that are not what the MIME type says", base, [{ name: "master.wav", bytes: renderPng(8, 8, 10) }], "input.metadata.audio", /./],
      ];
      for (const [name, metadata, files, field, message] of cases) {
        const r = await upload(metadata, files);
        const e = errorOf(r);
        expect(e.code, `${name}: ${e.message}`).to.equal("BAD_USER_INPUT");
        expect(e.field, `${name}: ${e.message}`).to.match(new RegExp(`^${field.replace(/\./g, "\\.")}`));
        expect(e.message, name).to.match(message);
        expect(r.status, name).to.be.below(500);
      }
      // Without the write scope nothing is stored.
      expect(errorOf(await upload(base, [wav], { "x-api-key": reader.key })).code).to.equal("FORBIDDEN");
    });

    it("behavior: a large upload streams to disk — RSS does not grow by its size", async function () {
      // 200 MiB through busboy, the disk and the IPFS importer (sha-256 of every block), with full
      // GCs to sample live memory: minutes when the machine's cores are busy.
      this.timeout(900_000);
      const MB = Number(process.env.UPLOAD_TEST_MB ?? 200);
      const dataBytes = MB * (1 << 20);
      const rate = 22_050;
      const header = Buffer.alloc(44);
      header.write("RIFF", 0);
      header.writeUInt32LE(36 + dataBytes, 4);
      header.write("WAVEfmt ", 8);
      header.writeUInt32LE(16, 16);
      header.writeUInt16LE(1, 20);
      header.writeUInt16LE(1, 22);
      header.writeUInt32LE(rate, 24);
      header.writeUInt32LE(rate * 2, 28);
      header.writeUInt16LE(2, 32);
      header.writeUInt16LE(16, 34);
      header.write("data", 36);
      header.writeUInt32LE(dataBytes, 40);
      const metadata = { schemaVersion: "1.0.0", kind: "sound-recording", title: "Long Form", artists: [{ name: "Ada Marlowe" }], durationMs: Math.round((dataBytes / (rate * 2)) * 1000), audio: { path: "long.wav", mimeType: "audio/wav" } };
      const boundary = "----tantieme" + Date.now();
      const operations = { query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { files { path size cid } } }`, variables: { input: { from: musician.address, metadata: JSON.stringify(metadata), files: [null], split: [{ account: musician.address, shareBps: 10000 }] } } };
      const pre = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(operations)}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ["variables.input.files.0"] })}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      );
      const post = Buffer.from(`\r\n--${boundary}--\r\n`);
      const CHUNK = 1 << 20;
      let sent = 0;
      let phase = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (phase === 0) {
            controller.enqueue(Buffer.concat([pre, header]));
            phase = 1;
          } else if (phase === 1) {
            const n = Math.min(CHUNK, dataBytes - sent);
            const chunk = Buffer.alloc(n);
            for (let i = 0; i < n; i += 2) chunk.writeInt16LE(((sent + i) * 37) % 20000 - 10000, i);
            sent += n;
            controller.enqueue(chunk);
            if (sent >= dataBytes) phase = 2;
          } else {
            controller.enqueue(post);
            controller.close();
          }
        },
      });
      // Live memory (heap + array buffers after a full GC), sampled while the upload runs: what the
      // process holds, not garbage awaiting collection (RSS alone depends on when V8 collects).
      setFlagsFromString("--expose-gc");
      const fullGc = runInNewContext("gc") as () => void;
      const live = () => {
        fullGc();
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      };
      const baseline = live();
      const rss0 = process.memoryUsage().rss;
      let peak = baseline;
      let rssPeak = rss0;
      let spooled = false;
      const sampler = setInterval(() => {
        spooled ||= uploadFolders().length > 0;
        peak = Math.max(peak, live());
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 250); // each sample is a full GC: sampled often enough to see the in-flight plateau, not so often it dominates
      let res: Response;
      try {
        res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { ...W, "content-type": `multipart/form-data; boundary=${boundary}` }, body, duplex: "half" } as RequestInit);
        const out = (await res.json()) as Body;
        expect(out.errors, JSON.stringify(out.errors)).to.equal(undefined);
        expect(out.data.uploadWork.files).to.have.length(1);
        expect(Number(out.data.uploadWork.files[0].size)).to.equal(dataBytes + 44);
      } finally {
        clearInterval(sampler);
      }
      const growth = peak - baseline;
      console.log(`      ${MB} MiB upload: live memory +${(growth / (1 << 20)).toFixed(0)} MiB at peak (RSS +${((rssPeak - rss0) / (1 << 20)).toFixed(0)} MiB)`);
      // Buffered whole, the upload alone would add ≥ its size. Streaming, the process holds ~50–110 MiB
      // in flight at peak (64 MiB → ~50–70, 200 MiB → ~90, 400 MiB → ~110 MiB: bounded, not proportional).
      expect(growth, `live memory grew by ${growth} bytes for a ${dataBytes}-byte upload`).to.be.below(dataBytes * 0.75);
      // Spooled in the configured UPLOAD_DIR while it ran, and nothing left there after.
      expect(spooled, "the upload was spooled in UPLOAD_DIR").to.equal(true);
      expect(uploadFolders()).to.deep.equal([]);
    });

    it("error: an upload over UPLOAD_LIMIT_BYTES is cut while streaming → 413, nothing left on disk", async function () {
      const small = makeApp({ UPLOAD_LIMIT_BYTES: "65536" });
      const form = new FormData();
      form.append("operations", JSON.stringify({ query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid } }`, variables: { input: { from: musician.address, metadata: "{}", files: [null], split: [{ account: musician.address, shareBps: 10000 }] } } }));
      form.append("map", JSON.stringify({ 0: ["variables.input.files.0"] }));
      form.append("0", new Blob([new Uint8Array(200_000)]), "big.wav");
      // A streamed body has no Content-Length: the limit must hold while streaming.
      const bytes = new Uint8Array(await new Response(form).arrayBuffer());
      const type = new Response(form).headers.get("content-type")!;
      const stream = new ReadableStream<Uint8Array>({ start(c) { for (let i = 0; i < bytes.length; i += 8192) c.enqueue(bytes.slice(i, i + 8192)); c.close(); } });
      const res = await small.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { ...W, "content-type": type }, body: stream, duplex: "half" } as RequestInit);
      expect(res.status).to.equal(413);
      expect(errorOf({ body: (await res.json()) as Body }).code).to.equal("PAYLOAD_TOO_LARGE");
      expect(uploadFolders()).to.deep.equal([]);
    });

    it("behavior: licenceStatus reads are cached per indexed block and invalidated by a new block", async function () {
      const q = `{ licenceStatus(work: "2", licensee: "${cowriter.address}", right: Streaming, territory: "FR") { allowed reasons } }`;
      const hits0 = app.statusCache.hits;
      expect((await ok(q)).licenceStatus).to.deep.equal({ allowed: false, reasons: ["NO_LICENCE"] });
      expect((await ok(q)).licenceStatus).to.deep.equal({ allowed: false, reasons: ["NO_LICENCE"] });
      expect(app.statusCache.hits, "second read served from the cache").to.be.greaterThan(hits0);
      // A licence bought outside the API: once the index has the block (and at most STATUS_CACHE_MS
      // later), the answer changes.
      const terms = { workId: 2, rights: 1, territoryMode: 0, countries: [], duration: 0, startDate: 0, price: 1n, currency: ZERO, cap: 0, exclusive: false, transferable: false, revocableFor: 0, noticePeriod: 0, uri: "" };
      const receipt = await (await d.licensing.connect(d.signers[2]).createOffer(terms)).wait();
      const offerId = receipt!.logs.map((l) => d.licensing.interface.parseLog(l)).find((e) => e?.name === "OfferCreated")!.args.offerId;
      await (await d.licensing.connect(d.signers[5]).purchase(offerId, cowriter.address, { value: 1n })).wait();
      await run.synced();
      await new Promise((r) => setTimeout(r, config.statusCache.maxAgeMs + 50));
      expect((await ok(q)).licenceStatus).to.deep.equal({ allowed: true, reasons: [] });
    });

    it("behavior: CORS — same origin only by default, a listed origin, or any with *", async function () {
      const preflight = (on: App, origin: string) =>
        on.yoga.fetch("http://api.test/graphql", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-api-key" } });
      const simple = (on: App, origin: string) => on.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ query: "{ indexingStatus { health } }" }) });
      const none = makeApp();
      expect((await preflight(none, "https://evil.example")).headers.get("access-control-allow-origin")).to.equal(null);
      expect((await simple(none, "https://evil.example")).headers.get("access-control-allow-origin")).to.equal(null);
      const listed = makeApp({ CORS_ORIGINS: "https://app.example.com,https://label.example" });
      const ok1 = await preflight(listed, "https://label.example");
      expect(ok1.headers.get("access-control-allow-origin")).to.equal("https://label.example");
      expect(ok1.headers.get("access-control-allow-headers")).to.match(/x-api-key/);
      expect(ok1.headers.get("access-control-allow-methods")).to.match(/POST/);
      expect((await simple(listed, "https://app.example.com")).headers.get("access-control-allow-origin")).to.equal("https://app.example.com");
      const other = (await preflight(listed, "https://evil.example")).headers.get("access-control-allow-origin");
      expect(other === null || other !== "https://evil.example", String(other)).to.equal(true);
      expect((await simple(listed, "https://evil.example")).headers.get("access-control-allow-origin")).to.not.equal("https://evil.example");
      // "*": any origin is allowed (yoga answers with "*" or echoes the origin).
      const any = makeApp({ CORS_ORIGINS: "*" });
      expect((await simple(any, "https://anyone.example")).headers.get("access-control-allow-origin")).to.be.oneOf(["*", "https://anyone.example"]);
    });

    it("behavior: indexingStatus without a status endpoint is synced once the index reaches the RPC head", async function () {
      await run.synced();
      const s = (await ok(`{ indexingStatus { synced latestBlock rpcHead chainHead health } }`)).indexingStatus;
      expect(s).to.include({ synced: true, chainHead: null, health: "healthy" });
      expect(s.latestBlock).to.equal(s.rpcHead);
    });

    it("behavior: indexingStatus from the runtime's index-node status port (indexingStatuses)", async function () {
      const dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-api-status-"));
      const second = await startIndexer({ rpcUrl: chain.url, subgraph: buildTantiemeSubgraph(), dataDir: dir, name: "tantieme", port: 0, statusPort: 0, reorgThreshold: 2, pollIntervalMs: 20, progressIntervalMs: 0, ipfsCat: ipfs.reader, log: () => {} });
      try {
        expect(second.server!.statusUrl).to.be.a("string");
        const withStatus = makeApp({ SUBGRAPH_URL: second.server!.url, SUBGRAPH_STATUS_URL: second.server!.statusUrl! });
        const head = Number(await provider.getBlockNumber());
        let s: any;
        // A fresh index of the whole chain: bounded by the test's timeout, not by a guess of how
        // fast a (possibly busy) machine indexes.
        for (const started = Date.now(); Date.now() - started < this.timeout() - 30_000; await new Promise((r) => setTimeout(r, 100))) {
          const r = await gql(`{ indexingStatus { deployment synced health fatalError latestBlock chainHead rpcHead blocksBehind } }`, {}, {}, withStatus);
          // Until the new index has its first blocks the subgraph answers "not started syncing yet".
          if (r.body.errors) {
            expect(r.body.errors[0]!.extensions?.code).to.equal("UPSTREAM_UNAVAILABLE");
            continue;
          }
          s = r.body.data.indexingStatus;
          if (s.synced && s.latestBlock >= head) break;
        }
        expect(s?.synced, `the runtime reports synced: ${JSON.stringify(s)} (RPC head ${head})`).to.equal(true);
        expect(s).to.include({ deployment: "tantieme", health: "healthy", fatalError: null });
        expect(s.chainHead, "chain head from the status port").to.be.a("number").that.is.at.least(head);
        expect(s.latestBlock).to.be.at.most(s.chainHead);
        // The status port's own answer, through the same client.
        const direct = await new SubgraphClient({ url: second.server!.url, statusUrl: second.server!.statusUrl! }).indexingStatus();
        expect(direct.deployment).to.equal("tantieme");
        expect(direct.synced).to.be.a("boolean");
      } finally {
        await second.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("default: the ISO 3166-1 list equals the set the contracts' Territory library accepts", async function () {
      // 676 eth_calls, 427 of them reverting (Hardhat builds a stack trace for each): minutes on busy cores.
      this.timeout(900_000);
      const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const all = [...letters].flatMap((a) => [...letters].map((b) => a + b));
      const now = Math.floor(Date.now() / 1000);
      const accepted: string[] = [];
      for (let i = 0; i < all.length; i += 52) {
        const chunk = all.slice(i, i + 52);
        const results = await Promise.all(chunk.map((c) => d.licensing.isLicensed(1, 0, "0x" + Buffer.from(c).toString("hex"), now).then(() => true, (e: Error) => {
          if (!/TerritoryInvalidCountry/.test(String((e as { message: string }).message) + JSON.stringify((e as any).revert ?? ""))) throw e;
          return false;
        })));
        chunk.forEach((c, k) => results[k] && accepted.push(c));
      }
      expect(accepted).to.have.length(249);
      expect(accepted).to.deep.equal([...COUNTRY_CODES].sort());
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
      // A stopped clock: on a busy machine the requests below may take over a minute, and a real
      // clock would refill a token meanwhile (one per minute) and let the fourth through.
      const stopped = Date.now();
      const limited = makeApp({ RATE_LIMIT_KEY_BURST: "3", RATE_LIMIT_KEY_PER_MIN: "1", RATE_LIMIT_ANON_BURST: "2", RATE_LIMIT_ANON_PER_MIN: "1" }, { now: () => stopped });
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

    it("error: a nonce above the sender's pending nonce is refused (expected and given nonce), nothing broadcast", async function () {
      const w = wallet(9).connect(provider);
      const next = await provider.getTransactionCount(w.address, "pending");
      // submitTransaction relays only calls to tantieme's contracts (this one is refused before it is broadcast).
      // An explicit gas limit: the call would revert (wallet 9 owns no work), and it is never sent.
      const populated = await w.populateTransaction({ to: await d.licensing.getAddress(), data: d.licensing.interface.encodeFunctionData("invalidateNonces", [1n, 0n, 1n]), chainId: 31337, gasLimit: 100_000n });
      const raw = await w.signTransaction({ ...populated, nonce: next + 3 });
      const r = await gql(SUBMIT, { tx: raw }, W);
      const e = errorOf(r);
      expect(e).to.include({ code: "BAD_USER_INPUT", field: "signedTx" });
      expect(e.message).to.include(`nonce ${next + 3} is above the sender's next nonce ${next}`);
      expect(r.body.errors![0]!.extensions).to.include({ expectedNonce: next, nonce: next + 3 });
      expect(await provider.getTransactionCount(w.address, "pending")).to.equal(next);
    });

    it("behavior: submitTransaction sees its block on an automining node, every time (no stale block number)", async function () {
      // ethers' waitForTransaction compared the receipt with a block number cached during the
      // broadcast and then waited for a next block that never came: some submissions hung.
      // The old bug hung until the wait's timeout; 60 s is far above an automined block even on a
      // busy machine, and 25 such hangs would exceed the test's timeout.
      const quick = makeApp({ TX_WAIT_TIMEOUT_MS: "60000" });
      const w = wallet(9).connect(provider);
      // Registering a work is a call anyone may make (deal nonces are now the work owner's to cancel).
      const worksAddress = await d.works.getAddress();
      const cid = hre.ethers.concat(["0x01551220", hre.ethers.keccak256(hre.ethers.toUtf8Bytes("submit-bench"))]);
      const call = (_i: number) => d.works.interface.encodeFunctionData("register", [3, cid, "0x000000000000000000000000", { recipients: [w.address], shares: [10_000] }]);
      const first = await w.populateTransaction({ to: worksAddress, data: call(0), chainId: 31337 });
      for (let i = 0; i < 25; i++) {
        // One gas limit for all, well above a registration's cost (bench/results/gas.json).
        const raw = await w.signTransaction({ ...first, data: call(i), nonce: first.nonce! + i, gasLimit: 400_000n });
        const r = await gql(`mutation($tx: String!) { submitTransaction(signedTx: $tx, waitForIndex: false) { status blockNumber } }`, { tx: raw }, W, quick);
        expect(r.body.errors, JSON.stringify(r.body.errors)).to.equal(undefined);
        expect(r.body.data.submitTransaction.status, `submission ${i}`).to.equal("SUCCESS");
      }
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
