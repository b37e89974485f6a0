import { expect } from "chai";
import { AbiCoder, ParamType } from "ethers";
import { AbiDecodeError, abiTypeOf, decodeAbi, decodeTopic } from "../../../subgraph/runtime/host/abi-decode";
import { ethEncode, ethTypeOf, fromEthers, toEthers } from "../../../subgraph/runtime/host/ethabi";

const coder = AbiCoder.defaultAbiCoder();
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), "hex"));

describe("subgraph/host: ABI decoder (event parameters, ethereum.decode)", () => {
  const cases: [string, unknown[]][] = [
    ["(uint256,int256,address,bool,bytes32,bytes4)", [2n ** 256n - 1n, -(2n ** 255n), "0x5FbDB2315678afecb367f032d93F642f64180aa3", true, `0x${"ab".repeat(32)}`, "0xdeadbeef"]],
    ["(int8,uint8,int24,uint64)", [-128n, 255n, -1n, 2n ** 64n - 1n]],
    ["(string,bytes,string)", ["héllo ✓", "0x", ""]],
    ["(uint256[],string[],bytes[2])", [[1n, 2n, 3n], ["a", "", "ccc"], ["0x01", "0x0203"]]],
    ["((uint256,string),(address,bytes)[],uint16[3])", [[7n, "seven"], [["0x0000000000000000000000000000000000000001", "0xff"]], [1n, 2n, 3n]]],
    ["(uint256[][],(string,uint8[2])[2])", [[[1n], [], [2n, 3n]], [["x", [1n, 2n]], ["y", [3n, 4n]]]]],
  ];

  for (const [sig, values] of cases) {
    it(`args: ${sig} decodes exactly like ethers' AbiCoder`, () => {
      const t = ParamType.from(sig);
      const data = coder.encode(t.components!, values);
      const expected = t.components!.map((c, i) => fromEthers(c, coder.decode(t.components!, data)[i]));
      expect(decodeAbi(t.components!.map(abiTypeOf), bytes(data))).to.deep.equal(expected);
    });
  }

  for (const [sig, values] of cases) {
    it(`args: ethereum.encode of ${sig} equals ethers' AbiCoder byte for byte`, () => {
      const t = ParamType.from(sig);
      const value = fromEthers(t, coder.decode([t], coder.encode([t], [values]))[0]);
      const expected = coder.encode([ParamType.from(ethTypeOf(value))], [toEthers(value)]);
      expect(`0x${Buffer.from(ethEncode(value)!).toString("hex")}`).to.equal(expected);
    });
  }

  it("error: ethereum.encode returns null for out-of-range numbers and wrong address lengths", () => {
    expect(ethEncode({ kind: 4, value: 2n ** 256n })).to.equal(null);
    expect(ethEncode({ kind: 3, value: -(2n ** 255n) - 1n })).to.equal(null);
    expect(ethEncode({ kind: 0, value: new Uint8Array(19) })).to.equal(null);
    expect(ethEncode({ kind: 4, value: 2n ** 256n - 1n })).to.not.equal(null);
  });

  it("args: indexed static values decode from their topic", () => {
    const t = ParamType.from("int256");
    expect(decodeTopic(abiTypeOf(t), bytes(coder.encode([t], [-5n])))).to.deep.equal({ kind: 3, value: -5n });
  });

  it("args: a topic given as the RPC's hex string decodes exactly as its bytes (dirty high bits included)", () => {
    const dirty = `0x${"ff".repeat(12)}${"ab".repeat(20)}`;
    const topics: [string, string][] = [
      ["uint256", coder.encode(["uint256"], [2n ** 256n - 1n])],
      ["uint8", dirty],
      ["int256", coder.encode(["int256"], [-5n])],
      ["int24", dirty],
      ["bool", coder.encode(["bool"], [true])],
      ["bool", `0x${"00".repeat(32)}`],
      ["address", dirty],
      ["address", dirty.toUpperCase().replace("0X", "0x")],
      ["bytes32", dirty],
      ["uint256", "0x05"], // not a whole word: the reader's error, as for bytes
    ];
    for (const [sig, hex] of topics) {
      const t = abiTypeOf(ParamType.from(sig));
      let expected: unknown;
      try {
        expected = decodeTopic(t, bytes(hex));
      } catch (err) {
        expect(() => decodeTopic(t, hex), `${sig} ${hex}`).to.throw(AbiDecodeError, (err as Error).message);
        continue;
      }
      expect(decodeTopic(t, hex), `${sig} ${hex}`).to.deep.equal(expected);
    }
  });

  it("behavior: non-validating like alloy: dirty high bits of an address / uint8 are ignored, any non-zero word is true", () => {
    const word = (hex: string) => hex.padStart(64, "0");
    const data = bytes(`0x${"ff".repeat(12)}${"11".repeat(20)}${word("1ff")}${word("2")}`);
    const out = decodeAbi(["address", "uint8", "bool"].map((s) => abiTypeOf(ParamType.from(s))), data);
    expect(Buffer.from(out[0].value as Uint8Array).toString("hex")).to.equal("11".repeat(20));
    expect(out[1].value).to.equal(0xffn);
    expect(out[2].value).to.equal(true);
  });

  it("error: truncated data and out-of-range offsets/lengths throw AbiDecodeError naming the type", () => {
    const t = [abiTypeOf(ParamType.from("string"))];
    expect(() => decodeAbi(t, new Uint8Array(31))).to.throw(AbiDecodeError, /cannot decode string at offset 0: data too short/);
    const huge = bytes(`0x${"20".padStart(64, "0")}${"ff".repeat(32)}`);
    expect(() => decodeAbi(t, huge)).to.throw(AbiDecodeError, /exceeds the data/);
    const arr = [abiTypeOf(ParamType.from("uint256[]"))];
    const long = bytes(`0x${"20".padStart(64, "0")}${"03".padStart(64, "0")}${"01".padStart(64, "0")}`);
    expect(() => decodeAbi(arr, long)).to.throw(AbiDecodeError);
  });
});
