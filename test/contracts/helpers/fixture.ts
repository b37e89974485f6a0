import { ethers } from "hardhat";
import type { AddressLike, BigNumberish, Signer } from "ethers";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import type { Governance, Licensing, Links, Registrars, Works } from "../../../typechain-types";
import { ALL_RIGHTS_MASK, DEAL_TYPES, enumIndices, RIGHTS, SPLIT_CONSENT_TYPES, TERRITORY_MODES, WORK_KIND_NAMES } from "../../../core/domain";

/** Work kinds, territory modes and rights by name → on-chain index (the one list, in core/domain). */
export const Kind = enumIndices(WORK_KIND_NAMES);
export const Mode = enumIndices(TERRITORY_MODES);
export const Right = enumIndices(RIGHTS);
export const rightsMask = (...rights: number[]): number => rights.reduce((m, r) => m | (1 << r), 0);
export const ALL_RIGHTS = ALL_RIGHTS_MASK;
export const PERPETUAL = 2n ** 40n - 1n;
export const ETH = ethers.ZeroAddress;

export interface Split { recipients: string[]; shares: number[] }

/** A split from (address, share) pairs, sorted ascending by address as the contracts require. */
export function makeSplit(entries: Array<[string, number]>): Split {
  const sorted = [...entries].sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
  return { recipients: sorted.map((e) => e[0]), shares: sorted.map((e) => e[1]) };
}

/** An equal split of 10,000 bps over `addresses` (the remainder goes to the first after sorting). */
export function equalSplit(addresses: string[]): Split {
  const n = addresses.length;
  const base = Math.floor(10_000 / n);
  const s = makeSplit(addresses.map((a) => [a, base]));
  s.shares[0] += 10_000 - base * n;
  return s;
}

export function splitHash(split: Split): string {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address[]", "uint16[]"], [split.recipients, split.shares]));
}

/** A CIDv1 (raw by default) of some bytes, as binary and canonical string. */
export async function makeCid(seed: string, version: 0 | 1 = 1, codec = 0x55): Promise<{ bytes: Uint8Array; str: string }> {
  const mh = await sha256.digest(new TextEncoder().encode(seed));
  const cid = version === 0 ? CID.createV0(mh) : CID.createV1(codec, mh);
  return { bytes: cid.bytes, str: cid.toString() };
}

export const ascii12 = (s: string): string => ethers.hexlify(ethers.concat([ethers.toUtf8Bytes(s), new Uint8Array(12 - s.length)]));

/** The linked libraries of Licensing. */
export const LICENSING_LIBRARIES = ["DealLib", "OfferLib", "RoyaltyLib", "RevocationLib", "ExclusivityLib", "LicenceViewLib"] as const;
/** Default admin transfer delay of Governance in the tests (seconds). */
export const ADMIN_DELAY = 3 * 24 * 3600;

/** Deploys the linked libraries of Licensing and returns their addresses by name. */
export async function deployLibraries(): Promise<Record<string, string>> {
  const libs: Record<string, string> = {};
  for (const name of LICENSING_LIBRARIES) {
    const lib = await (await ethers.getContractFactory(name)).deploy();
    libs[name] = await lib.getAddress();
  }
  return libs;
}

/** Registrars (owned by `admin`), Works, Governance (admin holds every role), Licensing bound to
 * Governance, and Links. */
export async function deployAll(admin: Signer, treasury: AddressLike) {
  const adminAddress = await admin.getAddress();
  const registrars = (await (await ethers.getContractFactory("Registrars", admin)).deploy(adminAddress)) as unknown as Registrars;
  const works = (await (await ethers.getContractFactory("Works")).deploy(await registrars.getAddress())) as unknown as Works;
  const governance = (await (await ethers.getContractFactory("Governance", admin)).deploy(adminAddress, ADMIN_DELAY)) as unknown as Governance;
  const libs = await deployLibraries();
  const factory = await ethers.getContractFactory("Licensing", { libraries: libs, signer: admin });
  const licensing = (await factory.deploy(await works.getAddress(), await governance.getAddress(), treasury)) as unknown as Licensing;
  await (await governance.connect(admin).bind(await licensing.getAddress())).wait();
  const links = (await (await ethers.getContractFactory("Links")).deploy(await works.getAddress())) as unknown as Links;
  return { works, licensing, libs, registrars, governance, links };
}

/** The Governance contract that administers `licensing`. */
export async function governanceOf(licensing: Licensing): Promise<Governance> {
  return (await ethers.getContractAt("Governance", await licensing.governance())) as unknown as Governance;
}

export interface OfferTermsInput {
  workId: BigNumberish; rights: number; territoryMode: number; countries: string[]; duration: BigNumberish;
  startDate: BigNumberish; price: BigNumberish; currency: string; cap: BigNumberish; exclusive: boolean;
  transferable: boolean; revocableFor: number; noticePeriod: BigNumberish; uri: string;
}

export function offerTerms(workId: BigNumberish, over: Partial<OfferTermsInput> = {}): OfferTermsInput {
  return {
    workId, rights: rightsMask(Right.Streaming, Right.Download), territoryMode: Mode.Worldwide, countries: [],
    duration: 0, startDate: 0, price: ethers.parseEther("0.01"), currency: ETH, cap: 0, exclusive: false,
    transferable: true, revocableFor: 0, noticePeriod: 0, uri: "", ...over,
  };
}

/** Country codes as bytes2 hex. */
export const cc = (...codes: string[]): string[] => codes.map((c) => ethers.hexlify(ethers.toUtf8Bytes(c)));

export interface DealInput extends Omit<OfferTermsInput, "startDate" | "cap"> {
  licensee: string; payer: string; start: BigNumberish; ownershipEpoch: BigNumberish; nonce: BigNumberish; deadline: BigNumberish;
}

// The EIP-712 types are the one copy in core/domain (pinned to the contracts by test/core/domain/enums.test.ts).
export { DEAL_TYPES, SPLIT_CONSENT_TYPES as CONSENT_TYPES };

export async function domain(name: string, verifyingContract: string, chainId?: bigint) {
  return { name, version: "1", chainId: chainId ?? (await ethers.provider.getNetwork()).chainId, verifyingContract };
}

export async function signDeal(signer: Signer, licensing: string, deal: DealInput, chainId?: bigint): Promise<string> {
  return signer.signTypedData(await domain("tantieme Licensing", licensing, chainId), DEAL_TYPES, deal);
}

export async function signConsent(
  signer: Signer, works: string, v: { workId: BigNumberish; fromVersion: BigNumberish; newSplitHash: string; deadline: BigNumberish },
): Promise<string> {
  return signer.signTypedData(await domain("tantieme Works", works), SPLIT_CONSENT_TYPES, v);
}

export const ATTESTATION_TYPES = {
  Attestation: [
    { name: "registrar", type: "address" }, { name: "account", type: "address" }, { name: "kind", type: "uint8" },
    { name: "scope", type: "uint8" }, { name: "identifier", type: "bytes12" }, { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint64" },
  ],
};

/** Attestation scopes, same order as IRegistrars.Scope. */
export const Scope = { Identifier: 0, IsrcPrefix: 1 } as const;

export interface AttestationInput {
  registrar: string; account: string; kind: number; scope: number; identifier: string; nonce: BigNumberish; expiry: BigNumberish;
}

/** A registrar's signed attestation, ready to pass to Works.registerAttested / verifyIdentifier. */
export async function signAttestation(registrar: Signer, registrars: string, a: AttestationInput, signerOverride?: Signer) {
  const signature = await (signerOverride ?? registrar).signTypedData(await domain("tantieme Registrars", registrars), ATTESTATION_TYPES, a);
  return { ...a, signature };
}

export const LINK_CONSENT_TYPES = {
  LinkConsent: [
    { name: "recordingId", type: "uint256" }, { name: "compositionId", type: "uint256" },
    { name: "ownershipEpoch", type: "uint32" }, { name: "deadline", type: "uint256" },
  ],
};

export async function signLinkConsent(
  signer: Signer, links: string, v: { recordingId: BigNumberish; compositionId: BigNumberish; ownershipEpoch: BigNumberish; deadline: BigNumberish },
): Promise<string> {
  return signer.signTypedData(await domain("tantieme Links", links), LINK_CONSENT_TYPES, v);
}
