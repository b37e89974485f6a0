// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {IWorks} from "../interfaces/IWorks.sol";

/// @title RevocationLib — ending licences early, as their terms allow (linked library run by
/// DELEGATECALL on Licensing's storage; keeps Licensing under the 24,576-byte code limit)
/// @notice revoke() and surrender() both end in one hook, `_revoke`. A licence's revocation policy
/// is its offer's (or, for a deal, its own): not revocable unless it names the reason, and never
/// effective before the notice period has passed. Whoever owns or operates the work is bound by it.
library RevocationLib {
    /// @notice Revokes `licenceId` for `reason`, effective at `effectiveAt` (0: when the notice ends).
    /// The caller must own or operate the work. Reverts with LicensingUnauthorized,
    /// LicensingInvalidReason, LicensingNotRevocable, LicensingNoticeTooShort or LicensingAlreadyRevoked.
    function revoke(
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        mapping(uint256 => ILicensing.RevocationTerms) storage offerRevocations,
        mapping(uint256 => ILicensing.RevocationTerms) storage dealRevocations,
        IWorks works,
        uint256 licenceId,
        ILicensing.RevocationReason reason,
        uint40 effectiveAt
    ) public {
        ILicensing.Licence memory lic = _require(licences, licenceId);
        if (!works.isAuthorized(msg.sender, lic.workId)) revert ILicensing.LicensingUnauthorized(msg.sender, lic.workId);
        if (reason == ILicensing.RevocationReason.Surrendered) revert ILicensing.LicensingInvalidReason(reason);
        ILicensing.RevocationTerms memory policy =
            lic.offerId != 0 ? offerRevocations[lic.offerId] : dealRevocations[licenceId];
        if ((policy.revocableFor >> uint8(reason)) & 1 == 0) {
            revert ILicensing.LicensingNotRevocable(licenceId, reason, policy.revocableFor);
        }
        uint256 earliest = block.timestamp + policy.noticePeriod;
        if (effectiveAt == 0) effectiveAt = uint40(earliest);
        else if (effectiveAt < earliest) revert ILicensing.LicensingNoticeTooShort(licenceId, effectiveAt, earliest);
        _revoke(revocations, licenceId, lic.workId, reason, effectiveAt);
    }

    /// @notice The licence holder `holder` (checked by the caller to be msg.sender) gives the licence
    /// up, effective now. Reverts with LicensingNotLicensee or LicensingAlreadyRevoked.
    function surrender(
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        uint256 licenceId,
        address holder
    ) public {
        uint256 workId = _require(licences, licenceId).workId;
        if (holder != msg.sender) revert ILicensing.LicensingNotLicensee(msg.sender, licenceId);
        _revoke(revocations, licenceId, workId, ILicensing.RevocationReason.Surrendered, uint40(block.timestamp));
    }

    /// @dev The one state change that ends a licence early.
    function _revoke(
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        uint256 licenceId,
        uint256 workId,
        ILicensing.RevocationReason reason,
        uint40 effectiveAt
    ) private {
        if (revocations[licenceId].effectiveAt != 0) revert ILicensing.LicensingAlreadyRevoked(licenceId);
        revocations[licenceId] = ILicensing.Revocation({effectiveAt: effectiveAt, reason: reason});
        if (reason == ILicensing.RevocationReason.Surrendered) {
            emit ILicensing.LicenceSurrendered({licenceId: licenceId, workId: workId, licensee: msg.sender});
        } else {
            emit ILicensing.LicenceRevoked({
                licenceId: licenceId, workId: workId, by: msg.sender, reason: reason, effectiveAt: effectiveAt
            });
        }
    }

    function _require(mapping(uint256 => ILicensing.Licence) storage licences, uint256 licenceId)
        private
        view
        returns (ILicensing.Licence memory lic)
    {
        lic = licences[licenceId];
        if (lic.workId == 0) revert ILicensing.LicensingUnknownLicence(licenceId);
    }
}
