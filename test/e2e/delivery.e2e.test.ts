/**
 * Licensed delivery on the demo stack as `npm start` seeds it (README step 6): Midnight Ferry's
 * master is a licensed file. The ad agency holds only a Sync licence for it, which does not unlock the master, and is refused; it
 * buys the streaming + download offer and downloads the master, stamped with its licence; after
 * the musician revokes that licence it is refused again. Everyone can fetch the public preview;
 * the master's CID serves only ciphertext. All through the CLI, nothing mocked.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { demoAccounts } from "../../scripts/stack/seed";
import { startStackProcess, type RunningStack } from "./helpers/stack";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const accounts = demoAccounts();
const MUSICIAN = accounts[1]!;
const AGENCY = accounts[7]!;

describe("e2e: licensed delivery on the demo catalogue (npm start)", function () {
  this.timeout(900_000);
  let stack: RunningStack;
  let ferry: { id: string; master: string; preview: string; downloadOffer: string };

  async function cli(args: string[], key: string): Promise<{ code: number; json: Record<string, any> }> {
    try {
      const { stdout } = await exec(process.execPath, [path.join(ROOT, "scripts/cli/bin.js"), "--json", "--api", stack.apiUrl, "--rpc", stack.rpcUrl, ...args], {
        env: { ...process.env, TANTIEME_API_KEY: stack.apiKey, TANTIEME_PRIVATE_KEY: key },
      });
      return { code: 0, json: JSON.parse(stdout) };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, json: JSON.parse(e.stdout) };
    }
  }

  before(async () => {
    stack = await startStackProcess({ seed: true, timeoutMs: 900_000 });
    const query = async <T>(q: string): Promise<T> => {
      const res = await fetch(stack.apiUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: q }) });
      return ((await res.json()) as { data: T }).data;
    };
    // The seed's last transactions may still be indexing: wait until the index reaches the RPC head
    // (the stack test's timeout bounds a busy machine).
    for (;;) {
      const { indexingStatus: s } = await query<{ indexingStatus: { latestBlock: number | null; rpcHead: number | null } }>(`{ indexingStatus { latestBlock rpcHead } }`);
      if (s.latestBlock !== null && s.rpcHead !== null && s.latestBlock >= s.rpcHead) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const data = await query<{ works: { id: string; title: string; metadata: any; offers: { id: string; rights: string[] }[] }[] }>(`{ works(first: 20) { id title metadata offers { id rights } } }`);
    const work = data.works.find((w) => w.title === "Midnight Ferry")!;
    ferry = {
      id: work.id,
      master: work.metadata.audio.cid,
      preview: work.metadata.preview.cid,
      downloadOffer: work.offers.find((o) => o.rights.includes("Download"))!.id,
    };
    expect(work.metadata.audio).to.deep.include({ access: "licensed", unlockedBy: ["Download"] });
  });
  after(async () => stack?.stop());

  it("default: the preview is public; the master's CID holds only ciphertext", async () => {
    const origin = new URL(stack.apiUrl).origin;
    const preview = Buffer.from(await (await fetch(`${origin}/ipfs/${ferry.preview}`)).arrayBuffer());
    expect(preview.toString("ascii", 0, 4)).to.equal("RIFF");
    const master = Buffer.from(await (await fetch(`${origin}/ipfs/${ferry.master}`)).arrayBuffer());
    expect(master.length).to.be.greaterThan(0);
    expect(master.toString("ascii", 0, 4)).to.not.equal("RIFF");
  });

  it("behavior: refused before buying, downloads after buying (stamped with the licence), refused after revocation", async () => {
    const dir = fs.mkdtempSync(path.join(stack.dataDir, "downloads-"));
    const out = path.join(dir, "midnight-ferry.wav");

    const before = await cli(["download", ferry.id, ferry.master, "--out", out], AGENCY.privateKey);
    expect(before.code, JSON.stringify(before.json)).to.equal(2);
    expect(before.json.error.code, "its Sync licence does not unlock the master").to.equal("LICENCE_WRONG_RIGHT");
    expect(fs.existsSync(out)).to.equal(false);

    const bought = await cli(["buy", ferry.downloadOffer], AGENCY.privateKey);
    expect(bought.code, JSON.stringify(bought.json)).to.equal(0);
    const licence = bought.json.licenceId as string;

    const got = await cli(["download", ferry.id, ferry.master, "--out", out], AGENCY.privateKey);
    expect(got.code, JSON.stringify(got.json)).to.equal(0);
    expect(got.json).to.include({ file: out, licence, stamp: "wav-list-info" });
    const bytes = fs.readFileSync(out);
    expect(bytes.toString("ascii", 0, 4)).to.equal("RIFF");
    expect(bytes.toString("latin1")).to.contain(`licence ${licence}`);

    const revoked = await cli(["revoke", licence, "--reason", "Breach"], MUSICIAN.privateKey);
    expect(revoked.code, JSON.stringify(revoked.json)).to.equal(0);
    const after = await cli(["download", ferry.id, ferry.master, "--out", path.join(dir, "again.wav")], AGENCY.privateKey);
    expect(after.code).to.equal(2);
    expect(after.json.error.code).to.equal("LICENCE_REVOKED");
  });
});
