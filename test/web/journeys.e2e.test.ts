/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the real stack
 * started by `npm start` (free ports, temp data folder, demo catalogue seeded). A test-only
 * EIP-1193 wallet backed by Hardhat test keys stands in for the wallet extension. axe-core runs on
 * every page; screenshots (desktop and phone) go to test/web/artifacts/.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { demoAccounts } from "../../scripts/stack/seed";
import { renderPng, renderWav } from "../../scripts/stack/demo-media";
import { startStackProcess, type RunningStack } from "../e2e/helpers/stack";
import { ARTIFACTS, expectAccessible, launchChromium, screenshots } from "./helpers/browser";
import { installTestWallet, TEST_WALLET_NAME } from "./helpers/test-wallet";

const accounts = demoAccounts();
const MUSICIAN = accounts[1]!;
const COWRITER = accounts[2]!;
const CAFE = accounts[6]!;
// Unique when the journeys run again against the same stack (TANTIEME_WEB_STACK).
const TITLE = process.env.TANTIEME_WEB_STACK ? `Elbe Nights ${Date.now() % 100000}` : "Elbe Nights";

describe("web: journeys in a real browser (npm start + Chromium)", function () {
  this.timeout(900_000);
  let stack: Pick<RunningStack, "apiUrl" | "rpcUrl" | "apiKey" | "output" | "stop">;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let musician: Page;
  let workId: string;
  let certificateUrl: string;
  let verifyUrl: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-web-"));

  async function open(privateKey: string | null): Promise<Page> {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    contexts.push(context);
    if (privateKey) await installTestWallet(context, privateKey, stack.rpcUrl);
    const page = await context.newPage();
    page.on("pageerror", (err) => console.log(`    page error: ${err.message}`));
    // The demo API key as `npm start` prints it in the app's URL (the fragment never leaves the browser).
    await page.goto(`${base}/#apikey=${stack.apiKey}`);
    return page;
  }

  async function connectWallet(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Connect wallet" }).first().click();
    await page.getByRole("button", { name: TEST_WALLET_NAME }).click();
    await page.getByRole("button", { name: "Disconnect" }).first().waitFor();
  }

  /** After a reload the app reconnects the wallet it used; connect again if it did not. */
  async function ensureConnected(page: Page): Promise<void> {
    const connected = page.getByRole("button", { name: "Disconnect" }).first();
    const connect = page.getByRole("button", { name: "Connect wallet" }).first();
    await connected.or(connect).first().waitFor();
    if (!(await connected.isVisible())) await connectWallet(page);
  }

  async function gotoApp(page: Page, appPath: string): Promise<void> {
    await page.goto(base + appPath);
    await ensureConnected(page);
  }

  before(async () => {
    // TANTIEME_WEB_STACK=<file with {apiUrl, rpcUrl, apiKey}> runs the journeys against a stack already running (seeded).
    const reuse = process.env.TANTIEME_WEB_STACK;
    stack = reuse
      ? { ...(JSON.parse(fs.readFileSync(reuse, "utf8")) as Pick<RunningStack, "apiUrl" | "rpcUrl" | "apiKey">), output: [], stop: async () => null }
      : await startStackProcess({ seed: true, timeoutMs: 900_000 });
    base = stack.apiUrl.replace(/\/graphql$/, "");
    browser = await launchChromium();
  });

  // On a failure, what each open page showed (test/web/artifacts/failure-*.png).
  afterEach(async function () {
    if (this.currentTest?.state !== "failed") return;
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    let n = 0;
    for (const c of contexts) for (const p of c.pages()) await p.screenshot({ path: path.join(ARTIFACTS, `failure-${this.currentTest.title.slice(0, 40).replace(/\W+/g, "-")}-${n++}.png`), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (stack) await stack.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("default: npm start prints the app's URL first and serves the app at / with GraphiQL still at /graphql", async () => {
    if (!process.env.TANTIEME_WEB_STACK) {
      const welcome = stack.output.findIndex((l) => l.startsWith("tantieme is running"));
      expect(stack.output[welcome + 1]).to.match(/^\s+web app\s+http:\/\/127\.0\.0\.1:\d+\//);
    }
    const index = await fetch(base + "/works/1");
    expect(index.status).to.equal(200);
    expect(index.headers.get("content-type")).to.match(/^text\/html/);
    expect(index.headers.get("cache-control")).to.equal("no-cache");
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(base + asset);
    expect(js.headers.get("content-type")).to.match(/^text\/javascript/);
    expect(js.headers.get("cache-control")).to.contain("immutable");
    expect((await fetch(base + "/assets/missing.js")).status).to.equal(404);
    const graphiql = await fetch(base + "/graphql", { headers: { accept: "text/html" } });
    expect(await graphiql.text()).to.contain("GraphiQL");
  });

  it("behavior: a musician registers a work with a split and publishes an offer", async () => {
    musician = await open(MUSICIAN.privateKey);
    await musician.getByRole("link", { name: "Studio" }).click();
    await connectWallet(musician);
    await musician.getByRole("heading", { name: "Register a work" }).waitFor();
    await expectAccessible(musician, "studio");

    const folder = path.join(tmp, "elbe-nights");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "master.wav"), renderWav({ notes: [57, 60, 64, 69], beatMs: 280 }));
    fs.writeFileSync(path.join(folder, "cover.png"), renderPng(96, 96, 200));
    // First a folder with a mistake: the schema the API uses reports it before any upload.
    fs.writeFileSync(path.join(folder, "metadata.json"), JSON.stringify({ schemaVersion: "1.0.0", kind: "sound-recording", title: TITLE, artists: [], durationMs: 1100, audio: { path: "master.wav", mimeType: "audio/wav" }, artwork: { path: "cover.png", mimeType: "image/png" } }));
    const files = ["metadata.json", "master.wav", "cover.png"].map((f) => path.join(folder, f));
    await musician.getByTestId("work-files").setInputFiles(files);
    await musician.getByText("$.artists").waitFor();
    expect(await musician.getByRole("alert").first().innerText()).to.contain("needs at least one artist");

    fs.writeFileSync(path.join(folder, "metadata.json"), JSON.stringify({ schemaVersion: "1.0.0", kind: "sound-recording", title: TITLE, artists: [{ name: "Lene Adler" }], genre: "Indie folk", durationMs: 1100, audio: { path: "master.wav", mimeType: "audio/wav" }, artwork: { path: "cover.png", mimeType: "image/png" } }));
    await musician.getByTestId("work-files").setInputFiles(files);
    await musician.getByText(`“${TITLE}” is ready: 2 files checked.`).waitFor();
    await musician.locator("#register-percent-0").fill("70");
    await musician.getByRole("button", { name: "Add a person" }).first().click();
    await musician.locator("#register-account-1").fill(COWRITER.address);
    await musician.locator("#register-percent-1").fill("30");
    await musician.getByRole("button", { name: "Upload and register" }).click();
    const registered = musician.getByText(/Registered as work #\d+/);
    await registered.waitFor({ timeout: 120_000 });
    workId = /#(\d+)/.exec(await registered.innerText())![1]!;

    const offerForm = musician.locator("form.offer-form");
    await offerForm.locator("select[name=work]").selectOption(workId);
    await offerForm.getByLabel("download", { exact: true }).check();
    await offerForm.getByLabel("Everywhere except …").check();
    await offerForm.getByLabel("Country codes (comma-separated)").fill("KP, IR");
    await offerForm.getByLabel("Term in days (0 = no end date)").fill("365");
    await offerForm.getByLabel("Price (ETH)").fill("0.01");
    await offerForm.getByRole("button", { name: "Publish" }).click();
    await musician.locator("section[aria-labelledby=offer-title] .tx-done").waitFor({ timeout: 120_000 });
    // The offer can be paused and sold again from "My offers" (only the changes the contract allows are offered).
    const row = musician.locator("section[aria-labelledby=my-offers] tr", { hasText: `#${workId} ${TITLE}` });
    await row.getByRole("button", { name: "Pause" }).click();
    await row.getByText("paused").waitFor({ timeout: 120_000 });
    expect(await row.getByRole("button").allInnerTexts()).to.deep.equal(["Sell again", "Withdraw for good"]);
    await row.getByRole("button", { name: "Sell again" }).click();
    await row.getByText("on sale").waitFor({ timeout: 120_000 });
    await screenshots(musician, "studio");
  });

  it("behavior: a licensee finds the work, buys a licence and opens the certificate", async () => {
    const cafe = await open(CAFE.privateKey);
    await cafe.getByRole("heading", { name: "Music and design to license" }).waitFor();
    await cafe.locator(".work-card").first().waitFor();
    await expectAccessible(cafe, "catalogue");
    await screenshots(cafe, "catalogue");
    // The fulltext search: a creator's name and the title's words, in any order.
    await cafe.getByLabel("Search", { exact: true }).fill(`Adler ${TITLE}`);
    await cafe.getByRole("button", { name: "Search" }).click();
    await cafe.getByText("1 work", { exact: true }).waitFor();
    await cafe.getByRole("link", { name: TITLE }).click();
    await cafe.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    await cafe.getByText("You may use it for streaming and download, worldwide except Iran and North Korea, for 365 days from purchase, for 0.01 ETH.").waitFor();
    await expectAccessible(cafe, "work");
    await screenshots(cafe, "work");

    await cafe.getByRole("link", { name: /License for 0\.01 ETH/ }).click();
    await cafe.getByRole("heading", { name: `License “${TITLE}”` }).waitFor();
    await connectWallet(cafe);
    await cafe.getByRole("button", { name: "Show the final price" }).click();
    await cafe.getByText(/You pay 0\.01 ETH\./).waitFor();
    await expectAccessible(cafe, "buy");
    await screenshots(cafe, "buy");
    await cafe.getByLabel("I have read the terms above.").check();
    await cafe.getByRole("button", { name: "Sign and pay" }).click();
    await cafe.waitForURL(/\/licences\/\d+\?new=1$/, { timeout: 120_000 });
    certificateUrl = cafe.url();
    await cafe.getByRole("heading", { name: new RegExp(`Licence #\\d+ for “${TITLE}”`) }).waitFor();
    // Live status: a licence starts at its block's time, which a dev chain can put a little ahead of
    // the server's clock ("starts later" until then); the certificate refreshes itself.
    await cafe.locator(".cert-head .badge").filter({ hasText: /^valid$/ }).waitFor({ timeout: 120_000 });
    expect((await cafe.locator("article").innerText()).toLowerCase()).to.contain(CAFE.address.toLowerCase());
    await cafe.locator(".qr svg").waitFor();
    verifyUrl = (await cafe.locator(".qr").getAttribute("data-url"))!;
    expect(verifyUrl).to.match(new RegExp(`^${base}/verify\\?work=${workId}&licensee=${CAFE.address}&right=Streaming&territory=GB&licence=\\d+$`, "i"));
    await expectAccessible(cafe, "certificate");
    await screenshots(cafe, "certificate");
    // The print stylesheet: no navigation on paper.
    await cafe.emulateMedia({ media: "print" });
    expect(await cafe.locator(".site-header").isVisible()).to.equal(false);
    await cafe.emulateMedia({ media: "screen" });

    await cafe.getByRole("link", { name: "My licences" }).click();
    await cafe.getByRole("link", { name: /Certificate #\d+/ }).first().waitFor();
    await expectAccessible(cafe, "my-licences");
    await screenshots(cafe, "my-licences");

    // The work's page counts the sale (the index keeps the count per currency; the API sums it).
    await gotoApp(cafe, `/works/${workId}`);
    await cafe.getByRole("heading", { name: "Licences sold: 1" }).waitFor();
    // Counts read as plurals: one licence, not "1 licences" (web/src/i18n/format-message.ts).
    await cafe.getByText("1 licence sold so far; no limit.").waitFor();
    await cafe.getByText(/ paid for 1 licence$/).waitFor();
    await screenshots(cafe, "work-sold");
  });

  it("behavior: the verify page confirms the licence from the certificate's QR link and from a CSV", async () => {
    const platform = await open(null); // no wallet: read-only pages work without one
    await platform.goto(verifyUrl);
    await platform.getByText("Yes, allowed").waitFor();
    await platform.getByText("Re-checked on the blockchain").waitFor();
    await expectAccessible(platform, "verify");
    await screenshots(platform, "verify");

    // Not allowed: the excluded country, in words.
    await platform.locator("select[name=territory]").selectOption("KP");
    await platform.getByRole("button", { name: "Check" }).click();
    await platform.getByText("No, not allowed").waitFor();
    await platform.getByText("the licence does not cover this country").waitFor();

    const csv = path.join(tmp, "checks.csv");
    fs.writeFileSync(csv, `work,licensee,right,territory\n${workId},${CAFE.address},Streaming,DE\n${workId},${CAFE.address},Sync,DE\n${workId},${MUSICIAN.address},Streaming,DE\n`);
    await platform.getByLabel("Choose a CSV file").setInputFiles(csv);
    await platform.getByText("3 rows checked, 1 allowed.").waitFor();
    const [download] = await Promise.all([platform.waitForEvent("download"), platform.getByRole("link", { name: "Download the results (CSV)" }).click()]);
    const text = fs.readFileSync((await download.path())!, "utf8");
    const rows = text.trim().split(/\r\n/);
    expect(rows[0]).to.equal("work,licensee,right,territory,at,allowed,reasons,licence,tx,block,error");
    expect(rows[1]).to.match(new RegExp(`^${workId},${CAFE.address},Streaming,DE,\\d+,true,,\\d+,0x[0-9a-f]{64},\\d+,$`, "i"));
    expect(rows[2]).to.contain(",false,RIGHT,");
    expect(rows[3]).to.contain(",false,NO_LICENCE,");
    await expectAccessible(platform, "verify-csv");

    // German, switched in the header.
    await platform.getByRole("button", { name: "DE", exact: true }).click();
    await platform.getByRole("heading", { name: "Lizenz prüfen" }).waitFor();
    expect(await platform.locator("html").getAttribute("lang")).to.equal("de");
    await screenshots(platform, "verify-de");
  });

  it("behavior: the musician sees the earnings and withdraws", async () => {
    await gotoApp(musician, "/studio");
    const earnings = musician.locator("section[aria-labelledby=earnings-title]");
    await earnings.getByRole("table").waitFor();
    await expectAccessible(musician, "studio-earnings");
    await earnings.getByRole("button", { name: "Withdraw everything" }).click();
    await earnings.locator(".tx-done").waitFor({ timeout: 120_000 });
    await earnings.getByTestId("withdrawable").first().filter({ hasText: /^0 ETH$/ }).waitFor();
    expect(await earnings.getByTestId("withdrawn").first().innerText()).to.not.equal("0 ETH");
    // The withdrawal distributed the licence's revenue: the royalties chart (the subgraph's daily
    // earnings aggregation through earningsHistory) draws today's credit.
    await earnings.getByTestId("earnings-bar").first().waitFor({ timeout: 120_000 });
    expect(await earnings.getByRole("img").first().getAttribute("aria-label")).to.match(/^Bar chart of \d+ periods? with royalties, [\d.,]+ ETH in total$/);
    await expectAccessible(musician, "studio-earnings-chart");
  });

  it("behavior: a split change with a co-creator's consent", async () => {
    const split = musician.locator("section[aria-labelledby=split-title]");
    await split.locator("select[name=work]").selectOption(workId);
    await musician.locator("#change-percent-0").waitFor();
    const first = await musician.locator("#change-account-0").inputValue();
    const mineFirst = first.toLowerCase() === MUSICIAN.address.toLowerCase();
    await musician.locator(`#change-percent-${mineFirst ? 0 : 1}`).fill("80");
    await musician.locator(`#change-percent-${mineFirst ? 1 : 0}`).fill("20");
    await split.getByRole("button", { name: "Prepare the change" }).click();
    const link = split.getByTestId("consent-link");
    await link.waitFor();
    const consentUrl = (await link.getAttribute("href"))!;

    const cowriter = await open(COWRITER.privateKey);
    await cowriter.goto(consentUrl);
    await cowriter.getByText("Your share of the income would change from 30 % to 20 %.").waitFor();
    await connectWallet(cowriter);
    await expectAccessible(cowriter, "consent");
    await cowriter.getByRole("button", { name: "Sign my consent" }).click();
    const back = cowriter.getByTestId("consent-return");
    await back.waitFor();
    const returnUrl = (await back.getAttribute("href"))!;
    await screenshots(cowriter, "consent");

    await musician.goto(returnUrl);
    await ensureConnected(musician);
    const again = musician.locator("section[aria-labelledby=split-title]");
    await again.getByText("agreed").waitFor();
    await again.getByRole("button", { name: "Apply the new split" }).click();
    await again.locator(".tx-done").waitFor({ timeout: 120_000 });

    await gotoApp(musician, `/works/${workId}`);
    await musician.getByText("Split version 2").waitFor();
    await musician.getByRole("cell", { name: "80 %" }).waitFor();
  });

  it("behavior: the work page of the demo's Midnight Ferry recording shows its verified ISRC, its composition, the GEMA mandate, each offer's revocation policy and territory map; the buy page names the layer still needed", async () => {
    const visitor = await open(null); // read-only: no wallet
    await visitor.goto(`${base}/works/1`);
    await visitor.getByRole("heading", { name: "Midnight Ferry", level: 1 }).waitFor();
    // The identifier and its verification state, in words.
    const ids = visitor.locator("section[aria-labelledby=ids]");
    await ids.getByText("verified by GB ISRC agency (demo)").waitFor();
    expect(await ids.locator("dd", { hasText: "GBTNT2600001" }).innerText()).to.contain("✓ verified by GB ISRC agency (demo)");
    // The composition it embodies, as a link to its work page, with the link's state; the society's mandate over it.
    const layers = visitor.locator("section[aria-labelledby=layers]");
    const composition = layers.locator(".layer-links").getByRole("link", { name: /^“Midnight Ferry.*” \(#2\)$/ });
    await composition.waitFor();
    expect(await composition.getAttribute("href")).to.equal("/works/2");
    await layers.getByText(/link confirmed by the composition's owner/).waitFor();
    const gema = layers.getByRole("row", { name: /GEMA/ });
    await gema.waitFor();
    const mandate = await gema.innerText();
    expect(mandate).to.contain("public performance").and.to.contain("broadcast").and.to.contain("Germany");
    // Each offer in plain words with its revocation policy, and its territory on a map named in words.
    const offers = visitor.locator("section[aria-labelledby=offers] li.offer");
    const streaming = offers.filter({ hasText: "streaming and download" });
    await streaming.getByText("Revocable by the owner only for a breach of the licence terms, with immediate effect; no refund.").waitFor();
    const sync = offers.filter({ hasText: "sync (film, video, games)" });
    await sync.getByText("Not revocable: the owner (and any later owner) cannot end your licence early.").waitFor();
    const syncMap = sync.getByRole("img", { name: /^World map of where the licence applies/ });
    await syncMap.waitFor();
    expect(await syncMap.getAttribute("aria-label")).to.equal("World map of where the licence applies: only Canada, United Kingdom, and United States.");
    expect(await streaming.getByRole("img", { name: /^World map/ }).getAttribute("aria-label")).to.equal("World map of where the licence applies: every country.");
    expect(await sync.locator("path.in").count()).to.equal(3);
    // The recording's licence covers the master only: the composition is still needed.
    await streaming.getByTestId("layer-needs").getByText(/for streaming and download you also need a licence for the composition, from its owner/).waitFor();
    await expectAccessible(visitor, "work-layers");
    await screenshots(visitor, "work-layers");

    await streaming.getByRole("link", { name: /License for 0\.01 ETH/ }).click();
    await visitor.getByRole("heading", { name: "License “Midnight Ferry”" }).waitFor();
    await visitor.getByText("Revocable by the owner only for a breach of the licence terms, with immediate effect; no refund.").first().waitFor();
    await visitor.getByTestId("layer-needs").first().getByText(/This licence covers the recording \(the master\) only/).waitFor();
    await visitor.getByRole("img", { name: "World map of where the licence applies: every country." }).waitFor();
    await expectAccessible(visitor, "buy-layers");
    await screenshots(visitor, "buy-layers");

    // The composition's page links back to its recording and lists its own mandate.
    await visitor.goto(`${base}/works/2`);
    const back = visitor.locator("section[aria-labelledby=layers] .layer-links").getByRole("link", { name: /^“Midnight Ferry” \(#1\)$/ });
    await back.waitFor();
    await visitor.locator("section[aria-labelledby=layers]").getByRole("row", { name: /GEMA/ }).waitFor();
    // Its public-performance offer excludes North Korea: the map names it.
    const performance = visitor.locator("section[aria-labelledby=offers] li.offer").filter({ hasText: "public performance" });
    expect(await performance.getByRole("img", { name: /^World map/ }).getAttribute("aria-label")).to.equal("World map of where the licence applies: every country except North Korea.");
    await expectAccessible(visitor, "work-composition");
    await screenshots(visitor, "work-composition");
  });

  it("behavior: a licensee downloads the licensed master through the wallet (SIWE), sees it in My downloads; the musician's studio records the delivery; once revoked, the download is refused in words", async () => {
    const AGENCY = accounts[7]!;
    const { createHash } = await import("node:crypto");
    const gql = async <T>(query: string): Promise<T> => ((await (await fetch(stack.apiUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) })).json()) as { data: T }).data;
    const { works } = await gql<{ works: { id: string; title: string; metadata: { audio: { cid: string; size: number; access: string } } }[] }>(`{ works(first: 50) { id title metadata } }`);
    const ferry = works.find((w) => w.title === "Midnight Ferry")!;
    expect(ferry.metadata.audio.access).to.equal("licensed");

    // The café holds the demo's streaming + download licence of Midnight Ferry (offer 1, bought for it by the platform).
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    contexts.push(context);
    const wallet = await installTestWallet(context, CAFE.privateKey, stack.rpcUrl);
    const cafe = await context.newPage();
    let token: string | null = null;
    const fileRequests: { url: string; auth: string | undefined }[] = [];
    cafe.on("request", (r) => {
      const auth = r.headers()["authorization"];
      if (r.url().includes("/delivery/tickets") && auth) token = auth.replace(/^Bearer /, "");
      if (r.url().includes("/delivery/works/") && r.url().includes("/files/")) fileRequests.push({ url: r.url(), auth });
    });
    await cafe.goto(`${base}/#apikey=${stack.apiKey}`);
    await gotoApp(cafe, "/my-licences");
    const panel = cafe.locator("[data-testid^=licence-files-]", { hasText: "master.wav" }).filter({ hasText: "Midnight Ferry" });
    const row = panel.getByTestId("licensed-file").filter({ hasText: "master.wav" });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getAttribute("data-access")).to.equal("unlocked");
    const licence = /Licence #(\d+)/.exec(await panel.getByRole("heading").innerText())![1]!;
    await expectAccessible(cafe, "my-licences-downloads");

    const [download] = await Promise.all([cafe.waitForEvent("download", { timeout: 120_000 }), row.getByRole("button", { name: "Download master.wav" }).click()]);
    expect(download.suggestedFilename()).to.equal("master.wav");
    const bytes = fs.readFileSync((await download.path())!);
    expect(wallet.calls).to.include("personal_sign");
    // The plaintext WAV with the licence stamp appended (a LIST/INFO chunk), never the ciphertext.
    expect(bytes.toString("ascii", 0, 4)).to.equal("RIFF");
    expect(bytes.readUInt32LE(4) + 8).to.equal(bytes.length);
    expect(bytes.length).to.be.greaterThan(ferry.metadata.audio.size);
    expect(bytes.toString("latin1")).to.contain(`licence ${licence}`);
    const ciphertext = Buffer.from(await (await fetch(`${base}/ipfs/${ferry.metadata.audio.cid}`)).arrayBuffer());
    expect(ciphertext.toString("ascii", 0, 8)).to.equal("TANTENC1");
    expect(bytes.subarray(0, 64).equals(ciphertext.subarray(0, 64))).to.equal(false);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await row.getByTestId("download-done").filter({ hasText: `licence #${licence}` }).waitFor();
    // The browser fetched the file itself (a plain navigation with a single-use ticket, streamed to
    // disk), not the page with its session header; the session lives in memory only.
    expect(download.url()).to.match(new RegExp(`^${base}/delivery/works/\\d+/files/${ferry.metadata.audio.cid}\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(fileRequests.filter((r) => r.auth !== undefined)).to.deep.equal([]);
    expect((await fetch(download.url())).status).to.equal(401); // spent
    expect(token).to.be.a("string");
    const stored = (await cafe.evaluate("JSON.stringify([Object.values(localStorage), Object.values(sessionStorage)])")) as string;
    expect(stored).to.not.contain(token!);

    // My downloads: the licensee's own delivery, with the hash of what was sent.
    const mine = cafe.locator("section[aria-labelledby=my-deliveries-title]");
    const record = mine.getByTestId("delivery-row").filter({ hasText: sha256 });
    await record.waitFor({ timeout: 60_000 });
    expect(await record.innerText()).to.contain(`#${licence}`);
    expect(await record.getByTestId("delivery-bytes").getAttribute("data-bytes")).to.equal(String(bytes.length));
    await expectAccessible(cafe, "my-licences-deliveries");
    await screenshots(cafe, "my-licences-downloads");
    // In German too.
    await cafe.getByRole("button", { name: "DE", exact: true }).click();
    await cafe.getByRole("heading", { name: "Dateien zum Herunterladen" }).waitFor();
    await row.getByRole("button", { name: "Herunterladen master.wav" }).waitFor();
    await cafe.getByRole("button", { name: "EN", exact: true }).click();

    // A Sync licence does not unlock the master: listed as locked, with the reason in words.
    const agency = await open(AGENCY.privateKey);
    await gotoApp(agency, "/my-licences");
    const locked = agency.locator("[data-testid^=licence-files-]", { hasText: "master.wav" }).getByTestId("licensed-file").first();
    await locked.waitFor({ timeout: 60_000 });
    expect(await locked.getAttribute("data-access")).to.equal("needs-right");
    expect(await locked.getByTestId("locked-reason").innerText()).to.equal("Locked: needs a licence with the download right.");
    expect(await locked.getByRole("button").count()).to.equal(0);

    // The musician's studio: the delivery record of Midnight Ferry's master, after signing in.
    const studio = musician ?? (await open(MUSICIAN.privateKey));
    await gotoApp(studio, "/studio");
    const deliveries = studio.locator("section[aria-labelledby=studio-deliveries-title]");
    await deliveries.getByRole("button", { name: "Sign in to see the deliveries" }).click();
    const delivered = deliveries.getByTestId("delivery-row").filter({ hasText: sha256 });
    await delivered.waitFor({ timeout: 60_000 });
    const cells = await delivered.getByRole("cell").allInnerTexts();
    expect(cells[1]).to.equal("Midnight Ferry");
    expect(cells[2]).to.contain("master.wav");
    expect(cells[3]).to.equal(`#${licence}`);
    expect(await delivered.locator(".address").getAttribute("title")).to.equal(CAFE.address);
    expect(await deliveries.getByRole("columnheader").allInnerTexts()).to.deep.equal(["When", "Work", "File", "Licence", "Received by", "Sent", "Fingerprint (SHA-256)"]);
    await expectAccessible(studio, "studio-deliveries");
    await deliveries.screenshot({ path: path.join(ARTIFACTS, "studio-deliveries-section.png") });
    await screenshots(studio, "studio-deliveries");

    // The co-writer owns no part of Midnight Ferry but its split pays them a share: a rights
    // holder too, their studio shows the same delivery.
    const cowriter = await open(COWRITER.privateKey);
    await gotoApp(cowriter, "/studio");
    const theirs = cowriter.locator("section[aria-labelledby=studio-deliveries-title]");
    await theirs.getByRole("button", { name: "Sign in to see the deliveries" }).click();
    const seen = theirs.getByTestId("delivery-row").filter({ hasText: sha256 });
    await seen.waitFor({ timeout: 60_000 });
    expect((await seen.getByRole("cell").allInnerTexts())[1]).to.equal("Midnight Ferry");
    expect(await seen.locator(".address").getAttribute("title")).to.equal(CAFE.address);

    // The musician revokes the licence (its terms allow it for a breach); the café's page still
    // offers the download, and the service's refusal reads in words.
    const { ethers } = await import("ethers");
    const prepared = (await (
      await fetch(stack.apiUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${stack.apiKey}` },
        body: JSON.stringify({ query: `mutation { prepareRevocation(from: "${MUSICIAN.address}", licence: "${licence}", reason: Breach) { transactions { to data value } } }` }),
      })
    ).json()) as { data: { prepareRevocation: { transactions: { to: string; data: string; value: string }[] } } };
    const owner = new ethers.Wallet(MUSICIAN.privateKey, new ethers.JsonRpcProvider(stack.rpcUrl, 31337, { staticNetwork: true }));
    for (const tx of prepared.data.prepareRevocation.transactions) await (await owner.sendTransaction({ to: tx.to, data: tx.data, value: BigInt(tx.value) })).wait();
    for (let i = 0; ; i++) {
      const { licence: l } = await gql<{ licence: { status: string } }>(`{ licence(id: "${licence}") { status } }`);
      if (l.status === "Revoked") break;
      if (i > 240) throw new Error(`licence ${licence} is still ${l.status} in the index`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await row.getByRole("button", { name: "Download master.wav" }).click();
    const refusal = row.getByRole("alert");
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.getAttribute("data-code")).to.equal("LICENCE_REVOKED");
    expect(await refusal.innerText()).to.equal("Your licence was revoked, so its files can no longer be downloaded.");
    await expectAccessible(cafe, "my-licences-refused");
  });

  it("behavior: a registrar resolves a dispute by moving an unverified upload's ISRC to the musician's work; both work pages say the identifier is disputed", async () => {
    const REGISTRAR = accounts[8]!;
    const ISRC = "USX9P2600077"; // the demo's unverified bedroom upload holds it
    const gql = async <T>(query: string, auth = false): Promise<T> => {
      const res = await fetch(stack.apiUrl, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${stack.apiKey}` } : {}) }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { data: T; errors?: unknown };
      expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
      return body.data;
    };
    const { work: holder } = await gql<{ work: { id: string; verified: boolean } }>(`{ work(isrc: "${ISRC}") { id verified } }`);
    expect(holder.verified).to.equal(false);
    const reason = "The ISRC was issued for Lene Adler's recording; the upload claimed it by mistake";
    const { prepareIdentifierReassignment: prepared } = await gql<{ prepareIdentifierReassignment: { transactions: { to: string; data: string; value: string }[] } }>(
      `mutation { prepareIdentifierReassignment(from: "${REGISTRAR.address}", kind: SoundRecording, identifier: "${ISRC}", toWork: "${workId}", reason: ${JSON.stringify(reason)}) { transactions { to data value } } }`,
      true,
    );
    const { ethers } = await import("ethers");
    const registrar = new ethers.Wallet(REGISTRAR.privateKey, new ethers.JsonRpcProvider(stack.rpcUrl, 31337, { staticNetwork: true }));
    for (const tx of prepared.transactions) await (await registrar.sendTransaction({ to: tx.to, data: tx.data, value: BigInt(tx.value) })).wait();
    for (let i = 0; ; i++) {
      const { work } = await gql<{ work: { id: string } | null }>(`{ work(isrc: "${ISRC}") { id } }`);
      if (work?.id === workId) break;
      if (i > 240) throw new Error(`the index still has ${ISRC} on work ${work?.id}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // The musician's work now holds the ISRC, verified by the registrar who moved it — and disputed.
    const visitor = await open(null);
    await visitor.goto(`${base}/works/${workId}`);
    await visitor.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
    const ids = visitor.locator("section[aria-labelledby=ids]");
    const held = ids.locator("dd", { hasText: ISRC }).first();
    await held.getByText("disputed: a registrar moved this identifier (see below)").waitFor();
    expect(await held.innerText()).to.contain("✓ verified by GB ISRC agency (demo)");
    const line = ids.locator("dd li", { hasText: reason });
    await line.waitFor();
    expect(await line.innerText()).to.match(new RegExp(`: a registrar moved ${ISRC} from work #${holder.id} to work #${workId}\\. Reason: “${reason}”\\.$`));
    await expectAccessible(visitor, "work-disputed");
    await screenshots(visitor, "work-disputed");

    // The upload it was taken from says so too, and no longer claims it.
    await visitor.goto(`${base}/works/${holder.id}`);
    await visitor.getByRole("heading", { name: "Harbour Lights (bedroom demo)", level: 1 }).waitFor();
    const lost = visitor.locator("section[aria-labelledby=ids] dd", { hasText: ISRC }).first();
    await lost.getByText("disputed: a registrar moved this identifier (see below)").waitFor();
    expect(await visitor.locator("section[aria-labelledby=ids] dt", { hasText: "Identifier taken away" }).count()).to.equal(1);
    expect(await visitor.locator("section[aria-labelledby=ids] dt", { hasText: /^ISRC$/ }).count()).to.equal(0);
    // In German too.
    await visitor.getByRole("button", { name: "DE", exact: true }).click();
    await visitor.locator("section[aria-labelledby=ids]").getByText(/strittig: eine Registrierungsstelle/).first().waitFor();
    await expectAccessible(visitor, "work-identifier-lost");
  });
});
