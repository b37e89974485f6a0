// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";

/// @title TermsLib — the checks and storage helpers every licence term goes through (internal
/// library shared by OfferLib, LicensingBase and SignedDeals, so offers and deals obey one rule)
library TermsLib {
    /// @notice Bitmask of the 11 rights.
    uint16 internal constant ALL_RIGHTS = 0x07ff;
    /// @notice `end` of a perpetual licence.
    uint40 internal constant PERPETUAL = type(uint40).max;
    /// @notice The reasons a licence may be revocable for: Breach, NonPayment, Dispute, Other.
    uint8 internal constant REVOCABLE_REASONS = 0x0f;

    /// @notice Reverts with LicensingInvalidRights unless `rights` is a non-empty set of the 11 rights.
    function validateRights(uint16 rights) internal pure {
        if (rights == 0 || rights & ~ALL_RIGHTS != 0) revert ILicensing.LicensingInvalidRights(rights);
    }

    /// @notice Reverts with LicensingInvalidRevocationTerms unless the policy names only revocable
    /// reasons, and a notice period only comes with a reason.
    function validateRevocation(uint8 revocableFor, uint32 noticePeriod) internal pure {
        if (revocableFor & ~REVOCABLE_REASONS != 0 || (revocableFor == 0 && noticePeriod != 0)) {
            revert ILicensing.LicensingInvalidRevocationTerms(revocableFor, noticePeriod);
        }
    }

    /// @notice The end of a term starting at `start`: PERPETUAL for duration 0. Reverts with
    /// LicensingInvalidTerm if the end does not fit below PERPETUAL.
    function termEnd(uint40 start, uint40 duration) internal pure returns (uint40) {
        if (duration == 0) return PERPETUAL;
        uint256 e = uint256(start) + duration;
        if (e >= PERPETUAL) revert ILicensing.LicensingInvalidTerm(start, duration);
        return uint40(e);
    }

    /// @notice Writes the non-zero words of a territory bitmap (a zero word costs nothing to keep).
    function storeBitmap(uint256[3] storage slot, uint256[3] memory bitmap) internal {
        if (bitmap[0] != 0) slot[0] = bitmap[0];
        if (bitmap[1] != 0) slot[1] = bitmap[1];
        if (bitmap[2] != 0) slot[2] = bitmap[2];
    }
}
