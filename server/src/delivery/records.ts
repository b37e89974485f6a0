/**
 * The delivery record: one JSON line per delivery, appended and fsynced to
 * `<DELIVERY_DIR>/deliveries.jsonl` before the process moves on. Never rewritten.
 */
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import type { DeliveryRecord } from "../../../core/delivery/record";

export type { DeliveryRecord };

export const RECORDS_FILE = "deliveries.jsonl";

export class DeliveryRecords {
  private chain: Promise<unknown> = Promise.resolve();
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(dir: string): Promise<DeliveryRecords> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, RECORDS_FILE);
    return new DeliveryRecords(file, await open(file, "a", 0o600));
  }

  append(record: Omit<DeliveryRecord, "id">): Promise<DeliveryRecord> {
    const full: DeliveryRecord = { id: randomUUID(), ...record };
    const p = this.chain.then(async () => {
      await this.handle.appendFile(`${JSON.stringify(full)}\n`);
      await this.handle.sync();
      return full;
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Records matching `filter`, oldest first (streams the file; a torn last line is skipped). */
  async find(filter: (r: DeliveryRecord) => boolean, limit = 1000): Promise<DeliveryRecord[]> {
    await this.chain;
    const out: DeliveryRecord[] = [];
    const rl = readline.createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line) continue;
      let r: DeliveryRecord;
      try {
        r = JSON.parse(line);
      } catch {
        continue;
      }
      if (filter(r)) {
        out.push(r);
        if (out.length > limit) out.shift();
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle.close();
  }
}
