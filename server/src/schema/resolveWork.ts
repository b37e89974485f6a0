import { badInput, notFound } from "../errors";
import { parseIsrc, parseIswc, type WorkRef } from "../../../core/domain";
import { findWorks, workById } from "../subgraph/reads";
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
  let work: RawWork | null;
  if (ref.by === "id") work = await workById(ctx.deps.subgraph, ref.id);
  else work = (await findWorks(ctx.deps.subgraph, ref.by === "isrc" ? { isrc: ref.isrc } : { iswc: ref.iswc }, 1, 0))[0] ?? null;
  if (!work && required) {
    const what = ref.by === "id" ? `work ${ref.id}` : ref.by === "isrc" ? `work with ISRC ${ref.isrc}` : `work with ISWC ${ref.iswc}`;
    throw notFound(field, what);
  }
  return work;
}
