/** Valid documents of each kind; tests derive invalid ones from these. */
export const CID_A = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
export const CID_B = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

export function soundRecording(): Record<string, unknown> {
  return {
    schemaVersion: "1.0.0",
    kind: "sound-recording",
    title: "Nachtfahrt",
    artists: [{ name: "Lena Voss", isni: "000000012146438X" }],
    contributors: [{ name: "Jo Park", roles: ["producer", "mixing-engineer"], ipi: "00250107808" }],
    isrc: "DEA123456789",
    durationMs: 215_000,
    audio: { cid: CID_A, mimeType: "audio/wav", size: 12 },
    artwork: { cid: CID_B, mimeType: "image/png", size: 0 },
    releaseDate: "2026-03-01",
    language: "de",
    genre: "electronic",
  };
}

export function composition(): Record<string, unknown> {
  return {
    schemaVersion: "1.0.0",
    kind: "composition",
    title: "Nachtfahrt",
    writers: [
      { name: "Lena Voss", roles: ["composer-lyricist"], ipi: "12345678993", share: 5_000 },
      { name: "Jo Park", roles: ["composer"], share: 2_500 },
    ],
    publishers: [{ name: "Edition Nord", role: "original-publisher", ipi: "00250107808", share: 2_500 }],
    iswc: "T-034524680-1",
    lyrics: { cid: CID_A, mimeType: "text/plain", size: 12 },
    language: "de",
  };
}

export function design(): Record<string, unknown> {
  return {
    schemaVersion: "1.0.0",
    kind: "design",
    title: "Wave pattern",
    creators: [{ name: "Mia Chen", roles: ["illustrator"], isni: "0000000218250097" }],
    files: [
      { cid: CID_A, mimeType: "image/svg+xml", size: 12, format: "vector", dimensions: { width: 1200, height: 800, unit: "px" }, colorProfile: "sRGB" },
      { cid: CID_B, mimeType: "application/pdf", size: 0, format: "document", colorProfile: "CMYK" },
    ],
  };
}
