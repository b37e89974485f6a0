import { expect } from "chai";
import { decideLayers, layersStillNeeded, rightsToMask, type LicenceTerms, type SocietyMandateTerms } from "../../../core/domain";

const GEMA: SocietyMandateTerms = { society: "GEMA", rightsMask: rightsToMask(["PublicPerformance", "Broadcast"]), territoryMode: "Include", countries: ["DE"] };
const SACEM: SocietyMandateTerms = { society: "SACEM", rightsMask: rightsToMask(["PublicPerformance"]), territoryMode: "Include", countries: ["FR", "MC"] };

describe("core/domain: layers a licence does not cover (layersStillNeeded)", function () {
  it("default: a recording's licence leaves each composition it embodies, for the same rights", () => {
    const needs = layersStillNeeded({ rights: ["Streaming", "Download"], territory: { mode: "Worldwide", countries: [] } }, [
      { workId: "2", role: "Composition", linkStatus: "Confirmed", mandates: [GEMA] },
    ]);
    // GEMA administers public performance and broadcast, not streaming: the composition's owner licenses it everywhere.
    expect(needs).to.deep.equal([{ workId: "2", role: "Composition", linkStatus: "Confirmed", rights: ["Streaming", "Download"], societies: [] }]);
  });

  it("behavior: a right a society administers in a country of the offer's territory names the society and those countries only", () => {
    const needs = layersStillNeeded({ rights: ["PublicPerformance", "Broadcast", "Streaming"], territory: { mode: "Exclude", countries: ["MC"] } }, [
      { workId: "2", role: "Composition", linkStatus: "Claimed", mandates: [SACEM, GEMA] },
    ]);
    expect(needs[0]!.linkStatus).to.equal("Claimed");
    expect(needs[0]!.rights).to.deep.equal(["PublicPerformance", "Broadcast", "Streaming"]);
    expect(needs[0]!.societies).to.deep.equal([
      { society: "GEMA", rights: ["PublicPerformance", "Broadcast"], countries: ["DE"] },
      { society: "SACEM", rights: ["PublicPerformance"], countries: ["FR"] }, // Monaco is outside the offer's territory
    ]);
  });

  it("behavior: a society whose mandate lies outside the offer's territory is not named", () => {
    const needs = layersStillNeeded({ rights: ["PublicPerformance"], territory: { mode: "Include", countries: ["US", "CA"] } }, [
      { workId: "2", role: "Composition", linkStatus: "Confirmed", mandates: [GEMA] },
    ]);
    expect(needs[0]!.societies).to.deep.equal([]);
  });

  it("behavior: a composition's licence leaves the recordings embodying it (masters carry no society mandates)", () => {
    const needs = layersStillNeeded({ rights: ["PublicPerformance"], territory: { mode: "Include", countries: ["DE"] } }, [
      { workId: "1", role: "Master", linkStatus: "Confirmed", mandates: [GEMA] },
    ]);
    expect(needs).to.deep.equal([{ workId: "1", role: "Master", linkStatus: "Confirmed", rights: ["PublicPerformance"], societies: [] }]);
    expect(layersStillNeeded({ rights: ["Print"], territory: { mode: "Worldwide", countries: [] } }, [])).to.deep.equal([]);
  });

  it("behavior: agrees with decideLayers — the recording's licence alone is denied on the composition layer, for the society where it administers", () => {
    const licence: LicenceTerms = { rightsMask: rightsToMask(["PublicPerformance"]), territoryMode: "Worldwide", countries: [], start: 0n, end: null, revokedFrom: null };
    const layers = [
      { role: "Master" as const, workId: "1", verified: true, linkStatus: null, licences: [licence], mandates: [] },
      { role: "Composition" as const, workId: "2", verified: true, linkStatus: "Confirmed" as const, licences: [], mandates: [GEMA] },
    ];
    const options = { requireVerified: false, societyLicences: [] };
    const inDe = decideLayers(layers, { right: "PublicPerformance", country: "DE", at: 1n }, options);
    const inUs = decideLayers(layers, { right: "PublicPerformance", country: "US", at: 1n }, options);
    expect(inDe.layers[1]!.reasons).to.deep.equal(["SOCIETY_LICENCE_REQUIRED"]);
    expect(inUs.layers[1]!.reasons).to.deep.equal(["NO_LICENCE"]);
    const [need] = layersStillNeeded({ rights: ["PublicPerformance"], territory: { mode: "Worldwide", countries: [] } }, [{ workId: "2", role: "Composition", linkStatus: "Confirmed", mandates: [GEMA] }]);
    expect(need!.societies).to.deep.equal([{ society: "GEMA", rights: ["PublicPerformance"], countries: ["DE"] }]);
  });
});
