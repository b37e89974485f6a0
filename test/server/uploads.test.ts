/**
 * UPLOAD_DIR: the API keeps in-flight uploads in a folder it owns, each request's folder named for
 * its process, and sweeps at start the folders of processes that died mid-upload. The crash case
 * runs the real API in a child process and kills it with SIGKILL while a body streams in.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { expect } from "chai";
import { generateApiKey } from "../../server/src/auth/keys";
import { ConfigError } from "../../server/src/config";
import { startApiServer } from "../../server/src/main";
import { makeUploadFolder, prepareUploadDir, processAlive, UploadDirError, uploadFolderOwner } from "../../server/src/uploadDir";

const ROOT = path.resolve(__dirname, "..", "..");

interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Starts test/server/helpers/api-process.ts with `env`; resolves once it listens. */
async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "helpers", "api-process.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  readline.createInterface({ input: child.stderr! }).on("line", (l) => output.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      output.push(line);
      const m = /^listening (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`the API process exited (${code}) before listening:\n${output.join("\n")}`)));
  });
  return { child, url, output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  expect(processAlive(r.pid!)).to.equal(false);
  return r.pid!;
}

describe("server/uploads: UPLOAD_DIR and the stale-upload sweep", function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "tantieme-uploads-test-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("behavior: an API killed with SIGKILL mid-upload leaves its folder; the next start sweeps it and nothing else", async function () {
    this.timeout(900_000); // two API processes start (ts-node): minutes when the cores are busy
    const uploads = path.join(dir, "uploads");
    const writer = generateApiKey("uploader", ["write"]);
    const env = {
      HOST: "127.0.0.1",
      PORT: "0",
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      // Nothing is called upstream: the body is cut before any resolver runs.
      RPC_URL: "http://127.0.0.1:9",
      SUBGRAPH_URL: "http://127.0.0.1:9/subgraphs/name/none",
      IPFS_DIR: path.join(dir, "ipfs"),
      UPLOAD_DIR: uploads,
      // Multipart bodies are refused before they are read unless the key has the write scope.
      API_KEYS: JSON.stringify([writer.record]),
    };
    const first = await startApiProcess(env);
    const firstPid = first.child.pid!;
    let req: http.ClientRequest | undefined;
    let feeder: NodeJS.Timeout | undefined;
    try {
      // A multipart upload that streams slowly and never ends.
      const boundary = "----tantieme-crash";
      const operations = { query: "mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid } }", variables: { input: { from: "0x0", metadata: "{}", files: [null], split: [] } } };
      req = http.request(`${first.url}/graphql`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "x-api-key": writer.key } });
      req.on("error", () => {}); // the server dies under it
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(operations)}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ["variables.input.files.0"] })}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 7);
      feeder = setInterval(() => req!.write(chunk), 20);
      // Its folder, named for the first process, fills up…
      const spooled = () =>
        fs.existsSync(uploads) &&
        fs.readdirSync(uploads).some((n) => uploadFolderOwner(n) === firstPid && fs.existsSync(path.join(uploads, n, "0")) && fs.statSync(path.join(uploads, n, "0")).size >= 256 * 1024);
      await until("the upload to reach the disk", spooled);
      // …and the process dies mid-stream.
      first.child.kill("SIGKILL");
      expect(await first.exited).to.equal("SIGKILL");
    } finally {
      clearInterval(feeder);
      req?.destroy();
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
    }
    const left = fs.readdirSync(uploads).filter((n) => uploadFolderOwner(n) === firstPid);
    expect(left, "the killed process's upload folder is still there").to.have.length(1);
    expect(left[0]).to.match(new RegExp(`^tantieme-multipart-${firstPid}-`));

    // Beside it: a folder of a live process (this one), and files that are not upload folders.
    const live = fs.mkdtempSync(path.join(uploads, `tantieme-multipart-${process.pid}-`));
    fs.writeFileSync(path.join(uploads, "notes.txt"), "kept");
    fs.mkdirSync(path.join(uploads, "tantieme-multipart-other"));

    const second = await startApiProcess(env);
    try {
      expect(fs.readdirSync(uploads).sort()).to.deep.equal([path.basename(live), "notes.txt", "tantieme-multipart-other"].sort());
      const warning = second.output.map((l) => { try { return JSON.parse(l); } catch { return null; } }).find((l) => l?.swept);
      expect(warning, second.output.join("\n")).to.deep.include({ uploadDir: uploads, swept: left });
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });

  it("behavior: prepareUploadDir sweeps dead processes' folders (both kinds) and this pid's older ones, keeps live ones", async function () {
    const dead = deadPid();
    const stale = [`tantieme-multipart-${dead}-a1`, `tantieme-upload-${dead}-b2`];
    for (const n of stale) {
      fs.mkdirSync(path.join(dir, n));
      fs.writeFileSync(path.join(dir, n, "0"), "partial");
    }
    // Left by an earlier process that had this process's id (a restarted container): older than this process.
    const reused = path.join(dir, `tantieme-upload-${process.pid}-c3`);
    fs.mkdirSync(reused);
    const before = new Date(performance.timeOrigin - 60_000);
    fs.utimesSync(reused, before, before);
    // This process's own folder in use (another server in the same process), and a live process's.
    const mine = await makeUploadFolder(dir, "tantieme-multipart-");
    const parent = path.join(dir, `tantieme-multipart-${process.ppid}-d4`);
    fs.mkdirSync(parent);
    fs.mkdirSync(path.join(dir, "tantieme-multipart-abc-e5"));

    const swept = await prepareUploadDir(dir);
    expect(swept).to.deep.equal([...stale, path.basename(reused)].sort());
    expect(fs.readdirSync(dir).sort()).to.deep.equal([path.basename(mine), path.basename(parent), "tantieme-multipart-abc-e5"].sort());
  });

  it("default: a missing UPLOAD_DIR is created private to its user", async function () {
    const root = path.join(dir, "a", "b");
    expect(await prepareUploadDir(root)).to.deep.equal([]);
    expect(fs.statSync(root).isDirectory()).to.equal(true);
    if (process.platform !== "win32") expect(fs.statSync(root).mode & 0o777).to.equal(0o700);
    const folder = await makeUploadFolder(root, "tantieme-upload-");
    expect(uploadFolderOwner(path.basename(folder))).to.equal(process.pid);
  });

  it("error: an UPLOAD_DIR that is a file → UPLOAD_DIR_INVALID naming the folder", async function () {
    const file = path.join(dir, "file");
    fs.writeFileSync(file, "");
    const err = await prepareUploadDir(file).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(UploadDirError);
    expect(err).to.include({ code: "UPLOAD_DIR_INVALID" });
    expect((err as Error).message).to.match(/^UPLOAD_DIR: .*file (cannot be created|is not a folder)/);
    // At start it is a configuration error, as the API reports every bad variable.
    const start = await startApiServer({ env: { UPLOAD_DIR: file, IPFS_DIR: path.join(dir, "ipfs"), PORT: "0", LOG_LEVEL: "silent" } }).then(() => null, (e: unknown) => e);
    expect(start).to.be.instanceOf(ConfigError);
    expect((start as ConfigError).issues).to.have.length(1);
    expect((start as ConfigError).issues[0]).to.include({ variable: "UPLOAD_DIR" });
    expect((start as Error).message).to.match(/UPLOAD_DIR: .*file (cannot be created|is not a folder)/);
    expect(fs.existsSync(path.join(dir, "ipfs")), "nothing opened").to.equal(false);
  });
});
