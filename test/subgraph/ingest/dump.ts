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
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'meta$%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%$fts$%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
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

/**
 * FTS5's own check that every @fulltext index holds exactly the tokens of its entity table's rows
 * (`integrity-check` with rank 1 compares the index with the external content). Throws on a mismatch;
 * returns the names of the checked indexes. The FTS tables themselves are left out of dumpDatabase:
 * their segment layout depends on the order of writes, not only on the rows.
 */
export function checkFulltextIndexes(file: string): string[] {
  const db = new Database(file, { fileMustExist: true });
  try {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'`).all() as { name: string }[]).map((r) => r.name);
    for (const n of names) {
      const t = `"${n.replace(/"/g, '""')}"`;
      db.prepare(`INSERT INTO ${t} (${t}, rank) VALUES ('integrity-check', 1)`).run();
    }
    return names;
  } finally {
    db.close();
  }
}

/** Number of entity versions in a dump (rows across all tables). */
export function versionCount(d: StoreDump): number {
  return Object.values(d.tables).reduce((n, rows) => n + rows.length, 0);
}
