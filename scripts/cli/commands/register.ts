/** `tantieme register <folder>`: uploads a work folder (metadata.json + files) and registers it. */
import fs from "node:fs";
import path from "node:path";
import { CliError } from "../errors";
import { loadSigner } from "../keys";
import { signAndSubmit, type PreparedTransaction, type SubmissionResult } from "../sign";
import type { CommandContext } from "./context";

const UPLOAD = /* GraphQL */ `
  mutation Upload($input: UploadWorkInput!) {
    uploadWork(input: $input) {
      metadataCid kind identifier verified
      files { path field cid size mimeType }
      transaction { description to data value chainId from gas simulationError }
    }
  }
`;

export interface RegisterOptions {
  split?: { account: string; shareBps: number }[];
  /** A registrar's signed attestation (as `tantieme attest` writes it): the work is registered verified. */
  attestation?: Record<string, unknown>;
}

export interface RegisterResult {
  metadataCid: string;
  kind: string;
  identifier: string | null;
  verified: boolean;
  files: { path: string; field: string; cid: string; size: string; mimeType: string }[];
  submission: SubmissionResult;
}

/** Every relative `path` the metadata references (the files to upload). */
export function referencedPaths(doc: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.path === "string") found.push(o.path);
      Object.values(o).forEach(walk);
    }
  };
  walk(doc);
  return [...new Set(found)];
}

export async function register(ctx: CommandContext, folder: string, opts: RegisterOptions): Promise<RegisterResult> {
  const wallet = await loadSigner(ctx.keys);
  const metadataFile = path.join(folder, "metadata.json");
  let metadata: string;
  try {
    metadata = fs.readFileSync(metadataFile, "utf8");
  } catch (cause) {
    throw new CliError("METADATA_UNREADABLE", `${metadataFile}: cannot read (${(cause as Error).message})`, { file: metadataFile }, { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(metadata);
  } catch (cause) {
    throw new CliError("METADATA_INVALID_JSON", `${metadataFile}: not valid JSON (${(cause as Error).message})`, { file: metadataFile }, { cause });
  }
  const paths = referencedPaths(doc);
  for (const p of paths) {
    if (p.includes("/") || p.includes("\\") || p === ".." || p === ".") {
      throw new CliError("METADATA_BAD_PATH", `${metadataFile}: file "${p}" must be a plain file name inside the folder`, { file: p });
    }
  }
  const split = opts.split ?? [{ account: wallet.address, shareBps: 10_000 }];
  const files = paths.map((p, i) => ({ variablePath: `input.files.${i}`, file: path.join(folder, p) }));
  let bar: ReturnType<CommandContext["out"]["progress"]> | undefined;
  let result: { uploadWork: Omit<RegisterResult, "submission"> & { transaction: PreparedTransaction } };
  try {
    result = await ctx.api.upload(UPLOAD, { input: { from: wallet.address, metadata, files: files.map(() => null), split, ...(opts.attestation ? { attestation: opts.attestation } : {}) } }, files, (sent, total) => {
      bar ??= ctx.out.progress("upload", total, " bytes");
      bar.update(sent);
    });
  } finally {
    bar?.stop();
  }
  const upload = result.uploadWork;
  ctx.out.info(`stored on IPFS: metadata ${upload.metadataCid}${upload.files.map((f) => `\n  ${f.path} → ${f.cid} (${f.mimeType}, ${f.size} bytes)`).join("")}`);
  const [submission] = await signAndSubmit([upload.transaction], wallet, ctx.rpcUrl, ctx.api, ctx.out);
  return { metadataCid: upload.metadataCid, kind: upload.kind, identifier: upload.identifier, verified: upload.verified, files: upload.files, submission: submission! };
}
