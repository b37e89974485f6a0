import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { canonicalJson, validateWorkMetadata, MetadataValidationError } from "../../../core/metadata";
import { JSON_SCHEMA_DIR, renderJsonSchemas } from "../../../scripts/metadata-json-schema";
import { composition, design, soundRecording } from "./fixtures";

function issues(doc: unknown): { path: string; reason: string }[] {
  try {
    validateWorkMetadata(doc);
  } catch (err) {
    expect(err).to.be.instanceOf(MetadataValidationError);
    expect((err as MetadataValidationError).code).to.equal("METADATA_INVALID");
    return (err as MetadataValidationError).details.issues;
  }
  return expect.fail("expected MetadataValidationError");
}

function firstIssue(doc: unknown) {
  return issues(doc)[0]!;
}

function mutate(make: () => Record<string, unknown>, edit: (d: any) => void): Record<string, unknown> {
  const d = make();
  edit(d);
  return d;
}

describe("metadata: schemas", () => {
  it("default: a valid document of each kind passes and keeps its fields", () => {
    expect(validateWorkMetadata(soundRecording())).to.deep.include({ kind: "sound-recording", isrc: "DEA123456789" });
    expect(validateWorkMetadata(composition())).to.deep.include({ kind: "composition", iswc: "T-034524680-1" });
    expect(validateWorkMetadata(design())).to.deep.include({ kind: "design", title: "Wave pattern" });
  });

  it("error: schemaVersion and kind", () => {
    expect(firstIssue(mutate(soundRecording, (d) => (d.schemaVersion = "2.0.0")))).to.deep.equal({ path: "$.schemaVersion", reason: 'must be "1.0.0"' });
    expect(firstIssue(mutate(soundRecording, (d) => (d.kind = "video"))).path).to.equal("$.kind");
    expect(firstIssue([])).to.have.property("path", "$");
  });

  it("error: missing, unknown and empty fields name the JSON path", () => {
    expect(firstIssue(mutate(soundRecording, (d) => delete d.title))).to.deep.equal({ path: "$.title", reason: "is required" });
    expect(firstIssue(mutate(soundRecording, (d) => (d.tempo = 120)))).to.deep.equal({ path: "$.tempo", reason: "is not a field of this schema" });
    expect(firstIssue(mutate(soundRecording, (d) => (d.artists = [])))).to.deep.equal({ path: "$.artists", reason: "needs at least one artist" });
    expect(firstIssue(mutate(soundRecording, (d) => (d.artists[0].name = "  ")))).to.deep.equal({ path: "$.artists[0].name", reason: "must not be empty" });
    expect(firstIssue(mutate(soundRecording, (d) => (d.durationMs = -5))).path).to.equal("$.durationMs");
  });

  it("error: identifiers with bad check digits or syntax", () => {
    expect(firstIssue(mutate(soundRecording, (d) => (d.isrc = "DE-A12-34-56789"))).path).to.equal("$.isrc");
    expect(firstIssue(mutate(composition, (d) => (d.iswc = "T-345246800-1")))).to.deep.equal({ path: "$.iswc", reason: "check digit is 1, expected 3" });
    expect(firstIssue(mutate(composition, (d) => (d.writers[0].ipi = "12345678990")))).to.deep.equal({
      path: "$.writers[0].ipi",
      reason: "check digits are 90, expected 93",
    });
    expect(firstIssue(mutate(design, (d) => (d.creators[0].isni = "0000000218250098")))).to.deep.equal({
      path: "$.creators[0].isni",
      reason: "check character is 8, expected 7",
    });
    // One issue per bad value, not a syntax and a checksum complaint for the same field.
    expect(issues(mutate(composition, (d) => (d.iswc = "T0345246801")))).to.have.length(1);
  });

  it("error: files — CID, MIME type per field, size", () => {
    expect(firstIssue(mutate(soundRecording, (d) => (d.audio.cid = "Qm123")))).to.have.property("path", "$.audio.cid");
    expect(firstIssue(mutate(soundRecording, (d) => (d.audio.mimeType = "image/png")))).to.have.property("path", "$.audio.mimeType");
    expect(firstIssue(mutate(soundRecording, (d) => (d.artwork.mimeType = "audio/wav")))).to.have.property("path", "$.artwork.mimeType");
    expect(firstIssue(mutate(soundRecording, (d) => (d.audio.size = 1.5)))).to.have.property("path", "$.audio.size");
    expect(firstIssue(mutate(design, (d) => (d.files[1].format = "sculpture")))).to.have.property("path", "$.files[1].format");
    expect(firstIssue(mutate(design, (d) => (d.files[0].dimensions.width = 0)))).to.have.property("path", "$.files[0].dimensions.width");
  });

  it("error: composition shares must add up to 100 %", () => {
    expect(firstIssue(mutate(composition, (d) => (d.writers[1].share = 2_000)))).to.deep.equal({
      path: "$.writers",
      reason: "writer and publisher shares must add up to 10000 basis points, got 9500",
    });
    expect(firstIssue(mutate(composition, (d) => (d.writers[0].share = 10_001))).path).to.equal("$.writers[0].share");
  });

  it("error: dates and languages", () => {
    expect(firstIssue(mutate(soundRecording, (d) => (d.releaseDate = "2026-02-30")))).to.deep.equal({ path: "$.releaseDate", reason: "is not a calendar date" });
    expect(firstIssue(mutate(soundRecording, (d) => (d.language = "German"))).path).to.equal("$.language");
  });

  it("behavior: canonical JSON is key-order and Unicode-normalisation independent", () => {
    const a = soundRecording();
    const b = Object.fromEntries(Object.entries(soundRecording()).reverse());
    (a as any).title = "Cafe\u0301"; // decomposed é
    (b as any).title = "Caf\u00e9"; // precomposed é
    expect(canonicalJson(a)).to.equal(canonicalJson(b));
    expect(canonicalJson({ b: 1, a: [1, { d: true, c: null }], e: undefined })).to.equal('{"a":[1,{"c":null,"d":true}],"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).to.throw(/\$\.x: NaN/);
    expect(() => canonicalJson({ x: [1n] })).to.throw(/\$\.x\[0\]/);
  });

  it("behavior: the committed JSON Schema files are up to date with the zod schemas", async () => {
    const rendered = renderJsonSchemas();
    expect(Object.keys(rendered).sort()).to.deep.equal(["composition.v1.json", "design.v1.json", "sound-recording.v1.json", "work-metadata.v1.json"]);
    for (const [file, text] of Object.entries(rendered)) {
      expect(await readFile(path.join(JSON_SCHEMA_DIR, file), "utf8"), `${file} is stale: npm run metadata:json-schema`).to.equal(text);
    }
    const sr = JSON.parse(rendered["sound-recording.v1.json"]!);
    expect(sr.properties.isrc.pattern).to.equal("^[A-Z]{2}[A-Z0-9]{3}[0-9]{2}[0-9]{5}$");
    expect(sr.additionalProperties).to.equal(false);
  });
});
