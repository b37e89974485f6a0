/**
 * Creates an API key: prints the key (once) and appends its hashed record to the key store file.
 *   npm run server:keygen -- <id> [scopes=write,bulk] [--file keys.json] [--name "Label X"]
 */
import fs from "node:fs";
import path from "node:path";
import { generateApiKey, parseApiKeyStore, SCOPES, type ApiKeyRecord, type Scope } from "../server/src/auth/keys";

function main(argv: string[]): void {
  const args = [...argv];
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const file = flag("--file") ?? process.env.API_KEYS_FILE ?? ".data/api-keys.json";
  const name = flag("--name");
  const [id, scopeList = "write,bulk"] = args;
  if (!id) throw new Error("usage: keygen <id> [write,bulk] [--file keys.json] [--name label]");
  const scopes = scopeList.split(",").filter(Boolean);
  for (const s of scopes) if (!(SCOPES as readonly string[]).includes(s)) throw new Error(`unknown scope "${s}" (expected ${SCOPES.join(", ")})`);
  let records: ApiKeyRecord[] = [];
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, "utf8");
    parseApiKeyStore(text, file); // validates
    const raw = JSON.parse(text) as ApiKeyRecord[] | { keys: ApiKeyRecord[] };
    records = Array.isArray(raw) ? raw : raw.keys;
  }
  if (records.some((r) => r.id === id)) throw new Error(`key id "${id}" already exists in ${file}`);
  const { key, record } = generateApiKey(id, scopes as Scope[], name);
  records.push(record);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(tmp, JSON.stringify(records, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
  process.stdout.write(`${key}\n`);
  process.stderr.write(`stored hashed key "${id}" (${scopes.join(", ") || "no scopes"}) in ${file}; the key above is not stored anywhere\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`keygen: ${(err as Error).message}\n`);
  process.exit(1);
}
