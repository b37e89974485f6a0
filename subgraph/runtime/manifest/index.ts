/**
 * Loads a built subgraph (graph-cli's `build/subgraph.yaml`, per-data-source WASM and ABIs, the
 * schema) into data source and template specs with compiled mappings. Paths in the built manifest
 * are relative to the manifest file.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { EventFragment, Interface, id as keccakText } from "ethers";
import { parse as parseYaml } from "yaml";
import { MappingModule } from "../host/module";
import { Wasm } from "../asc/wasm";
import { parseSchema, type SchemaModel } from "../schema";
import { BaseError } from "../../../core/errors";

export class ManifestError extends BaseError<{ file: string; field?: string; reason: string }> {
  override readonly name = "ManifestError" as const;
  readonly code: "MANIFEST_NOT_FOUND" | "MANIFEST_INVALID" | "MANIFEST_UNSUPPORTED";
  constructor(code: ManifestError["code"], message: string, details: ManifestError["details"], options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

const KNOWN_FEATURES = new Set([
  "nonFatalErrors", "grafting", "fullTextSearch", "aggregations", "bytesAsIds", "declaredEthCalls", "immutableEntities",
  "ipfsOnEthereumContracts", "nonDeterministicIpfs",
]);

export interface EventHandlerSpec {
  /** As written in the manifest, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  event: string;
  handler: string;
  receipt: boolean;
  topic0: string;
  fragment: EventFragment;
}

export interface MappingSpec {
  apiVersion: string;
  file: string;
  entities: string[];
  eventHandlers: EventHandlerSpec[];
  module: MappingModule;
  abi: Interface;
}

export interface TemplateSpec {
  kind: string;
  name: string;
  network: string;
  mapping: MappingSpec;
}

export interface DataSourceSpec extends TemplateSpec {
  /** Lowercase 0x address, or null (all addresses). */
  address: string | null;
  startBlock: number;
}

export interface Manifest {
  file: string;
  specVersion: string;
  /** `features:` as declared (graph-node SubgraphFeature names, e.g. `nonFatalErrors`). */
  features: string[];
  schema: SchemaModel;
  dataSources: DataSourceSpec[];
  templates: TemplateSpec[];
}

/** `Ping(indexed address,uint256)` → `Ping(address,uint256)` (the canonical signature hashed into topic0). */
export function canonicalSignature(event: string): string {
  const open = event.indexOf("(");
  return event.slice(0, open) + event.slice(open).replace(/\bindexed\s+/g, "");
}

/** Resolve `--subgraph` (a directory with build/subgraph.yaml, a build directory, or a manifest file). */
export function resolveManifestPath(p: string): string {
  const candidates = existsSync(p) && statSync(p).isFile() ? [p] : [path.join(p, "build", "subgraph.yaml"), path.join(p, "subgraph.yaml")];
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const text = readFileSync(c, "utf8");
    if (/\.wasm\b/.test(text)) return path.resolve(c);
  }
  throw new ManifestError("MANIFEST_NOT_FOUND", `no built subgraph manifest under ${p} (run \`graph codegen && graph build\` first)`, { file: p, reason: "built manifest not found" });
}

function need<T>(v: T | undefined | null, file: string, field: string): T {
  if (v === undefined || v === null) throw new ManifestError("MANIFEST_INVALID", `${file}: missing \`${field}\``, { file, field, reason: "missing field" });
  return v;
}

function loadMapping(file: string, dir: string, owner: string, raw: Record<string, unknown>, sourceAbi: string): MappingSpec {
  const field = (f: string) => `${owner}.mapping.${f}`;
  const language = raw.language as string | undefined;
  if (language !== "wasm/assemblyscript") {
    throw new ManifestError("MANIFEST_UNSUPPORTED", `${file}: ${field("language")} \`${language}\` is not supported`, { file, field: field("language"), reason: "unsupported language" });
  }
  if (raw.blockHandlers || raw.callHandlers) {
    throw new ManifestError("MANIFEST_UNSUPPORTED", `${file}: ${owner} declares block or call handlers, which this runtime does not run`, { file, field: field("blockHandlers"), reason: "unsupported handler kind" });
  }
  const abis = (raw.abis as { name: string; file: string }[] | undefined) ?? [];
  const abiEntry = abis.find((a) => a.name === sourceAbi);
  if (!abiEntry) throw new ManifestError("MANIFEST_INVALID", `${file}: ${owner}: ABI \`${sourceAbi}\` is not listed in mapping.abis`, { file, field: field("abis"), reason: "source ABI not listed" });
  const abiJson = JSON.parse(readFileSync(path.resolve(dir, abiEntry.file), "utf8"));
  const abi = new Interface(Array.isArray(abiJson) ? abiJson : abiJson.abi);
  const wasmFile = path.resolve(dir, need(raw.file as string, file, field("file")));
  const module = MappingModule.fromBytes(readFileSync(wasmFile), owner, wasmFile);
  const eventHandlers = ((raw.eventHandlers as { event: string; handler: string; receipt?: boolean }[] | undefined) ?? []).map((h, i) => {
    const sig = canonicalSignature(need(h.event, file, `${field("eventHandlers")}[${i}].event`));
    const fragment = abi.fragments.find((f): f is EventFragment => f.type === "event" && (f as EventFragment).format("sighash") === sig);
    if (!fragment) {
      throw new ManifestError("MANIFEST_INVALID", `${file}: ${owner}: event \`${h.event}\` is not in ABI \`${sourceAbi}\``, { file, field: `${field("eventHandlers")}[${i}].event`, reason: "event not in ABI" });
    }
    if (!module.hasExport(h.handler)) {
      throw new ManifestError("MANIFEST_INVALID", `${file}: ${owner}: handler \`${h.handler}\` is not exported by ${wasmFile}`, { file, field: `${field("eventHandlers")}[${i}].handler`, reason: "handler not exported" });
    }
    return { event: h.event, handler: h.handler, receipt: h.receipt === true, topic0: keccakText(sig), fragment };
  });
  return { apiVersion: String(need(raw.apiVersion, file, field("apiVersion"))), file: wasmFile, entities: (raw.entities as string[]) ?? [], eventHandlers, module, abi };
}

export function loadManifest(subgraphPath: string): Manifest {
  const file = resolveManifestPath(subgraphPath);
  const dir = path.dirname(file);
  let raw: Record<string, unknown>;
  try {
    raw = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (cause) {
    throw new ManifestError("MANIFEST_INVALID", `${file}: invalid YAML: ${(cause as Error).message}`, { file, reason: "invalid yaml" }, { cause });
  }
  const schemaFile = path.resolve(dir, need((raw.schema as { file?: string } | undefined)?.file, file, "schema.file"));
  const schema = parseSchema(readFileSync(schemaFile, "utf8"), { specVersion: raw.specVersion === undefined ? undefined : String(raw.specVersion) });
  const dataSources = ((raw.dataSources as Record<string, unknown>[] | undefined) ?? []).map((ds, i) => {
    const name = need(ds.name as string, file, `dataSources[${i}].name`);
    if (ds.kind !== "ethereum/contract" && ds.kind !== "ethereum") {
      throw new ManifestError("MANIFEST_UNSUPPORTED", `${file}: data source \`${name}\` has kind \`${String(ds.kind)}\`; only ethereum/contract is supported`, { file, field: `dataSources[${i}].kind`, reason: "unsupported kind" });
    }
    const source = need(ds.source as Record<string, unknown>, file, `dataSources[${i}].source`);
    const address = source.address ? String(source.address).toLowerCase() : null;
    if (address !== null && !/^0x[0-9a-f]{40}$/.test(address)) {
      throw new ManifestError("MANIFEST_INVALID", `${file}: data source \`${name}\`: source.address \`${String(source.address)}\` is not an address`, { file, field: `dataSources[${i}].source.address`, reason: "invalid address" });
    }
    return {
      kind: ds.kind as string,
      name,
      network: String(ds.network ?? ""),
      address,
      startBlock: Number(source.startBlock ?? 0),
      mapping: loadMapping(file, dir, name, need(ds.mapping as Record<string, unknown>, file, `dataSources[${i}].mapping`), need(source.abi as string, file, `dataSources[${i}].source.abi`)),
    };
  });
  if (dataSources.length === 0) throw new ManifestError("MANIFEST_INVALID", `${file}: no data sources`, { file, field: "dataSources", reason: "empty" });
  const templates = ((raw.templates as Record<string, unknown>[] | undefined) ?? []).map((t, i) => {
    const name = need(t.name as string, file, `templates[${i}].name`);
    const source = need(t.source as Record<string, unknown>, file, `templates[${i}].source`);
    return {
      kind: t.kind as string,
      name,
      network: String(t.network ?? ""),
      mapping: loadMapping(file, dir, name, need(t.mapping as Record<string, unknown>, file, `templates[${i}].mapping`), need(source.abi as string, file, `templates[${i}].source.abi`)),
    };
  });
  const features = raw.features === undefined || raw.features === null ? [] : raw.features;
  if (!Array.isArray(features) || !features.every((f) => typeof f === "string")) {
    throw new ManifestError("MANIFEST_INVALID", `${file}: \`features\` must be a list of feature names`, { file, field: "features", reason: "not a list of strings" });
  }
  // graph/src/data/subgraph/features.rs: known names, and features the subgraph uses must be declared.
  for (const f of features as string[]) {
    if (!KNOWN_FEATURES.has(f)) throw new ManifestError("MANIFEST_INVALID", `${file}: Invalid subgraph feature: ${f}`, { file, field: "features", reason: "unknown feature" });
  }
  if (schema.fulltexts.length && !(features as string[]).includes("fullTextSearch")) {
    throw new ManifestError("MANIFEST_INVALID", `${file}: The feature \`fullTextSearch\` is used by the subgraph but it is not declared in the manifest.`, {
      file,
      field: "features",
      reason: "undeclared feature",
    });
  }
  // graph/src/data/subgraph/features.rs detect_features: an Ethereum data source or template whose
  // mapping imports ipfs.cat uses ipfsOnEthereumContracts.
  const ethereumMappings = [...dataSources, ...templates].filter((d) => d.kind === "ethereum/contract" || d.kind === "ethereum");
  const catsIpfs = ethereumMappings.some((d) => Wasm.Module.imports(d.mapping.module.module).some((i) => i.kind === "function" && i.name === "ipfs.cat"));
  if (catsIpfs && !(features as string[]).includes("ipfsOnEthereumContracts")) {
    throw new ManifestError("MANIFEST_INVALID", `${file}: The feature \`ipfsOnEthereumContracts\` is used by the subgraph but it is not declared in the manifest.`, {
      file,
      field: "features",
      reason: "undeclared feature",
    });
  }
  return { file, specVersion: String(raw.specVersion), features: features as string[], schema, dataSources, templates };
}
