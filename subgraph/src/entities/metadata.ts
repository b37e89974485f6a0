// Work metadata read from IPFS while indexing (ipfs.cat + json.try_fromBytes). Lenient: anything
// missing or malformed gives a null title and/or an empty creator list, never a failed handler.
// Creator names come from `artists` (sound recordings), `writers` (compositions) or `creators`
// (designs): each entry is an object with a `name`, or a plain string.
import { JSONValue, JSONValueKind, TypedMap, ipfs, json } from "@graphprotocol/graph-ts";

export class WorkMetadata {
  title: string | null;
  creators: string[];

  constructor(title: string | null, creators: string[]) {
    this.title = title;
    this.creators = creators;
  }
}

const CREATOR_LISTS: string[] = ["artists", "writers", "creators"];

function nonEmptyString(value: JSONValue | null): string | null {
  if (value == null || value.kind != JSONValueKind.STRING) return null;
  let text = value.toString().trim();
  return text.length > 0 ? text : null;
}

function creatorNames(object: TypedMap<string, JSONValue>): string[] {
  let names = new Array<string>(0);
  for (let l = 0; l < CREATOR_LISTS.length; l++) {
    let list = object.get(CREATOR_LISTS[l]);
    if (list == null || list.kind != JSONValueKind.ARRAY) continue;
    let entries = list.toArray();
    for (let i = 0; i < entries.length; i++) {
      let entry = entries[i];
      let name: string | null = null;
      if (entry.kind == JSONValueKind.STRING) {
        name = nonEmptyString(entry);
      } else if (entry.kind == JSONValueKind.OBJECT) {
        name = nonEmptyString(entry.toObject().get("name"));
      }
      if (name != null) {
        let text = name as string;
        if (!names.includes(text)) names.push(text);
      }
    }
  }
  return names;
}

/** Title and creator names of the metadata document `cid`; empty when it cannot be read. */
export function readWorkMetadata(cid: string): WorkMetadata {
  let data = ipfs.cat(cid);
  if (!data) return new WorkMetadata(null, new Array<string>(0));
  let parsed = json.try_fromBytes(data);
  if (parsed.isError || parsed.value.kind != JSONValueKind.OBJECT) {
    return new WorkMetadata(null, new Array<string>(0));
  }
  let object = parsed.value.toObject();
  return new WorkMetadata(nonEmptyString(object.get("title")), creatorNames(object));
}
