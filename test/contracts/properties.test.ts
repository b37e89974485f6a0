import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { replayable } from "../helpers/fast-check";
import type { ContractTransactionResponse, Signer } from "ethers";
import { ETH, Kind, deployAll, makeCid, makeSplit, offerTerms, type Split , governanceOf } from "./helpers/fixture";
import { NO_ID, REVOCABLE_ANY, consentsFor, makeDeal, signed } from "./helpers/setup";

/** Deployment with a protocol fee and an allowlisted ERC-20; no work yet. */
async function propertyFixture() {
  const signers = await ethers.getSigners();
  const [admin, treasury] = signers;
  const pool = signers.slice(2, 10);
  const { works, licensing } = await deployAll(admin, treasury.address);
  await (await governanceOf(licensing)).connect(admin).setProtocolFee(250);
  const token = await (await ethers.getContractFactory("MockERC20")).deploy("USD Coin", "USDC");
  await (await governanceOf(licensing)).connect(admin).setCurrencyAllowed(await token.getAddress(), true);
  for (const s of pool) {
    await token.mint(s.address, 10n ** 24n);
    await token.connect(s).approve(await licensing.getAddress(), ethers.MaxUint256);
  }
  return { works, licensing, token, admin, treasury, pool };
}

const Op = fc.record({
  kind: fc.constantFrom(
    "register", "changeSplit", "offer", "purchase", "purchase", "purchase", "revoke", "distribute", "distribute", "withdraw", "withdraw",
    "deal", "surrender", "transferWork", "updateMetadata", "fee", "guarded",
  ),
  x: fc.nat(1_000_000),
  y: fc.nat(1_000_000),
  z: fc.nat(1_000_000),
});

/** A valid split of 1–4 distinct recipients from `pool`, shares skewed by `z`. */
function randomSplit(pool: Signer[] & { address: string }[], x: number, y: number, z: number): Split {
  const k = 1 + (x % 4);
  const picked: string[] = [];
  for (let i = 0; picked.length < k; i++) {
    const addr = pool[(y + i * 3) % pool.length].address;
    if (!picked.includes(addr)) picked.push(addr);
  }
  const base = Math.floor(10_000 / k);
  const shares = picked.map(() => base);
  shares[0] += 10_000 - base * k;
  if (k > 1) {
    const move = z % base; // keep every share ≥ 1
    shares[k - 1] -= Math.min(move, base - 1);
    shares[0] += Math.min(move, base - 1);
  }
  return makeSplit(picked.map((r, i) => [r, shares[i]] as [string, number]));
}

describe("Properties (fast-check)", () => {
  it("behavior: random registrations, split changes, offers, purchases (ETH, ERC-20, guarded), deals, revocations per policy, surrenders, work transfers, metadata updates, delayed fee changes, distributions, withdrawals — per currency, to the wei, paid in = withdrawn + balances + undistributed; nobody withdraws more than credited", async function () {
    this.timeout(900_000); // minutes under coverage on a busy machine
    await fc.assert(
      fc.asyncProperty(fc.array(Op, { minLength: 10, maxLength: 30 }), async (ops) => {
        const { works, licensing, token, treasury, pool } = await loadFixture(propertyFixture);
        const tokenAddr = await token.getAddress();
        const licensingAddr = await licensing.getAddress();
        const currencies = [ETH, tokenAddr];
        const accounts = [...pool.map((s) => s.address), treasury.address];
        const worksModel: Array<{ id: bigint; owner: Signer; version: number; splits: Split[] }> = [];
        const offers: Array<{ id: bigint; price: bigint; currency: string; revocable: boolean }> = [];
        const licences: Array<{ id: bigint; workIndex: number; revoked: boolean; revocable: boolean; holder: string; metadataVersion: bigint }> = [];
        const metadataVersions: bigint[] = [];
        let nonce = 0;
        const paidIn = new Map(currencies.map((c) => [c, 0n]));
        const withdrawn = new Map(currencies.map((c) => [c, 0n]));
        const credited = new Map<string, bigint>(); // `${account}/${currency}` → total ever credited
        const taken = new Map<string, bigint>(); // `${account}/${currency}` → total ever withdrawn
        const key = (a: string, c: string) => `${a}/${c}`;
        const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);

        /** Records the credits (Distributed amounts, protocol fee) a transaction made. */
        const track = async (tx: Promise<ContractTransactionResponse>) => {
          const receipt = await (await tx).wait();
          for (const log of receipt!.logs) {
            if (log.address !== licensingAddr) continue; // token Transfer logs share ERC-721 Transfer's topic
            const parsed = licensing.interface.parseLog(log);
            if (!parsed) continue;
            if (parsed.name === "Distributed") {
              const { recipients, amounts, currency } = parsed.args;
              recipients.forEach((r: string, i: number) => add(credited, key(r, currency), amounts[i]));
            } else if (parsed.name === "LicencePurchased" || parsed.name === "DealRedeemed") {
              const p = parsed.args.payment;
              add(credited, key(treasury.address, p.currency), p.fee);
            }
          }
        };

        for (const op of ops) {
          const { kind, x, y, z } = op;
          if (kind === "register" || worksModel.length === 0) {
            const owner = pool[x % pool.length];
            const split = randomSplit(pool, x, y, z);
            await works.connect(owner).register(Kind.Other, (await makeCid(`p-${worksModel.length}-${x}-${y}`)).bytes, NO_ID, split);
            worksModel.push({ id: BigInt(worksModel.length + 1), owner, version: 1, splits: [split] });
            metadataVersions.push(1n);
          } else if (kind === "changeSplit") {
            const w = worksModel[x % worksModel.length];
            const current = w.splits[w.version - 1];
            const next = randomSplit(pool, y, z, x);
            if (JSON.stringify(next) === JSON.stringify(current)) continue;
            const deadline = BigInt(await time.latest()) + 3600n;
            const consents = await consentsFor(works, pool, w.id, w.version, current, next, deadline);
            await works.connect(w.owner).changeSplit(w.id, current, next, deadline, consents);
            w.version += 1;
            w.splits.push(next);
          } else if (kind === "offer") {
            const w = worksModel[x % worksModel.length];
            const currency = currencies[y % 2];
            const price = BigInt(z % 3 === 0 ? 0 : z * 997);
            const revocable = z % 2 === 0;
            await licensing.connect(w.owner).createOffer(offerTerms(w.id, { currency, price, duration: 1000 + (x % 5000), revocableFor: revocable ? REVOCABLE_ANY : 0 }));
            offers.push({ id: BigInt(offers.length + 1), price, currency, revocable });
          } else if (kind === "purchase" || kind === "guarded") {
            if (offers.length === 0) continue;
            const o = offers[x % offers.length];
            const buyer = pool[y % pool.length];
            const licensee = pool[z % pool.length].address;
            const value = o.currency === ETH ? o.price : 0n;
            const last = BigInt(licences.length);
            if (kind === "guarded" && z % 2 === 1) { // a stale view of the licence count: refused, nothing changes
              await expect(licensing.connect(buyer).purchaseGuarded(o.id, licensee, last + 1n, { value })).to.be.revertedWithCustomError(licensing, "LicensingStateChanged");
              continue;
            }
            await track(kind === "guarded"
              ? licensing.connect(buyer).purchaseGuarded(o.id, licensee, last, { value })
              : licensing.connect(buyer).purchase(o.id, licensee, { value }));
            paidIn.set(o.currency, paidIn.get(o.currency)! + o.price);
            const workIndex = Number((await licensing.offer(o.id)).workId) - 1;
            licences.push({ id: last + 1n, workIndex, revoked: false, revocable: o.revocable, holder: licensee, metadataVersion: metadataVersions[workIndex] });
          } else if (kind === "deal") {
            const workIndex = x % worksModel.length;
            const w = worksModel[workIndex];
            const buyer = pool[y % pool.length];
            const price = BigInt(z % 5) * 1_000_003n;
            const revocable = z % 2 === 1;
            const epoch = (await works.work(w.id)).ownershipEpoch;
            const [deal, sig] = await signed(w.owner, licensing, await makeDeal(w.id, buyer.address, {
              price, nonce: ++nonce, ownershipEpoch: epoch, payer: ethers.ZeroAddress, revocableFor: revocable ? REVOCABLE_ANY : 0,
            }));
            await track(licensing.connect(buyer).redeemDeal(deal, sig, { value: price }));
            paidIn.set(ETH, paidIn.get(ETH)! + price);
            licences.push({
              id: BigInt(licences.length + 1), workIndex, revoked: false, revocable, holder: buyer.address, metadataVersion: metadataVersions[workIndex],
            });
          } else if (kind === "revoke" || kind === "surrender") {
            const live = licences.filter((l) => !l.revoked);
            if (live.length === 0) continue;
            const l = live[x % live.length];
            if (kind === "surrender") {
              const holder = pool.find((p) => p.address === l.holder)!;
              await licensing.connect(holder).surrender(l.id);
            } else if (!l.revocable) {
              await expect(licensing.connect(worksModel[l.workIndex].owner).revoke(l.id, y % 4, 0)).to.be.revertedWithCustomError(licensing, "LicensingNotRevocable");
              continue;
            } else {
              await licensing.connect(worksModel[l.workIndex].owner).revoke(l.id, y % 4, 0);
            }
            l.revoked = true;
          } else if (kind === "transferWork") {
            const w = worksModel[x % worksModel.length];
            const to = pool[y % pool.length];
            await works.connect(w.owner).transferFrom(await w.owner.getAddress(), to.address, w.id);
            w.owner = to; // the new owner inherits the licences' revocation policies
          } else if (kind === "updateMetadata") {
            const i = x % worksModel.length;
            await works.connect(worksModel[i].owner).updateMetadata(worksModel[i].id, (await makeCid(`m-${i}-${y}-${z}`)).bytes);
            metadataVersions[i] += 1n;
          } else if (kind === "fee") {
            await (await governanceOf(licensing)).connect((await ethers.getSigners())[0]).setProtocolFee(z % 1001);
            await time.increase(1 + (x % (8 * 24 * 3600))); // sometimes past FEE_DELAY
          } else if (kind === "distribute") {
            const w = worksModel[x % worksModel.length];
            const version = 1 + (y % w.version);
            const currency = currencies[z % 2];
            const [undistributed] = await licensing.revenue(w.id, version, currency);
            const split = w.splits[version - 1];
            const call = licensing.connect(pool[z % pool.length]).distribute(w.id, version, split, currency);
            const dustOnly = version === w.version && split.shares.every((share) => (undistributed * BigInt(share)) / 10_000n === 0n);
            if (undistributed === 0n) await expect(call).to.be.revertedWithCustomError(licensing, "RoyaltyNothingToDistribute");
            else if (dustOnly) await expect(call).to.be.revertedWithCustomError(licensing, "RoyaltyBelowDistributable");
            else await track(call);
          } else {
            const account = accounts[x % accounts.length];
            const currency = currencies[y % 2];
            const balance = await licensing.withdrawable(account, currency);
            const call = licensing.connect(pool[z % pool.length]).withdraw(account, currency);
            if (balance === 0n) {
              await expect(call).to.be.revertedWithCustomError(licensing, "RoyaltyNothingToWithdraw").withArgs(account, currency);
            } else {
              await call;
              withdrawn.set(currency, withdrawn.get(currency)! + balance);
              add(taken, key(account, currency), balance);
            }
          }

          // ── invariants, after every step, per currency, to the wei; every licence covers its version ──
          for (const l of licences.slice(-3)) expect((await licensing.licence(l.id)).metadataVersion).to.equal(l.metadataVersion);
          for (const currency of currencies) {
            let balances = 0n;
            for (const account of accounts) {
              const b = await licensing.withdrawable(account, currency);
              balances += b;
              const k = key(account, currency);
              expect(taken.get(k) ?? 0n).to.be.at.most(credited.get(k) ?? 0n);
              expect(b).to.equal((credited.get(k) ?? 0n) - (taken.get(k) ?? 0n));
            }
            let undistributed = 0n;
            for (const w of worksModel) {
              for (let v = 1; v <= w.version; v++) undistributed += (await licensing.revenue(w.id, v, currency))[0];
            }
            expect(withdrawn.get(currency)! + balances + undistributed).to.equal(paidIn.get(currency));
            const held = currency === ETH
              ? await ethers.provider.getBalance(await licensing.getAddress())
              : await token.balanceOf(await licensing.getAddress());
            expect(held).to.equal(paidIn.get(currency)! - withdrawn.get(currency)!);
          }
        }
      }),
      replayable({ numRuns: 25 }),
    );
  });
});
