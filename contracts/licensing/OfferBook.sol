// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {LicensingBase} from "./LicensingBase.sol";
import {OfferLib} from "../libraries/OfferLib.sol";

/// @title OfferBook — licence offers and purchases from them
abstract contract OfferBook is LicensingBase {
    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc ILicensing
    function createOffer(OfferTerms calldata terms) external whenNotPaused returns (uint256 offerId) {
        uint256 workId = terms.workId;
        if (workId > type(uint64).max) revert LicensingWorkIdTooLarge(workId);
        _requireWorkAuthorized(workId);
        _validateCurrency(terms.currency);
        offerId = ++_lastOfferId;
        OfferLib.create(_offers, _offerTerritories, _offerRevocations, offerId, terms);
    }

    /// @inheritdoc ILicensing
    function pauseOffer(uint256 offerId) external {
        _setStatus(offerId, OfferStatus.Active, OfferStatus.Paused);
    }

    /// @inheritdoc ILicensing
    function resumeOffer(uint256 offerId) external {
        _setStatus(offerId, OfferStatus.Paused, OfferStatus.Active);
    }

    /// @inheritdoc ILicensing
    function retireOffer(uint256 offerId) external {
        Offer storage o = _requireOffer(offerId);
        _setStatus(offerId, o.status == OfferStatus.Paused ? OfferStatus.Paused : OfferStatus.Active, OfferStatus.Retired);
    }

    /// @inheritdoc ILicensing
    function purchase(uint256 offerId, address licensee)
        external
        payable
        nonReentrant
        whenNotPaused
        returns (uint256 licenceId)
    {
        licenceId = _purchase(offerId, licensee);
    }

    /// @inheritdoc ILicensing
    function purchaseGuarded(uint256 offerId, address licensee, uint256 lastLicenceId)
        external
        payable
        nonReentrant
        whenNotPaused
        returns (uint256 licenceId)
    {
        if (_lastLicenceId != lastLicenceId) revert LicensingStateChanged(lastLicenceId, _lastLicenceId);
        licenceId = _purchase(offerId, licensee);
    }

    /// @inheritdoc ILicensing
    function offer(uint256 offerId) external view returns (Offer memory) {
        return _requireOffer(offerId);
    }

    /// @inheritdoc ILicensing
    function offerTerritory(uint256 offerId) external view returns (TerritoryMode mode, uint256[3] memory bitmap) {
        mode = _requireOffer(offerId).territoryMode;
        bitmap = _offerTerritories[offerId];
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev A sale from an offer: checks, effects (via _issue), then the ERC-20 pull.
    function _purchase(uint256 offerId, address licensee) private returns (uint256 licenceId) {
        Offer storage stored = _offers[offerId];
        Offer memory o = stored;
        if (o.workId == 0) revert LicensingUnknownOffer(offerId);
        if (o.status != OfferStatus.Active) revert LicensingOfferNotActive(offerId, o.status);
        if (o.cap != 0) {
            if (o.sold >= o.cap) revert LicensingSoldOut(offerId, o.cap);
            stored.sold = o.sold + 1;
        }
        // The currency was allowlisted when the offer was created; it is not re-read here (one cold
        // SLOAD saved per ERC-20 sale). Delisting a token stops new offers and deals in it.
        if (msg.value != (o.currency == address(0) ? o.price : 0)) {
            revert LicensingWrongPayment(o.currency == address(0) ? o.price : 0, msg.value);
        }
        (uint32 splitVersion, uint24 metadataVersion) = _WORKS.versionsOf(o.workId);
        uint256[3] memory none;
        (uint256 id, LicenceTerms memory terms, Payment memory payment) = _issue(
            Sale({
                workId: o.workId,
                offerId: offerId,
                licensee: licensee,
                rights: o.rights,
                territoryMode: o.territoryMode,
                startDate: o.startDate,
                duration: o.duration,
                exclusive: o.exclusive,
                transferable: o.transferable,
                price: o.price,
                currency: o.currency,
                splitVersion: splitVersion,
                metadataVersion: metadataVersion
            }),
            none
        );
        licenceId = id;
        emit LicencePurchased({licenceId: id, offerId: offerId, licensee: licensee, terms: terms, payment: payment});
        if (o.currency != address(0)) _pull(o.currency, o.price);
    }

    function _requireOffer(uint256 offerId) internal view returns (Offer storage o) {
        o = _offers[offerId];
        if (o.workId == 0) revert LicensingUnknownOffer(offerId);
    }

    function _setStatus(uint256 offerId, OfferStatus from, OfferStatus to) private {
        Offer storage o = _requireOffer(offerId);
        uint256 workId = o.workId;
        _requireWorkAuthorized(workId);
        if (o.status != from) revert LicensingInvalidStatusTransition(offerId, o.status, to);
        o.status = to;
        emit OfferStatusChanged({offerId: offerId, workId: workId, by: msg.sender, status: to});
    }
}
