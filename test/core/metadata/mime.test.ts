import { expect } from "chai";
import { mimeMatches, normalizeMimeType, sniffMime } from "../../../core/metadata";

const b = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

describe("metadata: MIME sniffing", () => {
  it("default: each accepted format is recognised from its first bytes", () => {
    const cases: [Buffer, string][] = [
      [b("RIFF", [0, 0, 0, 0], "WAVEfmt "), "audio/wav"],
      [b("FORM", [0, 0, 0, 0], "AIFF"), "audio/aiff"],
      [b("FORM", [0, 0, 0, 0], "AIFC"), "audio/aiff"],
      [b("fLaC", [0, 0, 0, 34]), "audio/flac"],
      [b("ID3", [4, 0, 0, 0, 0, 0, 0]), "audio/mpeg"],
      [b([0xff, 0xfb, 0x90, 0x64]), "audio/mpeg"],
      [b("OggS", [0, 2]), "audio/ogg"],
      [b([0, 0, 0, 0x20], "ftypM4A ", [0, 0, 0, 0]), "audio/mp4"],
      [b([0, 0, 0, 0x20], "ftypisom", [0, 0, 0, 0]), "video/mp4"],
      [b("MThd", [0, 0, 0, 6]), "audio/midi"],
      [b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "image/png"],
      [b([0xff, 0xd8, 0xff, 0xe0]), "image/jpeg"],
      [b("GIF89a"), "image/gif"],
      [b("RIFF", [0, 0, 0, 0], "WEBPVP8 "), "image/webp"],
      [b("II*", [0]), "image/tiff"],
      [b("MM", [0, 42]), "image/tiff"],
      [b("8BPS", [0, 1]), "image/vnd.adobe.photoshop"],
      [b("%PDF-1.7\n"), "application/pdf"],
      [b("OTTO", [0, 9]), "font/otf"],
      [b([0, 1, 0, 0, 0, 9]), "font/ttf"],
      [b("wOFF"), "font/woff"],
      [b("wOF2"), "font/woff2"],
      [b('<?xml version="1.0"?><!-- c --><!DOCTYPE svg><svg xmlns="x">'), "image/svg+xml"],
      [b(' {"a": 1}'), "application/json"],
      [Buffer.from("Zeile eins\nÄrger über Öl — ♪\n", "utf8"), "text/plain"],
    ];
    for (const [bytes, mime] of cases) expect(sniffMime(bytes), mime).to.equal(mime);
  });

  it("behavior: UTF-8 cut at the end of the sample is text, at the end of the file it is not", () => {
    const cut = Buffer.from("ab€", "utf8").subarray(0, 4);
    expect(sniffMime(cut)).to.equal("text/plain");
    expect(sniffMime(cut, { complete: true })).to.equal(undefined);
  });

  it("error: binary junk, invalid MPEG headers and NULs are not recognised", () => {
    expect(sniffMime(b([0, 1, 2, 3, 0xfe]))).to.equal(undefined);
    expect(sniffMime(b([0xff, 0xfb, 0xf0, 0x64]))).to.equal(undefined); // bitrate index 15
    expect(sniffMime(b("text\0more"))).to.equal(undefined);
  });

  it("args: declared types are normalised and compared", () => {
    expect(normalizeMimeType("Audio/X-WAV; codecs=1")).to.equal("audio/wav");
    expect(normalizeMimeType("image/jpg")).to.equal("image/jpeg");
    expect(normalizeMimeType("audio/x-ms-wma")).to.equal(undefined);
    expect(mimeMatches("video/mp4", "audio/mp4")).to.equal(true);
    expect(mimeMatches("text/plain", "application/json")).to.equal(true);
    expect(mimeMatches("image/png", "image/svg+xml")).to.equal(false);
  });
});
