import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod/v4";
import { compositionSchema, designSchema, SCHEMA_VERSION, soundRecordingSchema, workMetadataSchema } from "../core/metadata/schemas";

export const JSON_SCHEMA_DIR = path.join(__dirname, "..", "core", "metadata", "json-schema");
const BASE_ID = "https://tantieme.dev/schemas/work-metadata";

/**
 * JSON Schema (draft 2020-12) for integrators, generated from the zod schemas. Patterns carry the
 * identifier syntax; check digits (ISRC/ISWC/IPI/ISNI), share totals and calendar dates are
 * verified by tantieme itself and described in each field's `description`.
 */
export function buildJsonSchemas(): Record<string, unknown> {
  const major = SCHEMA_VERSION.split(".")[0];
  const out: Record<string, unknown> = {};
  for (const [name, schema] of [
    ["work-metadata", workMetadataSchema],
    ["sound-recording", soundRecordingSchema],
    ["composition", compositionSchema],
    ["design", designSchema],
  ] as const) {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "output", unrepresentable: "any" }) as Record<string, unknown>;
    out[`${name}.v${major}.json`] = { $id: `${BASE_ID}/${name}.v${major}.json`, ...json };
  }
  return out;
}

export function renderJsonSchemas(): Record<string, string> {
  return Object.fromEntries(Object.entries(buildJsonSchemas()).map(([f, s]) => [f, `${JSON.stringify(s, null, 2)}\n`]));
}

export async function writeJsonSchemas(dir = JSON_SCHEMA_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, text] of Object.entries(renderJsonSchemas())) {
    await writeFile(path.join(dir, name), text);
    files.push(path.join(dir, name));
  }
  return files;
}

if (require.main === module) {
  writeJsonSchemas().then(
    (files) => console.log(files.map((f) => `wrote ${path.relative(process.cwd(), f)}`).join("\n")),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
