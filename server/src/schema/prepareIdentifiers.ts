import { randomBytes } from "node:crypto";
import { verifyTypedData } from "ethers";
import { unixSeconds } from "../clock";
import { badInput } from "../errors";
import { worksInterface } from "../chain/contracts";
import { typedData } from "../chain/client";
import {
  attestationCovers, attestationScopeIndex, attestationSubject, ATTESTATION_TYPES, InvalidIdentifierError, workKindIndex,
  type AttestationScope, type WorkKindName,
} from "../../../core/domain";
import { address, amount, id, timestamp } from "./args";
import { requireScope, type AppContext } from "./context";
import { read } from "./transactions";

export const typeDefs = /* GraphQL */ `
  "What a registrar attests: that \`account\` controls an ISRC or ISWC, or every ISRC with a registrant prefix."
  input AttestationInput {
    "The registrar who signs (an EOA or an EIP-1271 wallet)"
    registrar: String!
    "The account vouched for: the registrant (or owner) of the work"
    account: String!
    kind: WorkKind!
    scope: AttestationScope!
    "The ISRC or ISWC (scope Identifier), or the 5-character ISRC prefix such as DE-A12 (scope IsrcPrefix)"
    identifier: String!
    "The registrar's nonce; absent = a random one. Pass it back with the signature."
    nonce: BigInt
    "Last second the attestation is valid; default now + 30 days. Pass it back with the signature."
    expiry: BigInt
    "The registrar's signature of the typed data, once signed"
    signature: String
  }

  type AttestationPreparation {
    "The attestation struct as Works.registerAttested / verifyIdentifier take it (signature included once given)"
    attestation: JSON!
    "What the registrar signs (eth_signTypedData_v4)"
    typedData: TypedData!
    "The identifier or prefix in canonical form"
    identifier: String!
    summary: String!
  }

  extend type Mutation {
    "An attestation for a registrar to sign; pass it with its signature to uploadWork or prepareIdentifierVerification."
    prepareAttestation(input: AttestationInput!): AttestationPreparation!
    "The transaction that marks a registered work's identifier verified with a registrar's signed attestation (owner or operator signs)."
    prepareIdentifierVerification(work: String!, from: String!, attestation: AttestationInput!): PreparedAction!
    """
    A registrar resolves a dispute: the transaction (signed by the registrar) that moves an identifier to
    the rightful work (\`toWork\`; absent = released), with the reason recorded on-chain. Licences sold
    under the old holder stay on record; licence status answers show the dispute.
    """
    prepareIdentifierReassignment(from: String!, kind: WorkKind!, identifier: String!, toWork: String, reason: String!): PreparedAction!
  }
`;

export interface AttestationArgs {
  registrar: string;
  account: string;
  kind: WorkKindName;
  scope: AttestationScope;
  identifier: string;
  nonce?: string | null;
  expiry?: string | null;
  signature?: string | null;
}

export interface PreparedAttestation {
  attestation: { registrar: string; account: string; kind: number; scope: number; identifier: string; nonce: string; expiry: string; signature: string };
  typedData: ReturnType<typeof typedData>;
  identifier: string;
  signed: boolean;
}

/** Parses an AttestationInput (BAD_USER_INPUT naming `field.*`) into the contract's struct and its typed data. */
export async function attestationArg(ctx: AppContext, input: AttestationArgs, field: string): Promise<PreparedAttestation> {
  const registrar = address(input.registrar, `${field}.registrar`);
  const account = address(input.account, `${field}.account`);
  let subject;
  try {
    subject = attestationSubject(input.kind, input.scope, input.identifier);
  } catch (err) {
    if (err instanceof InvalidIdentifierError) throw badInput(`${field}.identifier`, err.message);
    throw err;
  }
  const nonce = input.nonce == null ? BigInt("0x" + randomBytes(8).toString("hex")) : amount(input.nonce, `${field}.nonce`);
  const now = unixSeconds(ctx.deps.clock);
  const expiry = input.expiry == null ? now + 30n * 86_400n : timestamp(input.expiry, `${field}.expiry`);
  if (expiry < now) throw badInput(`${field}.expiry`, "has passed");
  if (expiry >= 1n << 64n) throw badInput(`${field}.expiry`, "must fit uint64");
  const chain = ctx.deps.chain;
  const registrars = await chain.registrars();
  const [isRegistrar, revoked] = await Promise.all([
    read(chain, `${field}.registrar`, "Registrars.isRegistrar", () => registrars.isRegistrar(registrar)),
    read(chain, `${field}.nonce`, "Registrars.isRevoked", () => registrars.isRevoked(registrar, nonce)),
  ]);
  if (!isRegistrar) throw badInput(`${field}.registrar`, `${registrar} is not a registrar`);
  if (revoked) throw badInput(`${field}.nonce`, `the registrar revoked attestations with nonce ${nonce}; use a higher one`);
  const message = {
    registrar, account, kind: workKindIndex(input.kind), scope: attestationScopeIndex(input.scope), identifier: subject.bytes12,
    nonce: nonce.toString(), expiry: expiry.toString(),
  };
  const domain = await chain.eip712Domain(await chain.registrarsAddress());
  const payload = typedData(domain, ATTESTATION_TYPES, "Attestation", message);
  const onchain = await chain.call("Registrars.attestationDigest", () => registrars.attestationDigest({ ...message, signature: "0x" }));
  if (onchain !== payload.digest) throw new Error(`Attestation digest mismatch: computed ${payload.digest}, Registrars.attestationDigest ${onchain}`);
  let signature = "0x";
  if (input.signature != null) {
    if (!/^0x[0-9a-fA-F]+$/.test(input.signature)) throw badInput(`${field}.signature`, "must be 0x-prefixed hex");
    signature = input.signature;
    // An EOA's signature is checked here; a contract wallet's (EIP-1271) by the contract itself.
    const code = await chain.call("eth_getCode", () => chain.provider.getCode(registrar));
    if (code === "0x") {
      let recovered: string | null = null;
      try {
        recovered = verifyTypedData(domain, ATTESTATION_TYPES, message, signature);
      } catch {
        recovered = null;
      }
      if (recovered?.toLowerCase() !== registrar.toLowerCase()) {
        throw badInput(`${field}.signature`, `does not sign this attestation as ${registrar}${recovered ? ` (signed by ${recovered}; were the nonce and expiry passed back unchanged?)` : ""}`);
      }
    }
  }
  return { attestation: { ...message, signature }, typedData: payload, identifier: subject.identifier, signed: signature !== "0x" };
}

function describe(a: AttestationArgs, canonical: string): string {
  return a.scope === "IsrcPrefix" ? `every ISRC with prefix ${canonical}` : `${a.kind === "SoundRecording" ? "ISRC" : "ISWC"} ${canonical}`;
}

export const resolvers = {
  Mutation: {
    async prepareAttestation(_: unknown, { input }: { input: AttestationArgs }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareAttestation");
      const p = await attestationArg(ctx, input, "input");
      return {
        attestation: p.attestation,
        typedData: p.typedData,
        identifier: p.identifier,
        summary: `${p.attestation.registrar} attests that ${p.attestation.account} controls ${describe(input, p.identifier)} until ${new Date(Number(p.attestation.expiry) * 1000).toISOString()}`,
      };
    },

    async prepareIdentifierVerification(_: unknown, args: { work: string; from: string; attestation: AttestationArgs }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareIdentifierVerification");
      const workId = id(args.work, "work");
      const from = address(args.from, "from");
      const chain = ctx.deps.chain;
      const work = await read(chain, "work", "Works.work", () => chain.works.work(workId));
      const owner = await read(chain, "work", "Works.ownerOf", () => chain.works.ownerOf(workId));
      const ok = await read(chain, "from", "Works.isAuthorized", () => chain.works.isAuthorized(from, workId));
      if (!ok) throw badInput("from", `${from} is neither the owner of work ${workId} nor an approved operator`);
      const held = Buffer.from(work.identifier.slice(2), "hex").toString("ascii").replace(/\0+$/, "");
      if (held === "") throw badInput("work", `work ${workId} holds no identifier to verify`);
      const p = await attestationArg(ctx, args.attestation, "attestation");
      if (!p.signed) throw badInput("attestation.signature", "the registrar's signature is needed (prepareAttestation gives the typed data to sign)");
      if (p.attestation.account.toLowerCase() !== owner.toLowerCase()) throw badInput("attestation.account", `the attestation vouches for ${p.attestation.account}, but work ${workId} is owned by ${owner}`);
      if (p.attestation.kind !== Number(work.kind) || !attestationCovers(args.attestation.scope, p.identifier, held)) {
        throw badInput("attestation.identifier", `the attestation (${describe(args.attestation, p.identifier)}) does not cover work ${workId}'s identifier ${held}`);
      }
      const tx = await chain.prepare({
        description: `Verify the identifier ${held} of work ${workId} with ${p.attestation.registrar}'s attestation`,
        to: chain.contracts.works.address,
        data: worksInterface.encodeFunctionData("verifyIdentifier", [workId, p.attestation]),
        from,
      });
      return { summary: `verify ${held} of work ${workId} (attested by ${p.attestation.registrar})`, transactions: [tx] };
    },

    async prepareIdentifierReassignment(_: unknown, args: { from: string; kind: WorkKindName; identifier: string; toWork?: string | null; reason: string }, ctx: AppContext) {
      requireScope(ctx, "write", "prepareIdentifierReassignment");
      const from = address(args.from, "from");
      let subject;
      try {
        subject = attestationSubject(args.kind, "Identifier", args.identifier);
      } catch (err) {
        if (err instanceof InvalidIdentifierError) throw badInput("identifier", err.message);
        throw err;
      }
      const reason = args.reason.trim();
      if (reason === "") throw badInput("reason", "say why the identifier moves (it is recorded on-chain)");
      if (reason.length > 1024) throw badInput("reason", "at most 1024 characters");
      const toWork = args.toWork == null ? 0n : id(args.toWork, "toWork");
      const chain = ctx.deps.chain;
      const registrars = await chain.registrars();
      if (!(await read(chain, "from", "Registrars.isRegistrar", () => registrars.isRegistrar(from)))) throw badInput("from", `${from} is not a registrar`);
      const kind = workKindIndex(args.kind);
      const holder = await read(chain, "identifier", "Works.identifierHolder", () => chain.works.identifierHolder(kind, subject.bytes12));
      if (toWork !== 0n) {
        const target = await read(chain, "toWork", "Works.work", () => chain.works.work(toWork));
        if (target.registeredAt === 0n) throw badInput("toWork", `work ${toWork} does not exist`);
        if (Number(target.kind) !== kind) throw badInput("toWork", `work ${toWork} is not a ${args.kind}`);
        if (toWork === holder) throw badInput("toWork", `work ${toWork} already holds ${subject.identifier}`);
      }
      const tx = await chain.prepare({
        description: `Move ${subject.identifier} from work ${holder} to ${toWork === 0n ? "nobody (released)" : `work ${toWork}`}: ${reason}`,
        to: chain.contracts.works.address,
        data: worksInterface.encodeFunctionData("reassignIdentifier", [kind, subject.bytes12, toWork, reason]),
        from,
      });
      return { summary: `reassign ${subject.identifier} from work ${holder} to ${toWork === 0n ? "none" : `work ${toWork}`} (${reason})`, transactions: [tx] };
    },
  },
};
