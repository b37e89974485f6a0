import crypto from "node:crypto";
import fs from "node:fs";
import { z } from "zod";
import { ConfigError, type Config, type RateLimit } from "../config";

/**
 * API keys, stored hashed. A key looks like `tk_<id>_<secret>`; the store keeps, per id, a random
 * salt and sha-256(salt ‖ secret) — never the secret. Scopes:
 * - `write`: mutations (prepare*, uploadWork, submitTransaction);
 * - `bulk`: high-volume reads (checkLicences).
 */
export const SCOPES = ["write", "bulk"] as const;
export type Scope = (typeof SCOPES)[number];

const KEY_RE = /^tk_([a-z0-9-]{1,32})_([A-Za-z0-9_-]{32,128})$/;

/**
 * The id and secret of a presented key, or null when it is not a key. The id has no `_`; the
 * secret is base64url and may contain `_`, so it is everything after the second `_`.
 */
export function parseApiKey(presented: string): { id: string; secret: string } | null {
  const m = KEY_RE.exec(presented);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

const RecordSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, "id must be 1–32 of a-z, 0-9, -"),
  name: z.string().optional(),
  salt: z.string().regex(/^[0-9a-f]{32,}$/, "salt must be ≥ 16 bytes of lower-case hex"),
  hash: z.string().regex(/^[0-9a-f]{64}$/, "hash must be a sha-256 hex digest"),
  scopes: z.array(z.enum(SCOPES)).default([]),
  /** Per-key override of the default per-key rate limit. */
  rateLimit: z.object({ perMinute: z.number().positive(), burst: z.number().int().positive() }).optional(),
  disabled: z.boolean().default(false),
});
export type ApiKeyRecord = z.infer<typeof RecordSchema>;

/** A JSON array of records, or `{ "keys": [...] }`. */
const StoreSchema = z.preprocess((v) => (v !== null && typeof v === "object" && !Array.isArray(v) && "keys" in v ? (v as { keys: unknown }).keys : v), z.array(RecordSchema));

export interface Principal {
  keyId: string;
  name: string | undefined;
  scopes: ReadonlySet<Scope>;
  rateLimit: RateLimit | undefined;
}

export function hashSecret(salt: string, secret: string): string {
  return crypto.createHash("sha256").update(Buffer.from(salt, "hex")).update(secret, "utf8").digest("hex");
}

/** Creates a key and the record to store. The key is shown once; only the record is kept. */
export function generateApiKey(id: string, scopes: Scope[], name?: string): { key: string; record: ApiKeyRecord } {
  const secret = crypto.randomBytes(32).toString("base64url");
  const salt = crypto.randomBytes(16).toString("hex");
  const record = RecordSchema.parse({ id, name, salt, hash: hashSecret(salt, secret), scopes });
  return { key: `tk_${id}_${secret}`, record };
}

export class ApiKeyStore {
  private readonly byId: Map<string, ApiKeyRecord>;

  constructor(records: readonly ApiKeyRecord[]) {
    this.byId = new Map();
    for (const r of records) {
      if (this.byId.has(r.id)) throw new Error(`duplicate API key id "${r.id}"`);
      this.byId.set(r.id, r);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The principal of a presented key, or null when the key is malformed, unknown, disabled or wrong. */
  authenticate(presented: string): Principal | null {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    const record = this.byId.get(parsed.id);
    if (!record || record.disabled) return null;
    const expected = Buffer.from(record.hash, "hex");
    const actual = Buffer.from(hashSecret(record.salt, parsed.secret), "hex");
    if (!crypto.timingSafeEqual(expected, actual)) return null;
    return {
      keyId: record.id,
      name: record.name,
      scopes: new Set(record.scopes),
      rateLimit: record.rateLimit ? { burst: record.rateLimit.burst, perSecond: record.rateLimit.perMinute / 60 } : undefined,
    };
  }
}

/** Parses a key store document; errors name `variable`. */
export function parseApiKeyStore(json: string, variable: string): ApiKeyStore {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new ConfigError([{ variable, problem: `not valid JSON: ${(cause as Error).message}` }], { cause });
  }
  const parsed = StoreSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError([
      { variable, problem: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") },
    ]);
  }
  try {
    return new ApiKeyStore(parsed.data);
  } catch (cause) {
    throw new ConfigError([{ variable, problem: (cause as Error).message }], { cause });
  }
}

/** The key store named by the configuration (API_KEYS_FILE or API_KEYS), or an empty one. */
export function loadApiKeyStore(config: Pick<Config, "apiKeys">): ApiKeyStore {
  if (config.apiKeys.file) {
    let text: string;
    try {
      text = fs.readFileSync(config.apiKeys.file, "utf8");
    } catch (cause) {
      throw new ConfigError([{ variable: "API_KEYS_FILE", problem: `cannot read ${config.apiKeys.file}: ${(cause as Error).message}` }], { cause });
    }
    return parseApiKeyStore(text, "API_KEYS_FILE");
  }
  if (config.apiKeys.inline) return parseApiKeyStore(config.apiKeys.inline, "API_KEYS");
  return new ApiKeyStore([]);
}
