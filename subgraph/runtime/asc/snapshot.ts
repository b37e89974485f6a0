/**
 * A mapping instance put back, between two handler calls, into the state `_start` left it in.
 *
 * graph-node instantiates the mapping afresh for every trigger (runtime/wasm/src/mapping.rs: each
 * request runs `instantiate_module` and then `handle_trigger`), so module-level variables and
 * whatever a handler allocated never reach the next trigger. Creating a WebAssembly instance per
 * event costs a compile-cache lookup, `_start`, fresh zero pages from the kernel and, in V8, a major
 * GC every few tens of megabytes of discarded instance memory. Instead the runtime keeps one
 * instance and, before each call, restores what a fresh one would hold:
 * - every mutable global (exported under a reserved name by {@link exposeMutableGlobals}, since
 *   a module's own globals are not reachable from JavaScript otherwise);
 * - the memory below the allocator's post-`_start` offset (data segments and `_start`'s objects),
 *   byte for byte;
 * - zeros from there up to where the previous call's allocations ended.
 *
 * The allocator's offset is found by allocating once after `_start` and seeing which i32 global
 * moved: that is the AssemblyScript stub runtime graph-cli builds with (a bump allocator whose
 * offset is a global). A module where no global moves (another runtime keeps its state in memory)
 * gets no snapshot and a fresh instance per call instead, which is always correct.
 */
import type { WasmInstance } from "./wasm";

/** Export name prefix of the mutable globals exposed by {@link exposeMutableGlobals}. */
export const GLOBAL_EXPORT_PREFIX = "tantieme:global:";

/** Memory grown by more than this since `_start` is given back by a fresh instance, not kept. */
const MAX_GROWTH_BYTES = 8 * 1024 * 1024;

const SECTION_IMPORT = 2;
const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const EXPORT_KIND_GLOBAL = 3;
/** Value types a JavaScript `WebAssembly.Global` can read and write (i32, i64, f32, f64). */
const NUMERIC_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c]);

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
  ) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError("unexpected end of module");
    return this.bytes[this.at++];
  }
  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      if (shift > 28) throw new RangeError("LEB128 too long");
    }
  }
  /** Skips a signed LEB128 (i32.const / i64.const immediates). */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.at += n;
  }
  name(): void {
    this.skip(this.u32());
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Skips a constant expression up to and including its `end`; false on an instruction it does not know. */
function skipConstExpr(r: Reader): boolean {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return true;
    if (op === 0x41 || op === 0x42) r.skipLeb(); // i32.const, i64.const
    else if (op === 0x43) r.skip(4); // f32.const
    else if (op === 0x44) r.skip(8); // f64.const
    else if (op === 0x23 || op === 0xd2) r.u32(); // global.get, ref.func
    else if (op === 0xd0) r.byte(); // ref.null
    else if ([0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) continue; // extended-const arithmetic
    else return false;
  }
}

/**
 * The module with each of its own mutable globals also exported, as `tantieme:global:<index>`,
 * and the names of those exports; null when the module has a mutable global JavaScript cannot
 * read (v128, references) or a section this reader does not understand (the caller then uses a
 * fresh instance per call).
 */
export function exposeMutableGlobals(bytes: Uint8Array): { bytes: Uint8Array; names: string[] } | null {
  try {
    // Each section: where its id byte is, where its content starts and ends (the size's LEB128
    // may be padded, so the header's length is taken as read, not re-encoded).
    const sections: { id: number; header: number; start: number; end: number }[] = [];
    const r = new Reader(bytes, 8);
    while (r.at < bytes.length) {
      const header = r.at;
      const id = r.byte();
      const size = r.u32();
      sections.push({ id, header, start: r.at, end: r.at + size });
      r.at += size;
    }
    let importedGlobals = 0;
    const imports = sections.find((s) => s.id === SECTION_IMPORT);
    if (imports) {
      const ir = new Reader(bytes, imports.start);
      for (let n = ir.u32(); n > 0; n--) {
        ir.name();
        ir.name();
        const kind = ir.byte();
        if (kind === 0) ir.u32();
        else if (kind === 1) (ir.byte(), ir.limits());
        else if (kind === 2) ir.limits();
        else if (kind === 3) (ir.byte(), ir.byte(), importedGlobals++);
        else if (kind === 4) (ir.byte(), ir.u32());
        else return null;
      }
    }
    const mutable: number[] = [];
    const globals = sections.find((s) => s.id === SECTION_GLOBAL);
    if (globals) {
      const gr = new Reader(bytes, globals.start);
      const n = gr.u32();
      for (let i = 0; i < n; i++) {
        const type = gr.byte();
        const mut = gr.byte();
        if (mut === 1) {
          if (!NUMERIC_TYPES.has(type)) return null;
          mutable.push(importedGlobals + i);
        } else if (!NUMERIC_TYPES.has(type) && type !== 0x70 && type !== 0x6f) {
          return null;
        }
        if (!skipConstExpr(gr)) return null;
      }
    }
    const exportSection = sections.find((s) => s.id === SECTION_EXPORT);
    if (!exportSection) return null;
    const er = new Reader(bytes, exportSection.start);
    const count = er.u32();
    const names = mutable.map((index) => `${GLOBAL_EXPORT_PREFIX}${index}`);
    const added: number[] = [];
    const encoder = new TextEncoder();
    mutable.forEach((index, i) => {
      const name = encoder.encode(names[i]);
      added.push(...leb(name.length), ...name, EXPORT_KIND_GLOBAL, ...leb(index));
    });
    const body = [...leb(count + mutable.length), ...bytes.subarray(er.at, exportSection.end), ...added];
    const header = [SECTION_EXPORT, ...leb(body.length)];
    const before = bytes.subarray(0, exportSection.header);
    const after = bytes.subarray(exportSection.end);
    const out = new Uint8Array(before.length + header.length + body.length + after.length);
    out.set(before, 0);
    out.set(header, before.length);
    out.set(body, before.length + header.length);
    out.set(after, before.length + header.length + body.length);
    return { bytes: out, names };
  } catch {
    return null;
  }
}

interface GlobalCell {
  value: number | bigint;
}

/**
 * The state `_start` left an instance in, and the means to return to it. Take it right after
 * `_start`, before anything else runs on the instance.
 */
export class InstanceSnapshot {
  private constructor(
    private readonly memory: { buffer: ArrayBuffer },
    private readonly globals: GlobalCell[],
    private readonly values: (number | bigint)[],
    /** The stub allocator's offset global. */
    private readonly offset: GlobalCell,
    /** Memory below the post-`_start` offset, as `_start` left it. */
    private image: Uint8Array,
    /** The memory's size after `_start`. */
    private readonly initialBytes: number,
  ) {}

  /** Where the restored static state ends: objects below it are the same after every restore. */
  get staticEnd(): number {
    return this.image.length;
  }

  /**
   * Makes what was allocated since the last restore part of the restored state (the host's own
   * objects that outlive calls, written right after a restore); returns the new `staticEnd`.
   */
  extend(): number {
    const end = Number(this.offset.value);
    this.image = new Uint8Array(this.memory.buffer, 0, end).slice();
    for (let i = 0; i < this.globals.length; i++) this.values[i] = this.globals[i].value;
    return end;
  }

  /**
   * Snapshot of `instance`, or null when its allocator is not the stub runtime's bump allocator.
   * `allocate` is the instance's `__new`; its one probe allocation is undone here.
   */
  static take(instance: WasmInstance, names: string[], allocate: (size: number, id: number) => number): InstanceSnapshot | null {
    const memory = instance.exports.memory as { buffer: ArrayBuffer } | undefined;
    if (!memory) return null;
    const globals = names.map((n) => instance.exports[n] as GlobalCell | undefined);
    if (globals.some((g) => g === undefined)) return null;
    const cells = globals as GlobalCell[];
    const before = cells.map((g) => g.value);
    allocate(0, 0);
    const moved = cells.filter((g, i) => typeof g.value === "number" && g.value > (before[i] as number) && g.value <= memory.buffer.byteLength);
    if (moved.length !== 1) return null;
    const offset = moved[0];
    const start = before[cells.indexOf(offset)] as number;
    const image = new Uint8Array(memory.buffer, 0, start).slice();
    const snapshot = new InstanceSnapshot(memory, cells, before, offset, image, memory.buffer.byteLength);
    snapshot.restore();
    return snapshot;
  }

  /**
   * Puts the instance back into its post-`_start` state; false (nothing changed) when a call grew
   * its memory by more than 8 MiB (an ipfs.cat of a large file): a fresh instance then replaces it,
   * so that the memory is given back instead of kept for every later call.
   */
  restore(): boolean {
    const buffer = this.memory.buffer;
    const end = Math.min(Number(this.offset.value), buffer.byteLength);
    if (buffer.byteLength - this.initialBytes > MAX_GROWTH_BYTES) return false;
    const u8 = new Uint8Array(buffer);
    u8.set(this.image, 0);
    if (end > this.image.length) u8.fill(0, this.image.length, end);
    for (let i = 0; i < this.globals.length; i++) this.globals[i].value = this.values[i];
    return true;
  }
}
