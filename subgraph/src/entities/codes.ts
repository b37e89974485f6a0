// ASCII codes carried as fixed bytes: ISO 3166-1 alpha-2 countries (bytes2) and ISRC / ISWC
// identifiers (bytes12, ISWC right-padded with a zero byte).
import { Bytes } from "@graphprotocol/graph-ts";

/** The ASCII text of `bytes` without its trailing zero bytes; null when every byte is zero. */
export function asciiOrNull(bytes: Bytes): string | null {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] == 0) end--;
  if (end == 0) return null;
  let text = "";
  for (let i = 0; i < end; i++) {
    text += String.fromCharCode(bytes[i]);
  }
  return text;
}

/** Country codes (bytes2 each) as two-letter strings, in the emitted order. */
export function countryCodes(codes: Bytes[]): string[] {
  let out = new Array<string>(0);
  for (let i = 0; i < codes.length; i++) {
    let code = asciiOrNull(codes[i]);
    if (code != null) out.push(code as string);
  }
  return out;
}
