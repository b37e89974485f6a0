/**
 * The web app's static route (server/src/plugins/useRoutes.ts createWebApp) over a temp folder,
 * and the CSV reading/writing of the verify page (web/src/lib/csv.ts).
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createWebApp } from "../../server/src/plugins/useRoutes";
import { parseCsv, toCsv } from "../../web/src/lib/csv";

describe("web: static route", () => {
  let dir: string;
  let web: ReturnType<typeof createWebApp>;
  const get = (p: string, method = "GET") => web(p, new Request(`http://x${p}`, { method }));

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-webdist-"));
    fs.mkdirSync(path.join(dir, "assets"));
    fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>app</title>");
    fs.writeFileSync(path.join(dir, "assets", "index-abc.js"), "console.log(1)");
    fs.writeFileSync(path.join(dir, "assets", "index-abc.css"), "body{}");
    fs.writeFileSync(path.join(os.tmpdir(), "tantieme-secret.txt"), "secret");
    web = createWebApp(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("default: / is index.html, never cached, with a Content-Security-Policy", async () => {
    const res = (await get("/"))!;
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).to.equal("no-cache");
    expect(res.headers.get("content-security-policy")).to.contain("default-src 'self'");
    expect(await res.text()).to.contain("<title>app</title>");
  });

  it("behavior: app paths without a file extension fall back to index.html", async () => {
    for (const p of ["/works/5", "/licences/12", "/verify", "/studio"]) {
      const res = (await get(p))!;
      expect(res.status, p).to.equal(200);
      expect(await res.text()).to.contain("<title>app</title>");
    }
  });

  it("behavior: hashed assets have their content type and are immutable", async () => {
    const js = (await get("/assets/index-abc.js"))!;
    expect(js.headers.get("content-type")).to.equal("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(js.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(await js.text()).to.equal("console.log(1)");
    expect((await get("/assets/index-abc.css"))!.headers.get("content-type")).to.equal("text/css; charset=utf-8");
    const head = (await get("/assets/index-abc.js", "HEAD"))!;
    expect(head.status).to.equal(200);
    expect(await head.text()).to.equal("");
  });

  it("error: a missing file is left to the server's 404, never index.html", async () => {
    expect(await get("/assets/missing.js")).to.equal(null);
    expect(await get("/favicon.ico")).to.equal(null);
  });

  it("error: paths never leave the folder", async () => {
    expect(await get("/../tantieme-secret.txt")).to.equal(null);
    expect(await get("/%2e%2e/tantieme-secret.txt")).to.equal(null);
    expect(await get("/assets/%2e%2e/%2e%2e/tantieme-secret.txt")).to.equal(null);
  });

  it("error: before the app is built, app paths say how to build it (503)", async () => {
    const empty = createWebApp(path.join(dir, "nothing-here"));
    const res = (await empty("/", new Request("http://x/")))!;
    expect(res.status).to.equal(503);
    expect(await res.text()).to.contain("npm run web:build");
  });
});

describe("web: CSV of the verify page", () => {
  it("default: reads quoted fields, doubled quotes, CRLF and blank lines", () => {
    expect(parseCsv('work,licensee\r\n"5","0xab"\n\n"a ""b""",c\n')).to.deep.equal([["work", "licensee"], ["5", "0xab"], ['a "b"', "c"]]);
  });
  it("behavior: writes what it reads", () => {
    const rows = [["a,b", 'say "hi"', null, true, 3]] as const;
    expect(parseCsv(toCsv(rows))).to.deep.equal([["a,b", 'say "hi"', "", "true", "3"]]);
  });
});
