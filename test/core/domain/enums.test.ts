import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { TypedDataEncoder } from "ethers";
import { GraphQLEnumType, Kind, parse, type EnumTypeDefinitionNode } from "graphql";
import {
  ATTESTATION_SCOPES,
  ATTESTATION_TYPES,
  DEAL_TYPES,
  LINK_CONSENT_TYPES,
  LICENCE_STATUSES,
  LINK_STATUSES,
  OFFER_STATUSES,
  REVOCATION_REASONS,
  RIGHTS,
  SPLIT_CONSENT_TYPES,
  TERRITORY_MODES,
  WORK_KIND_NAMES,
} from "../../../core/domain";
import { buildSchema } from "../../../server/src/schema";

// The Solidity enums and EIP-712 type strings are the source of truth. Every copy — the
// TypeScript domain (core/domain), the subgraph's AssemblyScript (subgraph/src/entities/enums.ts)
// and schema (subgraph/schema.graphql), the API's SDL — is compared here with the compiled
// contracts' AST (artifacts/build-info, written by `hardhat compile`).

const ROOT = path.join(__dirname, "..", "..", "..");

interface AstNode {
  nodeType: string;
  name?: string;
  members?: { name: string }[];
  value?: AstNode & { arguments?: AstNode[]; value?: string };
  nodes?: AstNode[];
  [k: string]: unknown;
}

/** Every node of the contracts' ASTs (one pass over the build-info files). */
function astNodes(): AstNode[] {
  const dir = path.join(ROOT, "artifacts", "build-info");
  const out: AstNode[] = [];
  const seen = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n === null || typeof n !== "object") return;
    const node = n as AstNode;
    if (typeof node.nodeType === "string") out.push(node);
    for (const v of Object.values(node)) if (v && typeof v === "object") walk(v);
  };
  for (const file of readdirSync(dir)) {
    const info = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { output: { sources: Record<string, { ast: AstNode }> } };
    for (const [source, { ast }] of Object.entries(info.output.sources)) {
      if (!source.startsWith("contracts/") || seen.has(source)) continue;
      seen.add(source);
      walk(ast);
    }
  }
  return out;
}

const nodes = astNodes();

function solidityEnum(name: string): string[] {
  const defs = nodes.filter((n) => n.nodeType === "EnumDefinition" && n.name === name);
  expect(defs, `enum ${name} in the compiled contracts`).to.have.length(1);
  return defs[0]!.members!.map((m) => m.name);
}

/** The string hashed by `bytes32 constant NAME = keccak256("…")`. */
function solidityTypeString(constant: string): string {
  const decl = nodes.find((n) => n.nodeType === "VariableDeclaration" && n.name === constant && n.value);
  expect(decl, `constant ${constant} in the compiled contracts`).to.not.equal(undefined);
  const literal = decl!.value!.arguments?.[0];
  expect(literal?.nodeType).to.equal("Literal");
  return literal!.value as unknown as string;
}

/** `const NAME: string[] = ["A", "B"]` in the AssemblyScript source. */
function assemblyScriptList(source: string, name: string): string[] {
  const m = new RegExp(`const ${name}: string\\[\\] = \\[([^\\]]*)\\]`).exec(source);
  expect(m, `${name} in subgraph/src/entities/enums.ts`).to.not.equal(null);
  return [...m![1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

function sdlEnum(sdl: string, name: string): string[] {
  const def = parse(sdl).definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
  expect(def, `enum ${name} in subgraph/schema.graphql`).to.not.equal(undefined);
  return def!.values!.map((v) => v.name.value);
}

describe("core/domain: enums and EIP-712 types against the compiled contracts", () => {
  const subgraphEnums = readFileSync(path.join(ROOT, "subgraph", "src", "entities", "enums.ts"), "utf8");
  const subgraphSchema = readFileSync(path.join(ROOT, "subgraph", "schema.graphql"), "utf8");
  const api = buildSchema();
  const apiEnum = (name: string) => (api.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

  const ENUMS = [
    { solidity: "Right", ts: RIGHTS, as: "RIGHTS", graphql: "Right" },
    { solidity: "WorkKind", ts: WORK_KIND_NAMES, as: "WORK_KINDS", graphql: "WorkKind" },
    { solidity: "TerritoryMode", ts: TERRITORY_MODES, as: "TERRITORY_MODES", graphql: "TerritoryMode" },
    { solidity: "OfferStatus", ts: OFFER_STATUSES, as: "OFFER_STATUSES", graphql: "OfferStatus" },
    { solidity: "RevocationReason", ts: REVOCATION_REASONS, as: "REVOCATION_REASONS", graphql: "RevocationReason" },
    { solidity: "LicenceStatus", ts: LICENCE_STATUSES, as: null, graphql: null },
    // The subgraph's LinkStatus enum drops None and adds Removed (an unlinked link keeps its history).
    { solidity: "LinkStatus", ts: LINK_STATUSES, as: "LINK_STATUSES", graphql: null },
    { solidity: "Scope", ts: ATTESTATION_SCOPES, as: null, graphql: null, api: "AttestationScope" },
  ] as const;

  for (const e of ENUMS) {
    it(`default: ${e.solidity} — core/domain, subgraph and API list the contract's members in its order`, () => {
      const truth = solidityEnum(e.solidity);
      expect([...e.ts], "core/domain").to.deep.equal(truth);
      if (e.as) expect(assemblyScriptList(subgraphEnums, e.as), "subgraph/src/entities/enums.ts").to.deep.equal(truth);
      if (e.graphql) expect(sdlEnum(subgraphSchema, e.graphql), "subgraph/schema.graphql").to.deep.equal(truth);
      expect(apiEnum("api" in e ? e.api : e.solidity), "API SDL").to.deep.equal(truth);
    });
  }

  it("default: the subgraph's named work kinds are their contract indices", () => {
    const kinds = solidityEnum("WorkKind");
    expect(subgraphEnums).to.match(new RegExp(`WORK_KIND_SOUND_RECORDING = ${kinds.indexOf("SoundRecording")};`));
    expect(subgraphEnums).to.match(new RegExp(`WORK_KIND_COMPOSITION = ${kinds.indexOf("Composition")};`));
  });

  it("default: DEAL_TYPES, SPLIT_CONSENT_TYPES, ATTESTATION_TYPES and LINK_CONSENT_TYPES encode to the contracts' EIP-712 type strings", () => {
    expect(TypedDataEncoder.from(DEAL_TYPES).encodeType("Deal")).to.equal(solidityTypeString("DEAL_TYPEHASH"));
    expect(TypedDataEncoder.from(SPLIT_CONSENT_TYPES).encodeType("SplitConsent")).to.equal(solidityTypeString("SPLIT_CONSENT_TYPEHASH"));
    expect(TypedDataEncoder.from(ATTESTATION_TYPES).encodeType("Attestation")).to.equal(solidityTypeString("ATTESTATION_TYPEHASH"));
    expect(TypedDataEncoder.from(LINK_CONSENT_TYPES).encodeType("LinkConsent")).to.equal(solidityTypeString("LINK_CONSENT_TYPEHASH"));
  });
});
