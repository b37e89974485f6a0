// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {ITerritory} from "../interfaces/ITerritory.sol";
import {Territory} from "./Territory.sol";

/// @title LicenceViewLib — the answers Licensing gives about a licence: status, coverage,
/// territory, revocation policy (linked library run by DELEGATECALL on Licensing's storage; keeps
/// Licensing under the 24,576-byte code limit). Every function reverts with LicensingUnknownLicence
/// for an unknown licence.
library LicenceViewLib {
    /// @notice The status of a licence at `timestamp`: Revoked once a revocation took effect, else
    /// Scheduled before its start, Expired from its end, Active in between.
    function status(
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        uint256 licenceId,
        uint256 timestamp
    ) public view returns (ILicensing.LicenceStatus) {
        return _statusAt(revocations, licenceId, _require(licences, licenceId), timestamp);
    }

    /// @notice Whether the licence grants `right` in `countryCode` at `timestamp`. Reverts with
    /// TerritoryInvalidCountry for a code that is not an assigned ISO 3166-1 alpha-2 code.
    function isLicensed(
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        mapping(uint256 => uint256[3]) storage offerTerritories,
        mapping(uint256 => uint256[3]) storage dealTerritories,
        uint256 licenceId,
        ILicensing.Right right,
        bytes2 countryCode,
        uint256 timestamp
    ) public view returns (bool) {
        ILicensing.Licence memory lic = _require(licences, licenceId);
        uint256 index = Territory.indexOf(countryCode);
        if (_statusAt(revocations, licenceId, lic, timestamp) != ILicensing.LicenceStatus.Active) return false;
        if ((lic.rights >> uint8(right)) & 1 == 0) return false;
        return Territory.contains(lic.territoryMode, _bitmap(offerTerritories, dealTerritories, licenceId, lic), index);
    }

    /// @notice A licence's territory: its mode and bitmap (the offer's, or the deal's own).
    function territory(
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => uint256[3]) storage offerTerritories,
        mapping(uint256 => uint256[3]) storage dealTerritories,
        uint256 licenceId
    ) public view returns (ITerritory.TerritoryMode mode, uint256[3] memory bitmap) {
        ILicensing.Licence memory lic = _require(licences, licenceId);
        return (lic.territoryMode, _bitmap(offerTerritories, dealTerritories, licenceId, lic));
    }

    /// @notice A licence's revocation policy: its offer's, or its deal's own (zero: not revocable).
    function revocationTerms(
        mapping(uint256 => ILicensing.Licence) storage licences,
        mapping(uint256 => ILicensing.RevocationTerms) storage offerRevocations,
        mapping(uint256 => ILicensing.RevocationTerms) storage dealRevocations,
        uint256 licenceId
    ) public view returns (ILicensing.RevocationTerms memory) {
        ILicensing.Licence memory lic = _require(licences, licenceId);
        return lic.offerId != 0 ? offerRevocations[lic.offerId] : dealRevocations[licenceId];
    }

    function _statusAt(
        mapping(uint256 => ILicensing.Revocation) storage revocations,
        uint256 licenceId,
        ILicensing.Licence memory lic,
        uint256 timestamp
    ) private view returns (ILicensing.LicenceStatus) {
        uint256 revokedAt = revocations[licenceId].effectiveAt;
        if (revokedAt != 0 && revokedAt <= timestamp) return ILicensing.LicenceStatus.Revoked;
        if (timestamp < lic.start) return ILicensing.LicenceStatus.Scheduled;
        if (timestamp >= lic.end) return ILicensing.LicenceStatus.Expired;
        return ILicensing.LicenceStatus.Active;
    }

    function _bitmap(
        mapping(uint256 => uint256[3]) storage offerTerritories,
        mapping(uint256 => uint256[3]) storage dealTerritories,
        uint256 licenceId,
        ILicensing.Licence memory lic
    ) private view returns (uint256[3] memory bitmap) {
        if (lic.territoryMode == ITerritory.TerritoryMode.Worldwide) return bitmap;
        return lic.offerId != 0 ? offerTerritories[lic.offerId] : dealTerritories[licenceId];
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
