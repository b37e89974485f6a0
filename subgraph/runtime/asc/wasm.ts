/**
 * The subset of the WebAssembly JS API the runtime uses, typed locally: the project's tsconfig
 * (lib ES2023, no DOM) does not declare the `WebAssembly` global.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmGlobal {
  value: number | bigint;
}
export interface WasmModule {
  readonly __wasmModule: true;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
export interface WasmImportDescriptor {
  module: string;
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}
export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  Module: { new (bytes: Uint8Array): WasmModule; imports(m: WasmModule): WasmImportDescriptor[]; exports(m: WasmModule): { name: string; kind: string }[] };
  Instance: new (m: WasmModule, imports: WasmImports) => WasmInstance;
  Global: new (...args: never[]) => WasmGlobal;
  RuntimeError: new (...args: never[]) => Error;
}

export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
