// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {LicensingBase} from "./LicensingBase.sol";
import {OfferBook} from "./OfferBook.sol";
import {SignedDeals} from "./SignedDeals.sol";
import {Territory} from "../libraries/Territory.sol";

/// @title Licensing — tantieme licences (ERC-721 "tantieme Licences", symbol LIC, ERC-5192)
/// @notice Offers (OfferBook), signed deals (SignedDeals), exclusivity and the revenue ledger
/// (LicensingBase, RoyaltyLedger) composed with revocation, status views and administration.
/// Roles: DEFAULT_ADMIN_ROLE grants roles; PAUSER_ROLE pauses sales and new offers (never
/// withdrawals, distributions, offer management or revocations); CURRENCY_ROLE manages the
/// ERC-20 allowlist; FEE_ROLE sets the protocol fee and the treasury.
contract Licensing is OfferBook, SignedDeals {
    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    /// @param works_ the Works registry
    /// @param admin receives every role
    /// @param treasury_ credited with protocol fees (fee starts at 0)
    constructor(IWorks works_, address admin, address treasury_)
        ERC721("tantieme Licences", "LIC")
        EIP712("tantieme Licensing", "1")
        LicensingBase(works_)
    {
        if (treasury_ == address(0)) revert LicensingZeroTreasury();
        _treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(CURRENCY_ROLE, admin);
        _grantRole(FEE_ROLE, admin);
        emit TreasuryUpdated(address(0), treasury_, msg.sender);
    }

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc ILicensing
    function revoke(uint256 licenceId, RevocationReason reason, uint40 effectiveAt) external {
        uint256 workId = _requireLicence(licenceId).workId;
        _requireWorkAuthorized(workId);
        if (reason == RevocationReason.Surrendered) revert LicensingInvalidReason(reason);
        if (_revocations[licenceId].effectiveAt != 0) revert LicensingAlreadyRevoked(licenceId);
        if (effectiveAt == 0) effectiveAt = uint40(block.timestamp);
        else if (effectiveAt < block.timestamp) revert LicensingRevocationInPast(effectiveAt, block.timestamp);
        _revocations[licenceId] = Revocation({effectiveAt: effectiveAt, reason: reason});
        emit LicenceRevoked(licenceId, workId, msg.sender, reason, effectiveAt);
    }

    /// @inheritdoc ILicensing
    function surrender(uint256 licenceId) external {
        uint256 workId = _requireLicence(licenceId).workId;
        if (ownerOf(licenceId) != msg.sender) revert LicensingNotLicensee(msg.sender, licenceId);
        if (_revocations[licenceId].effectiveAt != 0) revert LicensingAlreadyRevoked(licenceId);
        _revocations[licenceId] =
            Revocation({effectiveAt: uint40(block.timestamp), reason: RevocationReason.Surrendered});
        emit LicenceSurrendered(licenceId, workId, msg.sender);
    }

    /// @inheritdoc ILicensing
    function setCurrencyAllowed(address currency, bool allowed) external onlyRole(CURRENCY_ROLE) {
        if (currency == address(0)) revert LicensingInvalidCurrency(currency);
        _allowedCurrencies[currency] = allowed;
        emit CurrencyAllowed(currency, allowed, msg.sender);
    }

    /// @inheritdoc ILicensing
    function setProtocolFee(uint16 bps) external onlyRole(FEE_ROLE) {
        if (bps > MAX_FEE_BPS) revert LicensingFeeTooHigh(bps);
        uint16 old = _feeBps;
        _feeBps = bps;
        emit ProtocolFeeUpdated(old, bps, msg.sender);
    }

    /// @inheritdoc ILicensing
    function setTreasury(address treasury_) external onlyRole(FEE_ROLE) {
        if (treasury_ == address(0)) revert LicensingZeroTreasury();
        address old = _treasury;
        _treasury = treasury_;
        emit TreasuryUpdated(old, treasury_, msg.sender);
    }

    /// @inheritdoc ILicensing
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ILicensing
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc ILicensing
    function works() external view returns (IWorks) {
        return _WORKS;
    }

    /// @inheritdoc ILicensing
    function licence(uint256 licenceId) external view returns (Licence memory) {
        return _requireLicence(licenceId);
    }

    /// @inheritdoc ILicensing
    function licenceTerritory(uint256 licenceId) external view returns (TerritoryMode, uint256[3] memory) {
        Licence memory lic = _requireLicence(licenceId);
        return (lic.territoryMode, _territoryBitmap(licenceId, lic));
    }

    /// @inheritdoc ILicensing
    function revocation(uint256 licenceId) external view returns (Revocation memory) {
        _requireLicence(licenceId);
        return _revocations[licenceId];
    }

    /// @inheritdoc ILicensing
    function licenceStatus(uint256 licenceId) external view returns (LicenceStatus) {
        return _statusAt(licenceId, _requireLicence(licenceId), block.timestamp);
    }

    /// @inheritdoc ILicensing
    function licenceStatusAt(uint256 licenceId, uint256 timestamp) external view returns (LicenceStatus) {
        return _statusAt(licenceId, _requireLicence(licenceId), timestamp);
    }

    /// @inheritdoc ILicensing
    function isLicensed(uint256 licenceId, Right right, bytes2 countryCode, uint256 timestamp)
        external
        view
        returns (bool)
    {
        Licence memory lic = _requireLicence(licenceId);
        uint256 index = Territory.indexOf(countryCode);
        if (_statusAt(licenceId, lic, timestamp) != LicenceStatus.Active) return false;
        if ((lic.rights >> uint8(right)) & 1 == 0) return false;
        return Territory.contains(lic.territoryMode, _territoryBitmap(licenceId, lic), index);
    }

    /// @inheritdoc ILicensing
    function exclusivesOf(uint256 workId) external view returns (uint256[] memory) {
        return _exclusives[workId];
    }

    /// @inheritdoc ILicensing
    function isCurrencyAllowed(address currency) external view returns (bool) {
        return currency == address(0) || _allowedCurrencies[currency];
    }

    /// @inheritdoc ILicensing
    function protocolFee() external view returns (uint16 bps, address treasury) {
        return (_feeBps, _treasury);
    }

    /// @inheritdoc ILicensing
    function counts() external view returns (uint256 offers, uint256 licences) {
        return (_lastOfferId, _lastLicenceId);
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    function _requireLicence(uint256 licenceId) private view returns (Licence memory lic) {
        lic = _licences[licenceId];
        if (lic.workId == 0) revert LicensingUnknownLicence(licenceId);
    }

    function _statusAt(uint256 licenceId, Licence memory lic, uint256 timestamp) private view returns (LicenceStatus) {
        uint256 revokedAt = _revocations[licenceId].effectiveAt;
        if (revokedAt != 0 && revokedAt <= timestamp) return LicenceStatus.Revoked;
        if (timestamp < lic.start) return LicenceStatus.Scheduled;
        if (timestamp >= lic.end) return LicenceStatus.Expired;
        return LicenceStatus.Active;
    }
}
