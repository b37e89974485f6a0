import { expect } from "chai";
import { countriesToBytes2, countryToBytes2, feeOf, InvalidSplitError, InvalidTerritoryError, normaliseSplit, shareOf, TOTAL_SHARES } from "../../../core/domain";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const C = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function splitError(fn: () => unknown): InvalidSplitError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InvalidSplitError);
    return err as InvalidSplitError;
  }
  throw new Error("expected InvalidSplitError");
}

describe("core/domain: splits, shares, fees and country encoding", () => {
  it("default: a valid split comes back sorted ascending by address (SplitLib's order)", () => {
    const s = normaliseSplit([
      { account: A, shareBps: 5000 },
      { account: B, shareBps: 3000 },
      { account: C, shareBps: 2000 },
    ]);
    expect(s.recipients).to.deep.equal([B, A, C]);
    expect(s.shares).to.deep.equal([3000, 5000, 2000]);
  });

  it("error: each rule of SplitLib.validate, naming the entry at fault", () => {
    expect(splitError(() => normaliseSplit([])).details).to.deep.equal({ path: "", reason: "a split needs at least one recipient" });
    const many = Array.from({ length: 101 }, (_, i) => ({ account: "0x" + (i + 1).toString(16).padStart(40, "0"), shareBps: 1 }));
    expect(splitError(() => normaliseSplit(many)).details.reason).to.equal("at most 100 recipients, got 101");
    expect(splitError(() => normaliseSplit([{ account: "0x" + "0".repeat(40), shareBps: TOTAL_SHARES }])).details.path).to.equal("0.account");
    expect(splitError(() => normaliseSplit([{ account: A, shareBps: 10_000 }, { account: B, shareBps: 0 }])).details.path).to.equal("1.shareBps");
    expect(splitError(() => normaliseSplit([{ account: A, shareBps: 1.5 }])).details.path).to.equal("0.shareBps");
    expect(splitError(() => normaliseSplit([{ account: A, shareBps: 5000 }, { account: A.toLowerCase(), shareBps: 5000 }])).details.reason).to.match(/appears twice$/);
    expect(splitError(() => normaliseSplit([{ account: A, shareBps: 5000 }, { account: B, shareBps: 4999 }])).details.reason).to.equal("shares must sum to 10000 basis points, they sum to 9999");
  });

  it("default: shares and fees round down like the contracts (amount × bps / 10,000)", () => {
    expect(shareOf(1_000_000n, 3000)).to.equal(300_000n);
    expect(shareOf(7n, 3333)).to.equal(2n);
    expect(feeOf(10n ** 16n, 250)).to.equal(25n * 10n ** 13n);
    expect(feeOf(399n, 250)).to.equal(9n);
    expect(feeOf(123n, 0)).to.equal(0n);
  });

  it("default: a country is its two ASCII letters as bytes2", () => {
    expect(countryToBytes2("FR")).to.equal("0x4652");
    expect(countriesToBytes2(["KP", "IR"])).to.deep.equal(["0x4b50", "0x4952"]);
  });

  it("error: a code that is not two upper-case letters is refused", () => {
    for (const bad of ["fr", "FRA", "F", "", "F1"]) expect(() => countryToBytes2(bad), bad).to.throw(InvalidTerritoryError);
  });
});
