import { expect } from "chai";
import {
  identifierToBytes12,
  ALL_RIGHTS_MASK, COUNTRY_CODES, InvalidIdentifierError, InvalidRightError, InvalidTerritoryError, decide, evaluateLicence,
  idToBytes32, iswcCheckDigit, licenceStatusAt, maskToRights, parseAddress, parseCountryCode, parseId, parseIsrc, parseIswc,
  parseTerritory, parseWorkRef, rightIndex, rightsToMask, territoryContains, type LicenceTerms,
} from "../../../core/domain";

describe("server/domain", function () {
  describe("rights", function () {
    it("default: names map to ILicensing.Right bits in order", function () {
      expect(rightIndex("Streaming")).to.equal(0);
      expect(rightIndex("AITraining")).to.equal(10);
      expect(rightsToMask(["Streaming", "Sync"])).to.equal(0b101);
      expect(maskToRights(0b101)).to.deep.equal(["Streaming", "Sync"]);
      expect(ALL_RIGHTS_MASK).to.equal(0x7ff);
    });
    it("error: empty, unknown, duplicated rights and foreign bits", function () {
      expect(() => rightsToMask([])).to.throw(InvalidRightError, /at least one/);
      expect(() => rightsToMask(["Streamin"])).to.throw(InvalidRightError, /expected one of/);
      expect(() => rightsToMask(["Print", "Print"])).to.throw(InvalidRightError, /twice/);
      expect(() => maskToRights(0x800)).to.throw(InvalidRightError, /outside/);
    });
  });

  describe("territory", function () {
    it("default: 249 assigned ISO 3166-1 alpha-2 codes", function () {
      expect(COUNTRY_CODES.size).to.equal(249);
      expect(parseCountryCode(" fr ")).to.equal("FR");
    });
    it("error: unassigned or malformed codes name the reason", function () {
      expect(() => parseCountryCode("UK")).to.throw(InvalidTerritoryError, /not an assigned/);
      expect(() => parseCountryCode("FRA")).to.throw(InvalidTerritoryError, /two-letter/);
      expect(() => parseCountryCode(33)).to.throw(InvalidTerritoryError, /string/);
    });
    it("behavior: worldwide, include and exclude lists", function () {
      expect(territoryContains({ mode: "Worldwide", countries: [] }, "JP")).to.equal(true);
      expect(territoryContains({ mode: "Include", countries: ["FR", "DE"] }, "DE")).to.equal(true);
      expect(territoryContains({ mode: "Include", countries: ["FR", "DE"] }, "US")).to.equal(false);
      expect(territoryContains({ mode: "Exclude", countries: ["US"] }, "US")).to.equal(false);
      expect(territoryContains({ mode: "Exclude", countries: ["US"] }, "CA")).to.equal(true);
    });
    it("error: territories the contracts refuse", function () {
      expect(() => parseTerritory("Worldwide", ["FR"])).to.throw(/no country list/);
      expect(() => parseTerritory("Include", [])).to.throw(/at least one/);
      expect(() => parseTerritory("Include", ["FR", "fr"])).to.throw(/twice/);
      expect(() => parseTerritory("Everywhere", [])).to.throw(/mode must be/);
      expect(() => parseTerritory("Exclude", [...COUNTRY_CODES])).to.throw(/every country/);
    });
  });

  describe("identifiers", function () {
    it("default: ISRC and ISWC canonical forms", function () {
      expect(parseIsrc("US-RC1-76-07839")).to.equal("USRC17607839");
      expect(parseIswc("T-034.524.680-1")).to.equal("T0345246801");
      expect(iswcCheckDigit("034524680")).to.equal(1);
    });
    it("error: ISRC syntax and ISWC check digit", function () {
      expect(() => parseIsrc("USRC1760783")).to.throw(InvalidIdentifierError, /12 characters/);
      expect(() => parseIsrc("U1RC17607839")).to.throw(InvalidIdentifierError, /2-letter country/);
      expect(() => parseIswc("T-034.524.680-2")).to.throw(InvalidIdentifierError, /check digit is 2, expected 1/);
    });
    it("default: ids as decimal or 32-byte hex; addresses checksummed", function () {
      expect(parseId("42")).to.equal(42n);
      expect(parseId(idToBytes32(42n))).to.equal(42n);
      expect(parseAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3")).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
      expect(parseWorkRef("7")).to.deep.equal({ by: "id", id: 7n });
      expect(parseWorkRef("USRC17607839")).to.deep.equal({ by: "isrc", isrc: "USRC17607839" });
      expect(parseWorkRef("T-034.524.680-1")).to.deep.equal({ by: "iswc", iswc: "T0345246801" });
    });
    it("error: ids and addresses", function () {
      expect(() => parseId("0")).to.throw(/start at 1/);
      expect(() => parseId("-1")).to.throw(/decimal integer/);
      expect(() => parseId("1".repeat(79))).to.throw();
      expect(() => parseAddress("0x123")).to.throw(/40 hex/);
      expect(() => parseAddress("0x5FBDB2315678afecb367f032d93F642f64180aa3")).to.throw(/checksum/);
    });
    it("behavior: checksums are remembered by spelling, so a known address never lets a wrong checksum through", function () {
      const lower = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
      const good = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
      for (let i = 0; i < 3; i++) {
        expect(parseAddress(lower)).to.equal(good);
        expect(parseAddress(good)).to.equal(good);
        expect(() => parseAddress("0x70997970C51812DC3a010C7d01b50e0d17dc79C8")).to.throw(/checksum/);
      }
      // More distinct addresses than the memory holds: still right after it is emptied.
      for (let i = 0; i < 10_050; i++) parseAddress(`0x${i.toString(16).padStart(40, "0")}`);
      expect(parseAddress(lower)).to.equal(good);
      expect(() => parseAddress(good.toLowerCase().replace("0x7", "0X7"))).to.throw(/40 hex/);
    });
  });

  describe("status", function () {
    const base: LicenceTerms = { rightsMask: rightsToMask(["Streaming"]), territoryMode: "Include", countries: ["FR"], start: 100n, end: 200n, revokedFrom: null };
    it("behavior: validity period is [start, end) as Licensing._statusAt", function () {
      expect(licenceStatusAt(base, 99n)).to.equal("Scheduled");
      expect(licenceStatusAt(base, 100n)).to.equal("Active");
      expect(licenceStatusAt(base, 199n)).to.equal("Active");
      expect(licenceStatusAt(base, 200n)).to.equal("Expired");
      expect(licenceStatusAt({ ...base, end: null }, 10n ** 12n)).to.equal("Active");
    });
    it("behavior: a revocation wins from its effective time", function () {
      const revoked = { ...base, revokedFrom: 150n };
      expect(licenceStatusAt(revoked, 149n)).to.equal("Active");
      expect(licenceStatusAt(revoked, 150n)).to.equal("Revoked");
      expect(licenceStatusAt(revoked, 250n)).to.equal("Revoked");
      expect(licenceStatusAt({ ...base, revokedFrom: 50n }, 60n)).to.equal("Revoked");
    });
    it("behavior: every reason a licence does not grant a use", function () {
      expect(evaluateLicence(base, { right: "Streaming", country: "FR", at: 150n })).to.deep.equal({ granted: true, status: "Active", reasons: [] });
      expect(evaluateLicence(base, { right: "Sync", country: "US", at: 250n }).reasons).to.deep.equal(["EXPIRED", "RIGHT", "TERRITORY"]);
      expect(evaluateLicence(base, { right: "Streaming", country: "FR", at: 1n }).reasons).to.deep.equal(["NOT_YET_VALID"]);
    });
    it("behavior: decide over several licences — any grant allows, else the union of reasons", function () {
      expect(decide([], { right: "Streaming", country: "FR", at: 150n })).to.include({ allowed: false }).and.have.property("reasons").deep.equal(["NO_LICENCE"]);
      const other = { ...base, countries: ["DE"], end: null };
      const d = decide([base, other], { right: "Streaming", country: "DE", at: 150n });
      expect(d.allowed).to.equal(true);
      expect(d.granting).to.deep.equal([other]);
      const no = decide([{ ...base, revokedFrom: 120n }, other], { right: "Sync", country: "FR", at: 150n });
      expect(no.allowed).to.equal(false);
      expect(no.reasons).to.deep.equal(["REVOKED", "RIGHT", "TERRITORY"]);
    });
  });

  describe("identifierToBytes12", function () {
    it("default: ASCII right-padded with zero bytes, as Works.register takes it", function () {
      expect(identifierToBytes12("GBTNT2600001")).to.equal("0x" + Buffer.from("GBTNT2600001").toString("hex"));
      expect(identifierToBytes12("T0345246801")).to.equal("0x" + Buffer.from("T0345246801").toString("hex") + "00");
      expect(identifierToBytes12(null)).to.equal("0x" + "00".repeat(12));
    });
    it("error: more than 12 characters", function () {
      expect(() => identifierToBytes12("GBTNT26000011")).to.throw(/at most 12 characters/);
    });
  });
});
