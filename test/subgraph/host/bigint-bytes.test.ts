import { expect } from "chai";
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

  it("behavior: round-trips through bytesToBigInt for random values up to 300 bits", () => {
    for (let i = 0; i < 2000; i++) {
      let v = 0n;
      for (let j = 0; j < 10; j++) v = (v << 30n) | BigInt(Math.floor(Math.random() * 2 ** 30));
      v >>= BigInt(Math.floor(Math.random() * 300));
      if (i % 2) v = -v;
      expect(bytesToBigInt(bigIntToBytes(v))).to.equal(v);
    }
  });
});
