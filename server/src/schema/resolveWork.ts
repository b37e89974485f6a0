import { badInput, notFound } from "../errors";
import { describeWorkRef, parseIsrc, parseIswc, workRefField, type WorkRef } from "../../../core/domain";
import { workByRef } from "../subgraph/reads";
import type { RawWork } from "../subgraph/types";
import type { AppContext } from "./context";

export function isrcArg(value: unknown, field: string): string {
  try {
    return parseIsrc(value);
  } catch (err) {
    throw badInput(field, (err as Error).message);
  }
}

export function iswcArg(value: unknown, field: string): string {
  try {
    return parseIswc(value);
  } catch (err) {
    throw badInput(field, (err as Error).message);
  }
}

/** The work a reference names; null (or NOT_FOUND when `required`) when the index has none. */
export async function resolveWorkRef(ctx: AppContext, ref: WorkRef, field: string, required: true): Promise<RawWork>;
export async function resolveWorkRef(ctx: AppContext, ref: WorkRef, field: string, required: false): Promise<RawWork | null>;
export async function resolveWorkRef(ctx: AppContext, ref: WorkRef, field: string, required: boolean): Promise<RawWork | null> {
  const work = await workByRef(ctx.deps.subgraph, ref);
  if (!work && required) throw notFound(field, describeWorkRef(ref));
  return work;
}

/**
 * The index id of the work a reference names: an id reference is its own (no query); an ISRC or
 * ISWC is looked up (null, or NOT_FOUND when `required`, when the index has no such work).
 */
export async function workIndexId(ctx: AppContext, ref: WorkRef, field: string, required: boolean): Promise<string | null> {
  const key = workRefField(ref);
  if (key.field === "id") return key.value;
  return required ? (await resolveWorkRef(ctx, ref, field, true)).id : ((await resolveWorkRef(ctx, ref, field, false))?.id ?? null);
}
