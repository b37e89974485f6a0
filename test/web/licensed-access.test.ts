/**
 * The licensee dashboard's view of licensed files (web/src/lib/licensedAccess.ts): which files a
 * licence unlocks and, when not, why — from the work metadata through core's schema, by the rules
 * the delivery service applies (server/src/delivery/access.ts).
 */
import { expect } from "chai";
import { accessOf, fieldOf, fileSize, licensedFilesOf } from "../../web/src/lib/licensedAccess";
import { CID_A, CID_B, soundRecording } from "../core/metadata/fixtures";

const ENC = { scheme: "tantieme-aes-256-gcm-stream-1", chunkSize: 65536, encryptedSize: 1000 };

function doc(): Record<string, unknown> {
  return {
    ...soundRecording(),
    schemaVersion: "1.1.0",
    audio: { cid: CID_A, mimeType: "audio/wav", size: 952, name: "master.wav", access: "licensed", unlockedBy: ["Download"], encryption: ENC },
    preview: { cid: CID_B, mimeType: "audio/mpeg", size: 10, access: "public" },
    stems: [{ cid: CID_B, mimeType: "audio/flac", size: 5, access: "licensed", unlockedBy: ["Sync", "Derivative"], encryption: ENC }],
  };
}

describe("web: licensed files on the licensee dashboard", function () {
  it("default: the licensed files of a work, public ones left out", function () {
    const files = licensedFilesOf(doc());
    expect(files.map((f) => [fieldOf(f), f.name ?? null, f.unlockedBy])).to.deep.equal([
      ["audio", "master.wav", ["Download"]],
      ["stems", null, ["Sync", "Derivative"]],
    ]);
  });

  it("args: metadata that is missing, unreadable or invalid has no licensed files (never a crash)", function () {
    expect(licensedFilesOf(null)).to.deep.equal([]);
    expect(licensedFilesOf(undefined)).to.deep.equal([]);
    expect(licensedFilesOf({ kind: "sound-recording" })).to.deep.equal([]);
    expect(licensedFilesOf(soundRecording())).to.deep.equal([], "1.0.0: every file is public");
  });

  it("behavior: a licence unlocks a file only with one of its rights and while in effect", function () {
    const [master, stem] = licensedFilesOf(doc()) as [never, never];
    expect(accessOf(master, { rights: ["Streaming", "Download"], status: "Active" })).to.deep.equal({ kind: "unlocked" });
    expect(accessOf(stem, { rights: ["Derivative"], status: "Active" })).to.deep.equal({ kind: "unlocked" });
    expect(accessOf(master, { rights: ["Sync"], status: "Active" })).to.deep.equal({ kind: "needs-right", rights: ["Download"] });
    expect(accessOf(stem, { rights: ["Download"], status: "Active" })).to.deep.equal({ kind: "needs-right", rights: ["Sync", "Derivative"] });
    for (const status of ["Expired", "Revoked", "Scheduled"]) expect(accessOf(master, { rights: ["Download"], status })).to.deep.equal({ kind: "not-in-effect", status });
    // The wrong right is the reason first: an expired Sync licence would not unlock the master either.
    expect(accessOf(master, { rights: ["Sync"], status: "Expired" }).kind).to.equal("needs-right");
  });

  it("default: sizes read as people read them, in either language", function () {
    expect(fileSize(952, "en")).to.equal("952 B");
    expect(fileSize(176_444, "en")).to.equal("176.4 kB");
    expect(fileSize(176_444, "de")).to.equal("176,4 kB");
    expect(fileSize(1_250_000_000, "en")).to.equal("1.3 GB");
  });
});
