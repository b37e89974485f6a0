/**
 * A fuzz pass over every argument of every query and mutation, read from the schema by
 * introspection, against the real app in production mode (real chain, IPFS store and indexer).
 * Values come from fast-check with a fixed seed (logged; FUZZ_SEED overrides it), sent as
 * variables: well-typed hostile values (bad addresses, huge numbers, lone surrogates, prototype
 * names, path traversal…) and wrongly typed ones. Asserts: no 5xx, no absolute path or stack
 * trace in any answer, Object.prototype unpolluted, the process still answering.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import type { App } from "../../../server/src/app";
import { KIND, cidBytes, split, wallet } from "../../subgraph/mappings/helpers/tantieme";
import { gql, multipart, post, prototypeSnapshot, restorePrototype, startStack, type Stack } from "../helpers/apiStack";

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS_PER_ARG = Number(process.env.FUZZ_RUNS ?? 24);

/** What must never appear in an answer: absolute paths, stack frames, library versions. */
const LEAK = /\/(?:work|home|root|tmp|usr)\/|node_modules|\bat [\w$.<>]+ \(|\n\s+at |version=\d|"stack"/;

const addresses = [wallet(1).address, wallet(3).address, wallet(1).address.toLowerCase(), "0x0000000000000000000000000000000000000000"];

/** Values that pass the argument parsers, so that the fuzz also reaches the resolvers' later steps. */
const plausibleString = fc.constantFrom("1", "2", "GBTNT2600099", "FR", "DE", "0", ...addresses);

function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: plausibleString, weight: 3 },
    { arbitrary: hostileOnly(), weight: 2 },
  );
}

function hostileOnly(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.fullUnicodeString({ maxLength: 20 }),
    fc.constantFrom(
      "", " ", "0", "-1", "1", "2", "999999999999999999999999999999", "1e3", "0x", "0x12", "nope", "\ud800", "a\udc00b",
      "__proto__", "constructor", "prototype", "../../etc/passwd", "%00", "'; DROP TABLE works; --", "${7*7}", "{{7*7}}",
      "GBTNT2600099", "GB-TNT-26-00099", "T-034.524.680-1", "FR", "fr", "ZZ", "UK", "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
      "x".repeat(5000), "0x" + "ff".repeat(200), ...addresses,
    ),
  );
}

const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, -1, 1.5, 2 ** 53, "", [], {}));

/** A value for an input type: mostly plausible or hostile of the right shape, sometimes any JSON. */
function valueOf(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const inner = isNonNullType(type) ? type.ofType : type;
  const nullable = !isNonNullType(type);
  let arb: fc.Arbitrary<unknown>;
  if (isListType(inner)) {
    arb = fc.array(valueOf(inner.ofType as GraphQLInputType, depth + 1), { maxLength: depth > 1 ? 2 : 4 });
  } else if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    if (depth > 3) arb = fc.constant({});
    else
      arb = fc.record(Object.fromEntries(fields.map((f) => [f.name, valueOf(f.type, depth + 1)])), {
        requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
      });
  } else if (isEnumType(inner)) {
    arb = fc.oneof(fc.constantFrom(...inner.getValues().map((v) => v.name)), fc.constantFrom("Nope", "", "streaming"));
  } else if (isScalarType(inner)) {
    switch (inner.name) {
      case "Int":
        arb = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 5, 1000, 1001, 2 ** 31 - 1, -(2 ** 31)), fc.integer({ min: 1, max: 20 }));
        break;
      case "Float":
        arb = fc.double();
        break;
      case "Boolean":
        arb = fc.boolean();
        break;
      case "BigInt":
        arb = fc.oneof(fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String), fc.constantFrom("0", "1", "-1", "1.5", "1e9", "0x10", String(2n ** 40n)), fc.nat().map(String));
        break;
      default:
        arb = hostileString();
    }
  } else arb = anyJson;
  // Wrongly typed now and then: graphql-js must refuse it as the caller's mistake.
  const withWrong = fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: anyJson, weight: 1 });
  return nullable ? fc.oneof({ arbitrary: withWrong, weight: 9 }, { arbitrary: fc.constant(null), weight: 1 }) : withWrong;
}

/** A selection for a field's return type: its scalar and enum fields without required arguments (one level of objects). */
function selectionOf(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, depth = 0): string {
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return "";
  const parts: string[] = [];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const t = getNamedType(f.type);
    if (isScalarType(t) || isEnumType(t)) parts.push(f.name);
    else if (isObjectType(t) && depth < 1) {
      const sub = selectionOf(schema, f as GraphQLField<unknown, unknown>, depth + 1);
      if (sub) parts.push(`${f.name} ${sub}`);
    }
  }
  return parts.length ? `{ ${parts.join(" ")} }` : "{ __typename }";
}

describe("server/hostile: fuzz every argument of the schema (real chain, IPFS store and indexer)", function () {
  this.timeout(180_000);
  let s: Stack;
  let app: App;
  let schema: GraphQLSchema;

  before(async function () {
    this.timeout(600_000);
    s = await startStack();
    const cid = await s.ipfs.addJson({ title: "Fuzz Tide", artists: [{ name: "Ada Marlowe" }] });
    const owner = await s.d.signers[1]!.getAddress();
    await (await s.d.works.connect(s.d.signers[1]!).register(KIND.SoundRecording, cidBytes(cid), "0x" + Buffer.from("GBTNT2600099").toString("hex"), split([owner, 10000]))).wait();
    await s.run.synced();
    // Production mode (the harness's default), limits out of the way: the resolvers must see the values.
    app = s.makeApp({ RATE_LIMIT_ANON_BURST: "1000000", RATE_LIMIT_KEY_BURST: "1000000", TX_WAIT_TIMEOUT_MS: "5000", INDEX_WAIT_TIMEOUT_MS: "2000", SUBGRAPH_TIMEOUT_MS: "5000" });
    const r = await gql(app, getIntrospectionQuery());
    expect(r.body.errors, JSON.stringify(r.body.errors)).to.equal(undefined);
    schema = buildClientSchema(r.body.data as IntrospectionQuery);
  });
  after(async () => s?.close());

  it("behavior: every argument of every query and mutation, fuzzed → no 5xx, no leak, no pollution", async function () {
    console.log(`      fuzz seed ${SEED} (FUZZ_SEED), ${RUNS_PER_ARG} runs per argument (FUZZ_RUNS)`);
    const snapshot = prototypeSnapshot();
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    const codes = new Map<string, number>();
    let requests = 0;
    const roots = [
      { op: "query", type: schema.getQueryType()! },
      { op: "mutation", type: schema.getMutationType()! },
    ];
    let seed = SEED;
    for (const { op, type } of roots) {
      for (const field of Object.values(type.getFields())) {
        if (field.args.length === 0) continue;
        const argsArb = fc.record(Object.fromEntries(field.args.map((a) => [a.name, valueOf(a.type)])), { requiredKeys: field.args.filter((a) => isNonNullType(a.type)).map((a) => a.name) });
        const samples = fc.sample(argsArb, { seed: seed++, numRuns: RUNS_PER_ARG * field.args.length });
        const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
        const call = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
        const query = `${op}(${defs}) { ${field.name}(${call}) ${selectionOf(schema, field as GraphQLField<unknown, unknown>)} }`;
        for (const [i, variables] of samples.entries()) {
          const headers: Record<string, string> = i % 5 === 4 ? {} : { "x-api-key": s.writer.key };
          const r = await gql(app, query, variables as Record<string, unknown>, headers);
          requests++;
          const cls = `${Math.floor(r.status / 100)}xx`;
          statuses.set(cls, (statuses.get(cls) ?? 0) + 1);
          for (const e of r.body.errors ?? [{ extensions: { code: "none" } }]) codes.set(String(e.extensions?.code), (codes.get(String(e.extensions?.code)) ?? 0) + 1);
          const leak = LEAK.exec(r.text);
          if (r.status >= 500 || leak || (r.body.errors ?? []).some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR")) {
            failures.push(`${field.name} ${JSON.stringify(variables).slice(0, 300)} → ${r.status} ${leak ? `leak ${JSON.stringify(leak[0])} ` : ""}${r.text.slice(0, 300)}`);
          }
        }
      }
    }
    // The multipart map: random paths over prototype names and the operations' own keys.
    const segment = fc.constantFrom("variables", "input", "files", "0", "1", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "x", "");
    const paths = fc.sample(fc.array(segment, { minLength: 1, maxLength: 5 }).map((p) => p.join(".")), { seed: seed++, numRuns: 120 });
    for (const p of paths) {
      const { body, contentType } = multipart([
        { name: "operations", value: JSON.stringify({ query: "mutation($input: UploadWorkInput!) { uploadWork(input: $input) { metadataCid } }", variables: { input: { from: addresses[0], metadata: "{}", files: [null], split: [] } } }) },
        { name: "map", value: JSON.stringify({ 0: [p] }) },
        { name: "0", value: "bytes", filename: "a.wav", type: "audio/wav" },
      ]);
      const r = await post(app, body, { "x-api-key": s.writer.key, "content-type": contentType });
      requests++;
      const cls = `${Math.floor(r.status / 100)}xx`;
      statuses.set(cls, (statuses.get(cls) ?? 0) + 1);
      if (r.status >= 500 || LEAK.test(r.text)) failures.push(`multipart map ${JSON.stringify(p)} → ${r.status} ${r.text.slice(0, 200)}`);
    }
    const changed = restorePrototype(snapshot);
    const health = await app.yoga.fetch("http://api.test/healthz");
    const counts = Object.fromEntries([...statuses].sort());
    console.log(`      fuzz: ${requests} requests, status classes ${JSON.stringify(counts)}, failures ${failures.length}`);
    console.log(`      error codes (schema pass; "none" = answered without errors): ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}`);
    expect(changed, "Object.prototype changed").to.deep.equal([]);
    expect(health.status).to.equal(200);
    expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    expect(statuses.get("5xx") ?? 0).to.equal(0);
  });
});
