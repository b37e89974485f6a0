import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ApiError, badInput } from "../errors";
import { worksInterface } from "../chain/contracts";
import { MetadataError, MetadataValidationError, METADATA_FILE, packageWork } from "../../../core/metadata";
import { IpfsError } from "../../../core/content/errors";
import { attestationCovers, identifierToBytes12, parseIsrc, parseIswc, workKindIndex, type WorkKindName } from "../../../core/domain";
import { attestationArg, type AttestationArgs, type PreparedAttestation } from "./prepareIdentifiers";
import { makeUploadFolder } from "../uploadDir";
import { address } from "./args";
import { requireScope, type AppContext } from "./context";
import { parseSplit, type SplitInput } from "./transactions";

export const typeDefs = /* GraphQL */ `
  input UploadWorkInput {
    "The registrant (who will sign the registration and own the work)"
    from: String!
    """
    metadata.json as text: the work metadata, referencing the uploaded files by name
    (\`{"path": "master.wav", "mimeType": "audio/wav"}\`)
    """
    metadata: String!
    "The files metadata.json references (names must be plain file names)"
    files: [File!]!
    "The initial royalty split"
    split: [SplitRecipientInput!]!
    """
    A registrar's signed attestation that \`from\` controls the metadata's ISRC/ISWC (or its ISRC
    prefix): the work is registered verified (Works.registerAttested), and takes the identifier over
    from an unverified holder. Absent: registered unverified, and said so everywhere.
    """
    attestation: AttestationInput
  }

  "A stored file; a licensed file's cid is that of its ciphertext (delivered through /delivery/works/<id>/files/<cid>)"
  type UploadedFile { path: String!, field: String!, cid: String!, size: BigInt!, mimeType: String!, access: String! }

  type UploadWorkResult {
    metadataCid: String!
    "The canonical metadata stored on IPFS"
    metadata: JSON!
    files: [UploadedFile!]!
    kind: WorkKind!
    "ISRC or ISWC registered with the work, compact form"
    identifier: String
    "Whether the registration carries a registrar's attestation (the work will be verified)"
    verified: Boolean!
    "Works.register (or registerAttested with an attestation), to sign"
    transaction: Transaction!
  }

  extend type Mutation {
    "Validates and stores a work's files and metadata on IPFS; returns the CIDs and the registration transaction."
    uploadWork(input: UploadWorkInput!): UploadWorkResult!
  }
`;

/** The metadata document's kind → IWorks.WorkKind. */
const KINDS: Record<string, { name: WorkKindName; index: number }> = {
  "sound-recording": { name: "SoundRecording", index: workKindIndex("SoundRecording") },
  composition: { name: "Composition", index: workKindIndex("Composition") },
  design: { name: "Design", index: workKindIndex("Design") },
};

function metadataError(err: MetadataError): ApiError {
  if (err instanceof MetadataValidationError) {
    const first = err.details.issues[0];
    const field = `input.metadata${first ? first.path.replace(/^\$/, "") : ""}`;
    return new ApiError("BAD_USER_INPUT", `${field}: ${first?.reason ?? err.message}`, { field, details: { issues: err.details.issues }, cause: err });
  }
  const d = err.details as { field?: string; file?: string };
  const field = d.field ? `input.metadata${d.field.replace(/^\$/, "")}` : "input.files";
  return new ApiError("BAD_USER_INPUT", `${field}: ${err.message}`, { field, details: { file: d.file }, cause: err });
}

/** The bytes of an uploaded file, chunk by chunk (yoga's File streams are not Node's web streams). */
async function* chunksOf(file: File): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export const resolvers = {
  Mutation: {
    async uploadWork(_: unknown, { input }: { input: { from: string; metadata: string; files: File[]; split: SplitInput[]; attestation?: AttestationArgs | null } }, ctx: AppContext) {
      requireScope(ctx, "write", "uploadWork");
      const from = address(input.from, "input.from");
      const split = parseSplit(input.split, "input.split");
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(input.metadata);
      } catch (err) {
        throw badInput("input.metadata", `not valid JSON: ${(err as Error).message}`);
      }
      if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw badInput("input.metadata", "must be a JSON object");
      const kind = KINDS[String(doc.kind)];
      if (!kind) throw badInput("input.metadata.kind", `must be one of ${Object.keys(KINDS).join(", ")}`);

      // The identifier is checked against the chain before anything is stored.
      let identifier: string | null = null;
      try {
        if (kind.index === 0 && doc.isrc != null) identifier = parseIsrc(doc.isrc);
        if (kind.index === 1 && doc.iswc != null) identifier = parseIswc(doc.iswc);
      } catch (err) {
        throw badInput(kind.index === 0 ? "input.metadata.isrc" : "input.metadata.iswc", (err as Error).message);
      }
      const identifierBytes = identifierToBytes12(identifier);
      const chain = ctx.deps.chain;
      const idField = kind.index === 0 ? "input.metadata.isrc" : "input.metadata.iswc";
      let attestation: PreparedAttestation | null = null;
      if (input.attestation != null) {
        if (!identifier) throw badInput("input.attestation", `an attestation verifies an identifier: the metadata names no ${kind.index === 0 ? "isrc" : "iswc"}`);
        attestation = await attestationArg(ctx, input.attestation, "input.attestation");
        if (!attestation.signed) throw badInput("input.attestation.signature", "the registrar's signature is needed (prepareAttestation gives the typed data to sign)");
        if (attestation.attestation.account.toLowerCase() !== from.toLowerCase()) throw badInput("input.attestation.account", `the attestation vouches for ${attestation.attestation.account}, not the registrant ${from}`);
        if (attestation.attestation.kind !== kind.index || !attestationCovers(input.attestation.scope, attestation.identifier, identifier)) {
          throw badInput("input.attestation.identifier", `the attestation covers ${attestation.identifier}, not ${identifier}`);
        }
      }
      if (identifier) {
        const record = await chain.call("Works.identifierRecord", () => chain.works.identifierRecord(kind.index, identifierBytes));
        // A verified registration takes an identifier over from an unverified holder; nothing else does.
        if (record.workId !== 0n && (record.verified || !attestation)) {
          throw badInput(idField, `${identifier} is already registered by work ${record.workId}${record.verified ? " (verified)" : " (unverified: a registrar's attestation lets the rightful registrant take it over)"}`);
        }
      }

      const names = new Set<string>();
      input.files.forEach((f, i) => {
        const name = f.name;
        if (!name || name !== path.basename(name) || name === "." || name === ".." || name === METADATA_FILE || /[\\\0]/.test(name)) {
          throw badInput(`input.files.${i}`, `file name ${JSON.stringify(name)} must be a plain file name other than ${METADATA_FILE}`);
        }
        if (names.has(name)) throw badInput(`input.files.${i}`, `file name ${name} is used twice`);
        names.add(name);
      });

      // In the API's upload folder (named for this process, swept at start if it dies meanwhile);
      // on the multipart files' file system, so they are moved, not copied.
      const dir = await makeUploadFolder(ctx.deps.config.uploadDir, "tantieme-upload-");
      try {
        for (const f of input.files) {
          // Multipart files are already on disk (useStreamingUploads): moved, not copied.
          const onDisk = (f as unknown as { filepath?: string }).filepath;
          if (onDisk) await fsp.rename(onDisk, path.join(dir, f.name)).catch(() => fsp.copyFile(onDisk, path.join(dir, f.name)));
          else await pipeline(chunksOf(f), fs.createWriteStream(path.join(dir, f.name)));
        }
        await fsp.writeFile(path.join(dir, METADATA_FILE), input.metadata);
        let result;
        try {
          result = await packageWork(dir, ctx.deps.store, { signal: ctx.request.signal, sealer: ctx.deps.delivery?.keys });
        } catch (err) {
          if (err instanceof MetadataError) throw metadataError(err);
          if (err instanceof IpfsError) throw new ApiError("UPSTREAM_UNAVAILABLE", `IPFS store: ${err.message}`, { details: { service: "ipfs" }, cause: err });
          throw err;
        }
        const cid = result.metadataCid;
        const transaction = await chain.prepare({
          description: `Register ${kind.name} "${String((result.metadata as { title?: unknown }).title ?? "")}" (metadata ${cid.toString()})`,
          to: chain.contracts.works.address,
          data: attestation
            ? worksInterface.encodeFunctionData("registerAttested", [kind.index, cid.bytes, identifierBytes, split, attestation.attestation])
            : worksInterface.encodeFunctionData("register", [kind.index, cid.bytes, identifierBytes, split]),
          from,
        });
        return {
          metadataCid: cid.toString(),
          metadata: result.metadata,
          files: result.files.map((f) => ({ path: f.path, field: f.field, cid: f.cid.toString(), size: String(f.size), mimeType: f.mime, access: f.access })),
          kind: kind.name,
          identifier,
          verified: attestation !== null,
          transaction,
        };
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    },
  },
};
