import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import { errorResponse } from "../errors";
import { defaultUploadDir, makeUploadFolder } from "../uploadDir";
import { getState } from "./state";
import { BaseError } from "../../../core/errors";

export interface UseStreamingUploadsOptions {
  /** Total bytes of the multipart body's files (UPLOAD_LIMIT_BYTES). */
  maxBytes: number;
  /** At most this many files per request. */
  maxFiles?: number;
  /**
   * The folder the per-request folders go in (UPLOAD_DIR; default: tantieme's own folder of the OS
   * temp dir). Each is named for this process (`tantieme-multipart-<pid>-…`) so that a later start
   * can sweep the folders a killed process left (prepareUploadDir).
   */
  tmpDir?: string;
  /**
   * The scope an API key needs to send a multipart body (uploads are writes). Checked before a byte
   * of the body is read: anonymous → 401, a key without it → 403, both with `Connection: close`.
   */
  scope?: "write";
  /** After a refused body, at most this many unread bytes are read and discarded so the connection stays usable; past it the connection is closed. */
  drainBytes?: number;
}

/**
 * An uploaded file already written to disk: what resolvers receive for a `File` variable. It
 * behaves like a web File for `name`, `type`, `size`, `stream()`, `arrayBuffer()`, and exposes
 * `filepath` so a resolver can move the bytes instead of copying them.
 */
export class DiskFile {
  readonly lastModified = Date.now();
  constructor(
    readonly filepath: string,
    readonly name: string,
    readonly type: string,
    readonly size: number,
  ) {}

  stream(): ReadableStream<Uint8Array> {
    return Readable.toWeb(fs.createReadStream(this.filepath)) as unknown as ReadableStream<Uint8Array>;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = await fsp.readFile(this.filepath);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return fsp.readFile(this.filepath, "utf8");
  }
}

class UploadError extends BaseError<Record<string, never>> {
  override readonly name = "UploadError" as const;
  /** Part of the body was left unread (the connection cannot be reused). */
  unread = false;
  constructor(
    readonly code: "PAYLOAD_TOO_LARGE" | "BAD_USER_INPUT",
    message: string,
  ) {
    super(message, {});
  }
}

/**
 * A parse failure as an UploadError: the body limit's stream error (useBodyLimit, for a body
 * without Content-Length) → 413; anything else busboy or the stream reports → 400.
 */
const isMultipart = (request: Request) => (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");

function asUploadError(err: Error): UploadError {
  if (err instanceof UploadError) return err;
  if (err.name === "BodyTooLargeError") return new UploadError("PAYLOAD_TOO_LARGE", `${err.message} (UPLOAD_LIMIT_BYTES)`);
  return new UploadError("BAD_USER_INPUT", `bad multipart request: ${err.message}`);
}

/** Path segments that would reach a prototype instead of the operations' own data. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Puts `value` at `obj.<dotted path>` (the multipart map's `variables.input.files.0`), or says why
 * not. Only the operations' own data is followed: every segment must name an own property (an
 * array index below the length), `__proto__`, `constructor` and `prototype` are refused, and the
 * target must hold the `null` placeholder the spec puts where a file goes. Returns null when set.
 */
export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): string | null {
  const parts = dotted.split(".");
  if (parts[0] !== "variables" || parts.length < 2) return "paths must start with variables.";
  const bad = parts.find((p) => FORBIDDEN_SEGMENTS.has(p));
  if (bad !== undefined) return `the segment ${JSON.stringify(bad)} is not allowed`;
  let cur: unknown = obj;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (cur === null || typeof cur !== "object") return `${parts.slice(0, i).join(".")} is not an object or a list`;
    const own = Array.isArray(cur) ? /^(0|[1-9]\d{0,6})$/.test(part) && Number(part) < cur.length : Object.prototype.hasOwnProperty.call(cur, part);
    if (!own) return `${parts.slice(0, i + 1).join(".")} is not in operations`;
    if (i === parts.length - 1) {
      if ((cur as Record<string, unknown>)[part] !== null) return `${dotted} must be null in operations (the file's placeholder)`;
      (cur as Record<string, unknown>)[part] = value;
      return null;
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return "empty path";
}

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads `body` to its end, discarding it, unless more than `limit` bytes remain: true when it ended. */
function drain(body: Readable, limit: number): Promise<boolean> {
  if (body.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ended: boolean) => {
      body.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      body.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) done(false);
    };
    const onEnd = () => done(true);
    const onError = () => done(false);
    const onClose = () => done(body.readableEnded);
    body.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
    body.resume();
  });
}

const tempDirs = new WeakMap<Request, string>();

/**
 * GraphQL multipart requests (uploadWork) parsed as a stream with busboy, before yoga would read
 * the whole body into memory: `operations` and `map` first (as the spec orders them), then each
 * file written straight to a per-request temporary folder, the total size limit enforced while
 * streaming (413 PAYLOAD_TOO_LARGE, partial files removed). Resolvers get DiskFile objects; the
 * folder is removed once the response is produced.
 */
export function useStreamingUploads(options: UseStreamingUploadsOptions): Plugin {
  const maxFiles = options.maxFiles ?? 100;
  const uploadDir = options.tmpDir ?? defaultUploadDir();
  const drainBytes = options.drainBytes ?? 1 << 20;
  return {
    onRequest({ request, endResponse }) {
      if (!options.scope || request.method !== "POST" || !isMultipart(request)) return;
      const principal = getState(request)?.principal ?? null;
      // The body is never read: ask the client not to reuse the connection it is still writing on.
      const close = { connection: "close" };
      if (!principal) return endResponse(errorResponse("UNAUTHENTICATED", `multipart uploads need an API key with the "${options.scope}" scope (header x-api-key or Authorization: Bearer)`, close));
      if (!principal.scopes.has(options.scope)) return endResponse(errorResponse("FORBIDDEN", `multipart uploads need an API key with the "${options.scope}" scope; key "${principal.keyId}" does not have it`, close));
    },
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== "POST" || !isMultipart(request)) return;
      setRequestParser(async (req): Promise<GraphQLParams | Response> => {
        const dir = await makeUploadFolder(uploadDir, "tantieme-multipart-");
        tempDirs.set(request, dir);
        tempDirs.set(req, dir);
        try {
          return await parse(req, dir);
        } catch (err) {
          await fsp.rm(dir, { recursive: true, force: true });
          if (err instanceof UploadError) return errorResponse(err.code, err.message, err.unread ? { connection: "close" } : {});
          throw err;
        }
      });
    },
    async onResponse({ request }) {
      const dir = tempDirs.get(request);
      if (dir) {
        tempDirs.delete(request);
        await fsp.rm(dir, { recursive: true, force: true });
      }
    },
  };

  async function parse(req: Request, dir: string): Promise<GraphQLParams> {
    if (!req.body) throw new UploadError("BAD_USER_INPUT", "multipart request without a body");
    // preservePath: the file name as sent ("../x.wav" included), so uploadWork refuses it instead of
    // busboy silently keeping only its last segment.
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: { "content-type": req.headers.get("content-type")! }, preservePath: true, limits: { files: maxFiles, fields: 10, fieldSize: 16 << 20 } });
    } catch (err) {
      throw new UploadError("BAD_USER_INPUT", `bad multipart request: ${(err as Error).message}`);
    }
    let operations: Record<string, unknown> | null = null;
    let map: Record<string, string[]> | null = null;
    let total = 0;
    let index = 0;
    const writes: Promise<void>[] = [];
    const files = new Map<string, DiskFile>();
    const done = new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        bb.removeAllListeners("file");
        reject(err);
      };
      bb.on("field", (name, value) => {
        try {
          if (name === "operations") operations = JSON.parse(value);
          else if (name === "map") map = JSON.parse(value);
        } catch (err) {
          fail(new UploadError("BAD_USER_INPUT", `multipart field ${name} is not valid JSON: ${(err as Error).message}`));
        }
      });
      bb.on("file", (field, stream, info) => {
        if (!operations || !map) {
          stream.resume();
          return fail(new UploadError("BAD_USER_INPUT", "multipart request: the operations and map fields must come before the files"));
        }
        const target = path.join(dir, `${index++}`);
        const limiter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            total += chunk.length;
            if (total > options.maxBytes) cb(new UploadError("PAYLOAD_TOO_LARGE", `request body exceeds ${options.maxBytes} bytes (UPLOAD_LIMIT_BYTES)`));
            else cb(null, chunk);
          },
        });
        writes.push(
          pipeline(stream, limiter, fs.createWriteStream(target)).then(
            () => void files.set(field, new DiskFile(target, info.filename ?? field, info.mimeType || "application/octet-stream", fs.statSync(target).size)),
            (err: Error) => {
              stream.resume();
              fail(err);
            },
          ),
        );
      });
      bb.on("filesLimit", () => fail(new UploadError("BAD_USER_INPUT", `at most ${maxFiles} files per request`)));
      bb.on("error", (err: Error) => fail(asUploadError(err)));
      bb.on("close", () => resolve());
    });
    // yoga's Request body may be @whatwg-node's ponyfill stream, not Node's: read it through its reader.
    const body = Readable.from(chunks(req.body), { objectMode: false });
    body.on("error", (err) => bb.destroy(err));
    body.pipe(bb);
    try {
      await done;
      await Promise.all(writes);
    } catch (err) {
      body.unpipe(bb);
      const failure = asUploadError(err as Error);
      await Promise.allSettled(writes);
      // Read and discard what the client still sends (up to drainBytes), so that the keep-alive
      // connection can carry the next request; a larger rest is left unread and the connection closed.
      failure.unread = failure.code === "PAYLOAD_TOO_LARGE" || !(await drain(body, drainBytes));
      body.destroy();
      throw failure;
    }
    const ops = operations as Record<string, unknown> | null;
    const m = map as Record<string, string[]> | null;
    if (!ops || typeof ops !== "object" || Array.isArray(ops)) throw new UploadError("BAD_USER_INPUT", "multipart request: missing or invalid operations field");
    if (!m || typeof m !== "object") throw new UploadError("BAD_USER_INPUT", "multipart request: missing or invalid map field");
    for (const [field, paths] of Object.entries(m)) {
      const file = files.get(field);
      if (!file) throw new UploadError("BAD_USER_INPUT", `multipart request: map names file ${field}, which was not sent`);
      if (!Array.isArray(paths)) throw new UploadError("BAD_USER_INPUT", `multipart request: map.${field} must be a list of paths`);
      for (const p of paths) {
        const why = typeof p === "string" ? setPath(ops, p, file) : "must be a string";
        if (why !== null) throw new UploadError("BAD_USER_INPUT", `multipart request: map.${field} names ${JSON.stringify(p)}, not a file variable of operations: ${why}`);
      }
    }
    return ops as GraphQLParams;
  }
}
