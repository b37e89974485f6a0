/**
 * `npm run bench:web:catalogue`: does the catalogue render 1,000 works smoothly?
 *
 * 1. The real stack (`npm start --no-seed`, free ports, a temporary data folder) gets WORKS works
 *    (default 1,000): each a small metadata.json with a title, a creator and a cover PNG added to
 *    the stack's own IPFS store, registered on the chain by ordinary signed `register`
 *    transactions from five demo accounts (every tenth work also gets an ETH offer), then indexed
 *    by the subgraph like anything else. BENCH_STACK=<file with {apiUrl, rpcUrl, apiKey, dataDir}>
 *    reuses a running stack (seeded if it has fewer works).
 * 2. Debian's Chromium (playwright-core) opens the catalogue at a desktop size and records:
 *    - first_card_ms: navigation start → the first card in the DOM;
 *    - all_cards_ms: navigation start → all works' cards in the DOM, the way a visitor gets there
 *      (scrolling to the end of the list over and over; a "Show more works" button is pressed
 *      when the list does not load more by itself);
 *    - long tasks (PerformanceObserver 'longtask', ≥ 50 ms) while loading and while scrolling;
 *    - a scripted scroll through the whole list with all cards loaded (a fixed step per animation
 *      frame): frame intervals (p50, p95, max), frames over 50 ms, effective fps;
 *    - DOM nodes, JS heap.
 * Results: bench/results/web-catalogue.json, with the machine's load before and after.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "ethers";
import { CID } from "multiformats/cid";
import { EmbeddedContentStore } from "../../core/content";
import { readDeploymentFile } from "../../core/deployment";
import { rightsToMask } from "../../core/domain/rights";
import { countriesToBytes2 } from "../../core/domain/territory";
import { renderPng } from "../../scripts/stack/demo-media";
import { demoAccounts } from "../../scripts/stack/seed";
import { Licensing__factory, Works__factory } from "../../typechain-types";
import { startStackProcess } from "../../test/e2e/helpers/stack";
import { launchChromium } from "../../test/web/helpers/browser";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKS = Number(process.env.WORKS ?? 1000);
const OUT = process.env.BENCH_OUT ?? path.join(ROOT, "bench", "results", "web-catalogue.json");
const log = (line: string) => process.stdout.write(line + "\n");
const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").trim();

interface Stack {
  apiUrl: string;
  rpcUrl: string;
  apiKey: string;
  dataDir: string;
  stop(): Promise<unknown>;
}

async function graphql<T>(stack: Stack, query: string): Promise<T> {
  const res = await fetch(stack.apiUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${stack.apiKey}` }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`API: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Works indexed so far (the API pages by 100 at most). */
async function indexedWorks(stack: Stack): Promise<number> {
  let n = 0;
  for (let skip = 0; ; skip += 100) {
    const { works } = await graphql<{ works: { id: string }[] }>(stack, `{ works(first: 100, skip: ${skip}) { id } }`);
    n += works.length;
    if (works.length < 100) return n;
  }
}

async function seed(stack: Stack, count: number): Promise<{ seconds: number; transactions: number }> {
  const started = Date.now();
  const deployment = readDeploymentFile(path.join(stack.dataDir, "ignition", "deployments", "chain-31337", "deployed_addresses.json"));
  const store = await EmbeddedContentStore.open(path.join(stack.dataDir, "ipfs"));
  const provider = new ethers.JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, pollingInterval: 100 });
  const accounts = demoAccounts();
  const owners = [1, 2, 3, 4, 9].map((i) => new ethers.NonceManager(new ethers.Wallet(accounts[i]!.privateKey, provider)));
  const works = Works__factory.connect(deployment.works.address, provider);
  const licensing = Licensing__factory.connect(deployment.licensing.address, provider);
  const covers = new Map<number, string>();
  const words = ["Elbe", "Harbour", "Lantern", "Ferry", "Night", "Tide", "Linden", "Pleiße", "Saxon", "Neon", "Velvet", "Copper"];
  let transactions = 0;
  const queues: Promise<unknown>[] = owners.map(() => Promise.resolve());
  const BATCH = 100;
  for (let start = 0; start < count; start += BATCH) {
    const pending: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const hue = (i * 37) % 360;
      if (!covers.has(hue)) covers.set(hue, (await store.add(renderPng(96, 96, hue))).cid.toString());
      const kind = i % 3 === 2 ? "design" : "sound-recording";
      const title = `${words[i % words.length]} ${words[(i * 7 + 3) % words.length]} ${i + 1}`;
      const metadata =
        kind === "design"
          ? { schemaVersion: "1.0.0", kind, title, creators: [{ name: `Designer ${i % 40}` }], files: [{ cid: covers.get(hue), path: "cover.png", mimeType: "image/png" }] }
          : { schemaVersion: "1.0.0", kind, title, artists: [{ name: `Band ${i % 50}` }], durationMs: 1000, audio: { cid: covers.get(hue), path: "master.wav", mimeType: "audio/wav" }, artwork: { cid: covers.get(hue), path: "cover.png", mimeType: "image/png" } };
      const { cid } = await store.add(Buffer.from(JSON.stringify(metadata)));
      const owner = owners[i % owners.length]!;
      const address = accounts[[1, 2, 3, 4, 9][i % owners.length]!]!.address;
      // One sender per account, in nonce order (an automining node refuses a nonce from the future).
      const send = <T>(k: number, f: () => Promise<T>): Promise<T> => {
        const p = queues[k]!.then(f);
        queues[k] = p.catch(() => undefined);
        return p;
      };
      const k = i % owners.length;
      pending.push(
        (async () => {
          const tx = await send(k, () => works.connect(owner).register(kind === "design" ? 2 : 0, CID.parse(cid.toString()).bytes, ethers.ZeroHash.slice(0, 26), { recipients: [address], shares: [10_000] }));
          const receipt = await tx.wait();
          transactions++;
          if (i % 10 !== 0) return;
          const event = receipt!.logs.map((l) => works.interface.parseLog(l)).find((e) => e?.name === "WorkRegistered");
          const offer = await send(k, () =>
            licensing.connect(owner).createOffer({
              workId: event!.args.workId as bigint,
              rights: rightsToMask(["Streaming", "Download"]),
              territoryMode: 0,
              countries: countriesToBytes2([]),
              duration: 365 * 86_400,
              startDate: 0,
              price: ethers.parseEther("0.01") + BigInt(i) * 10n ** 14n,
              currency: ethers.ZeroAddress,
              cap: 0,
              exclusive: false,
              transferable: false,
              revocableFor: 0,
              noticePeriod: 0,
              uri: "",
            }),
          );
          await offer.wait();
          transactions++;
        })(),
      );
    }
    await Promise.all(pending);
    log(`  seeded ${Math.min(count, start + BATCH)} / ${count} works`);
  }
  await store.close();
  return { seconds: (Date.now() - started) / 1000, transactions };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const loadBefore = loadavg();
  log(`load before: ${loadBefore}`);
  let stack: Stack;
  if (process.env.BENCH_STACK) {
    stack = { ...(JSON.parse(fs.readFileSync(process.env.BENCH_STACK, "utf8")) as Omit<Stack, "stop">), stop: async () => null };
  } else {
    log("starting the stack (npm start --no-seed)…");
    const owned = await startStackProcess({ seed: false, timeoutMs: 900_000 });
    // The stack's temporary data folder goes with it.
    stack = { ...owned, stop: async () => { await owned.stop(); fs.rmSync(owned.dataDir, { recursive: true, force: true }); } };
  }
  const base = stack.apiUrl.replace(/\/graphql$/, "");
  try {
    let have = await indexedWorks(stack);
    let seeding: { seconds: number; transactions: number } | null = null;
    if (have < WORKS) {
      log(`registering ${WORKS - have} works…`);
      seeding = await seed(stack, WORKS - have);
      const deadline = Date.now() + 600_000;
      while ((have = await indexedWorks(stack)) < WORKS) {
        if (Date.now() > deadline) throw new Error(`only ${have} of ${WORKS} works indexed after 10 minutes`);
        await new Promise((r) => setTimeout(r, 2000));
      }
      log(`registered in ${seeding.seconds.toFixed(0)} s, then indexed`);
    }
    const total = have;

    const browser = await launchChromium();
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    // Long tasks from the very start of the page (buffered), tagged with the phase they fall in.
    await context.addInitScript(() => {
      const w = window as unknown as { __long: { start: number; duration: number }[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    const page = await context.newPage();
    page.on("pageerror", (err) => log(`  page error: ${err.message}`));
    await page.goto(`${base}/#apikey=${stack.apiKey}`);
    await page.locator(".work-card").first().waitFor({ timeout: 120_000 });
    const firstCardMs = (await page.evaluate("performance.now()")) as number;
    const firstPaint = (await page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")) as number | null;

    // Scroll to the end again and again until every work's card is in the DOM.
    const more = page.getByRole("button", { name: "Show more works" });
    let cards = 0;
    let buttonPresses = 0;
    let stalled = 0;
    const loadDeadline = Date.now() + 600_000;
    while ((cards = await page.locator(".work-card").count()) < total) {
      if (Date.now() > loadDeadline) throw new Error(`only ${cards} of ${total} cards after 10 minutes`);
      await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)");
      await page.waitForTimeout(150);
      const now = await page.locator(".work-card").count();
      if (now > cards) {
        stalled = 0;
        continue;
      }
      if (++stalled >= 3 && (await more.isVisible()) && (await more.isEnabled())) {
        await more.click();
        buttonPresses++;
        stalled = 0;
      }
    }
    const allCardsMs = (await page.evaluate("performance.now()")) as number;
    const loadLong = (await page.evaluate("window.__long.slice()")) as { start: number; duration: number }[];

    // A scripted scroll from top to bottom: a fixed step per animation frame, frame intervals recorded.
    await page.evaluate("window.scrollTo(0, 0)");
    await page.waitForTimeout(1000);
    const longBefore = ((await page.evaluate("window.__long.length")) as number);
    const scroll = (await page.evaluate(`new Promise((resolve) => {
      const step = 60;
      const frames = [];
      let last = performance.now();
      const end = document.documentElement.scrollHeight - window.innerHeight;
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (window.scrollY >= end - 1) return resolve({ frames, height: document.documentElement.scrollHeight });
        window.scrollBy(0, step);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
    })`)) as { frames: number[]; height: number };
    const scrollLong = ((await page.evaluate("window.__long.slice()")) as { start: number; duration: number }[]).slice(longBefore);
    const dom = (await page.evaluate("document.getElementsByTagName('*').length")) as number;
    const heap = (await page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")) as number | null;
    await browser.close();

    const frames = scroll.frames.slice(1).sort((a, b) => a - b);
    const sumLong = (l: { duration: number }[]) => round(l.reduce((n, t) => n + t.duration, 0));
    const result = {
      works: total,
      seeding: seeding && { seconds: round(seeding.seconds), transactions: seeding.transactions },
      first_contentful_paint_ms: firstPaint && round(firstPaint),
      first_card_ms: round(firstCardMs),
      all_cards_ms: round(allCardsMs),
      more_button_presses: buttonPresses,
      loading_long_tasks: { count: loadLong.length, total_ms: sumLong(loadLong), max_ms: round(Math.max(0, ...loadLong.map((t) => t.duration))) },
      scroll: {
        page_height_px: scroll.height,
        frames: frames.length,
        frame_ms_p50: round(percentile(frames, 50)),
        frame_ms_p95: round(percentile(frames, 95)),
        frame_ms_max: round(frames[frames.length - 1] ?? NaN),
        frames_over_50ms: frames.filter((f) => f > 50).length,
        fps: round(1000 / (frames.reduce((n, f) => n + f, 0) / frames.length)),
        long_tasks: { count: scrollLong.length, total_ms: sumLong(scrollLong), max_ms: round(Math.max(0, ...scrollLong.map((t) => t.duration))) },
      },
      dom_elements: dom,
      js_heap_mb: heap && round(heap / 1024 / 1024),
      browser: "Debian Chromium, headless, --disable-gpu, 1280×800",
      machine: `${os.cpus().length} cores, shared: a test loop with a CPU-heavy job ran beside the benchmark`,
      loadavg_before: loadBefore,
      loadavg_after: loadavg(),
      measured_at: new Date().toISOString(),
    };
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
    log(JSON.stringify(result, null, 2));
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
