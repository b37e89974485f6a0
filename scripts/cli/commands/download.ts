/**
 * `tantieme download <work> <cid>`: signs in to the API's delivery service with Sign-In with
 * Ethereum (the CLI's key signs an EIP-4361 message for the API's host, with a nonce the server
 * issued), then streams the licensed file to disk (`<out>.part`, renamed when complete).
 */
import fs from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Signer } from "ethers";
import { SiweMessage } from "siwe";
import { CliError } from "../errors";
import { loadSigner } from "../keys";
import type { CommandContext } from "./context";

export interface DownloadOptions {
  /** The API's GraphQL URL (its origin hosts /delivery). */
  apiUrl: string;
  work: string;
  cid: string;
  /** File to write (default: the server's file name in the current folder). */
  out?: string;
  fetch?: typeof fetch;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  licence: string;
  stamp: string;
  address: string;
}

async function call(f: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await f(url, init);
  } catch (cause) {
    throw new CliError("API_UNREACHABLE", `${url}: ${(cause as Error).message}`, {}, { cause });
  }
  if (!res.ok && res.status !== 206) {
    let body: { error?: { code?: string; message?: string } } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // not JSON
    }
    throw new CliError(body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `${url}: HTTP ${res.status}`, { status: res.status });
  }
  return res;
}

/** Signs in (SIWE) and returns a session token. */
export async function signIn(signer: Signer, apiUrl: string, f: typeof fetch = fetch): Promise<{ token: string; address: string }> {
  const origin = new URL(apiUrl).origin;
  const n = (await (await call(f, `${origin}/delivery/nonce`, { method: "POST" })).json()) as { nonce: string; chainId: number };
  const address = await signer.getAddress();
  const message = new SiweMessage({
    domain: new URL(origin).host,
    address,
    statement: "Sign in to tantieme to download licensed files.",
    uri: `${origin}/delivery`,
    version: "1",
    chainId: n.chainId,
    nonce: n.nonce,
    issuedAt: new Date().toISOString(),
    expirationTime: new Date(Date.now() + 5 * 60_000).toISOString(),
  }).prepareMessage();
  const signature = await signer.signMessage(message);
  const s = (await (
    await call(f, `${origin}/delivery/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) })
  ).json()) as { token: string; address: string };
  return s;
}

export async function downloadFile(signer: Signer, opts: DownloadOptions): Promise<DownloadResult> {
  const f = opts.fetch ?? fetch;
  if (!/^[1-9][0-9]*$/.test(opts.work)) throw new CliError("BAD_ARGUMENT", `work must be a token id, got "${opts.work}"`);
  const { token, address } = await signIn(signer, opts.apiUrl, f);
  const origin = new URL(opts.apiUrl).origin;
  const res = await call(f, `${origin}/delivery/works/${opts.work}/files/${encodeURIComponent(opts.cid)}`, { headers: { authorization: `Bearer ${token}` } });
  const named = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
  const file = path.resolve(opts.out ?? path.basename(named ?? opts.cid));
  const part = `${file}.part`;
  let bytes = 0;
  try {
    const body = Readable.fromWeb(res.body as never);
    body.on("data", (c: Buffer) => (bytes += c.length));
    await pipeline(body, fs.createWriteStream(part, { flags: "wx" }));
    const expected = Number(res.headers.get("content-length"));
    if (Number.isFinite(expected) && expected !== bytes) throw new CliError("DOWNLOAD_INCOMPLETE", `received ${bytes} of ${expected} bytes`);
    await rename(part, file);
  } catch (err) {
    await rm(part, { force: true });
    if (err instanceof CliError) throw err;
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new CliError("DOWNLOAD_EXISTS", `${part} exists (another download in progress?)`);
    throw new CliError("DOWNLOAD_FAILED", (err as Error).message, {}, { cause: err });
  }
  return { file, bytes, licence: res.headers.get("x-tantieme-licence") ?? "", stamp: res.headers.get("x-tantieme-stamp") ?? "none", address };
}

export async function download(ctx: CommandContext, apiUrl: string, work: string, cid: string, opts: { out?: string }): Promise<DownloadResult> {
  const wallet = await loadSigner(ctx.keys);
  ctx.out.info(`signing in as ${wallet.address}`);
  return downloadFile(wallet, { apiUrl, work, cid, out: opts.out });
}
