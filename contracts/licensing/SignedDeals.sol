// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {LicensingBase} from "./LicensingBase.sol";
import {DealLib} from "../libraries/DealLib.sol";

/// @title SignedDeals — bespoke EIP-712 deals signed by a work's owner, redeemable once
/// @notice The domain separator binds the chain id and this contract; each deal carries a
/// Permit2-style unordered nonce of its signer (bit `nonce & 255` of word `nonce >> 8`), so a
/// signature cannot be replayed across chains, contracts or nonces. The signer is the work's
/// owner at redemption time (EIP-1271 wallets accepted): a deal dies with a change of owner.
abstract contract SignedDeals is LicensingBase {
    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice EIP-712 type of a deal.
    bytes32 public constant DEAL_TYPEHASH = DealLib.DEAL_TYPEHASH;

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    /// @dev Used / cancelled nonces per signer.
    mapping(address signer => mapping(uint256 wordPos => uint256 bitmap)) private _nonceBitmaps;

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc ILicensing
    function redeemDeal(Deal calldata deal, bytes calldata signature)
        external
        payable
        nonReentrant
        whenNotPaused
        returns (uint256 licenceId)
    {
        (address signer, uint256[3] memory bitmap) = _verifyDeal(deal, signature);
        _validateRights(deal.rights);
        _checkPayment(deal.currency, deal.price);
        LicenceTerms memory terms;
        Payment memory payment;
        (licenceId, terms, payment) = _issue(
            Sale({
                workId: deal.workId,
                offerId: 0,
                licensee: deal.licensee,
                rights: deal.rights,
                territoryMode: deal.territoryMode,
                startDate: deal.start,
                duration: deal.duration,
                exclusive: deal.exclusive,
                transferable: deal.transferable,
                price: deal.price,
                currency: deal.currency
            }),
            bitmap
        );
        _storeBitmap(_dealTerritories[licenceId], bitmap);
        _emitDealRedeemed(licenceId, deal, signer, terms, payment);
        if (deal.currency != address(0)) _pull(deal.currency, deal.price);
    }

    /// @inheritdoc ILicensing
    function invalidateNonces(uint256 wordPos, uint256 mask) external {
        _nonceBitmaps[msg.sender][wordPos] |= mask;
        emit NonceInvalidated(msg.sender, wordPos, mask);
    }

    /// @inheritdoc ILicensing
    function nonceBitmap(address signer, uint256 wordPos) external view returns (uint256) {
        return _nonceBitmaps[signer][wordPos];
    }

    /// @inheritdoc ILicensing
    function dealDigest(Deal calldata deal) external view returns (bytes32) {
        return _hashTypedDataV4(DealLib.hash(deal));
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev Deadline, signer (the work's current owner), signature, territory and nonce.
    function _verifyDeal(Deal calldata deal, bytes calldata signature)
        private
        returns (address signer, uint256[3] memory bitmap)
    {
        if (block.timestamp > deal.deadline) revert LicensingDealExpired(deal.deadline, block.timestamp);
        if (deal.workId > type(uint64).max) revert LicensingWorkIdTooLarge(deal.workId);
        signer = _WORKS.ownerOf(deal.workId);
        bitmap = DealLib.verify(deal, signature, _domainSeparatorV4(), signer);
        uint256 bit = 1 << (deal.nonce & 255);
        uint256 flipped = _nonceBitmaps[signer][deal.nonce >> 8] ^= bit;
        if (flipped & bit == 0) revert LicensingNonceUsed(signer, deal.nonce);
    }

    function _emitDealRedeemed(
        uint256 licenceId,
        Deal calldata deal,
        address signer,
        LicenceTerms memory terms,
        Payment memory payment
    ) private {
        emit DealRedeemed({
            licenceId: licenceId,
            workId: deal.workId,
            licensee: deal.licensee,
            signer: signer,
            nonce: deal.nonce,
            terms: terms,
            territoryMode: deal.territoryMode,
            countries: deal.countries,
            uri: deal.uri,
            payment: payment
        });
    }
}
