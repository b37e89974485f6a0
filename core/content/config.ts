import { z } from "zod/v4";
import { InvalidStoreConfigError } from "./errors";

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}, "must be an http(s) URL");

/**
 * The content store's configuration, one schema for every part that opens a store: the API
 * (IPFS_API_URL / IPFS_DIR), the indexer (--ipfs-url / --ipfs-dir, its ipfs.cat worker) and the
 * demo stack. `embedded`: a directory of blocks; `kubo`: a Kubo RPC API.
 */
export const ContentStoreConfigSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("embedded"),
    dir: z.string().trim().min(1, "must be a non-empty directory path"),
  }),
  z.object({
    kind: z.literal("kubo"),
    /** Kubo RPC API URL, e.g. http://127.0.0.1:5001 (IPFS_API_URL). */
    url: httpUrl,
    /** Per-request timeout in milliseconds for reads (default 60 000). */
    timeoutMs: z.number().int().positive("must be a positive integer").optional(),
    /** Ask Kubo not to go to the network for reads (default false). */
    offline: z.boolean().optional(),
  }),
]);

export type ContentStoreConfig = z.output<typeof ContentStoreConfigSchema>;

/** Checks a configuration against the schema; the first problem is an InvalidStoreConfigError naming the field. */
export function parseContentStoreConfig(input: unknown): ContentStoreConfig {
  const parsed = ContentStoreConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join(".") : "kind";
  const value = field.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), input);
  const reason = field === "kind" && issue.code !== "custom" ? 'must be "embedded" or "kubo"' : issue.message;
  throw new InvalidStoreConfigError({ field, value, reason });
}

/**
 * The configuration from settings named like the environment: a Kubo URL (IPFS_API_URL) selects
 * Kubo, else the embedded store in `dir` (IPFS_DIR), else `defaultDir`; null when none is given.
 * Giving both a URL and a directory is refused (field `dir`).
 */
export function contentStoreConfigOf(settings: { url?: string; dir?: string; defaultDir?: string; timeoutMs?: number; offline?: boolean }): ContentStoreConfig | null {
  const url = settings.url?.trim() || undefined;
  const dir = settings.dir?.trim() || undefined;
  if (url && dir) throw new InvalidStoreConfigError({ field: "dir", value: dir, reason: "set either a Kubo RPC URL or an embedded store directory, not both" });
  if (url) return parseContentStoreConfig({ kind: "kubo", url, ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}), ...(settings.offline !== undefined ? { offline: settings.offline } : {}) });
  const d = dir ?? settings.defaultDir;
  return d ? parseContentStoreConfig({ kind: "embedded", dir: d }) : null;
}
