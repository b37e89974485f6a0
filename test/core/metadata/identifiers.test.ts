import { expect } from "chai";
import {
  checkIpi, checkIsni, checkIsrc, checkIswc, normalizeIpi, normalizeIsni, normalizeIsrc, normalizeIswc,
} from "../../../core/metadata";

describe("metadata: identifiers", () => {
  it("default: valid ISRC, ISWC, IPI, ISNI pass", () => {
    expect(checkIsrc("DEA123456789")).to.equal(null);
    expect(checkIsrc("USRC17607839")).to.equal(null);
    expect(checkIswc("T-034524680-1")).to.equal(null);
    expect(checkIpi("00250107808")).to.equal(null);
    expect(checkIpi("12345678993")).to.equal(null);
    expect(checkIsni("0000000218250097")).to.equal(null); // ORCID 0000-0002-1825-0097 (same mod 11-2)
    expect(checkIsni("000000012146438X")).to.equal(null);
  });

  it("error: wrong check digits name the expected digit", () => {
    // domain.md's example T-345246800-1 fails the ISO 15707 check (its check digit would be 3).
    expect(checkIswc("T-345246800-1")).to.equal("check digit is 1, expected 3");
    expect(checkIswc("T-034524680-2")).to.equal("check digit is 2, expected 1");
    expect(checkIpi("00250107809")).to.equal("check digits are 09, expected 08");
    expect(checkIsni("0000000218250098")).to.equal("check character is 8, expected 7");
    expect(checkIsni("0000000121464380")).to.equal("check character is 0, expected X");
  });

  it("error: wrong syntax is reported as syntax", () => {
    for (const bad of ["DE-A12-34-56789", "dea123456789", "DEA12345678", "D1A123456789", "DEA1234567890"]) expect(checkIsrc(bad)).to.match(/12 characters/);
    for (const bad of ["T0345246801", "T-03452468-1", "X-034524680-1"]) expect(checkIswc(bad)).to.match(/T-DDDDDDDDD-C/);
    for (const bad of ["250107808", "0025010780A", "002501078080"]) expect(checkIpi(bad)).to.match(/11 digits/);
    for (const bad of ["0000 0002 1825 0097", "000000021825009", "000000021825009x"]) expect(checkIsni(bad)).to.match(/16 characters/);
  });

  it("args: normalisers produce the canonical forms", () => {
    expect(normalizeIsrc("de-a12-34-56789")).to.equal("DEA123456789");
    expect(normalizeIswc("T-034.524.680-1")).to.equal("T-034524680-1");
    expect(normalizeIswc("t0345246801")).to.equal("T-034524680-1");
    expect(normalizeIpi("250107808")).to.equal("00250107808");
    expect(normalizeIsni("ISNI 0000 0001 2146 438x")).to.equal("000000012146438X");
  });
});
