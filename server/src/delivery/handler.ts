/**
 * The delivery endpoints (mounted by createApp when DELIVERY_SECRET is set):
 *
 *   POST /delivery/nonce                              → { nonce, expiresAt, domain, uri, chainId }
 *   POST /delivery/session   { message, signature }   → { token, address, expiresAt }
 *   POST /delivery/tickets   { work, cid }            → { url, expiresAt, licence }: a single-use
 *                                                        ticket (60 s) for a plain navigation
 *   GET|HEAD /delivery/works/<id>/files/<cid>         → the decrypted, licence-stamped file
 *                                                        (Range, If-Range, If-None-Match, ETag);
 *                                                        the session from Authorization, or
 *                                                        `?ticket=` (GET only, spent on use)
 *   GET /delivery/works/<id>/records                  → deliveries of the work (rights holders),
 *                                                        or the caller's own (anyone else)
 *   GET /delivery/records                             → the caller's own deliveries
 *
 * Every refusal is a JSON error with a code (errors.ts) decided before the first file byte.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../clock";
import type { ContentStore } from "../../../core/content/types";
import { licensedFiles, validateWorkMetadata, type LicensedFile } from "../../../core/metadata";
import { jsonPath } from "../../../core/metadata/validate";
import type { MetadataCache } from "../schema/metadataCache";
import type { SubgraphClient } from "../subgraph/client";
import { workById } from "../subgraph/reads";
import type { RawWork } from "../subgraph/types";
import { authorize, isRightsHolder, type Grant } from "./access";
import { chunkOffset, decryptChunks, HEADER_BYTES, layoutOf, parseHeader, type Layout, type StreamHeader } from "./encrypt";
import { DeliveryError } from "./errors";
import type { FileKeys } from "./keys";
import type { DeliveryRecord, DeliveryRecords } from "./records";
import type { Session, SiweSessions } from "./sessions";
import type { DownloadTickets } from "./tickets";
import { piecesOf, planStamp, windowedSource, type StampPlan } from "./stamp";

export interface DeliveryDeps {
  keys: FileKeys;
  sessions: SiweSessions;
  tickets: DownloadTickets;
  records: DeliveryRecords;
  store: ContentStore;
  subgraph: SubgraphClient;
  metadata: MetadataCache;
  clock: Clock;
  logger: Logger;
  /** The API's public origin for SIWE messages, e.g. http://127.0.0.1:4000. */
  origin: string;
}

export const DELIVERY_PREFIX = "/delivery";
/** A CID as a file route takes it: CIDv0 (base58btc `Qm…`) or CIDv1 in base32 (`b…`). */
const CID_TEXT = "Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{58,100}";
const CID = new RegExp(`^(?:${CID_TEXT})$`);
const FILE_PATH = new RegExp(`^/delivery/works/([1-9][0-9]{0,77})/files/(${CID_TEXT})$`);
const RECORDS_PATH = /^\/delivery\/works\/([1-9][0-9]{0,77})\/records$/;
const MAX_JSON_BODY = 16 * 1024;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

export type DeliveryHandler = (request: Request) => Promise<Response>;

export function createDeliveryHandler(deps: DeliveryDeps): DeliveryHandler {
  return async (request) => {
    try {
      return await route(deps, request);
    } catch (err) {
      if (err instanceof DeliveryError) return err.toResponse();
      deps.logger.error({ err }, "delivery error");
      return new DeliveryError("UPSTREAM_UNAVAILABLE", "the delivery service could not answer; try again").toResponse();
    }
  };
}

async function route(deps: DeliveryDeps, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const p = url.pathname;
  const method = request.method;
  if (p === "/delivery/nonce") {
    if (method !== "POST") return methodNotAllowed("POST");
    const { nonce, expiresAt } = deps.sessions.issueNonce();
    const c = deps.sessions.config;
    return json(200, { nonce, expiresAt: new Date(expiresAt).toISOString(), domain: c.domain, uri: `${deps.origin}${DELIVERY_PREFIX}`, chainId: c.chainId });
  }
  if (p === "/delivery/session") {
    if (method !== "POST") return methodNotAllowed("POST");
    const body = await readJson(request);
    const { token, session } = await deps.sessions.signIn(body.message, body.signature);
    return json(200, { token, address: session.address, expiresAt: new Date(session.expiresAt).toISOString() });
  }
  if (p === "/delivery/tickets") {
    if (method !== "POST") return methodNotAllowed("POST");
    const session = deps.sessions.verify(request.headers.get("authorization"));
    const body = await readJson(request, '{"work": …, "cid": …}');
    const workId = typeof body.work === "string" && /^[1-9][0-9]{0,77}$/.test(body.work) ? body.work : null;
    if (!workId) throw new DeliveryError("BAD_REQUEST", "work must be a work's token id (a decimal string)", { field: "work" });
    const cid = typeof body.cid === "string" && CID.test(body.cid) ? body.cid : null;
    if (!cid) throw new DeliveryError("BAD_REQUEST", "cid must be the CID of one of the work's licensed files", { field: "cid" });
    // Refusals come now, as JSON the page can put in words; the licence is checked again on use.
    const work = await loadWork(deps, workId);
    const file = await licensedFileOf(deps, work, cid);
    const grant = await authorize(deps.subgraph, deps.clock, work, session.address, file.unlockedBy);
    const { ticket, expiresAt } = deps.tickets.issue(session, work.tokenId, cid);
    return json(200, { url: `${DELIVERY_PREFIX}/works/${work.tokenId}/files/${cid}?ticket=${ticket}`, expiresAt: new Date(expiresAt).toISOString(), licence: grant.licence?.licenceId ?? null, filename: safeFilename(file.name, cid) });
  }
  if (p === "/delivery/records") {
    if (method !== "GET") return methodNotAllowed("GET");
    const session = deps.sessions.verify(request.headers.get("authorization"));
    const a = session.address.toLowerCase();
    return json(200, { records: await deps.records.find((r) => r.recipient.toLowerCase() === a) });
  }
  let m = RECORDS_PATH.exec(p);
  if (m) {
    if (method !== "GET") return methodNotAllowed("GET");
    const session = deps.sessions.verify(request.headers.get("authorization"));
    const work = await loadWork(deps, m[1]!);
    const a = session.address.toLowerCase();
    const holder = isRightsHolder(work, a) !== null;
    const records = await deps.records.find((r) => r.workId === work.tokenId && (holder || r.recipient.toLowerCase() === a));
    return json(200, { work: work.tokenId, scope: holder ? "work" : "own", records });
  }
  m = FILE_PATH.exec(p);
  if (m) {
    if (method !== "GET" && method !== "HEAD") return methodNotAllowed("GET, HEAD");
    const ticket = url.searchParams.get("ticket");
    // A ticket stands in for the session of a plain navigation (no Authorization header); a HEAD would spend it for nothing.
    if (ticket !== null && method !== "GET") throw new DeliveryError("BAD_REQUEST", "a download ticket is for one GET");
    const session = ticket !== null ? deps.tickets.redeem(ticket, m[1]!, m[2]!) : deps.sessions.verify(request.headers.get("authorization"));
    return serveFile(deps, request, session, m[1]!, m[2]!);
  }
  throw new DeliveryError("NOT_FOUND", `no delivery endpoint at ${p}`);
}

function methodNotAllowed(allow: string): Response {
  return json(405, { error: { code: "METHOD_NOT_ALLOWED", message: `use ${allow}` } }, { allow });
}

async function readJson(request: Request, shape = '{"message": …, "signature": …}'): Promise<Record<string, unknown>> {
  const len = Number(request.headers.get("content-length") ?? "0");
  if (len > MAX_JSON_BODY) throw new DeliveryError("BAD_REQUEST", `body larger than ${MAX_JSON_BODY} bytes`);
  const text = await request.text();
  if (text.length > MAX_JSON_BODY) throw new DeliveryError("BAD_REQUEST", `body larger than ${MAX_JSON_BODY} bytes`);
  try {
    const v = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // below
  }
  throw new DeliveryError("BAD_REQUEST", `body must be a JSON object ${shape}`);
}

async function loadWork(deps: DeliveryDeps, id: string): Promise<RawWork> {
  const work = await workById(deps.subgraph, BigInt(id));
  if (!work) throw new DeliveryError("WORK_NOT_FOUND", `work ${id} is not registered (or not indexed yet)`);
  return work;
}

async function licensedFileOf(deps: DeliveryDeps, work: RawWork, cid: string): Promise<LicensedFile> {
  const raw = await deps.metadata.get(work.metadataCid);
  if (raw === null) throw new DeliveryError("UPSTREAM_UNAVAILABLE", `the metadata of work ${work.tokenId} cannot be read`);
  let files: LicensedFile[];
  try {
    files = licensedFiles(validateWorkMetadata(raw));
  } catch {
    files = [];
  }
  const file = files.find((f) => f.cid === cid);
  if (!file) throw new DeliveryError("FILE_NOT_LICENSED", `${cid} is not a licensed file of work ${work.tokenId} (public files are served at /ipfs/<cid>)`);
  return file;
}

export interface Opened {
  key: Uint8Array;
  header: StreamHeader;
  layout: Layout;
}

/** Checks the stored ciphertext against the metadata and unwraps its key. */
export async function openFile(deps: Pick<DeliveryDeps, "store" | "keys">, file: LicensedFile): Promise<Opened> {
  const encryptedSize = await deps.store.size(file.cid);
  if (encryptedSize !== file.encryption.encryptedSize) throw new DeliveryError("UPSTREAM_UNAVAILABLE", `stored ciphertext of ${file.cid} has an unexpected size`);
  const layout = layoutOf(encryptedSize, file.encryption.chunkSize);
  if (layout.plaintextSize !== file.size) throw new DeliveryError("UPSTREAM_UNAVAILABLE", `ciphertext of ${file.cid} does not match the declared size`);
  const header = parseHeader(await collectHead(deps, file.cid));
  if (header.chunkSize !== layout.chunkSize) throw new DeliveryError("UPSTREAM_UNAVAILABLE", `ciphertext of ${file.cid} has an unexpected chunk size`);
  return { key: await deps.keys.keyOf(file.cid), header, layout };
}

async function collectHead(deps: Pick<DeliveryDeps, "store">, cid: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of deps.store.cat(cid, { offset: 0, length: HEADER_BYTES })) parts.push(p);
  return Buffer.concat(parts);
}

/** Plaintext bytes [start, end) of the file, decrypted chunk by chunk. */
export async function* plaintext(deps: Pick<DeliveryDeps, "store">, cid: string, o: Opened, start: number, end: number): AsyncGenerator<Uint8Array> {
  if (end <= start) return;
  const C = o.layout.chunkSize;
  const first = Math.floor(start / C);
  const last = Math.floor((end - 1) / C);
  const from = chunkOffset(o.layout, first);
  const to = Math.min(o.layout.encryptedSize, chunkOffset(o.layout, last + 1));
  let at = first * C;
  for await (const chunk of decryptChunks(deps.store.cat(cid, { offset: from, length: to - from }), o.key, o.header, o.layout, first, last)) {
    const s = Math.max(start - at, 0);
    const e = Math.min(end - at, chunk.length);
    if (e > s) yield chunk.subarray(s, e);
    at += chunk.length;
  }
}

/** Bytes [start, end) of the delivered copy. */
async function* delivered(deps: DeliveryDeps, cid: string, o: Opened, plan: StampPlan, start: number, end: number): AsyncGenerator<Uint8Array> {
  for (const piece of piecesOf(plan, start, end)) {
    if (piece.kind === "bytes") yield piece.data;
    else yield* plaintext(deps, cid, o, piece.start, piece.end);
  }
}

type RangeAsk = { kind: "all" } | { kind: "range"; start: number; end: number } | { kind: "unsatisfiable" };

function parseRange(header: string | null, size: number): RangeAsk {
  if (!header) return { kind: "all" };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return { kind: "all" }; // multi-range or malformed: the whole file
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", start: Math.max(0, size - n), end: size };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  if (!Number.isSafeInteger(start) || start >= size || end <= start) return { kind: "unsatisfiable" };
  return { kind: "range", start, end };
}

function safeFilename(name: string | undefined, cid: string): string {
  const n = (name ?? cid).replace(/[^A-Za-z0-9._ -]/g, "_").slice(0, 200);
  return n || cid;
}

async function serveFile(deps: DeliveryDeps, request: Request, session: Session, workId: string, cid: string): Promise<Response> {
  const work = await loadWork(deps, workId);
  const file = await licensedFileOf(deps, work, cid);
  const grant: Grant = await authorize(deps.subgraph, deps.clock, work, session.address, file.unlockedBy);
  const opened = await openFile(deps, file);
  const licenceId = grant.licence?.licenceId ?? null;
  // The stamp planner reads the headers it walks, decrypted a whole chunk at a time (the last few kept).
  const original = windowedSource(file.size, async (s, e) => Buffer.concat(await arrayOf(plaintext(deps, cid, opened, s, e))), opened.layout.chunkSize);
  const plan = await planStamp(file.mimeType, original, { licenceId, recipient: session.address, workId: work.tokenId });
  const etag = `"${createHash("sha256").update(`${cid}\n${licenceId ?? "holder"}\n${session.address}\n${plan.stamp}\n${plan.size}`).digest("hex").slice(0, 40)}"`;
  const headers: Record<string, string> = {
    "content-type": file.mimeType,
    "accept-ranges": "bytes",
    etag,
    "cache-control": "private, no-store",
    "content-disposition": `attachment; filename="${safeFilename(file.name, cid)}"`,
    "x-content-type-options": "nosniff",
    "x-tantieme-work": work.tokenId,
    "x-tantieme-licence": licenceId ?? "rights-holder",
    "x-tantieme-stamp": plan.stamp,
  };
  if (request.headers.get("if-none-match")?.split(",").some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers });
  let ask = parseRange(request.headers.get("range"), plan.size);
  const ifRange = request.headers.get("if-range");
  if (ifRange !== null && ifRange.trim() !== etag) ask = { kind: "all" };
  if (ask.kind === "unsatisfiable") rangeError(plan.size);
  const start = ask.kind === "range" ? ask.start : 0;
  const end = ask.kind === "range" ? ask.end : plan.size;
  headers["content-length"] = String(end - start);
  if (ask.kind === "range") headers["content-range"] = `bytes ${start}-${end - 1}/${plan.size}`;
  const status = ask.kind === "range" ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });

  const hash = createHash("sha256");
  let sent = 0;
  let recorded = false;
  const record = (complete: boolean) => {
    if (recorded) return;
    recorded = true;
    const r: Omit<DeliveryRecord, "id"> = {
      at: new Date(deps.clock.now()).toISOString(),
      workId: work.tokenId,
      cid,
      field: jsonPath(file.keyPath),
      licenceId,
      recipient: session.address,
      role: grant.role,
      range: ask.kind === "range" ? [start, end - 1] : null,
      size: plan.size,
      bytes: sent,
      sha256: hash.digest("hex"),
      stamp: plan.stamp,
      complete,
    };
    return deps.records.append(r).catch((err) => deps.logger.error({ err, record: r }, "delivery record not written"));
  };
  const source = delivered(deps, cid, opened, plan, start, end)[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await source.next();
        if (done) {
          await record(sent === end - start);
          controller.close();
          return;
        }
        hash.update(value);
        sent += value.byteLength;
        controller.enqueue(value);
      } catch (err) {
        deps.logger.error({ err, cid }, "delivery stream failed");
        await record(false);
        controller.error(err);
      }
    },
    async cancel() {
      await source.return?.(undefined);
      await record(false);
    },
  });
  return new Response(body, { status, headers });
}

function rangeError(size: number): never {
  const err = new DeliveryError("RANGE_NOT_SATISFIABLE", `range not satisfiable for a ${size}-byte file`, { size });
  throw Object.assign(err, { toResponse: () => DeliveryError.prototype.toResponse.call(err, { "content-range": `bytes */${size}` }) });
}

async function arrayOf(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const p of source) out.push(p);
  return out;
}
