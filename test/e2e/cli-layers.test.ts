/**
 * The CLI (scripts/cli/bin.js, a child process) against the real API (listening on 127.0.0.1:0),
 * chain and subgraph, over the demo catalogue: `check` prints and returns the layers of a song,
 * names the society that administers a layer, and the identifier commands — a registrar's
 * `attest`, the uploader's `identifier verify` — and `link add` / `society` run end to end.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import pino from "pino";
import { createApp } from "../../server/src/app";
import { generateApiKey, loadApiKeyStore } from "../../server/src/auth/keys";
import { ChainClient } from "../../server/src/chain/client";
import { systemClock } from "../../server/src/clock";
import { loadConfig } from "../../server/src/config";
import { SubgraphClient } from "../../server/src/subgraph/client";
import { rpcProvider } from "../../core/chain";
import { FileKeys } from "../../server/src/delivery/keys";
import { DeliverySecret, LocalKek, LocalKeyStore } from "../../server/src/delivery/keystore";
import { demoAccounts, seedDemoCatalogue, type SeedResult } from "../../scripts/stack/seed";
import { runCli } from "./helpers/cli";
import { buildTantiemeSubgraph, SUBGRAPH_DIR } from "../subgraph/mappings/helpers/build";
import { deployTantieme, index, openIpfs, startChain, type Ipfs, type LocalChain, type Running } from "../subgraph/mappings/helpers/tantieme";


describe("scripts/cli: layers, attestations, links (real API, chain and subgraph)", function () {
  this.timeout(600_000);
  let chain: LocalChain;
  let ipfs: Ipfs;
  let run: Running;
  let server: http.Server;
  let apiUrl: string;
  let seed: SeedResult;
  let dir: string;
  const accounts = demoAccounts();
  const writer = generateApiKey("writer", ["write", "bulk"]);

  async function cli(args: string[], key: string, json = true): Promise<{ code: number; out: string; json: any }> {
    const r = await runCli([...(json ? ["--json"] : []), "--api", apiUrl, "--rpc", chain.url, ...args], { TANTIEME_API_KEY: writer.key, TANTIEME_PRIVATE_KEY: key });
    let parsed: unknown = null;
    try {
      parsed = json && r.stdout ? JSON.parse(r.stdout) : null;
    } catch {
      parsed = null;
    }
    return { code: r.code, out: r.code === 0 ? r.stdout : r.stdout + r.stderr, json: parsed };
  }

  before(async function () {
    dir = mkdtempSync(path.join(os.tmpdir(), "tantieme-cli-layers-"));
    const manifest = buildTantiemeSubgraph();
    chain = await startChain();
    ipfs = await openIpfs();
    const d = await deployTantieme();
    const provider = rpcProvider(chain.url, 31337);
    // Midnight Ferry's master is a licensed (encrypted) file: the delivery keys seal it.
    const secret = new DeliverySecret("the demo catalogue test's delivery secret, 32+ characters");
    const sealer = new FileKeys(await LocalKeyStore.open(path.join(dir, "keys"), secret), new LocalKek(secret));
    seed = await seedDemoCatalogue({
      provider, store: ipfs.store, worksAddress: await d.works.getAddress(), licensingAddress: await d.licensing.getAddress(),
      registrarsAddress: await d.registrars.getAddress(), linksAddress: await d.links.getAddress(), sealer, workDir: path.join(dir, "works"), log: () => {},
    });
    provider.destroy();
    run = await index(chain, ipfs, manifest);
    const config = loadConfig({
      RPC_URL: chain.url, SUBGRAPH_URL: run.indexer.server!.url, DEPLOYMENT_FILE: path.join(SUBGRAPH_DIR, "networks.json"), NODE_ENV: "test",
      LOG_LEVEL: "silent", API_KEYS: JSON.stringify([writer.record]), INDEX_WAIT_TIMEOUT_MS: "240000", UPLOAD_DIR: dir,
    });
    const app = createApp({
      config, logger: pino({ level: "silent" }), apiKeys: loadApiKeyStore(config), store: ipfs.store, clock: systemClock,
      subgraph: new SubgraphClient({ url: config.subgraphUrl, statusUrl: config.subgraphStatusUrl, timeoutMs: config.subgraphTimeoutMs }),
      chain: new ChainClient({ rpcUrl: config.rpcUrl, chainId: config.chainId, deployment: config.deployment }),
    }, { defaultMetrics: false });
    server = http.createServer(app.yoga);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  after(async function () {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
    await run?.stop();
    await ipfs?.close();
    await chain?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("default: check prints both layers of Midnight Ferry with their evidence", async function () {
    const [rec, comp] = [seed.works[0]!.id.toString(), seed.works[1]!.id.toString()];
    const platform = accounts[5]!;
    const text = await cli(["check", "--work", "GBTNT2600001", "--licensee", platform.address, "--right", "Streaming", "--territory", "FR"], platform.privateKey, false);
    expect(text.code, text.out).to.equal(0);
    expect(text.out).to.match(new RegExp(`^ALLOWED: ${platform.address} · Streaming · FR · work GBTNT2600001 \\(#${rec}\\)`));
    expect(text.out).to.match(new RegExp(`✓ master #${rec} \\(GBTNT2600001, verified\\): licence #\\d+ from offer #1`));
    expect(text.out).to.match(new RegExp(`✓ composition #${comp} \\(T3452468003, verified, link confirmed\\): licence #\\d+ from offer #6`));
    expect(text.out).to.match(/covers metadata v1 Qm\w+; revocable by the work's owner only for Breach, with immediate effect; no refund/);
    expect(text.out).to.match(/covers metadata v1 Qm\w+; not revocable/);
    const json = await cli(["check", "--work", rec, "--licensee", platform.address, "--right", "Streaming", "--territory", "FR"], platform.privateKey);
    expect(json.json.layers.map((l: { role: string; workId: string; allowed: boolean }) => [l.role, l.workId, l.allowed])).to.deep.equal([["Master", rec, true], ["Composition", comp, true]]);
  });

  it("behavior: check names the society that administers a layer, and passes with --society", async function () {
    const platform = accounts[5]!;
    const no = await cli(["check", "--work", "GBTNT2600001", "--licensee", platform.address, "--right", "PublicPerformance", "--territory", "DE"], platform.privateKey, false);
    expect(no.code).to.equal(3);
    expect(no.out).to.match(/reasons: .*SOCIETY_LICENCE_REQUIRED/);
    expect(no.out).to.match(/administered by GEMA here: a licence from GEMA is needed/);
    expect(no.out).to.match(/licence needed from: GEMA/);
    // The platform also needs the master's public performance: it holds only streaming and download.
    const gema = await cli(["check", "--work", "GBTNT2600001", "--licensee", platform.address, "--right", "PublicPerformance", "--territory", "DE", "--society", "GEMA"], platform.privateKey);
    expect(gema.json.layers.map((l: { allowed: boolean; coveredBySociety: boolean }) => [l.allowed, l.coveredBySociety])).to.deep.equal([[false, false], [true, true]]);
    expect(gema.json.requiredSocieties).to.deep.equal([]);
  });

  it("default: attest (registrar) → identifier verify (uploader) turns the unverified upload verified; --require-verified follows it", async function () {
    const [registrar, uploader, platform] = [accounts[8]!, accounts[9]!, accounts[5]!];
    const upload = seed.works.find((w) => w.identifier === "USX9P2600077")!.id.toString();
    const before = await cli(["check", "--work", upload, "--licensee", platform.address, "--right", "Streaming", "--territory", "FR", "--require-verified"], platform.privateKey);
    expect(before.json.reasons).to.deep.equal(["UNVERIFIED", "NO_LICENCE"]);
    const file = path.join(dir, "attestation.json");
    const a = await cli(["attest", "--account", uploader.address, "--identifier", "US-X9P-26-00077", "--out", file], registrar.privateKey);
    expect(a.code, a.out).to.equal(0);
    expect(a.json.attestation).to.include({ registrar: registrar.address, account: uploader.address, identifier: "USX9P2600077", scope: "Identifier" });
    const v = await cli(["identifier", "verify", "--work", upload, "--attestation", file], uploader.privateKey);
    expect(v.code, v.out).to.equal(0);
    expect(v.json.submission.events).to.deep.equal(["IdentifierAssigned"]);
    const after = await cli(["check", "--work", upload, "--licensee", platform.address, "--right", "Streaming", "--territory", "FR", "--require-verified"], platform.privateKey);
    expect(after.json.reasons).to.deep.equal(["NO_LICENCE"]);
    expect(after.json.verified).to.equal(true);
  });

  it("default: link add (claimed) → link confirm, and society declares a mandate; bad options name themselves", async function () {
    const musician = accounts[1]!;
    const [lanterns, comp] = [seed.works[2]!.id.toString(), seed.works[1]!.id.toString()];
    const claim = await cli(["link", "add", "--recording", lanterns, "--composition", comp], musician.privateKey);
    expect(claim.code, claim.out).to.equal(0);
    expect(claim.json.status).to.equal("Claimed");
    const confirm = await cli(["link", "confirm", "--recording", lanterns, "--composition", comp], musician.privateKey);
    expect(confirm.json.submission.events).to.deep.equal(["LinkConfirmed"]);
    const sacem = await cli(["society", "--composition", comp, "--society", "SACEM", "--rights", "PublicPerformance", "--include", "FR"], musician.privateKey);
    expect(sacem.json.summary).to.equal(`SACEM administers PublicPerformance of composition ${comp} in FR`);
    const bad = await cli(["offer", "create", "--work", lanterns, "--rights", "Sync", "--price", "1", "--revocable-for", "Whim"], musician.privateKey);
    expect(bad.code).to.not.equal(0);
    expect(bad.out).to.match(/--revocable-for: Whim is not a reason/);
  });
});
