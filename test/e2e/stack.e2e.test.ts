/**
 * End to end over HTTP against the stack started as the README starts it (`npm start`): a
 * musician uploads and registers a work, publishes an offer; a platform buys a licence for a
 * client through the prepared transactions, signed by test wallets; `licenceStatus` and
 * `checkLicences` see it; a revocation flips it; the recipients' earnings appear and a withdrawal
 * empties them. Then the CLI does the same journey. Nothing is mocked.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ethers } from "ethers";
import { demoAccounts } from "../../scripts/stack/seed";
import { renderPng, renderWav } from "../../scripts/stack/demo-media";
import { startStackProcess, type RunningStack } from "./helpers/stack";
import { runCli } from "./helpers/cli";
import { rpcProvider } from "../../core/chain";

const exec = promisify(execFile);
const accounts = demoAccounts();
const MUSICIAN = accounts[1]!;
const COWRITER = accounts[2]!;
const PLATFORM = accounts[5]!;
const CLIENT = accounts[6]!;

interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

describe("e2e: the stack over HTTP (npm start)", function () {
  this.timeout(600_000);
  let stack: RunningStack;
  let provider: ethers.JsonRpcProvider;

  async function gql<T>(query: string, variables: Record<string, unknown> = {}, opts: { key?: string | null } = {}): Promise<GqlResult<T>> {
    const key = opts.key === undefined ? stack.apiKey : opts.key;
    const res = await fetch(stack.apiUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GqlResult<T>, "status">) };
  }

  async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await gql<T>(query, variables);
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data!;
  }

  interface PreparedTx { to: string; data: string; value: string; chainId: number; gas: string | null }
  interface Submission { hash: string; status: string; blockNumber: number; indexed: boolean; events: string[]; work: { id: string } | null; licence: { id: string; status: string } | null; offer: { id: string } | null }
  const SUBMIT = `mutation($tx: String!) { submitTransaction(signedTx: $tx) { hash status blockNumber indexed events work { id } licence { id status } offer { id } } }`;
  const TX = "transactions { to data value chainId gas }";

  /** Signs prepared transactions with a test wallet and submits them through the API. */
  async function signAndSubmit(privateKey: string, txs: PreparedTx[]): Promise<Submission[]> {
    const wallet = new ethers.Wallet(privateKey);
    const nonce = await provider.getTransactionCount(wallet.address, "pending");
    const fees = await provider.getFeeData();
    const out: Submission[] = [];
    for (const [i, t] of txs.entries()) {
      const signed = await wallet.signTransaction({
        type: 2, chainId: t.chainId, nonce: nonce + i, to: t.to, data: t.data, value: BigInt(t.value),
        gasLimit: t.gas ? (BigInt(t.gas) * 12n) / 10n : 1_000_000n, maxFeePerGas: fees.maxFeePerGas!, maxPriorityFeePerGas: fees.maxPriorityFeePerGas!,
      });
      const { submitTransaction } = await ok<{ submitTransaction: Submission }>(SUBMIT, { tx: signed });
      expect(submitTransaction.status).to.equal("SUCCESS");
      expect(submitTransaction.indexed).to.equal(true);
      out.push(submitTransaction);
    }
    return out;
  }

  before(async () => {
    stack = await startStackProcess({ seed: false });
    provider = rpcProvider(stack.rpcUrl);
    expect(stack.apiKey).to.match(/^tk_demo_/);
  });

  after(async () => {
    provider?.destroy();
    if (stack) {
      await stack.stop();
      // Ctrl-C: every part reports it stopped (npm itself may die of the signal rather than exit 0).
      for (const part of ["API", "subgraph runtime", "chain"]) {
        expect(stack.output, stack.output.slice(-20).join("\n")).to.include(`  ✓ ${part} stopped`);
      }
      expect(stack.output).to.include("stopped.");
      fs.rmSync(stack.dataDir, { recursive: true, force: true });
    }
  });

  let workId: string;
  let offerId: string;
  let licenceId: string;
  const ISRC = "FRZ032600042";
  const PRICE = ethers.parseEther("0.01");

  it("behavior: a musician uploads a work folder and registers it", async () => {
    const metadata = {
      schemaVersion: "1.0.0", kind: "sound-recording", title: "Harbour Lights", artists: [{ name: "Ada Marlowe" }],
      isrc: ISRC, durationMs: 1200, audio: { path: "master.wav", mimeType: "audio/wav" }, artwork: { path: "cover.png", mimeType: "image/png" },
    };
    const wav = renderWav({ notes: [60, 64, 67, 72], beatMs: 300 });
    const png = renderPng(64, 64, 90);
    const form = new FormData();
    form.append("operations", JSON.stringify({
      query: `mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid identifier files { path cid mimeType } transaction { to data value chainId gas } } }`,
      variables: { input: { from: MUSICIAN.address, metadata: JSON.stringify(metadata), files: [null, null], split: [{ account: MUSICIAN.address, shareBps: 7000 }, { account: COWRITER.address, shareBps: 3000 }] } },
    }));
    form.append("map", JSON.stringify({ 0: ["variables.input.files.0"], 1: ["variables.input.files.1"] }));
    form.append("0", new Blob([wav]), "master.wav");
    form.append("1", new Blob([png]), "cover.png");
    const res = await fetch(stack.apiUrl, { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}` }, body: form });
    const body = (await res.json()) as { data?: { uploadWork: { metadataCid: string; identifier: string; files: { path: string; cid: string; mimeType: string }[]; transaction: PreparedTx } }; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    const upload = body.data!.uploadWork;
    expect(upload.identifier).to.equal(ISRC);
    expect(upload.files.map((f) => f.mimeType).sort()).to.deep.equal(["audio/wav", "image/png"]);
    // The gateway serves exactly the bytes uploaded, under their CID.
    const audio = upload.files.find((f) => f.path === "master.wav")!;
    const served = Buffer.from(await (await fetch(stack.apiUrl.replace("/graphql", `/ipfs/${audio.cid}`))).arrayBuffer());
    expect(served.equals(wav)).to.equal(true);

    const [registered] = await signAndSubmit(MUSICIAN.privateKey, [upload.transaction]);
    expect(registered!.events).to.include("WorkRegistered");
    workId = registered!.work!.id;
    const { work } = await ok<{ work: { id: string; title: string; isrc: string; metadataCid: string; owner: string; split: { recipients: { account: string; shareBps: number }[] } } }>(
      `query($isrc: String) { work(isrc: $isrc) { id title isrc metadataCid owner split { recipients { account shareBps } } } }`, { isrc: ISRC });
    expect(work).to.include({ id: workId, title: "Harbour Lights", isrc: ISRC, metadataCid: upload.metadataCid });
    expect(work.owner.toLowerCase()).to.equal(MUSICIAN.address.toLowerCase());
    expect(work.split.recipients.map((r) => r.shareBps).sort()).to.deep.equal([3000, 7000]);
  });

  it("behavior: the musician publishes an offer", async () => {
    const { prepareOffer } = await ok<{ prepareOffer: { summary: string; transactions: PreparedTx[] } }>(
      `mutation($input: OfferInput!) { prepareOffer(input: $input) { summary ${TX} } }`,
      // Revocable for a breach: the licence bought from it is revoked below.
      { input: { from: MUSICIAN.address, work: workId, rights: ["Streaming", "Download"], territory: { mode: "Include", countries: ["FR", "DE"] }, duration: String(30 * 86_400), price: PRICE.toString(), revocation: { revocableFor: ["Breach"] } } },
    );
    const [created] = await signAndSubmit(MUSICIAN.privateKey, prepareOffer.transactions);
    offerId = created!.offer!.id;
    expect(offerId).to.match(/^\d+$/);
  });

  it("behavior: a platform buys a licence for a client with the prepared transactions", async () => {
    const { prepareLicencePurchase: p } = await ok<{ prepareLicencePurchase: { price: string; fee: string; summary: string; transactions: PreparedTx[] } }>(
      `mutation($offer: String!, $licensee: String!, $payer: String) { prepareLicencePurchase(offer: $offer, licensee: $licensee, payer: $payer) { price fee summary ${TX} } }`,
      { offer: offerId, licensee: CLIENT.address, payer: PLATFORM.address },
    );
    expect(p.price).to.equal(PRICE.toString());
    expect(p.transactions).to.have.length(1); // ETH: no approval
    const [bought] = await signAndSubmit(PLATFORM.privateKey, p.transactions);
    licenceId = bought!.licence!.id;
    expect(bought!.licence!.status).to.equal("Active");
  });

  const STATUS = `query($work: String!, $licensee: String!, $right: Right!, $territory: String!) {
    licenceStatus(work: $work, licensee: $licensee, right: $right, territory: $territory) { allowed reasons evidence { licenceId offerId txHash blockNumber timestamp } } }`;

  it("behavior: licenceStatus and checkLicences see the licence, with evidence", async () => {
    const { licenceStatus } = await ok<{ licenceStatus: { allowed: boolean; reasons: string[]; evidence: { licenceId: string; offerId: string; txHash: string; blockNumber: string } } }>(
      STATUS, { work: ISRC, licensee: CLIENT.address, right: "Streaming", territory: "FR" });
    expect(licenceStatus.allowed).to.equal(true);
    expect(licenceStatus.evidence).to.include({ licenceId, offerId });
    const receipt = await provider.getTransactionReceipt(licenceStatus.evidence.txHash);
    expect(receipt!.blockNumber).to.equal(Number(licenceStatus.evidence.blockNumber));

    const outside = await ok<{ licenceStatus: { allowed: boolean; reasons: string[] } }>(STATUS, { work: workId, licensee: CLIENT.address, right: "Streaming", territory: "US" });
    expect(outside.licenceStatus).to.deep.include({ allowed: false, reasons: ["TERRITORY"] });
    const wrongRight = await ok<{ licenceStatus: { allowed: boolean; reasons: string[] } }>(STATUS, { work: workId, licensee: CLIENT.address, right: "Sync", territory: "FR" });
    expect(wrongRight.licenceStatus).to.deep.include({ allowed: false, reasons: ["RIGHT"] });

    const { checkLicences } = await ok<{ checkLicences: { allowed: boolean; reasons: string[] }[] }>(
      `query($r: [LicenceCheckInput!]!) { checkLicences(requests: $r) { allowed reasons } }`,
      { r: [
        { work: ISRC, licensee: CLIENT.address, right: "Download", territory: "DE" },
        { work: ISRC, licensee: PLATFORM.address, right: "Streaming", territory: "FR" },
        { work: ISRC, licensee: CLIENT.address, right: "Streaming", territory: "GB" },
      ] });
    expect(checkLicences.map((c) => c.allowed)).to.deep.equal([true, false, false]);
    expect(checkLicences[1]!.reasons).to.deep.equal(["NO_LICENCE"]);
  });

  it("behavior: a revocation flips the status", async () => {
    const { prepareRevocation } = await ok<{ prepareRevocation: { transactions: PreparedTx[] } }>(
      `mutation($l: String!, $from: String!) { prepareRevocation(licence: $l, reason: Breach, from: $from) { ${TX} } }`, { l: licenceId, from: MUSICIAN.address });
    await signAndSubmit(MUSICIAN.privateKey, prepareRevocation.transactions);
    const { licenceStatus } = await ok<{ licenceStatus: { allowed: boolean; reasons: string[] } }>(STATUS, { work: ISRC, licensee: CLIENT.address, right: "Streaming", territory: "FR" });
    expect(licenceStatus).to.deep.include({ allowed: false, reasons: ["REVOKED"] });
  });

  it("behavior: the recipients' earnings appear and a withdrawal empties them", async () => {
    const EARNINGS = `query($a: String!) { earnings(account: $a) { currencies { native credited withdrawn withdrawable undistributed } } }`;
    type E = { earnings: { currencies: { native: boolean; credited: string; withdrawn: string; withdrawable: string; undistributed: string }[] } };
    const before = await ok<E>(EARNINGS, { a: MUSICIAN.address });
    const eth = before.earnings.currencies.find((c) => c.native)!;
    expect(BigInt(eth.undistributed) + BigInt(eth.withdrawable)).to.equal((PRICE * 7000n) / 10_000n);

    const balanceBefore = await provider.getBalance(MUSICIAN.address);
    const { prepareWithdrawal } = await ok<{ prepareWithdrawal: { transactions: PreparedTx[] } }>(
      `mutation($a: String!) { prepareWithdrawal(account: $a) { ${TX} } }`, { a: MUSICIAN.address });
    const subs = await signAndSubmit(MUSICIAN.privateKey, prepareWithdrawal.transactions);
    const after = await ok<E>(EARNINGS, { a: MUSICIAN.address });
    const ethAfter = after.earnings.currencies.find((c) => c.native)!;
    expect(ethAfter).to.include({ withdrawable: "0", undistributed: "0", withdrawn: ((PRICE * 7000n) / 10_000n).toString() });
    let gas = 0n;
    for (const s of subs) {
      const r = await provider.getTransactionReceipt(s.hash);
      gas += r!.gasUsed * r!.gasPrice;
    }
    expect(await provider.getBalance(MUSICIAN.address)).to.equal(balanceBefore + (PRICE * 7000n) / 10_000n - gas);
    // The co-writer's share was distributed too and waits to be withdrawn.
    const cowriter = await ok<E>(EARNINGS, { a: COWRITER.address });
    expect(cowriter.earnings.currencies.find((c) => c.native)!.withdrawable).to.equal(((PRICE * 3000n) / 10_000n).toString());
  });

  describe("error: bad input is a clear GraphQL error, never a 500", () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ["malformed address", STATUS, { work: "1", licensee: "0x123", right: "Streaming", territory: "FR" }, "BAD_USER_INPUT"],
      ["malformed ISRC", STATUS, { work: "XX12", licensee: CLIENT.address, right: "Streaming", territory: "FR" }, "BAD_USER_INPUT"],
      ["unknown country code", STATUS, { work: "1", licensee: CLIENT.address, right: "Streaming", territory: "ZZ" }, "BAD_USER_INPUT"],
    ];
    for (const [name, query, variables, code] of cases) {
      it(`error: ${name}`, async () => {
        const r = await gql(query, variables);
        expect(r.status).to.be.below(500);
        expect(r.errors?.[0]?.extensions?.code).to.equal(code);
      });
    }

    it("error: an oversized batch", async () => {
      const r = await gql(`query($r: [LicenceCheckInput!]!) { checkLicences(requests: $r) { allowed } }`, {
        r: Array.from({ length: 1001 }, () => ({ work: "1", licensee: CLIENT.address, right: "Streaming", territory: "FR" })),
      });
      expect(r.status).to.be.below(500);
      expect(r.errors?.[0]?.extensions?.code).to.equal("BAD_USER_INPUT");
    });

    it("error: a garbage body", async () => {
      const res = await fetch(stack.apiUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      expect(res.status).to.equal(400);
    });

    it("error: a mutation without an API key", async () => {
      const r = await gql(`mutation { prepareWithdrawal(account: "${MUSICIAN.address}") { summary } }`, {}, { key: null });
      expect(r.errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED");
    });

    it("error: a signed transaction for another chain", async () => {
      const wallet = new ethers.Wallet(MUSICIAN.privateKey);
      const signed = await wallet.signTransaction({ type: 2, chainId: 1, nonce: 0, to: CLIENT.address, value: 1n, gasLimit: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n });
      const r = await gql(SUBMIT, { tx: signed });
      expect(r.errors?.[0]?.extensions?.code).to.equal("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message).to.match(/chain/i);
    });
  });

  describe("the CLI (npx tantieme) against the same stack", () => {
    const root = path.resolve(__dirname, "..", "..");
    async function cli(args: string[], key = MUSICIAN.privateKey): Promise<{ code: number; json: Record<string, unknown> }> {
      const r = await runCli(["--json", "--api", stack.apiUrl, "--rpc", stack.rpcUrl, ...args], { TANTIEME_API_KEY: stack.apiKey, TANTIEME_PRIVATE_KEY: key });
      return { code: r.code, json: JSON.parse(r.stdout) as Record<string, unknown> };
    }
    let cliWork: string;
    let cliOffer: string;
    let cliLicence: string;

    it("behavior: register a work from a folder", async () => {
      const dir = fs.mkdtempSync(path.join(stack.dataDir, "cli-work-"));
      fs.writeFileSync(path.join(dir, "pattern.png"), renderPng(128, 128, 300));
      fs.writeFileSync(path.join(dir, "metadata.json"), JSON.stringify({
        schemaVersion: "1.0.0", kind: "design", title: "Salt Marsh", creators: [{ name: "Lou Okafor", roles: ["illustrator"] }],
        files: [{ path: "pattern.png", mimeType: "image/png", format: "raster" }],
      }));
      const r = await cli(["register", dir]);
      expect(r.code, JSON.stringify(r.json)).to.equal(0);
      const submission = r.json.submission as { work: { id: string; title: string } };
      expect(submission.work.title).to.equal("Salt Marsh");
      cliWork = submission.work.id;
    });

    it("behavior: create an offer, buy it, check it", async () => {
      // Revocable for a breach, with immediate effect: the licence is revoked further down.
      const offer = await cli(["offer", "create", "--work", cliWork, "--rights", "Print,Merchandise", "--exclude", "KP", "--duration", "90d", "--price", "0.02", "--revocable-for", "Breach"]);
      expect(offer.code, JSON.stringify(offer.json)).to.equal(0);
      cliOffer = offer.json.offerId as string;
      const bought = await cli(["buy", cliOffer], PLATFORM.privateKey);
      expect(bought.code, JSON.stringify(bought.json)).to.equal(0);
      expect(bought.json.licenceId).to.match(/^\d+$/);
      cliLicence = bought.json.licenceId as string;
      const yes = await cli(["check", "--work", cliWork, "--licensee", PLATFORM.address, "--right", "Print", "--territory", "JP"]);
      expect(yes.code).to.equal(0);
      expect(yes.json).to.include({ allowed: true });
      const no = await cli(["check", "--work", cliWork, "--licensee", PLATFORM.address, "--right", "Print", "--territory", "KP"]);
      expect(no.code).to.equal(3);
      expect(no.json).to.deep.include({ allowed: false, reasons: ["TERRITORY"] });
    });

    it("behavior: pause, resume and retire the offer; revoke the licence", async () => {
      const paused = await cli(["offer", "pause", cliOffer]);
      expect(paused.code, JSON.stringify(paused.json)).to.equal(0);
      expect((paused.json.submission as { events: string[] }).events).to.deep.equal(["OfferStatusChanged"]);
      const refused = await cli(["buy", cliOffer], PLATFORM.privateKey);
      expect(refused.code).to.not.equal(0);
      expect((refused.json.error as { message: string }).message).to.match(/Paused/);
      expect((await cli(["offer", "resume", cliOffer])).code).to.equal(0);
      expect((await cli(["offer", "retire", cliOffer])).code).to.equal(0);
      const again = await cli(["offer", "resume", cliOffer]);
      expect(again.code).to.not.equal(0);
      expect((again.json.error as { message: string }).message).to.match(/retired/);

      const revoked = await cli(["revoke", cliLicence, "--reason", "breach"]);
      expect(revoked.code, JSON.stringify(revoked.json)).to.equal(0);
      expect((revoked.json.submission as { events: string[] }).events).to.deep.equal(["LicenceRevoked"]);
      const no = await cli(["check", "--work", cliWork, "--licensee", PLATFORM.address, "--right", "Print", "--territory", "JP"]);
      expect(no.code).to.equal(3);
      expect(no.json).to.deep.include({ allowed: false, reasons: ["REVOKED"] });
      const badReason = await cli(["revoke", cliLicence, "--reason", "boredom"]);
      expect(badReason.code).to.equal(2);
      expect((badReason.json.error as { message: string }).message).to.match(/--reason/);
    });

    it("behavior: earnings, then withdraw", async () => {
      const designer = (await cli(["earnings"])).json as { currencies: { native: boolean; withdrawable: string; undistributed: string }[] };
      const eth = designer.currencies.find((c) => c.native)!;
      expect(BigInt(eth.withdrawable) + BigInt(eth.undistributed)).to.be.greaterThan(0n);
      const w = await cli(["withdraw"]);
      expect(w.code, JSON.stringify(w.json)).to.equal(0);
      const after = (await cli(["earnings"])).json as { currencies: { native: boolean; withdrawable: string; undistributed: string }[] };
      expect(after.currencies.find((c) => c.native)).to.include({ withdrawable: "0", undistributed: "0" });
    });

    it("behavior: signs with an encrypted JSON keystore", async () => {
      const file = path.join(stack.dataDir, "musician.keystore.json");
      const created = await exec(process.execPath, [path.join(root, "scripts/cli/bin.js"), "--json", "keystore", "create", file], {
        env: { ...process.env, TANTIEME_PRIVATE_KEY: MUSICIAN.privateKey, TANTIEME_KEYSTORE_PASSWORD: "correct horse" },
      });
      expect(JSON.parse(created.stdout)).to.deep.equal({ file, address: MUSICIAN.address });
      const run = (password: string) =>
        exec(process.execPath, [path.join(root, "scripts/cli/bin.js"), "--json", "--api", stack.apiUrl, "--rpc", stack.rpcUrl, "--keystore", file, "earnings"], {
          env: { ...process.env, TANTIEME_PRIVATE_KEY: "", TANTIEME_KEYSTORE_PASSWORD: password },
        }).then((r) => ({ code: 0, json: JSON.parse(r.stdout) as Record<string, unknown> }), (e: { code: number; stdout: string }) => ({ code: e.code, json: JSON.parse(e.stdout) as Record<string, unknown> }));
      const ok = await run("correct horse");
      expect(ok.code).to.equal(0);
      expect(String(ok.json.account).toLowerCase()).to.equal(MUSICIAN.address.toLowerCase());
      const wrong = await run("wrong");
      expect(wrong.code).to.equal(2);
      expect(wrong.json.error).to.include({ code: "KEYSTORE_INVALID" });
    });

    it("error: bad arguments name the option", async () => {
      const r = await cli(["check", "--work", "1", "--licensee", "nope", "--right", "Streaming", "--territory", "FR"]);
      expect(r.code).to.equal(2);
      expect((r.json.error as { message: string }).message).to.match(/--licensee/);
    });
  });
  describe("restart", () => {
    it("behavior: a second start reuses the data (chain replayed, index and IPFS kept)", async () => {
      const { dataDir } = stack;
      const before = await ok<{ indexingStatus: { latestBlock: number } }>(`{ indexingStatus { latestBlock } }`);
      await stack.stop();
      provider.destroy();
      stack = await startStackProcess({ dataDir, seed: false });
      provider = rpcProvider(stack.rpcUrl);
      expect(stack.output.join("\n")).to.match(/replayed \d+ blocks/);
      const { work } = await ok<{ work: { id: string; title: string; metadata: { title: string } | null } }>(`query($isrc: String) { work(isrc: $isrc) { id title metadata } }`, { isrc: ISRC });
      expect(work).to.include({ id: workId, title: "Harbour Lights" });
      expect(work.metadata?.title).to.equal("Harbour Lights");
      const after = await ok<{ indexingStatus: { latestBlock: number; health: string } }>(`{ indexingStatus { latestBlock health } }`);
      expect(after.indexingStatus.health).to.equal("healthy");
      expect(after.indexingStatus.latestBlock).to.be.at.least(before.indexingStatus.latestBlock);
      // The replayed chain carries on: a new purchase on it is indexed.
      const { prepareLicencePurchase: p } = await ok<{ prepareLicencePurchase: { transactions: PreparedTx[] } }>(
        `mutation($offer: String!, $licensee: String!) { prepareLicencePurchase(offer: $offer, licensee: $licensee) { ${TX} } }`, { offer: offerId, licensee: PLATFORM.address });
      const [bought] = await signAndSubmit(PLATFORM.privateKey, p.transactions);
      expect(bought!.licence!.status).to.equal("Active");
    });
  });
});
