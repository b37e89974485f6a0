import type { z } from "zod/v4";
import { MetadataValidationError, type MetadataIssue } from "./errors";
import { workMetadataSchema, type WorkMetadata } from "./schemas";

/** `["writers", 1, "ipi"]` → `$.writers[1].ipi`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) issues.push({ path: jsonPath([...prefix, ...issue.path, key]), reason: "is not a field of this schema" });
      continue;
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      issues.push({ path: jsonPath([...prefix, ...issue.path]), reason: "is required" });
      continue;
    }
    issues.push({ path: jsonPath([...prefix, ...issue.path]), reason: issue.message });
  }
  return issues;
}

/** Validates work metadata against its schema (by `kind`); returns the parsed document. */
export function validateWorkMetadata(value: unknown, options: { source?: string } = {}): WorkMetadata {
  const result = workMetadataSchema.safeParse(value);
  if (!result.success) throw new MetadataValidationError(issuesOf(result.error), { cause: result.error, source: options.source });
  return result.data;
}
