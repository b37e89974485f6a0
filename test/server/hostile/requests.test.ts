/**
 * The hostile requests of the probe (issue 8: C1, H1, H2, M2, M3, L1, L2), each against the real
 * app (createApp on a real Hardhat chain, the embedded IPFS store and the compiled subgraph's
 * runtime), in production mode. Each pins the mechanism that stops it, not a timing.
 */
import http from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect } from "chai";
import { ContractFactory, Wallet, type HDNodeWallet } from "ethers";
import type { App } from "../../../server/src/app";
import { KIND, cidBytes, split, wallet } from "../../subgraph/mappings/helpers/tantieme";
import { firstError, gql, listen, multipart, post, prototypeSnapshot, restorePrototype, startStack, type Stack } from "../helpers/apiStack";

const STATUS = (alias: string, licensee: string) => `${alias}: licenceStatus(work: "1", licensee: "${licensee}", right: Sync, territory: "FR") { allowed }`;

/** Fragments F0…F(n-1), each spreading the next `fan` times: 10^n field visits unmemoised. */
function fragmentBomb(n: number, fan: number): string {
  const frags: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = i === n - 1 ? "health latestBlock" : Array.from({ length: fan }, () => `...F${i + 1}`).join(" ");
    frags.push(`fragment F${i} on IndexingStatus { ${body} }`);
  }
  return `{ indexingStatus { ...F0 } } ${frags.join(" ")}`;
}

/** The longest the event loop stood still while `fn` ran (ms), sampled every 10 ms. */
async function maxLoopStall<T>(fn: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const t = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  try {
    const result = await fn();
    return { result, stallMs: Math.max(worst, performance.now() - last - 10) };
  } finally {
    clearInterval(t);
  }
}

describe("server/hostile: requests from the probe (real chain, IPFS store and indexer)", function () {
  this.timeout(120_000);
  let s: Stack;
  let app: App;
  let W: Record<string, string>;
  let licensee: HDNodeWallet;

  before(async function () {
    this.timeout(600_000); // the first subgraph build of a checkout
    s = await startStack();
    app = s.makeApp();
    W = { "x-api-key": s.writer.key };
    licensee = wallet(3);
    // Work 1, owned by account #1, for the requests that need one.
    const cid = await s.ipfs.addJson({ title: "Hostile Tide", artists: [{ name: "Ada Marlowe" }] });
    const owner = await s.d.signers[1]!.getAddress();
    await (await s.d.works.connect(s.d.signers[1]!).register(KIND.SoundRecording, cidBytes(cid), "0x" + Buffer.from("GBTNT2600099").toString("hex"), split([owner, 10000]))).wait();
    await s.run.synced();
  });
  after(async () => s?.close());

  describe("C1: the multipart map cannot touch prototypes; auth before the body", function () {
    const uploadOps = JSON.stringify({ query: "{ indexingStatus { latestBlock } }" });
    for (const target of ["__proto__.hasOwnProperty", "__proto__.toString", "constructor.prototype.valueOf", "variables.__proto__.polluted", "variables.constructor.prototype.polluted", "prototype"]) {
      it(`error: map path ${target} → 400 BAD_USER_INPUT, Object.prototype untouched`, async function () {
        const snapshot = prototypeSnapshot();
        let changed: string[] = [];
        let r: Awaited<ReturnType<typeof post>>;
        try {
          const { body, contentType } = multipart([
            { name: "operations", value: uploadOps },
            { name: "map", value: JSON.stringify({ 0: [target] }) },
            { name: "0", value: "hello", filename: "a.txt", type: "text/plain" },
          ]);
          r = await post(app, body, { ...W, "content-type": contentType });
        } finally {
          changed = restorePrototype(snapshot);
        }
        expect(changed, "Object.prototype members changed").to.deep.equal([]);
        expect(r.status).to.equal(400);
        expect(firstError(r)).to.include({ code: "BAD_USER_INPUT" });
        expect(firstError(r).message).to.match(/map\.0/);
      });
    }

    it("error: an anonymous or wrong-key multipart upload is refused before its body is read", async function () {
      for (const headers of [{}, { "x-api-key": `${s.writer.key}x` }, { "x-api-key": s.reader.key }]) {
        const total = 20 << 20;
        let pulled = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(c) {
            if (pulled >= total) return c.close();
            pulled += 65536;
            c.enqueue(new Uint8Array(65536));
          },
        });
        const { contentType } = multipart([]);
        const res = await app.yoga.fetch("http://api.test/graphql", { method: "POST", headers: { ...headers, "content-type": contentType }, body: stream, duplex: "half" } as RequestInit);
        const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
        expect(res.status, JSON.stringify(headers)).to.be.oneOf([401, 403]);
        expect(body.errors[0]!.extensions.code).to.be.oneOf(["UNAUTHENTICATED", "FORBIDDEN"]);
        expect(pulled, "bytes read from the body").to.be.below(1 << 20);
        await stream.cancel().catch(() => {});
      }
    });
  });

  describe("H1/H2: query limits stop early; the document cache is bounded", function () {
    it("error: a fragment bomb (each fragment spreads the next ten times) → QUERY_TOO_COMPLEX without freezing", async function () {
      for (const n of [7, 9]) {
        const q = fragmentBomb(n, 10);
        const { result, stallMs } = await maxLoopStall(() => gql(app, q));
        expect(firstError(result).code, `${q.length} bytes`).to.equal("QUERY_TOO_COMPLEX");
        expect(result.status).to.equal(400);
        // A freeze detector, not a latency target: unmemoised, this blocks for 24 s to minutes.
        expect(stallMs, `event loop blocked ${stallMs.toFixed(0)} ms`).to.be.below(2000);
      }
    });

    it("error: one field repeated 20,000 times → QUERY_TOO_COMPLEX at the parser's token limit (with a key), 413 unread without one", async function () {
      const q = `{ indexingStatus { ${"health ".repeat(20_000)} } }`;
      // 140 KB: over ANON_BODY_LIMIT_BYTES (64 KiB), so only a keyed request reaches the parser.
      const { result, stallMs } = await maxLoopStall(() => gql(app, q, {}, W));
      expect(result.status).to.equal(400);
      expect(firstError(result)).to.include({ code: "QUERY_TOO_COMPLEX" });
      expect(firstError(result).message).to.match(/tokens/);
      expect(stallMs, `event loop blocked ${stallMs.toFixed(0)} ms`).to.be.below(2000);
      const anonymous = await gql(app, q);
      expect(anonymous.status).to.equal(413);
      expect(firstError(anonymous)).to.include({ code: "PAYLOAD_TOO_LARGE" });
      expect(firstError(anonymous).message).to.match(/ANON_BODY_LIMIT_BYTES/);
      const raised = await gql(s.makeApp({ ANON_BODY_LIMIT_BYTES: String(1 << 20) }), q);
      expect(firstError(raised), "the anonymous limit is a setting").to.include({ code: "QUERY_TOO_COMPLEX" });
    });

    it("error: aliases, depth and directives over their limits → QUERY_TOO_COMPLEX naming the limit", async function () {
      const aliases = await gql(app, `{ ${Array.from({ length: 60 }, (_, i) => STATUS(`a${i}`, licensee.address)).join(" ")} }`);
      expect(aliases.status).to.equal(400);
      expect(firstError(aliases)).to.include({ code: "QUERY_TOO_COMPLEX" });
      expect(firstError(aliases).message).to.match(/alias/i);
      const deep = await gql(app, `{ licence(id: "1") { ${"work { offers { ".repeat(10)}id${" } }".repeat(10)} } }`);
      expect(firstError(deep)).to.include({ code: "QUERY_TOO_COMPLEX" });
      expect(firstError(deep).message).to.match(/depth/i);
      const directives = await gql(app, `{ indexingStatus { health ${"@include(if: true) ".repeat(60)} } }`);
      expect(firstError(directives)).to.include({ code: "QUERY_TOO_COMPLEX" });
      expect(firstError(directives).message).to.match(/directive/i);
    });

    it("behavior: distinct large queries are not kept by the parse/validation cache (live heap stays flat)", async function () {
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as () => void;
      const live = () => {
        gc();
        return process.memoryUsage().heapUsed;
      };
      const cached = s.makeApp();
      const before = live();
      for (let i = 0; i < 12; i++) {
        // ~700 KB each: a default value with 100,000 items (an AST of tens of MB once parsed).
        const q = `query Q${i}($x: [Int] = [${Array.from({ length: 100_000 }, (_, k) => (k * 7 + i) % 100000).join(",")}]) { indexingStatus { health } }`;
        const r = await gql(cached, q);
        expect(r.status, `query ${i}`).to.be.below(500);
      }
      const growth = live() - before;
      expect(growth, `live heap grew ${(growth / 2 ** 20).toFixed(0)} MiB after 12 distinct 700 KB queries`).to.be.below(40 * 2 ** 20);
    });
  });

  describe("M2: the limiter counts work; every path and stream is limited", function () {
    it("behavior: aliased licenceStatus fields each take a rate-limit token (work, not requests)", async function () {
      const limited = s.makeApp({ RATE_LIMIT_ANON_BURST: "12", RATE_LIMIT_ANON_PER_MIN: "1" });
      const q = `{ ${Array.from({ length: 8 }, (_, i) => STATUS(`a${i}`, licensee.address)).join(" ")} }`;
      const first = await gql(limited, q);
      expect(first.status, first.text).to.equal(200);
      const second = await gql(limited, q);
      expect(second.status).to.equal(429);
      expect(firstError(second)).to.include({ code: "RATE_LIMITED" });
      expect(second.headers.get("retry-after")).to.match(/^\d+$/);
    });

    it("behavior: /readyz, /ipfs and /metrics are rate-limited", async function () {
      for (const p of ["/readyz", "/metrics", "/ipfs/QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"]) {
        const limited = s.makeApp({ RATE_LIMIT_ANON_BURST: "3", RATE_LIMIT_ANON_PER_MIN: "1" });
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await limited.yoga.fetch(`http://api.test${p}`);
          await res.arrayBuffer();
          statuses.push(res.status);
        }
        expect(statuses.slice(0, 3).every((st) => st !== 429), `${p}: ${statuses}`).to.equal(true);
        expect(statuses[3], p).to.equal(429);
      }
    });

    it("behavior: wrong API keys are rate-limited per client address → 429 after the allowed failures", async function () {
      const limited = s.makeApp({ AUTH_FAILURE_BURST: "5", AUTH_FAILURE_PER_MIN: "1" });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await gql(limited, `{ indexingStatus { health } }`, {}, { "x-api-key": `tk_nope_${i}` })).status);
      expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429, 429]);
    });

    it("behavior: SSE streams are capped per client and overall", async function () {
      const capped = s.makeApp({ SSE_MAX_STREAMS_PER_CLIENT: "2", SSE_MAX_STREAMS: "3" });
      const open = async (headers: Record<string, string> = {}) => {
        const ctrl = new AbortController();
        const res = await capped.yoga.fetch("http://api.test/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream", ...headers },
          body: JSON.stringify({ query: `subscription { licenceEvents(licensee: "${licensee.address}") { type } }` }),
          signal: ctrl.signal,
        });
        const reader = res.body!.getReader();
        const first = new TextDecoder().decode((await Promise.race([reader.read(), new Promise<{ value: undefined }>((r) => setTimeout(() => r({ value: undefined }), 1500))])).value ?? new Uint8Array());
        return { res, first, close: async () => { ctrl.abort(); await reader.cancel().catch(() => {}); } };
      };
      const a = await open();
      const b = await open();
      const c = await open();
      expect(a.first + b.first).not.to.match(/RATE_LIMITED/);
      expect(c.first, "third anonymous stream").to.match(/RATE_LIMITED/);
      const k = await open(W);
      expect(k.first, "a keyed stream has its own allowance").not.to.match(/RATE_LIMITED/);
      const k2 = await open({ "x-api-key": s.reader.key });
      expect(k2.first, "over the overall cap").to.match(/RATE_LIMITED/);
      await a.close();
      await new Promise((r) => setTimeout(r, 100));
      const d = await open();
      expect(d.first, "a slot freed by a closed stream").not.to.match(/RATE_LIMITED/);
      for (const x of [b, c, k, k2, d]) await x.close();
    });

    it("behavior: anonymous requests share ANON_CONCURRENCY slots and ANON_QUEUE places; keyed requests never wait behind them", async function () {
      const server = await listen(s.makeApp({ ANON_CONCURRENCY: "1", ANON_QUEUE: "1" }));
      const body = Buffer.from(JSON.stringify({ query: "{ indexingStatus { health } }" }));
      /** A POST whose body is held back after its first byte until `finish` (the request holds its slot). */
      const held = (headers: Record<string, string> = {}) => {
        let finish!: () => void;
        const done = new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = http.request(`${server.url}/graphql`, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": String(body.length), ...headers } }, (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode!, text }));
          });
          req.on("error", reject);
          req.write(body.subarray(0, 1));
          finish = () => req.end(body.subarray(1));
        });
        return { done, finish: () => finish() };
      };
      const whole = (headers: Record<string, string> = {}) => {
        const h = held(headers);
        h.finish();
        return h.done;
      };
      const settledWithin = async <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      try {
        const first = held(); // takes the one slot
        await new Promise((r) => setTimeout(r, 200));
        const second = whole(); // waits in the one queue place
        await new Promise((r) => setTimeout(r, 200));
        const third = await whole(); // no place left
        expect(third.status).to.equal(429);
        expect(JSON.parse(third.text).errors[0].extensions.code).to.equal("RATE_LIMITED");
        expect(third.text).to.match(/ANON_CONCURRENCY/);
        expect(await settledWithin(second, 300), "the queued request waits for the slot").to.equal(false);
        const keyed = await whole(W);
        expect(keyed.status, "a keyed request passes while anonymous ones wait").to.equal(200);
        first.finish();
        expect((await first.done).status).to.equal(200);
        expect((await second).status, "the queued request got the slot").to.equal(200);
        expect((await whole()).status, "the slot is free again").to.equal(200);
      } finally {
        await server.close();
      }
    });
  });

  describe("M3: submitTransaction relays only tantieme's transactions; node refusals are typed", function () {
    const SUBMIT = `mutation($tx: String!) { submitTransaction(signedTx: $tx) { hash status } }`;
    async function signed(w: HDNodeWallet, tx: { to?: string | null; data?: string; value?: bigint; gasLimit?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; nonce?: number }): Promise<string> {
      const signer = w.connect(s.provider);
      const populated = await signer.populateTransaction({ to: tx.to, data: tx.data, value: tx.value ?? 0n, chainId: 31337, ...(tx.gasLimit ? { gasLimit: tx.gasLimit } : {}) });
      return signer.signTransaction({ ...populated, ...tx, to: tx.to ?? null });
    }

    it("error: a plain transfer and a contract creation are refused, nothing broadcast", async function () {
      const w = wallet(10);
      const nonce = await s.provider.getTransactionCount(w.address, "pending");
      const transfer = firstError(await gql(app, SUBMIT, { tx: await signed(w, { to: wallet(11).address, value: 1n }) }, W));
      expect(transfer).to.include({ code: "BAD_USER_INPUT", field: "signedTx" });
      expect(transfer.message).to.match(/not a call to tantieme's contracts/);
      const creation = firstError(await gql(app, SUBMIT, { tx: await signed(w, { to: null, data: new ContractFactory([], "0x6080604052").bytecode }) }, W));
      expect(creation).to.include({ code: "BAD_USER_INPUT", field: "signedTx" });
      expect(creation.message).to.match(/contract creation/);
      expect(await s.provider.getTransactionCount(w.address, "pending")).to.equal(nonce);
    });

    it("error: a mined-but-reverted purchase → TRANSACTION_REVERTED with the custom error's name and args", async function () {
      const w = wallet(10);
      const data = s.d.licensing.interface.encodeFunctionData("purchase", [999n, w.address]);
      const raw = await signed(w, { to: await s.d.licensing.getAddress(), data, gasLimit: 300_000n });
      const r = await gql(app, SUBMIT, { tx: raw }, W);
      const e = firstError(r);
      expect(e.code, e.message).to.equal("TRANSACTION_REVERTED");
      expect(r.status).to.be.within(400, 499);
      expect(e.extensions.revert.name).to.match(/Unknown|Offer/);
      expect(e.extensions.revert.args).to.be.an("array");
      expect(e.extensions.hash).to.match(/^0x[0-9a-f]{64}$/);
      expect(e.message).to.contain(e.extensions.revert.name);
    });

    it("error: too little gas, a fee below the base fee, an unaffordable value, a used nonce → typed 4xx naming the reason", async function () {
      const licensing = await s.d.licensing.getAddress();
      const w = wallet(10);
      const poor = Wallet.createRandom();
      await (await s.d.signers[0]!.sendTransaction({ to: poor.address, value: 10n ** 15n })).wait();
      const data = s.d.licensing.interface.encodeFunctionData("purchase", [1n, w.address]);
      const cases: [string, string, RegExp][] = [
        ["GAS_TOO_LOW", await signed(w, { to: licensing, data, gasLimit: 21_000n }), /gas/],
        ["FEE_TOO_LOW", await signed(w, { to: licensing, data, gasLimit: 300_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }), /fee|base/],
        ["INSUFFICIENT_FUNDS", await signed(poor.connect(s.provider) as unknown as HDNodeWallet, { to: licensing, data, value: 10n ** 20n, gasLimit: 300_000n }), /funds/],
      ];
      // A nonce already used: sign with nonce 0 for an account that has sent transactions.
      const used = await signed(wallet(0), { to: licensing, data, gasLimit: 300_000n, nonce: 0 });
      cases.push(["NONCE_TOO_LOW", used, /nonce/]);
      for (const [reason, raw, message] of cases) {
        const r = await gql(app, SUBMIT, { tx: raw }, W);
        const e = firstError(r);
        expect(e.code, `${reason}: ${e.message}`).to.equal("BAD_USER_INPUT");
        expect(e.field, reason).to.equal("signedTx");
        expect(e.extensions.reason, `${reason}: ${e.message}`).to.equal(reason);
        expect(e.message, reason).to.match(message);
        expect(r.status, reason).to.equal(400);
      }
    });
  });

  describe("L1: caller mistakes are typed 4xx errors", function () {
    const cases: [string, string, Record<string, unknown>, Record<string, string>, string, string?][] = [
      ["a wrongly typed variable", "query($f: Int) { works(first: $f) { id } }", { f: "abc" }, {}, "BAD_USER_INPUT"],
      ["a non-null variable missing", "query($f: Int!) { works(first: $f) { id } }", {}, {}, "BAD_USER_INPUT"],
      ["first: 0", "{ works(first: 0) { id } }", {}, {}, "BAD_USER_INPUT", "first"],
      ["a lone surrogate in uri", `mutation($u: String) { prepareOffer(input: { from: "${wallet(1).address}", work: "1", rights: [Sync], territory: { mode: Worldwide }, price: "1", uri: $u }) { summary } }`, { u: "legal\ud800text" }, {}, "BAD_USER_INPUT"],
      ["deeply nested selections", `{ licence(id: "1") { ${"work { offers { ".repeat(1500)}id${" } }".repeat(1500)} } }`, {}, {}, "QUERY_TOO_COMPLEX"],
      ["deeply nested list literal", `{ works(first: ${"[".repeat(3000)}1${"]".repeat(3000)}) { id } }`, {}, {}, "QUERY_TOO_COMPLEX"],
      ["prepareSignedDeal with a currency that is not a token", `mutation { prepareSignedDeal(input: { from: "${wallet(1).address}", work: "1", licensee: "${wallet(3).address}", rights: [Sync], territory: { mode: Worldwide }, price: "1", currency: "${wallet(7).address}" }) { summary } }`, {}, {}, "BAD_USER_INPUT", "input.currency"],
    ];
    for (const [name, query, variables, headers, code, field] of cases) {
      it(`error: ${name} → ${code}, 4xx, no internals`, async function () {
        const r = await gql(app, query, variables, { ...W, ...headers });
        const e = firstError(r);
        expect(e.code, e.message).to.equal(code);
        if (field) expect(e.field, e.message).to.equal(field);
        expect(r.status, r.text.slice(0, 300)).to.be.within(400, 499);
        expect(r.text).not.to.match(/version=|\/work\/|node_modules|\bat [\w.<>]+ \(|ethers/i);
      });
    }

    it("error: variables nested 100,000 levels deep (raw JSON) → BAD_USER_INPUT naming the variable", async function () {
      const n = 100_000;
      const raw = `{"query":"query($f: Int) { works(first: $f) { id } }","variables":{"f":${"[".repeat(n)}${"]".repeat(n)}}}`;
      const r = await post(app, raw, W);
      const e = firstError(r);
      expect(e.code, e.message).to.equal("BAD_USER_INPUT");
      expect(e.field).to.match(/^variables\.f/);
      expect(r.status).to.equal(400);
    });
  });

  describe("L2: a refused multipart body does not hang its connection", function () {
    it("behavior: after a 400 with 4 MiB unread, the next request on a keep-alive agent answers at once", async function () {
      const server = await listen(app);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const request = (body: Buffer, headers: Record<string, string>) =>
        new Promise<{ status: number; ms: number }>((resolve, reject) => {
          const started = performance.now();
          const req = http.request(`${server.url}/graphql`, { method: "POST", agent, headers: { ...headers, "content-length": String(body.length) } }, (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode!, ms: performance.now() - started }));
          });
          req.on("error", reject);
          req.end(body);
        });
      try {
        const bad = multipart([
          { name: "operations", value: JSON.stringify({ query: "{ indexingStatus { health } }" }) },
          // Refused as soon as busboy hands over the field: the file after it is never read.
          { name: "map", value: "{not json" },
          { name: "0", value: new Uint8Array(4 << 20), filename: "big.bin" },
        ]);
        const first = await request(bad.body, { ...W, "content-type": bad.contentType });
        expect(first.status).to.equal(400);
        const json = Buffer.from(JSON.stringify({ query: "{ indexingStatus { health } }" }));
        const second = await request(json, { "content-type": "application/json" });
        expect(second.status).to.equal(200);
        // A hang shows as the server's keep-alive timeout (5 s) and then ECONNRESET.
        expect(second.ms, "the next request waited").to.be.below(3000);
      } finally {
        agent.destroy();
        await server.close();
      }
    });
  });
});
