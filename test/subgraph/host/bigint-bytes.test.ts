import { expect } from "chai";
import fc from "fast-check";
import { replayable } from "../../helpers/fast-check";
import { bigIntToBytes, bytesToBigInt } from "../../../subgraph/runtime/asc/heap";

const hex = (v: bigint) => Buffer.from(bigIntToBytes(v)).toString("hex");

describe("subgraph/host: BigInt bytes (num-bigint to_signed_bytes_le, as graph-node writes them)", () => {
  it("args: minimal little-endian two's complement; zero is one byte", () => {
    expect(hex(0n)).to.equal("00");
    expect(hex(1n)).to.equal("01");
    expect(hex(127n)).to.equal("7f");
    expect(hex(128n)).to.equal("8000");
    expect(hex(-1n)).to.equal("ff");
    expect(hex(-128n)).to.equal("80");
    expect(hex(-129n)).to.equal("7fff");
    expect(hex(2n ** 255n)).to.equal(`${"00".repeat(31)}8000`);
    expect(hex(-(2n ** 255n))).to.equal(`${"00".repeat(31)}80`);
    // Around the small-number fast path's limit (2^48).
    expect(hex(2n ** 47n)).to.equal("00000000008000");
    expect(hex(2n ** 48n - 1n)).to.equal("ffffffffffff00");
    expect(hex(2n ** 48n)).to.equal("00000000000001");
    expect(hex(-(2n ** 48n))).to.equal("000000000000ff");
    expect(hex(-(2n ** 48n) - 1n)).to.equal("fffffffffffffe");
  });

  it("behavior: round-trips through bytesToBigInt for random values up to 300 bits (fast-check)", () => {
    // Every magnitude from 0 to 300 bits, both signs (a replayable seed, unlike Math.random).
    const value = fc.tuple(fc.bigUintN(300), fc.nat(300), fc.boolean()).map(([v, shift, negative]) => (negative ? -(v >> BigInt(shift)) : v >> BigInt(shift)));
    fc.assert(fc.property(value, (v) => {
      expect(bytesToBigInt(bigIntToBytes(v))).to.equal(v);
    }), replayable({ numRuns: 2000 }));
  });
});
