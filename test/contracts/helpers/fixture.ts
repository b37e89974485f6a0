import { ethers } from "hardhat";
import type { AddressLike, BigNumberish, Signer } from "ethers";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import type { Licensing, Works } from "../../../typechain-types";
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

export async function deployAll(admin: Signer, treasury: AddressLike) {
  const works = (await (await ethers.getContractFactory("Works")).deploy()) as unknown as Works;
  const libs: Record<string, string> = {};
  for (const name of ["DealLib", "OfferLib", "RoyaltyLib"]) {
    const lib = await (await ethers.getContractFactory(name)).deploy();
    libs[name] = await lib.getAddress();
  }
  const factory = await ethers.getContractFactory("Licensing", { libraries: libs, signer: admin });
  const licensing = (await factory.deploy(await works.getAddress(), await admin.getAddress(), treasury)) as unknown as Licensing;
  return { works, licensing, libs };
}

export interface OfferTermsInput {
  workId: BigNumberish; rights: number; territoryMode: number; countries: string[]; duration: BigNumberish;
  startDate: BigNumberish; price: BigNumberish; currency: string; cap: BigNumberish; exclusive: boolean;
  transferable: boolean; uri: string;
}

export function offerTerms(workId: BigNumberish, over: Partial<OfferTermsInput> = {}): OfferTermsInput {
  return {
    workId, rights: rightsMask(Right.Streaming, Right.Download), territoryMode: Mode.Worldwide, countries: [],
    duration: 0, startDate: 0, price: ethers.parseEther("0.01"), currency: ETH, cap: 0, exclusive: false,
    transferable: true, uri: "", ...over,
  };
}

/** Country codes as bytes2 hex. */
export const cc = (...codes: string[]): string[] => codes.map((c) => ethers.hexlify(ethers.toUtf8Bytes(c)));

export interface DealInput extends Omit<OfferTermsInput, "startDate" | "cap"> {
  licensee: string; start: BigNumberish; nonce: BigNumberish; deadline: BigNumberish;
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
