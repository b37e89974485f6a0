import { expect } from "chai";
import { createContentStore, type ContentStore } from "../../core/content";
import { createGatewayHandler, type GatewayHandler } from "../../server/src/ipfs/gateway";
import { pseudoRandomBytes, tempDir } from "../core/content/helpers/bytes";

const BASE = "http://localhost";

describe("ipfs: gateway handler", () => {
  let store: ContentStore;
  let gateway: GatewayHandler;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let big: Uint8Array;
  let bigCid: string;
  let pngCid: string;
  let svgCid: string;
  let textCid: string;
  before(async () => {
    tmp = await tempDir("gateway");
    store = await createContentStore({ kind: "embedded", dir: tmp.dir });
    gateway = createGatewayHandler(store);
    big = pseudoRandomBytes(700_000, 99);
    bigCid = (await store.add(big)).cid.toString();
    pngCid = (await store.add(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]))).cid.toString();
    svgCid = (await store.add(new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).cid.toString();
    textCid = (await store.add(new TextEncoder().encode("hello world\n"))).cid.toString();
  });
  after(async () => {
    await store.close();
    await tmp.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => gateway(new Request(`${BASE}${path}`, { method, headers }));

  it("default: serves a file with content type, ETag, immutable caching, length", async () => {
    const res = await get(`/ipfs/${pngCid}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("image/png");
    expect(res.headers.get("etag")).to.equal(`"${pngCid}"`);
    expect(res.headers.get("cache-control")).to.contain("immutable");
    expect(res.headers.get("accept-ranges")).to.equal("bytes");
    expect(res.headers.get("content-length")).to.equal("48");
    expect(new Uint8Array(await res.arrayBuffer()).length).to.equal(48);
    const text = await get(`/ipfs/${textCid}/`);
    expect(text.headers.get("content-type")).to.equal("text/plain; charset=utf-8");
    expect(await text.text()).to.equal("hello world\n");
    const all = new Uint8Array(await (await get(`/ipfs/${bigCid}`)).arrayBuffer());
    expect(Buffer.from(all).equals(Buffer.from(big))).to.equal(true);
  });

  it("behavior: SVG is served sandboxed (no script in the API origin)", async () => {
    const res = await get(`/ipfs/${svgCid}`);
    expect(res.headers.get("content-type")).to.equal("image/svg+xml; charset=utf-8");
    expect(res.headers.get("content-security-policy")).to.contain("sandbox");
    expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
  });

  it("behavior: ranges — a-b across chunks, a-, suffix, 416, multi-range ignored", async () => {
    let res = await get(`/ipfs/${bigCid}`, { Range: "bytes=262000-263999" });
    expect(res.status).to.equal(206);
    expect(res.headers.get("content-range")).to.equal(`bytes 262000-263999/700000`);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(big.subarray(262_000, 264_000)))).to.equal(true);
    res = await get(`/ipfs/${bigCid}`, { Range: "bytes=699990-" });
    expect(res.headers.get("content-length")).to.equal("10");
    res = await get(`/ipfs/${bigCid}`, { Range: "bytes=-5" });
    expect(res.headers.get("content-range")).to.equal("bytes 699995-699999/700000");
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(big.subarray(699_995)))).to.equal(true);
    res = await get(`/ipfs/${bigCid}`, { Range: "bytes=700000-" });
    expect(res.status).to.equal(416);
    expect(res.headers.get("content-range")).to.equal("bytes */700000");
    res = await get(`/ipfs/${bigCid}`, { Range: "bytes=0-1,5-6" });
    expect(res.status).to.equal(200);
    res = await get(`/ipfs/${bigCid}`, { Range: "bytes=0-9", "If-Range": '"QmOther"' });
    expect(res.status).to.equal(200);
  });

  it("behavior: If-None-Match → 304; HEAD has headers and no body", async () => {
    const res = await get(`/ipfs/${pngCid}`, { "If-None-Match": `W/"x", "${pngCid}"` });
    expect(res.status).to.equal(304);
    expect(res.headers.get("etag")).to.equal(`"${pngCid}"`);
    const head = await get(`/ipfs/${bigCid}`, {}, "HEAD");
    expect(head.status).to.equal(200);
    expect(head.headers.get("content-length")).to.equal("700000");
    expect((await head.arrayBuffer()).byteLength).to.equal(0);
  });

  it("error: bad CID → 400, absent → 404, other methods → 405", async () => {
    expect((await get("/ipfs/not-a-cid")).status).to.equal(400);
    expect((await get("/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")).status).to.equal(404);
    const post = await get(`/ipfs/${pngCid}`, {}, "POST");
    expect(post.status).to.equal(405);
    expect(post.headers.get("allow")).to.equal("GET, HEAD");
  });

  it("error: paths outside the store are refused (traversal, other prefixes, sub-paths)", async () => {
    expect((await get("/ipns/example.com")).status).to.equal(404);
    expect((await get("/etc/passwd")).status).to.equal(404);
    expect((await get(`/ipfs/${pngCid}/../../etc/passwd`)).status).to.not.equal(200);
    expect((await gateway(new Request(`${BASE}/ipfs/%2e%2e/%2e%2e/etc/passwd`))).status).to.be.oneOf([400, 404]);
    expect((await get(`/ipfs/${pngCid}/%2e%2e`)).status).to.be.oneOf([400, 404]);
    expect((await get(`/ipfs/${pngCid}/..%2fsecret`)).status).to.equal(400);
    expect((await get(`/ipfs/${pngCid}/child`)).status).to.equal(404);
    expect((await get("/ipfs/%E0%A4%A")).status).to.equal(400);
  });
});
