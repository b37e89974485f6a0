import { z } from "zod/v4";
import { CID } from "multiformats/cid";
import { checkIpi, checkIsni, checkIsrc, checkIswc, IPI_PATTERN, ISNI_PATTERN, ISRC_PATTERN, ISWC_PATTERN } from "./identifiers";
import { SUPPORTED_MIME_TYPES, type SupportedMimeType } from "./mime";

/**
 * Work metadata, version 1. One document per work, discriminated by `kind`; `schemaVersion` is a
 * literal so a reader knows exactly which rules a stored document followed. Documents are strict
 * (unknown keys are errors) so that what is stored is exactly what was validated.
 */
export const SCHEMA_VERSION = "1.0.0" as const;
export const WORK_KINDS = ["sound-recording", "composition", "design"] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

// ------------------------------------------------------------------ building blocks

/** A check that only speaks when the syntax is right (the pattern reports the syntax). */
function identifier(pattern: RegExp, check: (v: string) => string | null, description: string) {
  return z
    .string()
    .regex(pattern, { error: (iss) => check(String(iss.input)) ?? "invalid syntax" })
    .refine((v) => !pattern.test(v) || check(v) === null, { error: (iss) => check(String(iss.input)) ?? "invalid" })
    .describe(description);
}

export const isrcSchema = identifier(ISRC_PATTERN, checkIsrc, "ISRC (ISO 3901), 12 characters without hyphens, e.g. DEA123456789");
export const iswcSchema = identifier(ISWC_PATTERN, checkIswc, "ISWC (ISO 15707) as T-DDDDDDDDD-C, check digit verified");
export const ipiSchema = identifier(IPI_PATTERN, checkIpi, "IPI Name Number, 11 digits, mod-101 check digits verified");
export const isniSchema = identifier(ISNI_PATTERN, checkIsni, "ISNI (ISO 27729), 16 characters without spaces, mod 11-2 check verified");

export const cidSchema = z
  .string()
  .regex(/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{58,})$/, { error: "must be a CIDv0 (Qm…) or a base32 CIDv1 (b…)" })
  .refine(
    (v) => {
      try {
        const cid = CID.parse(v);
        return cid.code === 0x70 || cid.code === 0x55;
      } catch {
        return false;
      }
    },
    { error: "is not a valid dag-pb or raw CID" },
  )
  .describe("IPFS CID of the file (Kubo-compatible CIDv0 as produced by tantieme)");

const text = (max: number) => z.string().trim().min(1, { error: "must not be empty" }).max(max, { error: `must be at most ${max} characters` });

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date YYYY-MM-DD" })
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, { error: "is not a calendar date" })
  .describe("Calendar date, YYYY-MM-DD");

const languageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Z]{2}|[0-9]{3}))?$/, { error: "must be a BCP 47 language tag such as en, pt-BR, zh-Hant-TW" })
  .describe("BCP 47 language tag");

/** Basis points: 10 000 = 100 %. */
const shareSchema = z
  .number()
  .int({ error: "must be an integer number of basis points" })
  .min(0, { error: "must be at least 0" })
  .max(10_000, { error: "must be at most 10000 (100 %)" })
  .describe("Share in basis points (10000 = 100 %)");

type MimeList = readonly [SupportedMimeType, ...SupportedMimeType[]];
const mimesOf = (family: string) =>
  (Object.keys(SUPPORTED_MIME_TYPES) as SupportedMimeType[]).filter((m) => SUPPORTED_MIME_TYPES[m] === family);

export const AUDIO_MIME_TYPES = mimesOf("audio").filter((m) => m !== "audio/midi") as unknown as MimeList;
export const IMAGE_MIME_TYPES = mimesOf("image") as unknown as MimeList;
export const TEXT_MIME_TYPES = mimesOf("text") as unknown as MimeList;
export const DESIGN_MIME_TYPES = [...mimesOf("image"), ...mimesOf("document"), ...mimesOf("font")] as unknown as MimeList;
export const SCORE_MIME_TYPES = ["application/pdf", "audio/midi"] as const satisfies MimeList;

/** A stored file: its CID, MIME type and size. */
export function fileRefSchema(mimeTypes: MimeList) {
  return z
    .object({
      cid: cidSchema,
      mimeType: z.enum(mimeTypes, { error: `must be one of ${mimeTypes.join(", ")}` }).describe("MIME type, checked against the content"),
      size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe("File size in bytes"),
      name: text(255).optional().describe("Original file name (informative)"),
    })
    .strict();
}

const party = {
  name: text(200).describe("Name as credited"),
  ipi: ipiSchema.optional(),
  isni: isniSchema.optional(),
};

export const RECORDING_ROLES = [
  "main-artist", "featured-artist", "performer", "vocalist", "instrumentalist", "producer", "co-producer",
  "recording-engineer", "mixing-engineer", "mastering-engineer", "arranger", "conductor", "remixer", "other",
] as const;
export const WRITER_ROLES = ["composer", "lyricist", "composer-lyricist", "arranger", "adapter", "translator"] as const;
export const PUBLISHER_ROLES = ["original-publisher", "sub-publisher", "administrator", "income-participant"] as const;
export const DESIGN_ROLES = ["designer", "illustrator", "photographer", "type-designer", "art-director", "animator", "other"] as const;
export const DESIGN_FORMATS = ["raster", "vector", "layered", "font", "document"] as const;
export const COLOR_PROFILES = ["sRGB", "Display P3", "Adobe RGB (1998)", "ProPhoto RGB", "CMYK", "Grayscale", "none"] as const;

const rolesOf = <T extends readonly [string, ...string[]]>(roles: T) =>
  z.array(z.enum(roles, { error: `must be one of ${roles.join(", ")}` })).min(1, { error: "needs at least one role" });

const common = {
  schemaVersion: z.literal(SCHEMA_VERSION, { error: `must be "${SCHEMA_VERSION}"` }).describe("Version of the tantieme work metadata schema"),
  title: text(500).describe("Title of the work"),
  description: text(10_000).optional().describe("Free-text description"),
};

// ------------------------------------------------------------------ the three kinds

export const soundRecordingSchema = z
  .object({
    ...common,
    kind: z.literal("sound-recording"),
    artists: z.array(z.object(party).strict()).min(1, { error: "needs at least one artist" }).describe("Main artists as credited"),
    contributors: z
      .array(z.object({ ...party, roles: rolesOf(RECORDING_ROLES) }).strict())
      .default([])
      .describe("Everyone else who contributed, with roles"),
    isrc: isrcSchema.optional(),
    durationMs: z.number().int().positive({ error: "must be a positive number of milliseconds" }).describe("Duration in milliseconds"),
    audio: fileRefSchema(AUDIO_MIME_TYPES).describe("The audio master"),
    artwork: fileRefSchema(IMAGE_MIME_TYPES).optional().describe("Cover artwork"),
    releaseDate: dateSchema.optional(),
    language: languageSchema.optional(),
    genre: text(100).optional().describe("Genre"),
  })
  .strict()
  .describe("tantieme work metadata: a sound recording (master)");

export const compositionSchema = z
  .object({
    ...common,
    kind: z.literal("composition"),
    writers: z
      .array(z.object({ ...party, roles: rolesOf(WRITER_ROLES), share: shareSchema }).strict())
      .min(1, { error: "needs at least one writer" })
      .describe("Writers with roles and shares"),
    publishers: z
      .array(z.object({ ...party, role: z.enum(PUBLISHER_ROLES, { error: `must be one of ${PUBLISHER_ROLES.join(", ")}` }), share: shareSchema }).strict())
      .default([])
      .describe("Publishers with roles and shares"),
    iswc: iswcSchema.optional(),
    lyrics: fileRefSchema(TEXT_MIME_TYPES).optional().describe("Lyrics as a text file"),
    score: fileRefSchema(SCORE_MIME_TYPES).optional().describe("Sheet music (PDF) or MIDI"),
    language: languageSchema.optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const total = [...doc.writers, ...doc.publishers].reduce((sum, p) => sum + p.share, 0);
    if (total !== 10_000) {
      ctx.addIssue({ code: "custom", path: ["writers"], message: `writer and publisher shares must add up to 10000 basis points, got ${total}` });
    }
  })
  .describe("tantieme work metadata: a musical composition");

export const designSchema = z
  .object({
    ...common,
    kind: z.literal("design"),
    creators: z
      .array(z.object({ ...party, roles: rolesOf(DESIGN_ROLES) }).strict())
      .min(1, { error: "needs at least one creator" })
      .describe("Creators with roles"),
    files: z
      .array(
        fileRefSchema(DESIGN_MIME_TYPES)
          .extend({
            format: z.enum(DESIGN_FORMATS, { error: `must be one of ${DESIGN_FORMATS.join(", ")}` }).describe("Kind of design file"),
            dimensions: z
              .object({
                width: z.number().positive({ error: "must be positive" }),
                height: z.number().positive({ error: "must be positive" }),
                unit: z.enum(["px", "mm", "in", "pt"]),
              })
              .strict()
              .optional()
              .describe("Intrinsic size"),
            colorProfile: z.enum(COLOR_PROFILES, { error: `must be one of ${COLOR_PROFILES.join(", ")}` }).optional().describe("Colour profile"),
          })
          .strict(),
      )
      .min(1, { error: "needs at least one file" })
      .describe("The design's media files"),
  })
  .strict()
  .describe("tantieme work metadata: a design (illustration, typeface, photo, pattern …)");

export const workMetadataSchema = z
  .discriminatedUnion("kind", [soundRecordingSchema, compositionSchema, designSchema], {
    error: (iss) => (iss.code === "invalid_union" ? `kind must be one of ${WORK_KINDS.join(", ")}` : undefined),
  })
  .describe("tantieme work metadata, version 1");

export type SoundRecordingMetadata = z.output<typeof soundRecordingSchema>;
export type CompositionMetadata = z.output<typeof compositionSchema>;
export type DesignMetadata = z.output<typeof designSchema>;
export type WorkMetadata = z.output<typeof workMetadataSchema>;
export type WorkMetadataInput = z.input<typeof workMetadataSchema>;
export type FileRef = z.output<ReturnType<typeof fileRefSchema>>;
