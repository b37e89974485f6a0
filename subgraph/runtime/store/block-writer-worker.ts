/**
 * The block writer's thread (see block-writer.ts): its own SQLite connection to the deployment's
 * file, running the same writes as the store's own connection (writes.ts) inside one transaction
 * per catch-up batch. After every request it stores the request's sequence number in
 * control[0] and notifies, so that a thread blocked on Atomics.wait wakes; `commit` and `sync`
 * requests are answered on the port with the batch's first error, if any.
 *
 * A block that fails is rolled back alone (a savepoint inside the batch, as on the store's own
 * connection); every later request of the batch is skipped, and `commit` keeps the blocks before it.
 */
import Database from "better-sqlite3";
import { workerData, type MessagePort } from "node:worker_threads";
import { parseSchema } from "../schema";
import { prepareTable, type TableStatements } from "./ddl";
import { deploymentState } from "./reads";
import { Rollups } from "./rollup";
import { failAt, writeBlock, writeContext } from "./writes";
import type { WriterReply, WriterRequest } from "./block-writer";

const { file, schemaSource, cacheKiB, control: controlBuffer, port } = workerData as {
  file: string;
  schemaSource: string;
  cacheKiB: number;
  control: SharedArrayBuffer;
  port: MessagePort;
};
const control = new Int32Array(controlBuffer);

/** Opens the connection and prepares the writers' statements (as the store's own connection does). */
function open() {
  const db = new Database(file);
  db.pragma("synchronous = NORMAL");
  db.pragma(`cache_size = -${cacheKiB}`);
  db.pragma("temp_store = MEMORY");
  db.pragma("foreign_keys = OFF");
  db.pragma("busy_timeout = 10000");
  const model = parseSchema(schemaSource);
  const tables = new Map<string, TableStatements>();
  for (const type of model.entityTypes.values()) tables.set(type.name, prepareTable(db, type));
  const ctx = writeContext(db, tables, new Rollups(db, model));
  const meta = db.prepare(`SELECT * FROM "meta$deployment" WHERE k = 1`);
  const firstError = db.prepare(`SELECT MIN(block_number) AS b FROM "meta$errors" WHERE deterministic = 1`);
  return {
    db,
    ctx,
    markSynced: db.prepare(`UPDATE "meta$deployment" SET synced_at = ? WHERE k = 1 AND synced_at IS NULL`),
    /** The deployment's state as this connection sees it (its own uncommitted blocks included). */
    state: () => {
      const first = (firstError.get() as { b: number | null }).b;
      return deploymentState(meta.get() as Record<string, unknown>, first === null ? null : Number(first));
    },
  };
}

const asReply = (err: unknown): NonNullable<WriterReply["error"]> => {
  const e = err as Error & { code?: string; details?: Record<string, unknown> };
  return { name: e.name, code: e.code ?? "WRITE_FAILED", message: e.message, details: e.details ?? {} };
};

let conn: ReturnType<typeof open> | null = null;
/** Set when the connection could not be opened: every request fails with it. */
let startup: WriterReply["error"] = null;
try {
  conn = open();
} catch (err) {
  startup = asReply(err);
}

/** The batch's first error: later requests are skipped until the batch ends. */
let failed: WriterReply["error"] = null;

function run(request: WriterRequest): void {
  if (startup) failed ??= startup;
  if (failed && request.t !== "commit" && request.t !== "sync" && request.t !== "close") return done(request);
  const { db, ctx, state, markSynced } = conn ?? ({} as NonNullable<typeof conn>);
  try {
    switch (request.t) {
      case "begin":
        db.exec("BEGIN IMMEDIATE");
        break;
      case "block":
        writeBlock(ctx, state(), request.block, request.mods, request.dataSources, request.errors);
        break;
      case "markSynced":
        markSynced.run(request.block);
        break;
      case "fail":
        failAt(ctx, state(), request.block, request.error);
        break;
      case "commit":
        if (db?.inTransaction) db.exec("COMMIT");
        reply(request.seq);
        break;
      case "sync":
        port.postMessage({ seq: request.seq, error: failed } satisfies WriterReply);
        break;
      case "close":
        if (db?.inTransaction) db.exec(failed ? "ROLLBACK" : "COMMIT");
        db?.close();
        reply(request.seq);
        break;
    }
  } catch (err) {
    failed ??= asReply(err);
    if (request.t === "commit" && db.inTransaction) {
      // A COMMIT that failed leaves the transaction open: nothing of the batch is kept.
      try {
        db.exec("ROLLBACK");
      } catch {
        // the connection is unusable; the store reports the error
      }
    }
    if (request.t === "commit" || request.t === "sync" || request.t === "close") reply(request.seq);
  }
  done(request);
}

/** Answers `seq` with the batch's first error, which ends the batch. */
function reply(seq: number): void {
  port.postMessage({ seq, error: failed } satisfies WriterReply);
  failed = startup;
}

function done(request: WriterRequest): void {
  Atomics.store(control, 0, request.seq);
  Atomics.notify(control, 0);
}

port.on("message", (request: WriterRequest) => run(request));
