// Shared fixtures of the contract tests: a deployed Works + Licensing with one registered work
// (3-recipient split, ISRC) and one worldwide ETH offer, plus deal/consent/token helpers.
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { BigNumberish, Signer } from "ethers";
import type { Licensing, Works } from "../../../typechain-types";
import {
  ALL_RIGHTS, ETH, Kind, Mode, ascii12, deployAll, governanceOf, equalSplit, makeCid, offerTerms, signConsent, signDeal, splitHash,
  type DealInput, type Split,
} from "./fixture";

export const PRICE = ethers.parseEther("0.01");
export const YEAR = 365 * 24 * 3600;
/** bytes12(0): no ISRC / ISWC. */
export const NO_ID = ethers.ZeroHash.slice(0, 26);
export const ISRC = ascii12("DEA123456789");
/** A valid ISWC (T-034.524.680-1). */
export const ISWC = ascii12("T0345246801");
export const ERC5192_ID = "0xb45a3c0e";
/** revocableFor bitmask naming every revocable reason (Breach, NonPayment, Dispute, Other). */
export const REVOCABLE_ANY = 0x0f;
export const MAX_UINT40 = 2n ** 40n - 1n;

/** Enum values as the contracts define them. */
export const OfferStatus = { Active: 0, Paused: 1, Retired: 2 } as const;
export const Reason = { Breach: 0, NonPayment: 1, Dispute: 2, Other: 3, Surrendered: 4 } as const;
export const Status = { Active: 0, Scheduled: 1, Expired: 2, Revoked: 3 } as const;

/** Works + Licensing, work 1 (SoundRecording, ISRC, equal split over a, b, c) and offer 1
 * (worldwide, streaming + download, 1-year term, PRICE in ETH, transferable). */
export async function baseFixture() {
  const signers = await ethers.getSigners();
  const [admin, treasury, owner, a, b, c, buyer, other, operator] = signers;
  const { works, licensing, libs, registrars, governance, links } = await deployAll(admin, treasury.address);
  const split3 = equalSplit([a.address, b.address, c.address]);
  const cid = await makeCid("work-1");
  await works.connect(owner).register(Kind.SoundRecording, cid.bytes, ISRC, split3);
  // offer 1 may be revoked for any reason (Breach, NonPayment, Dispute, Other) with no notice
  await licensing.connect(owner).createOffer(offerTerms(1, { duration: YEAR, revocableFor: REVOCABLE_ANY }));
  return {
    works, licensing, libs, registrars, governance, links, admin, treasury, owner, a, b, c, buyer, other, operator, signers, split3, cid,
  };
}

export type Base = Awaited<ReturnType<typeof baseFixture>>;

/** Sets the timestamp of the next block to latest + `delta` and returns it (deterministic starts). */
export async function nextTimestamp(delta = 10): Promise<bigint> {
  const t = BigInt(await time.latest()) + BigInt(delta);
  await time.setNextBlockTimestamp(t);
  return t;
}

/** A deal for work `workId` (defaults: all rights, worldwide, perpetual, PRICE in ETH, locked,
 * revocable for any reason without notice, ownership epoch 0). The payer defaults to signer 0, the
 * default sender of the tests, so that `licensing.redeemDeal(...)` without `connect` is allowed. */
export async function makeDeal(workId: BigNumberish, licensee: string, over: Partial<DealInput> = {}): Promise<DealInput> {
  const [defaultSender] = await ethers.getSigners();
  return {
    workId, licensee, payer: defaultSender.address, rights: ALL_RIGHTS, territoryMode: Mode.Worldwide, countries: [], start: 0,
    duration: 0, price: PRICE, currency: ETH, exclusive: false, transferable: false, revocableFor: REVOCABLE_ANY, noticePeriod: 0,
    uri: "ipfs://deal-terms", ownershipEpoch: 0, nonce: 1, deadline: BigInt(await time.latest()) + 3600n, ...over,
  };
}

/** Signs `deal` as `signer` for `licensing` and returns [deal, signature]. */
export async function signed(signer: Signer, licensing: Licensing, deal: DealInput, chainId?: bigint): Promise<[DealInput, string]> {
  return [deal, await signDeal(signer, await licensing.getAddress(), deal, chainId)];
}

/** Recipients of `current` whose share decreases (or who are removed) in `next`, in `current` order. */
export function losers(current: Split, next: Split): string[] {
  return current.recipients.filter((r, i) => {
    const j = next.recipients.indexOf(r);
    return (j === -1 ? 0 : next.shares[j]) < current.shares[i];
  });
}

/** Consent signatures of every loser of a split change, in `current` order, from `pool`. */
export async function consentsFor(
  works: Works, pool: Signer[], workId: BigNumberish, fromVersion: BigNumberish, current: Split, next: Split, deadline: BigNumberish,
): Promise<string[]> {
  const byAddress = new Map<string, Signer>();
  for (const s of pool) byAddress.set(await s.getAddress(), s);
  const out: string[] = [];
  for (const r of losers(current, next)) {
    const s = byAddress.get(r);
    if (!s) throw new Error(`no signer for split recipient ${r}`);
    out.push(await signConsent(s, await works.getAddress(), { workId, fromVersion, newSplitHash: splitHash(next), deadline }));
  }
  return out;
}

/** Deploys a MockERC20, allowlists it and funds + approves `buyers`. */
export async function allowedToken(licensing: Licensing, admin: Signer, buyers: Signer[], amount = 10n ** 24n) {
  const token = await (await ethers.getContractFactory("MockERC20")).deploy("USD Coin", "USDC");
  await (await governanceOf(licensing)).connect(admin).setCurrencyAllowed(await token.getAddress(), true);
  for (const b of buyers) {
    await token.mint(await b.getAddress(), amount);
    await token.connect(b).approve(await licensing.getAddress(), ethers.MaxUint256);
  }
  return token;
}

/** The OfferCreated `terms` tuple as emitted. */
export function termsTuple(t: ReturnType<typeof offerTerms>): unknown[] {
  return [
    t.workId, t.rights, t.territoryMode, t.countries, t.duration, t.startDate, t.price, t.currency, t.cap, t.exclusive, t.transferable,
    t.revocableFor, t.noticePeriod, t.uri,
  ];
}

/** Registers another work owned by `owner` with `split` and returns its id (from WorkRegistered). */
export async function registerWork(works: Works, owner: Signer, split: Split, seed: string, kind: number = Kind.Other): Promise<bigint> {
  const receipt = await (await works.connect(owner).register(kind, (await makeCid(seed)).bytes, NO_ID, split)).wait();
  for (const log of receipt!.logs) {
    const parsed = works.interface.parseLog(log);
    if (parsed?.name === "WorkRegistered") return parsed.args.workId as bigint;
  }
  throw new Error("WorkRegistered not emitted");
}
