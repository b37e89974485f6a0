import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the tantieme contracts: Works, then the three linked libraries, then Licensing.
 * Immutable contracts, no proxy. Parameters (ignition/parameters/<network>.json):
 *   Tantieme.admin    — receives every Licensing role (defaults to the deployer, account 0)
 *   Tantieme.treasury — credited with protocol fees (defaults to the deployer)
 */
export default buildModule("Tantieme", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const treasury = m.getParameter("treasury", deployer);

  const works = m.contract("Works", []);
  const dealLib = m.library("DealLib");
  const offerLib = m.library("OfferLib");
  const royaltyLib = m.library("RoyaltyLib");
  const licensing = m.contract("Licensing", [works, admin, treasury], {
    libraries: { DealLib: dealLib, OfferLib: offerLib, RoyaltyLib: royaltyLib },
  });

  return { works, licensing, dealLib, offerLib, royaltyLib };
});
