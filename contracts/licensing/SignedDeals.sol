// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ILicensing} from "../interfaces/ILicensing.sol";
import {LicensingBase} from "./LicensingBase.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {DealLib} from "../libraries/DealLib.sol";
import {TermsLib} from "../libraries/TermsLib.sol";

/// @title SignedDeals — bespoke EIP-712 deals signed by a work's owner, redeemable once
/// @notice The domain separator binds the chain id and this contract; each deal carries a
/// Permit2-style unordered nonce of its work (bit `nonce & 255` of word `nonce >> 8`) and the
/// work's ownership epoch, so a signature cannot be replayed across chains, contracts, nonces or
/// owners: a deal dies when the work changes hands, even if it later returns to the signer, and a
/// work moving between its owner's EOA and wallet cannot redeem one deal twice. The signer is the
/// work's owner at redemption time (EIP-1271 wallets accepted). Only the licensee, or the payer
/// the deal names, may redeem it.
abstract contract SignedDeals is LicensingBase {
    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    /// @notice EIP-712 type of a deal.
    bytes32 public constant DEAL_TYPEHASH = keccak256(
        "Deal(uint256 workId,address licensee,address payer,uint16 rights,uint8 territoryMode,bytes2[] countries,"
        "uint40 start,uint40 duration,uint96 price,address currency,bool exclusive,bool transferable,"
        "uint8 revocableFor,uint32 noticePeriod,string uri,uint32 ownershipEpoch,uint256 nonce,uint256 deadline)"
    );

    // ─────────────────────────────────────────── storage ─────────────────────────────────────────

    /// @dev Used / cancelled deal nonces per work.
    mapping(uint256 workId => mapping(uint256 wordPos => uint256 bitmap)) private _nonceBitmaps;

    // ─────────────────────────────────────────── external ────────────────────────────────────────

    /// @inheritdoc ILicensing
    function redeemDeal(Deal calldata deal, bytes calldata signature)
        external
        payable
        nonReentrant
        whenNotPaused
        returns (uint256 licenceId)
    {
        (address signer, uint32 splitVersion, uint24 metadataVersion) = _dealContext(deal);
        // Built here as a literal (a struct returned by a helper would be allocated and zeroed first).
        Sale memory sale = Sale({
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
            currency: deal.currency,
            splitVersion: splitVersion,
            metadataVersion: metadataVersion
        });
        uint256[3] memory bitmap = _verifyDeal(deal, signature, signer);
        TermsLib.validateRights(sale.rights);
        RevocationTerms memory revocation =
            RevocationTerms({revocableFor: deal.revocableFor, noticePeriod: deal.noticePeriod});
        TermsLib.validateRevocation(revocation.revocableFor, revocation.noticePeriod);
        _checkPayment(sale.currency, sale.price);
        licenceId = _recordDeal(deal, signer, sale, bitmap, revocation);
        if (sale.currency != address(0)) _pull(sale.currency, sale.price);
    }

    /// @inheritdoc ILicensing
    function invalidateNonces(uint256 workId, uint256 wordPos, uint256 mask) external {
        _requireWorkAuthorized(workId);
        _nonceBitmaps[workId][wordPos] |= mask;
        emit NonceInvalidated({workId: workId, by: msg.sender, wordPos: wordPos, mask: mask});
    }

    /// @inheritdoc ILicensing
    function nonceBitmap(uint256 workId, uint256 wordPos) external view returns (uint256) {
        return _nonceBitmaps[workId][wordPos];
    }

    /// @inheritdoc ILicensing
    function dealDigest(Deal calldata deal) external view returns (bytes32) {
        return _hashTypedDataV4(_hashDeal(deal, deal.countries));
    }

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @dev Deadline, redeemer, and the work's current owner (the signer), versions and ownership
    /// epoch (which must be the deal's).
    function _dealContext(Deal calldata deal)
        private
        view
        returns (address owner, uint32 splitVersion, uint24 metadataVersion)
    {
        if (block.timestamp > deal.deadline) revert LicensingDealExpired(deal.deadline, block.timestamp);
        if (deal.workId > type(uint64).max) revert LicensingWorkIdTooLarge(deal.workId);
        if (msg.sender != deal.licensee && msg.sender != deal.payer) {
            revert LicensingNotPayer(msg.sender, deal.licensee, deal.payer);
        }
        uint32 epoch;
        (owner, splitVersion, metadataVersion, epoch) = _WORKS.dealContext(deal.workId);
        if (deal.ownershipEpoch != epoch) revert LicensingStaleDeal(deal.workId, deal.ownershipEpoch, epoch);
    }

    /// @dev Signature (of `signer`, the work's owner), territory and nonce. The hot path (ECDSA
    /// signer, worldwide deal) stays in this contract; a
    /// country list is validated by the linked DealLib, an EIP-1271 wallet is asked only when ECDSA
    /// recovery does not give the signer.
    function _verifyDeal(Deal calldata deal, bytes calldata signature, address signer)
        private
        returns (uint256[3] memory bitmap)
    {
        bytes2[] calldata countries = deal.countries;
        bytes32 digest = _hashTypedDataV4(_hashDeal(deal, countries));
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (
            (err != ECDSA.RecoverError.NoError || recovered != signer)
                && !SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature)
        ) revert LicensingInvalidSignature(signer);
        if (deal.territoryMode != TerritoryMode.Worldwide || countries.length != 0) {
            bitmap = DealLib.territory(uint8(deal.territoryMode), countries);
        }
        uint256 bit = 1 << (deal.nonce & 255);
        uint256 flipped = _nonceBitmaps[deal.workId][deal.nonce >> 8] ^= bit;
        if (flipped & bit == 0) revert LicensingNonceUsed(deal.workId, deal.nonce);
    }

    /// @dev EIP-712 struct hash of a deal, encoded straight from calldata: the 18 members are one
    /// word each in the ABI head, and the two dynamic ones (countries, uri) are replaced by the
    /// keccak256 of their contents (bytes2[] elements are already 32-byte words in calldata). A
    /// non-canonical (dirty) head word changes the hash, so the signature check fails. `countries`
    /// is `deal.countries`, which the caller has already read.
    function _hashDeal(Deal calldata deal, bytes2[] calldata countries) private pure returns (bytes32 structHash) {
        string calldata uri = deal.uri;
        bytes32 typehash = DEAL_TYPEHASH;
        assembly ("memory-safe") {
            let m := mload(0x40)
            let size := shl(5, countries.length)
            calldatacopy(m, countries.offset, size)
            let countriesHash := keccak256(m, size)
            calldatacopy(m, uri.offset, uri.length)
            let uriHash := keccak256(m, uri.length)
            mstore(m, typehash)
            // head words 0-4: workId, licensee, payer, rights, territoryMode
            calldatacopy(add(m, 0x20), deal, 0xa0)
            mstore(add(m, 0xc0), countriesHash) // word 5
            // words 6-13: start, duration, price, currency, exclusive, transferable, revocableFor, noticePeriod
            calldatacopy(add(m, 0xe0), add(deal, 0xc0), 0x100)
            mstore(add(m, 0x1e0), uriHash) // word 14
            calldatacopy(add(m, 0x200), add(deal, 0x1e0), 0x60) // words 15-17: ownershipEpoch, nonce, deadline
            structHash := keccak256(m, 0x260)
        }
    }

    /// @dev Effects of a redemption: the licence (via _issue), its territory and revocation policy,
    /// and DealRedeemed. The deal's calldata is read once: the event takes what the sale already holds.
    function _recordDeal(
        Deal calldata deal,
        address signer,
        Sale memory sale,
        uint256[3] memory bitmap,
        RevocationTerms memory revocation
    ) private returns (uint256) {
        (uint256 licenceId, LicenceTerms memory terms, Payment memory payment) = _issue(sale, bitmap);
        TermsLib.storeBitmap(_dealTerritories[licenceId], bitmap);
        if (revocation.revocableFor != 0) _dealRevocations[licenceId] = revocation;
        _emitDealRedeemed(licenceId, deal, signer, sale, terms, payment, revocation);
        return licenceId;
    }

    function _emitDealRedeemed(
        uint256 licenceId,
        Deal calldata deal,
        address signer,
        Sale memory sale,
        LicenceTerms memory terms,
        Payment memory payment,
        RevocationTerms memory revocation
    ) private {
        emit DealRedeemed({
            licenceId: licenceId,
            workId: terms.workId,
            licensee: sale.licensee,
            signer: signer,
            nonce: deal.nonce,
            terms: terms,
            territoryMode: sale.territoryMode,
            countries: deal.countries,
            uri: deal.uri,
            revocation: revocation,
            payment: payment
        });
    }
}
