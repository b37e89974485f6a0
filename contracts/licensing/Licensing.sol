// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {IWorks} from "../interfaces/IWorks.sol";
import {LicensingBase} from "./LicensingBase.sol";
import {OfferBook} from "./OfferBook.sol";
import {SignedDeals} from "./SignedDeals.sol";
import {LicenceViewLib} from "../libraries/LicenceViewLib.sol";
import {RevocationLib} from "../libraries/RevocationLib.sol";

/// @title Licensing — tantieme licences (ERC-721 "tantieme Licences", symbol LIC, ERC-5192)
/// @notice Offers (OfferBook), signed deals (SignedDeals), exclusivity and the revenue ledger
/// (LicensingBase, RoyaltyLedger) composed with revocation, status views and administration.
/// Administration comes from the Governance contract (roles, two-step default admin): pausing
/// stops sales and new offers (never withdrawals, distributions, offer management or
/// revocations); the ERC-20 allowlist; the protocol fee (applies FEE_DELAY later) and the treasury.
contract Licensing is OfferBook, SignedDeals {
    // ─────────────────────────────────────────── constructor ─────────────────────────────────────

    /// @param works_ the Works registry
    /// @param governance_ the Governance contract (the only caller of the admin functions)
    /// @param treasury_ credited with protocol fees (fee starts at 0)
    constructor(IWorks works_, address governance_, address treasury_)
        ERC721("tantieme Licences", "LIC")
        EIP712("tantieme Licensing", "1")
        LicensingBase(works_, governance_)
    {
        if (treasury_ == address(0)) revert LicensingZeroTreasury();
        _treasury = treasury_;
        emit TreasuryUpdated({oldTreasury: address(0), newTreasury: treasury_, by: msg.sender});
    }

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc ILicensing
    function revoke(uint256 licenceId, RevocationReason reason, uint40 effectiveAt) external {
        RevocationLib.revoke(
            _licences, _revocations, _offerRevocations, _dealRevocations, _WORKS, licenceId, reason, effectiveAt
        );
    }

    /// @inheritdoc ILicensing
    function surrender(uint256 licenceId) external {
        RevocationLib.surrender(_licences, _revocations, licenceId, _ownerOf(licenceId));
    }

    /// @inheritdoc ILicensing
    function setCurrencyAllowed(address currency, bool allowed) external onlyGovernance {
        if (currency == address(0)) revert LicensingInvalidCurrency(currency);
        _allowedCurrencies[currency] = allowed;
        emit CurrencyAllowed({currency: currency, allowed: allowed, by: msg.sender});
    }

    /// @inheritdoc ILicensing
    function setProtocolFee(uint16 bps) external onlyGovernance {
        if (bps > MAX_FEE_BPS) revert LicensingFeeTooHigh(bps);
        uint16 current = _currentFeeBps();
        uint40 effectiveAt = uint40(block.timestamp) + FEE_DELAY;
        (_feeBps, _nextFeeBps, _nextFeeAt) = (current, bps, effectiveAt);
        emit ProtocolFeeUpdated({oldBps: current, newBps: bps, effectiveAt: effectiveAt, by: msg.sender});
    }

    /// @inheritdoc ILicensing
    function setTreasury(address treasury_) external onlyGovernance {
        if (treasury_ == address(0)) revert LicensingZeroTreasury();
        address old = _treasury;
        _treasury = treasury_;
        emit TreasuryUpdated({oldTreasury: old, newTreasury: treasury_, by: msg.sender});
    }

    /// @inheritdoc ILicensing
    function pause() external onlyGovernance {
        _pause();
    }

    /// @inheritdoc ILicensing
    function unpause() external onlyGovernance {
        _unpause();
    }

    /// @inheritdoc ILicensing
    function works() external view returns (IWorks) {
        return _WORKS;
    }

    /// @inheritdoc ILicensing
    function governance() external view returns (address) {
        return _GOVERNANCE;
    }

    /// @inheritdoc ILicensing
    function licence(uint256 licenceId) external view returns (Licence memory) {
        return _requireLicence(licenceId);
    }

    /// @inheritdoc ILicensing
    function licenceTerritory(uint256 licenceId) external view returns (TerritoryMode, uint256[3] memory) {
        return LicenceViewLib.territory(_licences, _offerTerritories, _dealTerritories, licenceId);
    }

    /// @inheritdoc ILicensing
    function revocation(uint256 licenceId) external view returns (Revocation memory) {
        _requireLicence(licenceId);
        return _revocations[licenceId];
    }

    /// @inheritdoc ILicensing
    function revocationTerms(uint256 licenceId) external view returns (RevocationTerms memory) {
        return LicenceViewLib.revocationTerms(_licences, _offerRevocations, _dealRevocations, licenceId);
    }

    /// @inheritdoc ILicensing
    function licensedCid(uint256 licenceId) external view returns (string memory) {
        Licence memory lic = _requireLicence(licenceId);
        return _WORKS.cidAt(lic.workId, lic.metadataVersion);
    }

    /// @inheritdoc ILicensing
    function licenceStatus(uint256 licenceId) external view returns (LicenceStatus) {
        return LicenceViewLib.status(_licences, _revocations, licenceId, block.timestamp);
    }

    /// @inheritdoc ILicensing
    function licenceStatusAt(uint256 licenceId, uint256 timestamp) external view returns (LicenceStatus) {
        return LicenceViewLib.status(_licences, _revocations, licenceId, timestamp);
    }

    /// @inheritdoc ILicensing
    function isLicensed(uint256 licenceId, Right right, bytes2 countryCode, uint256 timestamp)
        external
        view
        returns (bool)
    {
        return LicenceViewLib.isLicensed(
            _licences, _revocations, _offerTerritories, _dealTerritories, licenceId, right, countryCode, timestamp
        );
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
        return (_currentFeeBps(), _treasury);
    }

    /// @inheritdoc ILicensing
    function scheduledProtocolFee() external view returns (uint16 bps, uint40 effectiveAt) {
        return (_nextFeeBps, _nextFeeAt);
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
}
