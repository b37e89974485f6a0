import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the tantieme contracts: Registrars, Works, Governance, the six linked libraries of
 * Licensing, Licensing (bound to Governance), and Links. Immutable contracts, no proxy.
 * Parameters (ignition/parameters/<network>.json):
 *   Tantieme.admin      — Governance's default admin, holding every role (defaults to the deployer, account 0)
 *   Tantieme.treasury   — credited with protocol fees (defaults to the deployer)
 *   Tantieme.adminDelay — seconds a default admin transfer waits before it can be accepted (default 3 days)
 *   Tantieme.registrarsOwner — governs the registrar set, two-step transfers (defaults to the deployer)
 */
export default buildModule("Tantieme", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const treasury = m.getParameter("treasury", deployer);
  const adminDelay = m.getParameter("adminDelay", 3 * 24 * 3600);
  const registrarsOwner = m.getParameter("registrarsOwner", deployer);

  const registrars = m.contract("Registrars", [registrarsOwner]);
  const works = m.contract("Works", [registrars]);
  const governance = m.contract("Governance", [admin, adminDelay]);
  const dealLib = m.library("DealLib");
  const offerLib = m.library("OfferLib");
  const royaltyLib = m.library("RoyaltyLib");
  const revocationLib = m.library("RevocationLib");
  const exclusivityLib = m.library("ExclusivityLib");
  const licenceViewLib = m.library("LicenceViewLib");
  const licensing = m.contract("Licensing", [works, governance, treasury], {
    libraries: {
      DealLib: dealLib, OfferLib: offerLib, RoyaltyLib: royaltyLib, RevocationLib: revocationLib,
      ExclusivityLib: exclusivityLib, LicenceViewLib: licenceViewLib,
    },
  });
  // The deployer binds Governance to its Licensing once (Governance checks Licensing names it).
  m.call(governance, "bind", [licensing]);
  const links = m.contract("Links", [works]);

  return { registrars, works, governance, licensing, links, dealLib, offerLib, royaltyLib, revocationLib, exclusivityLib, licenceViewLib };
});
