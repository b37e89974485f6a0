import { InvalidRangeError } from "./errors";
import type { AddProgress } from "./types";

/** Wraps any byte source as an async iterable that counts bytes and reports progress. */
export function countingSource(
  content: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onProgress?: (progress: AddProgress) => void,
): { source: AsyncIterable<Uint8Array>; bytes: () => number } {
  let bytes = 0;
  async function* source(): AsyncGenerator<Uint8Array> {
    if (content instanceof Uint8Array) {
      bytes = content.byteLength;
      if (bytes > 0) yield content;
      onProgress?.({ bytes });
      return;
    }
    for await (const chunk of content as AsyncIterable<Uint8Array>) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError(`content: expected Uint8Array chunks, got ${typeof chunk}`);
      }
      bytes += chunk.byteLength;
      if (chunk.byteLength > 0) yield chunk;
      onProgress?.({ bytes });
    }
  }
  return { source: source(), bytes: () => bytes };
}

/** Validates offset/length against a file size; returns the effective slice. */
export function checkRange(options: { offset?: number; length?: number }, size: number): { offset: number; length: number } {
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidRangeError({ field: "offset", value: options.offset, reason: "must be a non-negative integer" });
  }
  if (offset > size) {
    throw new InvalidRangeError({ field: "offset", value: offset, reason: `is past the end of the file (${size} bytes)` });
  }
  if (options.length !== undefined && (!Number.isSafeInteger(options.length) || options.length < 0)) {
    throw new InvalidRangeError({ field: "length", value: options.length, reason: "must be a non-negative integer" });
  }
  const length = Math.min(options.length ?? size - offset, size - offset);
  return { offset, length };
}

/** Concatenates a stream whose total size is known. */
export async function collect(source: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let at = 0;
  for await (const chunk of source) {
    if (at + chunk.byteLength > size) throw new RangeError(`stream longer than the expected ${size} bytes`);
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  if (at !== size) throw new RangeError(`stream ended after ${at} of ${size} bytes`);
  return out;
}
