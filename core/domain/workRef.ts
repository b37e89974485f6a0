import { idToBytes32, type WorkRef } from "./identifiers";

/**
 * A work reference as the index stores it: the field it is matched on (`id` is the 32-byte id
 * of the token, `isrc` and `iswc` the compact identifiers) and the value. Every reader of work
 * references (the API's resolvers, the subgraph reads, the caches) goes through this one helper
 * instead of its own `ref.by === "id" ? … : …` chain.
 */
export function workRefField(ref: WorkRef): { field: "id" | "isrc" | "iswc"; value: string } {
  switch (ref.by) {
    case "id":
      return { field: "id", value: idToBytes32(ref.id) };
    case "isrc":
      return { field: "isrc", value: ref.isrc };
    case "iswc":
      return { field: "iswc", value: ref.iswc };
  }
}

/** A stable key for a work reference (`id:0x…`, `isrc:…`, `iswc:…`), for maps and caches. */
export function workRefKey(ref: WorkRef): string {
  const { field, value } = workRefField(ref);
  return `${field}:${value}`;
}

/** The work a reference names, in words: `work 5`, `work with ISRC GBTNT2600107`. */
export function describeWorkRef(ref: WorkRef): string {
  switch (ref.by) {
    case "id":
      return `work ${ref.id}`;
    case "isrc":
      return `work with ISRC ${ref.isrc}`;
    case "iswc":
      return `work with ISWC ${ref.iswc}`;
  }
}
