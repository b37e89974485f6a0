import { expect } from "chai";
import { nextOfferStatuses, offerStatusChange } from "../../../core/domain/offers";

describe("core/domain: offer status changes (OfferBook's rule)", function () {
  it("default: pause, resume and retire map to their calls", () => {
    expect(offerStatusChange("Active", "Paused")).to.deep.equal({ call: "pauseOffer" });
    expect(offerStatusChange("Paused", "Active")).to.deep.equal({ call: "resumeOffer" });
    expect(offerStatusChange("Active", "Retired")).to.deep.equal({ call: "retireOffer" });
    expect(offerStatusChange("Paused", "Retired")).to.deep.equal({ call: "retireOffer" });
  });
  it("error: no change to the same status, none out of Retired", () => {
    expect(offerStatusChange("Paused", "Paused")).to.have.property("refused").that.matches(/already Paused/);
    for (const t of ["Active", "Paused", "Retired"] as const) expect(offerStatusChange("Retired", t)).to.have.property("refused").that.matches(/retired/);
  });
  it("behavior: the statuses each status can move to", () => {
    expect(nextOfferStatuses("Active")).to.deep.equal(["Paused", "Retired"]);
    expect(nextOfferStatuses("Paused")).to.deep.equal(["Active", "Retired"]);
    expect(nextOfferStatuses("Retired")).to.deep.equal([]);
  });
});
