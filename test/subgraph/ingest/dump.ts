/**
 * Reads every row of every entity table of an indexer's SQLite database (all versions: vid$,
 * block ranges / block$), plus the dynamic data sources, as plain comparable data. Two indexes of
 * the same chain must dump identically, however they got there (restarts, reverts).
 */
import Database from "better-sqlite3";

export interface StoreDump {
  tables: Record<string, unknown[][]>;
  dataSources: unknown[][];
  head: { number: number; hash: string } | null;
}

const plain = (v: unknown): unknown => (Buffer.isBuffer(v) ? `0x${v.toString("hex")}` : typeof v === "bigint" ? v.toString() : v);

export function dumpDatabase(file: string): StoreDump {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'meta$%' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    const tables: Record<string, unknown[][]> = {};
    for (const name of names) {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" ORDER BY "vid$"`).raw(true).all() as unknown[][];
      tables[name] = rows.map((r) => r.map(plain));
    }
    const dataSources = (db.prepare(`SELECT template, address, context, created_at_block FROM "meta$dds" ORDER BY id`).raw(true).all() as unknown[][]).map((r) => r.map(plain));
    const d = db.prepare(`SELECT head_number, head_hash FROM "meta$deployment" WHERE k = 1`).get() as { head_number: bigint | null; head_hash: string | null } | undefined;
    const head = d && d.head_number !== null ? { number: Number(d.head_number), hash: d.head_hash! } : null;
    return { tables, dataSources, head };
  } finally {
    db.close();
  }
}

/** Number of entity versions in a dump (rows across all tables). */
export function versionCount(d: StoreDump): number {
  return Object.values(d.tables).reduce((n, rows) => n + rows.length, 0);
}
